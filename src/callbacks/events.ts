import { sql } from 'kysely';
import type { Tx } from '../db/store.ts';
import { randomHex } from '../shared/ids.ts';
import { writeNowOrLater, type WriteBatch } from '../db/write-batch.ts';

// Events: what happened to an app's objects, written in the transaction of the change that
// caused it, so an event exists exactly when its change committed. The row is also the
// webhook's outbox (status 'pending' until delivered), so the change pays one INSERT, and
// nothing at all when no webhook (nor a `mpandco listen` session) wants that type.

export const EVENT_TYPES = [
  'sale.authorized', 'sale.executed', 'sale.annulled', 'intent.canceled', 'intent.expired',
  'request.paid', 'request.declined', 'payout.batch_settled', 'payout.item_failed',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** The type of a delivery sent with "Enviar prueba"; never listed by the events API. */
export const TEST_EVENT_TYPE = 'test';

export const isEventType = (t: unknown): t is EventType => typeof t === 'string' && (EVENT_TYPES as readonly string[]).includes(t);

export const newEventId = (): string => `evt_${randomHex(12)}`;

/** What a state change reads of its app to know whether to record an event (loaded with the app's status). */
export interface EventSubscription {
  webhook_url?: string | null;
  webhook_events?: string | null;
  events_listen_until?: number | null;
}

/** The stored form of the chosen types: ",a,b,", so that one LIKE '%,type,%' finds a type. */
export const storedEventTypes = (types: readonly EventType[]): string =>
  (types.length ? `,${EVENT_TYPES.filter((t) => types.includes(t)).join(',')},` : '');

export const chosenEventTypes = (stored: string | null | undefined): EventType[] =>
  EVENT_TYPES.filter((t) => (stored ?? '').includes(`,${t},`));

/** 'pending' (to deliver), 'none' (recorded for the events API and listen only), or undefined (not recorded). */
export function eventStatus(app: EventSubscription, type: EventType, nowMs: number): 'pending' | 'none' | undefined {
  const chosen = (app.webhook_events ?? '').includes(`,${type},`);
  if (chosen && app.webhook_url) return 'pending';
  if (chosen || Number(app.events_listen_until ?? 0) > nowMs) return 'none';
  return undefined;
}

export interface EventInput {
  appId: string;
  /** The account the object belongs to. */
  userId: string;
  type: EventType | typeof TEST_EVENT_TYPE;
  objectId: string;
  data: unknown;
  nowMs: number;
}

/**
 * One INSERT: the event, and its delivery when status is 'pending', due at once (nowMs may be
 * a sandbox business's test-clock time, ahead of the real time the worker goes by).
 */
export async function insertEvent(tx: Tx, e: EventInput, status: 'pending' | 'none', test = false, batch?: WriteBatch): Promise<string> {
  const id = newEventId();
  await writeNowOrLater(tx, batch, tx.insertInto('events').values({
    id, app_id: e.appId, user_id: e.userId, type: e.type, object_id: e.objectId, data_json: JSON.stringify(e.data),
    status, attempts: 0, next_attempt_at: 0, locked_until: 0, locked_by: null, created_at: e.nowMs, delivered_at: null,
    test: test ? 1 : 0, requeued_at: null, requeue_attempts: 0,
  }).compile());
  return id;
}

/** Records the event when the app (already read under the caller's checks) wants it; else writes nothing. */
export async function recordEvent(tx: Tx, app: EventSubscription, e: EventInput & { type: EventType }): Promise<void> {
  const status = eventStatus(app, e.type, e.nowMs);
  if (status) await insertEvent(tx, e, status);
}

/**
 * For changes that have not read the app: one INSERT ... SELECT from the app's row, which
 * writes the event only when the app wants that type (or is being listened to).
 */
export async function recordEventForApp(tx: Tx, e: EventInput & { type: EventType }, batch?: WriteBatch): Promise<void> {
  const like = `%,${e.type},%`;
  await writeNowOrLater(tx, batch, sql`insert into events
      (id, app_id, user_id, type, object_id, data_json, status, attempts, next_attempt_at, locked_until, created_at, test, requeue_attempts)
    select ${newEventId()}, id, ${e.userId}, ${e.type}, ${e.objectId}, ${JSON.stringify(e.data)},
      case when webhook_url is not null and webhook_events like ${like} then 'pending' else 'none' end,
      0, 0, 0, cast(${e.nowMs} as bigint), 0, 0
    from apps where id = ${e.appId} and (webhook_events like ${like} or events_listen_until > cast(${e.nowMs} as bigint))`.compile(tx));
}
