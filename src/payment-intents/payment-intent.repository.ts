import { prepared } from '../db/prepared.ts';
import { sql, type ExpressionBuilder } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { PaymentIntentsTable } from '../db/schema.ts';
import { forUpdate, isPostgres, type Tx, type ReadDb } from '../db/store.ts';

export type IntentRow = PaymentIntentsTable;
type Db = ReadDb;

const ID_MAX = 64;

const INTENT_COLUMNS: (keyof IntentRow)[] = [
  'id', 'app_id', 'owner_user_id', 'intent', 'state', 'payer_user_id', 'recipient_user_id', 'return_url', 'cancel_url',
  'currency', 'total_minor', 'items_minor', 'shipping_minor', 'tax_minor', 'transactions_json', 'created_at',
  'authorized_at', 'executed_at', 'annulled_at', 'canceled_at', 'expires_at',
];
const insertIntentRow = prepared((db, values: unknown[]) =>
  db.insertInto('payment_intents').values(Object.fromEntries(INTENT_COLUMNS.map((c, i) => [c, values[i]])) as unknown as IntentRow));

export async function insertIntent(db: Db, row: IntentRow): Promise<void> {
  await insertIntentRow(db, INTENT_COLUMNS.map((c) => row[c]));
}

const intentById = prepared((db, id: string) => db.selectFrom('payment_intents').selectAll().where('id', '=', id));
// Built with forUpdate on the transaction it first runs in: FOR UPDATE on PostgreSQL only.
const intentByIdLocked = prepared((tx, id: string) =>
  forUpdate(tx as Tx, tx.selectFrom('payment_intents').selectAll().where('id', '=', id)));

export async function findIntent(db: Db, id: string): Promise<IntentRow | undefined> {
  if (!id || id.length > ID_MAX) return undefined;
  return (await intentById(db, id))[0];
}

// An intent with its owner's test clock, in one read (show.json): the sandbox joins the clock;
// production has none to read.
const intentWithClock = prepared((db, id: string) => db.selectFrom('payment_intents as i')
  .leftJoin('sandbox_clocks as c', 'c.owner_user_id', 'i.owner_user_id')
  .select(INTENT_COLUMNS.map((c) => `i.${c}` as const)).select('c.offset_ms as clock_offset_ms')
  .where('i.id', '=', id));

/** An intent and how far its owner's test clock runs ahead (0 without one, and always in production). */
export async function findIntentWithClock(db: Db, id: string, sandbox: boolean): Promise<{ row: IntentRow; offsetMs: number } | undefined> {
  if (!id || id.length > ID_MAX) return undefined;
  if (!sandbox) {
    const [row] = await intentById(db, id);
    return row && { row, offsetMs: 0 };
  }
  const [found] = await intentWithClock(db, id);
  if (!found) return undefined;
  const { clock_offset_ms: offset, ...row } = found;
  return { row: row as IntentRow, offsetMs: Number(offset ?? 0) };
}

// A payment's first statement: the intent locked (only its row: FOR UPDATE OF i) with its
// app's state and event subscription, in the sandbox the owner's test clock, and the payer
// and the shop (PARTY_COLUMNS, with each one's first wallet). Its columns are named (not i.*),
// so that PostgreSQL may keep it as a named prepared statement.
const PARTY_COLUMNS = ['id', 'username', 'full_name', 'business_name', 'phone', 'email'] as const;
const intentToPay = (withClock: boolean) => prepared((tx, id: string) => {
  const q = tx.selectFrom('payment_intents as i').leftJoin('apps as a', 'a.id', 'i.app_id')
    .leftJoin('users as pu', 'pu.id', 'i.payer_user_id').leftJoin('user_preferences as pp', 'pp.user_id', 'pu.id')
    .leftJoin('users as ou', 'ou.id', 'i.owner_user_id').leftJoin('user_preferences as op', 'op.user_id', 'ou.id')
    .select(INTENT_COLUMNS.map((c) => `i.${c}` as const))
    .select(['a.status as app_status', 'a.webhook_url as app_webhook_url', 'a.webhook_events as app_webhook_events',
      'a.events_listen_until as app_events_listen_until'])
    .select(PARTY_COLUMNS.map((c) => `pu.${c} as payer_${c}` as const)).select('pp.locale as payer_locale')
    .select((eb) => firstWalletIdOf(eb as never, 'pu.id').as('payer_wallet_id'))
    .select(PARTY_COLUMNS.map((c) => `ou.${c} as payee_${c}` as const)).select('op.locale as payee_locale')
    .select((eb) => firstWalletIdOf(eb as never, 'ou.id').as('payee_wallet_id'))
    .where('i.id', '=', id);
  const clocked = withClock
    ? q.leftJoin('sandbox_clocks as c', 'c.owner_user_id', 'i.owner_user_id').select('c.offset_ms as clock_offset_ms')
    : q.select(sql<number | null>`null`.as('clock_offset_ms'));
  return isPostgres(tx as Tx) ? clocked.forUpdate(['i']) : clocked;
});
const intentToPayAt = { sandbox: intentToPay(true), production: intentToPay(false) };

export interface IntentToPay {
  row: IntentRow;
  /** The app's status and subscription as they were under the intent's lock; status null when it has no app. */
  app: { status: string | null; webhook_url: string | null; webhook_events: string | null; events_listen_until: number | null };
  /** How far the owner's test clock runs ahead (0 without one, and always in production). */
  offsetMs: number;
  /**
   * Payer and shop, keyed by user id, when the rows joined are the locked row's own. On
   * PostgreSQL a row updated by another transaction while this one waited for its lock is
   * re-read, but the rows joined to it are not: when its payer changed meanwhile, the join
   * no longer matches (no payer comes back) or would name the old one. Then this is absent
   * and the caller reads the parties again (paymentParties).
   */
  parties?: Map<string, PaymentParty>;
}

type Prefixed = Record<string, unknown>;

function partyOf(found: Prefixed, prefix: 'payer' | 'payee'): PaymentParty | undefined {
  const party = Object.fromEntries([...PARTY_COLUMNS, 'locale', 'wallet_id'].map((c) => [c, found[`${prefix}_${c}`] ?? null]));
  return party.id === null ? undefined : party as unknown as PaymentParty;
}

/** The intent locked for a payment, with its app, test clock, payer and shop, in one statement. */
export async function lockIntentToPay(tx: Tx, id: string, sandbox: boolean): Promise<IntentToPay | undefined> {
  if (!id || id.length > ID_MAX) return undefined;
  const [found] = await intentToPayAt[sandbox ? 'sandbox' : 'production'](tx, id);
  if (!found) return undefined;
  const row = Object.fromEntries(INTENT_COLUMNS.map((c) => [c, found[c]])) as unknown as IntentRow;
  const payer = partyOf(found, 'payer');
  const payee = partyOf(found, 'payee');
  const own = payer && payee && payer.id === row.payer_user_id && payee.id === row.owner_user_id;
  return {
    row,
    app: {
      status: found.app_status, webhook_url: found.app_webhook_url ?? null, webhook_events: found.app_webhook_events ?? null,
      events_listen_until: found.app_events_listen_until ?? null,
    },
    offsetMs: Number(found.clock_offset_ms ?? 0),
    parties: own ? new Map([[payer.id, payer], [payee.id, payee]]) : undefined,
  };
}

/** The intent row, locked for the rest of the transaction (FOR UPDATE on PostgreSQL). */
export async function lockIntent(tx: Tx, id: string): Promise<IntentRow | undefined> {
  if (!id || id.length > ID_MAX) return undefined;
  return (await intentByIdLocked(tx, id))[0];
}

export async function listIntents(db: Db, ownerUserId: string, offset: number, limit: number): Promise<IntentRow[]> {
  return db.selectFrom('payment_intents').selectAll().where('owner_user_id', '=', ownerUserId)
    .orderBy('created_at', 'desc').orderBy('id', 'desc').offset(offset).limit(limit).execute();
}

export async function countIntents(db: Db, ownerUserId: string): Promise<number> {
  const r = await db.selectFrom('payment_intents').select(sql<number>`count(*)`.as('n'))
    .where('owner_user_id', '=', ownerUserId).executeTakeFirstOrThrow();
  return Number(r.n);
}

/** A wallet of this user by its handle (the merchant's own accounts only). */
export async function ownWalletByHandle(db: Db, userId: string, handle: string) {
  return db.selectFrom('digital_accounts').select(['id', 'handle'])
    .where('handle', '=', handle).where('user_id', '=', userId).where('kind', '=', 'wallet').executeTakeFirst();
}

/** Wallets by handle with whether each is authorized for distributions on the app. */
export async function distributionAccounts(db: Db, appId: string, handles: string[]) {
  if (handles.length === 0) return [];
  return db.selectFrom('digital_accounts as a')
    .leftJoin('app_distribution_accounts as d', (j) => j.onRef('d.account_id', '=', 'a.id').on('d.app_id', '=', appId))
    .select(['a.id', 'a.handle', 'd.status'])
    .where('a.handle', 'in', handles).where('a.kind', '=', 'wallet')
    .execute();
}

/** Who a payment is between, as its answer and its e-mails need them. */
export interface PaymentParty {
  id: string;
  username: string;
  full_name: string;
  business_name: string | null;
  phone: string | null;
  email: string | null;
  locale: string | null;
  /** The person's first wallet: where a payer's money comes from. */
  wallet_id: string | null;
}

/** A person's first wallet, as a subquery: where a payer's money comes from (firstWallet's order). */
function firstWalletIdOf(eb: ExpressionBuilder<DB, never>, userIdColumn: string) {
  return eb.selectFrom('digital_accounts as w').select('w.id').whereRef('w.user_id', '=', sql.ref(userIdColumn))
    .where('w.kind', '=', 'wallet').orderBy('w.created_at').orderBy('w.id').limit(1);
}

const partiesOf = prepared((db, a: string, b: string) => db.selectFrom('users as u')
  .leftJoin('user_preferences as p', 'p.user_id', 'u.id')
  .select(PARTY_COLUMNS.map((c) => `u.${c}` as const)).select('p.locale')
  .select((eb) => firstWalletIdOf(eb as never, 'u.id').as('wallet_id'))
  .where('u.id', 'in', [a, b]));

/** The payer and the payee of a payment, with the payer's wallet, in one statement. */
export async function paymentParties(db: Db, payerUserId: string, payeeUserId: string): Promise<Map<string, PaymentParty>> {
  const rows = await partiesOf(db, payerUserId, payeeUserId);
  return new Map(rows.map((r) => [r.id, r as PaymentParty]));
}
