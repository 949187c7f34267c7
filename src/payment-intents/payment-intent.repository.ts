import { prepared } from '../db/prepared.ts';
import { sql } from 'kysely';
import type { PaymentIntentsTable } from '../db/schema.ts';
import { forUpdate, type Tx, type ReadDb } from '../db/store.ts';

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

const walletWithId = prepared((db, id: string) =>
  db.selectFrom('digital_accounts').select(['id', 'handle', 'user_id', 'name']).where('id', '=', id));

export async function walletById(db: Db, id: string) {
  return (await walletWithId(db, id))[0];
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

const firstWalletOf = prepared((db, userId: string) => db.selectFrom('digital_accounts')
  .select(['id', 'handle', 'balance_minor']).where('user_id', '=', userId)
  .where('kind', '=', 'wallet').orderBy('created_at').orderBy('id').limit(1));

/** The first wallet of a user: where a payer's money comes from. */
export async function firstWallet(db: Db, userId: string) {
  return (await firstWalletOf(db, userId))[0];
}
