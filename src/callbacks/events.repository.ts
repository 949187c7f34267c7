import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { Tx } from '../db/store.ts';
import type { AttemptOutcome } from './attempt.ts';
import type { ErrorKind } from './classify.ts';
import { storable } from './callbacks.repository.ts';

type Reader = Pick<Kysely<DB>, 'selectFrom'>;

/** Webhook deliveries that are due and not leased, oldest due first. */
export async function dueEventIds(db: Reader, nowMs: number, limit: number): Promise<string[]> {
  const rows = await db.selectFrom('events').select('id')
    .where('status', '=', 'pending').where('next_attempt_at', '<=', nowMs).where('locked_until', '<', nowMs)
    .orderBy('next_attempt_at').orderBy('seq').limit(limit).execute();
  return rows.map((r) => r.id);
}

/** The lease on one delivery, as for callbacks: of two workers exactly one updates the row. */
export async function claimEvent(tx: Tx, id: string, workerId: string, nowMs: number, leaseMs: number): Promise<boolean> {
  const r = await tx.updateTable('events')
    .set((eb) => ({ locked_by: workerId, locked_until: nowMs + leaseMs, attempts: eb('attempts', '+', 1) }))
    .where('id', '=', id).where('status', '=', 'pending')
    .where('next_attempt_at', '<=', nowMs).where('locked_until', '<', nowMs)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** The claimed event with its app's endpoint and signing secret. */
export async function eventForDelivery(db: Reader, id: string) {
  return db.selectFrom('events as e').innerJoin('apps as a', 'a.id', 'e.app_id')
    .select([
      'e.id', 'e.type', 'e.data_json', 'e.created_at', 'e.attempts', 'e.locked_by', 'e.test', 'e.requeued_at', 'e.requeue_attempts',
      'a.webhook_url', 'a.webhook_secret',
    ])
    .where('e.id', '=', id).executeTakeFirst();
}

export interface WebhookAttempt {
  eventId: string;
  url: string;
  statusCode: number | null;
  body: string;
  error: string | null;
  errorKind: ErrorKind | null;
  durationMs: number | null;
  at: number;
}

/** Records the attempt and releases the lease with the delivery's next state. */
export async function recordWebhookAttempt(tx: Tx, workerId: string, a: WebhookAttempt, outcome: AttemptOutcome): Promise<void> {
  await tx.insertInto('webhook_attempts').values({
    event_id: a.eventId, url: a.url, status_code: a.statusCode, body: storable(a.body),
    error: a.error === null ? null : storable(a.error), error_kind: a.errorKind, duration_ms: a.durationMs,
    next_attempt_at: outcome.status === 'pending' ? outcome.nextAttemptAt : null, at: a.at,
  }).execute();
  await tx.updateTable('events')
    .set({
      status: outcome.status,
      locked_by: null,
      locked_until: 0,
      ...(outcome.status === 'delivered' ? { delivered_at: outcome.at } : {}),
      ...(outcome.status === 'pending' ? { next_attempt_at: outcome.nextAttemptAt } : {}),
    })
    .where('id', '=', a.eventId).where('locked_by', '=', workerId)
    .execute();
}
