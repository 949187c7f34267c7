import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { Tx } from '../db/store.ts';
import { kindOfStored, type ErrorKind } from './classify.ts';

// The callback log of one app: its callbacks (GET to a return or cancel URL) and its webhook
// deliveries (POST of an event), newest first, read a page at a time by keyset.

type Reader = Pick<Kysely<DB>, 'selectFrom'>;

export interface LogCursor {
  createdAt: number;
  id: string;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface LoggedAttempt {
  at: number;
  url: string;
  statusCode: number | null;
  errorKind: ErrorKind | null;
  error: string | null;
  body: string;
  durationMs: number | null;
  /** The retry this attempt scheduled. */
  nextAttemptAt: number | null;
}

export interface Delivery {
  kind: 'callback' | 'webhook';
  id: string;
  test: boolean;
  /** The callback's URL; for a webhook, its endpoint at the last attempt (or now). */
  url: string | null;
  eventType: string | null;
  intentId: string | null;
  objectId: string | null;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: number | null;
  createdAt: number;
  deliveredAt: number | null;
  requeuedAt: number | null;
  attemptList: LoggedAttempt[];
}

export const PAGE_SIZE = 20;
export const isDeliveryStatus = (s: unknown): s is DeliveryStatus => s === 'pending' || s === 'delivered' || s === 'failed';

export interface LogPage {
  deliveries: Delivery[];
  next?: LogCursor;
}

export async function listDeliveries(
  db: Reader, app: { id: string; webhook_url: string | null }, opts: { cursor?: LogCursor; status?: DeliveryStatus; limit?: number } = {},
): Promise<LogPage> {
  const limit = opts.limit ?? PAGE_SIZE;
  let callbacks = db.selectFrom('callbacks as c')
    .select(['c.id', 'c.intent_id', 'c.url', 'c.status', 'c.attempts', 'c.next_attempt_at', 'c.created_at', 'c.delivered_at', 'c.test', 'c.requeued_at'])
    .where('c.app_id', '=', app.id);
  let events = db.selectFrom('events as e')
    .select(['e.id', 'e.type', 'e.object_id', 'e.status', 'e.attempts', 'e.next_attempt_at', 'e.created_at', 'e.delivered_at', 'e.test', 'e.requeued_at'])
    .where('e.app_id', '=', app.id).where('e.status', '<>', 'none');
  if (opts.status) {
    callbacks = callbacks.where('c.status', '=', opts.status);
    events = events.where('e.status', '=', opts.status);
  }
  const c = opts.cursor;
  if (c) {
    // (created_at, id) strictly before the cursor: the next page of a newest-first list.
    callbacks = callbacks.where((eb) => eb.or([
      eb('c.created_at', '<', c.createdAt), eb.and([eb('c.created_at', '=', c.createdAt), eb('c.id', '<', c.id)]),
    ]));
    events = events.where((eb) => eb.or([
      eb('e.created_at', '<', c.createdAt), eb.and([eb('e.created_at', '=', c.createdAt), eb('e.id', '<', c.id)]),
    ]));
  }
  const [cs, es] = await Promise.all([
    callbacks.orderBy('c.created_at', 'desc').orderBy('c.id', 'desc').limit(limit + 1).execute(),
    events.orderBy('e.created_at', 'desc').orderBy('e.id', 'desc').limit(limit + 1).execute(),
  ]);
  const all: Delivery[] = [
    ...cs.map((c): Delivery => ({
      kind: 'callback', id: c.id, test: Boolean(Number(c.test)), url: c.url, eventType: null, intentId: c.intent_id, objectId: c.intent_id,
      status: c.status, attempts: Number(c.attempts), nextAttemptAt: c.status === 'pending' ? Number(c.next_attempt_at) : null,
      createdAt: Number(c.created_at), deliveredAt: c.delivered_at === null ? null : Number(c.delivered_at),
      requeuedAt: c.requeued_at == null ? null : Number(c.requeued_at), attemptList: [],
    })),
    ...es.map((e): Delivery => ({
      kind: 'webhook', id: e.id, test: Boolean(Number(e.test)), url: app.webhook_url, eventType: e.type, intentId: null, objectId: e.object_id,
      status: e.status as DeliveryStatus, attempts: Number(e.attempts),
      // A new event is due at once (0): no time to show until its first attempt has scheduled one.
      nextAttemptAt: e.status === 'pending' && Number(e.next_attempt_at) > 0 ? Number(e.next_attempt_at) : null,
      createdAt: Number(e.created_at), deliveredAt: e.delivered_at === null ? null : Number(e.delivered_at),
      requeuedAt: e.requeued_at === null ? null : Number(e.requeued_at), attemptList: [],
    })),
  ].sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  const deliveries = all.slice(0, limit);
  await attachAttempts(db, deliveries);
  const last = deliveries.at(-1);
  return { deliveries, ...(all.length > limit && last ? { next: { createdAt: last.createdAt, id: last.id } } : {}) };
}

async function attachAttempts(db: Reader, deliveries: Delivery[]): Promise<void> {
  const callbackIds = deliveries.filter((d) => d.kind === 'callback').map((d) => d.id);
  const eventIds = deliveries.filter((d) => d.kind === 'webhook').map((d) => d.id);
  const [ca, wa] = await Promise.all([
    callbackIds.length ? db.selectFrom('callback_attempts')
      .select(['callback_id as owner', 'uri as url', 'status_code', 'error', 'error_kind', 'body', 'duration_ms', 'next_attempt_at', 'at'])
      .where('callback_id', 'in', callbackIds).orderBy('id').execute() : [],
    eventIds.length ? db.selectFrom('webhook_attempts')
      .select(['event_id as owner', 'url', 'status_code', 'error', 'error_kind', 'body', 'duration_ms', 'next_attempt_at', 'at'])
      .where('event_id', 'in', eventIds).orderBy('id').execute() : [],
  ]);
  const byOwner = new Map(deliveries.map((d) => [d.id, d]));
  for (const a of [...ca, ...wa]) {
    const d = byOwner.get(a.owner);
    if (!d) continue;
    const statusCode = a.status_code === null ? null : Number(a.status_code);
    d.attemptList.push({
      at: Number(a.at), url: a.url, statusCode, error: a.error, body: a.body,
      errorKind: (a.error_kind as ErrorKind | null) ?? kindOfStored(statusCode, a.error),
      durationMs: a.duration_ms == null ? null : Number(a.duration_ms),
      nextAttemptAt: a.next_attempt_at == null ? null : Number(a.next_attempt_at),
    });
    if (d.kind === 'webhook') d.url = a.url || d.url;
  }
}

/**
 * Puts a delivery of this app back in the queue, whatever its state: due now, and its
 * retries (backoff and the 24-hour limit) count again from now. False when not this app's.
 */
export async function requeueDelivery(tx: Tx, appId: string, id: string, nowMs: number): Promise<'callback' | 'webhook' | undefined> {
  const webhook = id.startsWith('evt_');
  const r = webhook
    ? await tx.updateTable('events')
      .set((eb) => ({ status: 'pending', next_attempt_at: nowMs, requeued_at: nowMs, requeue_attempts: eb.ref('attempts') }))
      .where('id', '=', id).where('app_id', '=', appId).where('status', '<>', 'none').executeTakeFirst()
    : await tx.updateTable('callbacks')
      .set((eb) => ({ status: 'pending', next_attempt_at: nowMs, requeued_at: nowMs, requeue_attempts: eb.ref('attempts') }))
      .where('id', '=', id).where('app_id', '=', appId).executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) return undefined;
  return webhook ? 'webhook' : 'callback';
}

/** The URL of the app's latest callback: where "Enviar prueba" points by default. */
export async function latestCallbackUrl(db: Reader, appId: string): Promise<string | undefined> {
  const row = await db.selectFrom('callbacks').select('url').where('app_id', '=', appId).where('test', '=', 0)
    .orderBy('created_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
  return row?.url;
}
