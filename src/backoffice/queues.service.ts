import { sql } from 'kysely';
import type { ReadDb } from '../db/store.ts';
import { TRANSITIONS } from '../payment-intents/intent.machine.ts';
import { SETTLEMENT_MS } from '../payouts/payout.service.ts';

// What the background loops have left to do: for each, the work that is due now and how long
// the oldest of it has waited. A loop that keeps up shows little and young; one that has
// stopped or fallen behind (its node down, its database slow, a merchant's server timing out)
// shows its oldest item growing older. Read in real time: a sandbox test clock that runs
// ahead makes some of its owner's work due earlier, which these figures do not count.

export const QUEUES = ['mail', 'callbacks', 'webhooks', 'expiry', 'settlement'] as const;
export type QueueName = (typeof QUEUES)[number];

/** Five minutes: every loop passes at least once a minute, so older work means it is behind. */
export const DEFAULT_LATE_AFTER_MS = 300_000;

export interface QueueBacklog {
  queue: QueueName;
  /** Items due now and not yet done. */
  due: number;
  /** How long the oldest of them has been due (0 when none is). */
  oldestAgeMs: number;
  /** Items the loop gave up on after its last attempt (mail, callbacks, webhooks); null where a loop never gives up. */
  failed: number | null;
  late: boolean;
}

interface Row { due: number | string; oldest: number | string | null; failed?: number | string | null }

/**
 * The due items of an outbox (pending, their next attempt reached) and those it gave up on.
 * A row a worker holds right now counts as due: it is not done until its attempt is recorded,
 * and one whose worker died stays due until its lease runs out and another takes it.
 */
const outbox = (db: ReadDb, table: 'mail_outbox' | 'callbacks' | 'events', nowMs: number) =>
  db.selectFrom(table).select([
    sql<number>`count(case when status = 'pending' and next_attempt_at <= ${nowMs} then 1 end)`.as('due'),
    sql<number | null>`min(case when status = 'pending' and next_attempt_at <= ${nowMs} then next_attempt_at end)`.as('oldest'),
    sql<number>`count(case when status = 'failed' then 1 end)`.as('failed'),
  ]).where('status', 'in', ['pending', 'failed']).executeTakeFirstOrThrow() as Promise<Row>;

/** Every queue's backlog at nowMs; a queue is late when its oldest due item has waited longer than lateAfterMs. */
export async function queueBacklog(db: ReadDb, nowMs: number, lateAfterMs = DEFAULT_LATE_AFTER_MS): Promise<QueueBacklog[]> {
  const expiring = [...new Set(Object.values(TRANSITIONS.expire.from).flat())];
  // A DISPERSION batch settles a day after it was submitted (instant ones settle at once).
  const settleBefore = nowMs - SETTLEMENT_MS.DISPERSION;
  const [mail, callbacks, webhooks, expiry, settlement] = await Promise.all([
    outbox(db, 'mail_outbox', nowMs),
    outbox(db, 'callbacks', nowMs),
    outbox(db, 'events', nowMs),
    db.selectFrom('payment_intents')
      .select([sql<number>`count(*)`.as('due'), sql<number | null>`min(expires_at)`.as('oldest')])
      .where('state', 'in', expiring).where('expires_at', 'is not', null).where('expires_at', '<=', nowMs)
      .executeTakeFirstOrThrow() as Promise<Row>,
    db.selectFrom('payout_batches')
      .select([sql<number>`count(*)`.as('due'), sql<number | null>`min(submitted_at)`.as('oldest')])
      .where('status', '=', 'PROCESSING').where('submitted_at', '<=', settleBefore)
      .executeTakeFirstOrThrow() as Promise<Row>,
  ]);
  // An item is due from the time its row names (a settlement: a day after its batch was submitted).
  const entry = (queue: QueueName, row: Row, dueSince = (oldest: number) => oldest): QueueBacklog => {
    const due = Number(row.due);
    const oldestAgeMs = due > 0 && row.oldest !== null ? Math.max(0, nowMs - dueSince(Number(row.oldest))) : 0;
    const failed = row.failed === undefined || row.failed === null ? null : Number(row.failed);
    return { queue, due, oldestAgeMs, failed, late: oldestAgeMs > lateAfterMs };
  };
  return [
    entry('mail', mail),
    entry('callbacks', callbacks),
    entry('webhooks', webhooks),
    entry('expiry', expiry),
    entry('settlement', settlement, (submitted) => submitted + SETTLEMENT_MS.DISPERSION),
  ];
}

/** "2 h 05 min", "3 min 20 s", "12 s": how long, for people. */
export function formatAge(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${String(m % 60).padStart(2, '0')} min`;
  return `${Math.floor(h / 24)} d ${String(h % 24).padStart(2, '0')} h`;
}
