import { prepared, preparedQuery } from '../db/prepared.ts';
import { WriteBatch, writeNowOrLater } from '../db/write-batch.ts';
import type { CompiledQuery } from 'kysely';
import type { IntentState } from '../db/schema.ts';
import type { Tx } from '../db/store.ts';
import { InvariantError } from '../ledger/invariants.ts';
import { reverseEntry } from '../ledger/ledger.ts';
import { PAYMENT_STATUS } from '../payments/payment.types.ts';
import { t } from '../shared/i18n.ts';
import { notifyPaymentOf } from '../mail/notify.ts';
import { refuseMagicShortfall } from '../test-mode/magic-values.ts';
import { parseTransactions } from './payment-intent.types.ts';
import { executeIntentPayment, revokedDistribution, type ExecutedPayment } from './payment-intent.execute.ts';

export type { ExecutedPayment };
import { lockIntent, lockIntentToPay, paymentParties, type IntentRow, type PaymentParty } from './payment-intent.repository.ts';
import { eventStatus, insertEvent, recordEventForApp, type EventSubscription } from '../callbacks/events.ts';
import { intentEventData, intentEventType, type PaidTransaction } from './intent.events.ts';
import { canAnnul, isExpired, stateMessage } from './payment-intent.state.ts';
import './payment-intent.messages.ts';

// The one core of payment intents: the table of state changes, the checks every change
// makes under the intent's row lock, and the only code that writes `payment_intents.state`
// or moves an intent's money. Checkout, billing, annulment, the sandbox and the expiry
// worker all come through here.

type Kind = IntentRow['intent'];

interface Transition {
  /** Allowed starting states, per kind of intent (absent: that kind never takes it). */
  from: Partial<Record<Kind, IntentState[]>>;
  to: IntentState;
  /** The timestamp column the change stamps with its moment. */
  stamp?: 'authorized_at' | 'executed_at' | 'annulled_at' | 'canceled_at';
}

export const TRANSITIONS = {
  /** The customer authorizes a sale on the checkout page (or the sandbox does for them). */
  authorize: { from: { sale: ['created'] }, to: 'authorized', stamp: 'authorized_at' },
  /** The customer cancels a sale on the checkout page. */
  cancel: { from: { sale: ['created'] }, to: 'canceled', stamp: 'canceled_at' },
  /** Nobody acted in time. */
  expire: { from: { sale: ['created', 'authorized'], request: ['created'] }, to: 'canceled', stamp: 'canceled_at' },
  /** The money moves: a sale after authorization, a request when its payer pays. */
  execute: { from: { sale: ['authorized'], request: ['created'] }, to: 'executed', stamp: 'executed_at' },
  /** The payer declines a request. */
  reject: { from: { request: ['created'] }, to: 'rejected' },
  /** The merchant annuls within 24 hours of execution; every movement is reversed. */
  annul: { from: { sale: ['executed'], request: ['executed'] }, to: 'annulled', stamp: 'annulled_at' },
} as const satisfies Record<string, Transition>;

export type Action = keyof typeof TRANSITIONS;

const fromStates = (action: Action, kind: Kind): readonly IntentState[] =>
  (TRANSITIONS[action].from as Partial<Record<Kind, readonly IntentState[]>>)[kind] ?? [];

/** Why this intent cannot take this step now (a message key), or undefined when it can. */
export function refusalOf(row: IntentRow, action: Action, nowMs: number): string | undefined {
  if (fromStates(action, row.intent).length === 0) return row.intent === 'sale' ? 'intent.not_a_request' : 'intent.not_a_sale';
  if (action === 'annul' && !canAnnul(row, nowMs)) {
    if (row.state === 'executed') return 'annul.window_passed';
    if (row.state === 'created' || row.state === 'authorized') return 'annul.not_executed';
  }
  return fromStates(action, row.intent).includes(row.state) ? undefined : stateMessage(row.state);
}

// One prepared UPDATE per step, kind of intent and whether it names the payer: built once,
// not per payment.
type StateWriter = (tx: Tx, id: string, at: number, payer: string | null) => CompiledQuery;
const stateWriters = new Map<string, StateWriter>();

function stateWriter(action: Action, kind: Kind, setsPayer: boolean): StateWriter {
  const key = `${action}|${kind}|${setsPayer}`;
  let writer = stateWriters.get(key);
  if (!writer) {
    const tr: Transition = TRANSITIONS[action];
    const states = [...fromStates(action, kind)];
    writer = preparedQuery((db, id: string, at: number, payer: string | null) => db.updateTable('payment_intents')
      .set({ ...(setsPayer ? { payer_user_id: payer } : {}), state: tr.to, ...(tr.stamp ? { [tr.stamp]: at } : {}) })
      .where('id', '=', id).where('state', 'in', states));
    stateWriters.set(key, writer);
  }
  return writer;
}

/**
 * The one writer of an intent's state: only from the table's states. `row` is the intent as
 * written; `done()` says whether the UPDATE changed it (false when it had moved on), known
 * once the batch is flushed.
 */
async function write(
  tx: Tx, row: IntentRow, action: Action, nowMs: number, payerUserId?: string, batch?: WriteBatch,
): Promise<{ row: IntentRow; done: () => boolean }> {
  const tr: Transition = TRANSITIONS[action];
  const patch: Partial<IntentRow> = {
    ...(payerUserId !== undefined ? { payer_user_id: payerUserId } : {}), state: tr.to, ...(tr.stamp ? { [tr.stamp]: nowMs } : {}),
  };
  const query = stateWriter(action, row.intent, payerUserId !== undefined)(tx, row.id, nowMs, payerUserId ?? null);
  const slot = await writeNowOrLater(tx, batch, query);
  return { row: { ...row, ...patch }, done: () => slot.changed === 1 };
}

/** write() now: the row as written, or undefined when it had moved on. */
async function writeNow(tx: Tx, row: IntentRow, action: Action, nowMs: number, payerUserId?: string): Promise<IntentRow | undefined> {
  const w = await write(tx, row, action, nowMs, payerUserId);
  return w.done() ? w.row : undefined;
}

/**
 * The intent, locked for the rest of the transaction, with a lazy expiry written first: an
 * intent still waiting past expires_at is committed as canceled at that moment.
 */
export async function openIntent(tx: Tx, id: string, nowMs: number): Promise<IntentRow | undefined> {
  const row = await lockIntent(tx, id);
  return row && expireIfDue(tx, row, nowMs);
}

async function expireIfDue(tx: Tx, row: IntentRow, nowMs: number): Promise<IntentRow> {
  if (!isExpired(row, nowMs)) return row;
  const canceledAt = row.expires_at ?? nowMs;
  const expired = await writeNow(tx, row, 'expire', canceledAt);
  if (expired) await emit(tx, expired, 'expire', canceledAt);
  return expired ?? row;
}

/**
 * openIntent for a payment: the intent locked with its app's state, in the sandbox the
 * owner's test clock, and its payer and shop, in one statement; `nowMs` is the merchant's
 * time (real time plus the clock). `parties` is absent when the rows joined were not the
 * locked row's own (see lockIntentToPay): the caller then reads them (paymentParties).
 */
export async function openIntentToPay(
  tx: Tx, id: string, opts: { sandbox: boolean; realNowMs: number },
): Promise<{ row: IntentRow; nowMs: number; app: AppState; parties?: Map<string, PaymentParty> } | undefined> {
  const found = await lockIntentToPay(tx, id, opts.sandbox);
  if (!found) return undefined;
  const nowMs = opts.realNowMs + found.offsetMs;
  return { row: await expireIfDue(tx, found.row, nowMs), nowMs, app: found.app, parties: found.parties };
}

// The app's status with what its events need: a payment reads both in one statement.
const appState = prepared((db, appId: string) => db.selectFrom('apps')
  .select(['status', 'webhook_url', 'webhook_events', 'events_listen_until']).where('id', '=', appId));

type AppState = EventSubscription & { status: string | null };

/** The app when active, with its event subscription; undefined when suspended or revoked. */
async function activeApp(tx: Tx, appId: string, known?: AppState): Promise<EventSubscription | undefined> {
  const app = known ?? (await appState(tx, appId))[0];
  return app?.status === 'active' ? app : undefined;
}

/** Suspended or revoked apps take no approvals and move no money, whichever token asks. */
export async function appIsActive(tx: Tx, appId: string): Promise<boolean> {
  return (await activeApp(tx, appId)) !== undefined;
}

/**
 * The event of a step, in the step's transaction. With the app's row in hand it costs one
 * INSERT when wanted and nothing otherwise; without it, one INSERT ... SELECT from the app.
 */
async function emit(
  tx: Tx, row: IntentRow, step: Parameters<typeof intentEventType>[1], nowMs: number,
  app?: EventSubscription, payments?: readonly PaidTransaction[], batch?: WriteBatch,
): Promise<void> {
  const type = intentEventType(row, step);
  if (!type) return;
  const status = app ? eventStatus(app, type, nowMs) : 'unknown';
  if (!status) return;
  const e = { appId: row.app_id, userId: row.owner_user_id, type, objectId: row.id, data: intentEventData(row, payments), nowMs };
  if (status === 'unknown') await recordEventForApp(tx, e, batch);
  else await insertEvent(tx, e, status, false, batch);
}

export type Step = { ok: true; row: IntentRow } | { ok: false; key: string; params?: Record<string, string | number> };

/** authorize / cancel / reject: a change that moves no money. */
export async function changeState(tx: Tx, row: IntentRow, action: 'authorize' | 'cancel' | 'reject', nowMs: number, payerUserId?: string): Promise<Step> {
  const refused = refusalOf(row, action, nowMs);
  if (refused) return { ok: false, key: refused };
  const app = action === 'authorize' ? await activeApp(tx, row.app_id) : undefined;
  if (action === 'authorize' && !app) return { ok: false, key: 'intent.app_unavailable' };
  const next = await writeNow(tx, row, action, nowMs, payerUserId || undefined);
  if (!next) return { ok: false, key: stateMessage(row.state) };
  await emit(tx, next, action, nowMs, app);
  return { ok: true, row: next };
}

export interface ExecuteOptions {
  /** Sandbox: its magic values apply (a magic amount or payer is refused as insufficient funds). */
  sandbox?: boolean;
  /** When the e-mails go out: the real time, where nowMs runs on the merchant's test clock. */
  realNowMs?: number;
  /** The app as read under the intent's lock (openIntentToPay); read here when absent. */
  app?: AppState;
  /** Payer and payee (paymentParties), when the caller has read them; read here when absent. */
  parties?: Map<string, PaymentParty>;
  /** The environment keeps its e-mail (no SMTP): the payment's messages are written kept. */
  mailKept?: boolean;
}

/**
 * Executes: the app must still be active and every distribution account still authorized;
 * then one ledger entry per transaction and state `executed`. A broken money invariant
 * (insufficient funds, bound) throws InvariantError and the caller's transaction rolls back.
 */
export async function execute(
  tx: Tx, row: IntentRow, payer: { userId: string; accountId: string }, nowMs: number, opts: ExecuteOptions = {},
): Promise<{ ok: true; row: IntentRow; payments: ExecutedPayment[] } | Extract<Step, { ok: false }>> {
  const refused = refusalOf(row, 'execute', nowMs);
  if (refused) return { ok: false, key: refused };
  const app = await activeApp(tx, row.app_id, opts.app);
  if (!app) return { ok: false, key: 'intent.app_unavailable' };
  const revoked = await revokedDistribution(tx, row);
  if (revoked) return { ok: false, key: 'intent.distribution_not_authorized', params: { handle: revoked } };
  const parties = opts.parties ?? await paymentParties(tx, payer.userId, row.owner_user_id);
  if (opts.sandbox) refuseMagicShortfall(Number(row.total_minor), parties.get(payer.userId)?.username ?? '');
  // Everything from here on only writes: one batch, one statement on PostgreSQL (src/db/write-batch.ts).
  const batch = new WriteBatch(tx);
  const payments = await executeIntentPayment(tx, row, payer, nowMs, batch);
  // A sale names its payer when authorized: the UPDATE leaves an unchanged payer out of its SET,
  // so that SQLite does not rewrite that index entry (and its page) of every payment.
  const newPayer = row.payer_user_id === payer.userId ? undefined : payer.userId;
  const { row: next, done } = await write(tx, row, 'execute', nowMs, newPayer, batch);
  await emit(tx, next, 'execute', nowMs, app, payments, batch);
  const txns = parseTransactions(row.transactions_json);
  for (const p of payments) {
    await notifyPaymentOf(tx, parties.get(payer.userId), parties.get(row.owner_user_id), {
      amountMinor: txns[p.txnIndex].totalMinor, ref: p.ref, nowMs: opts.realNowMs ?? nowMs, kept: opts.mailKept,
    }, batch);
  }
  await batch.flush();
  if (!done()) throw new InvariantError('execute_at_most_once', `intent ${row.id} is no longer waiting`);
  return { ok: true, row: next, payments };
}

/** Annuls: one reversing entry per payment (distributions included), payments canceled, state `annulled`. */
export async function annul(tx: Tx, row: IntentRow, nowMs: number): Promise<Step> {
  const refused = refusalOf(row, 'annul', nowMs);
  if (refused) return { ok: false, key: refused };
  const payments = await tx.selectFrom('payments').select(['id', 'ref', 'entry_id', 'txn_index'])
    .where('intent_id', '=', row.id).where('status', '=', PAYMENT_STATUS.completed).orderBy('txn_index').execute();
  for (const p of payments) {
    await reverseEntry(tx, p.entry_id, { kind: 'annulment', description: t('es', 'annul.description', { ref: p.ref }), nowMs });
  }
  await tx.updateTable('payments').set({ status: PAYMENT_STATUS.canceled, updated_at: nowMs })
    .where('intent_id', '=', row.id).where('status', '=', PAYMENT_STATUS.completed).execute();
  const next = await writeNow(tx, row, 'annul', nowMs);
  if (!next) throw new InvariantError('reverse_at_most_once', `intent ${row.id} is no longer executed`);
  await emit(tx, next, 'annul', nowMs, undefined, payments.map((p) => ({ id: p.id, ref: p.ref, txnIndex: Number(p.txn_index) })));
  return { ok: true, row: next };
}

/**
 * Writes the expiry of every intent still waiting past its moment; returns how many. With
 * an owner, only that account's intents, at its own time (a sandbox test clock).
 */
export async function expireDue(tx: Tx, nowMs: number, ownerUserId?: string): Promise<number> {
  let n = 0;
  for (const kind of ['sale', 'request'] as const) {
    let q = tx.updateTable('payment_intents')
      .set((eb) => ({ state: TRANSITIONS.expire.to, canceled_at: eb.ref('expires_at') }))
      .where('intent', '=', kind).where('state', 'in', [...fromStates('expire', kind)])
      .where('expires_at', 'is not', null).where('expires_at', '<=', nowMs);
    if (ownerUserId !== undefined) q = q.where('owner_user_id', '=', ownerUserId);
    const expired = await q.returningAll().execute();
    n += expired.length;
    await emitExpiries(tx, expired);
  }
  return n;
}

/** intent.expired for the intents one pass expired, for the apps that want it: one read of those apps. */
async function emitExpiries(tx: Tx, rows: IntentRow[]): Promise<void> {
  if (rows.length === 0) return;
  const appIds = [...new Set(rows.map((r) => r.app_id))];
  const apps = await tx.selectFrom('apps').select(['id', 'webhook_url', 'webhook_events', 'events_listen_until'])
    .where('id', 'in', appIds).where((eb) => eb.or([eb('webhook_events', '<>', ''), eb('events_listen_until', '>', 0)])).execute();
  const byId = new Map(apps.map((a) => [a.id, a]));
  for (const row of rows) {
    const app = byId.get(row.app_id);
    if (app) await emit(tx, row, 'expire', Number(row.canceled_at ?? row.expires_at), app);
  }
}
