import type { CallbacksTable } from '../db/schema.ts';
import type { AttemptOutcome } from './attempt.ts';
import type { ErrorKind } from './classify.ts';
import type { Tx, ReadDb, Writer } from '../db/store.ts';

type Db = ReadDb;

export type CallbackRow = CallbacksTable;

export async function insertCallback(tx: Tx, row: CallbackRow): Promise<void> {
  await tx.insertInto('callbacks').values(row).execute();
}

/** Rows that are due and not leased, oldest due first. */
export async function dueCallbackIds(db: Db, nowMs: number, limit: number): Promise<string[]> {
  const rows = await db.selectFrom('callbacks').select('id')
    .where('status', '=', 'pending').where('next_attempt_at', '<=', nowMs).where('locked_until', '<', nowMs)
    .orderBy('next_attempt_at').orderBy('id').limit(limit).execute();
  return rows.map((r) => r.id);
}

/**
 * Takes the lease on one row. The conditions are re-checked by the UPDATE itself, so of
 * two workers (in one process or several) exactly one sees a row updated.
 */
export async function claimCallback(db: Writer, id: string, workerId: string, nowMs: number, leaseMs: number): Promise<boolean> {
  const r = await db.updateTable('callbacks')
    // The attempt is counted when it is claimed: should recording its outcome fail, the
    // next try still backs off further and the 24-hour limit still comes.
    .set((eb) => ({ locked_by: workerId, locked_until: nowMs + leaseMs, attempts: eb('attempts', '+', 1) }))
    .where('id', '=', id).where('status', '=', 'pending')
    .where('next_attempt_at', '<=', nowMs).where('locked_until', '<', nowMs)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** The claimed row with the signing secret of its app. */
export async function callbackForDelivery(db: Db, id: string) {
  return db.selectFrom('callbacks as c').innerJoin('apps as a', 'a.id', 'c.app_id')
    .select(['c.id', 'c.intent_id', 'c.url', 'c.attempts', 'c.created_at', 'c.locked_by', 'c.test', 'c.requeued_at', 'c.requeue_attempts', 'a.callback_secret'])
    .where('c.id', '=', id).executeTakeFirst();
}

export interface AttemptRecord {
  callbackId: string;
  /** '' for a test delivery, which belongs to no intent. */
  intentId: string;
  uri: string;
  statusCode: number | null;
  body: string;
  error: string | null;
  errorKind: ErrorKind | null;
  durationMs: number | null;
  at: number;
}

/** PostgreSQL's text cannot hold NUL; a merchant's answer may. Shown as U+FFFD on both stores. */
export const storable = (s: string) => s.replace(/\u0000/g, '\ufffd');

/** Records the attempt and releases the lease with the row's next state, in one transaction. */
export async function recordAttempt(tx: Tx, workerId: string, a: AttemptRecord, outcome: AttemptOutcome): Promise<void> {
  await tx.insertInto('callback_attempts').values({
    callback_id: a.callbackId, intent_id: a.intentId, uri: a.uri, method: 'GET', status_code: a.statusCode,
    body: storable(a.body), error: a.error === null ? null : storable(a.error), at: a.at,
    error_kind: a.errorKind, duration_ms: a.durationMs, next_attempt_at: outcome.status === 'pending' ? outcome.nextAttemptAt : null,
  }).execute();
  await tx.updateTable('callbacks')
    .set({
      status: outcome.status,
      locked_by: null,
      locked_until: 0,
      ...(outcome.status === 'delivered' ? { delivered_at: outcome.at } : {}),
      ...(outcome.status === 'pending' ? { next_attempt_at: outcome.nextAttemptAt } : {}),
    })
    .where('id', '=', a.callbackId).where('locked_by', '=', workerId)
    .execute();
}
