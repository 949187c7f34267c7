import type { ReadDb } from '../db/store.ts';

type Db = ReadDb;

// The pieces of one intent's detail page. Every look-up is by the intent's own id, after
// the caller has checked that the intent belongs to the account.

/** An intent of this account by its id, a payment's id or a payment's reference. */
export async function ownIntentId(db: Db, ownerId: string, key: string): Promise<string | undefined> {
  if (!key || key.length > 64) return undefined;
  const direct = await db.selectFrom('payment_intents').select('id').where('id', '=', key).where('owner_user_id', '=', ownerId).executeTakeFirst();
  if (direct) return direct.id;
  const viaPayment = await db.selectFrom('payments as p').innerJoin('payment_intents as i', 'i.id', 'p.intent_id')
    .select('i.id').where((eb) => eb.or([eb('p.id', '=', key), eb('p.ref', '=', key.toUpperCase())]))
    .where('i.owner_user_id', '=', ownerId).executeTakeFirst();
  return viaPayment?.id;
}

export async function peopleByIds(db: Db, ids: string[]) {
  if (!ids.length) return [];
  return db.selectFrom('users').select(['id', 'username', 'full_name', 'business_name', 'document', 'phone', 'email'])
    .where('id', 'in', ids).execute();
}

export async function appName(db: Db, appId: string) {
  return db.selectFrom('apps').select(['id', 'name']).where('id', '=', appId).executeTakeFirst();
}

export async function paymentsOf(db: Db, intentId: string) {
  return db.selectFrom('payments').select(['id', 'ref', 'txn_index', 'entry_id', 'status', 'amount_minor', 'created_at', 'updated_at'])
    .where('intent_id', '=', intentId).orderBy('txn_index').execute();
}

/** The entries of these payments and the entries that reversed them, with their postings. */
export async function entriesWithReversals(db: Db, entryIds: string[]) {
  if (!entryIds.length) return { entries: [], postings: [] };
  // Two look-ups, one per index: joined by OR, SQLite reads the whole ledger instead.
  const columns = ['id', 'ref', 'kind', 'description', 'reverses_entry_id', 'created_at'] as const;
  const [own, reversals] = await Promise.all([
    db.selectFrom('ledger_entries').select(columns).where('id', 'in', entryIds).execute(),
    db.selectFrom('ledger_entries').select(columns).where('reverses_entry_id', 'in', entryIds).execute(),
  ]);
  const entries = [...own, ...reversals].sort((a, b) => Number(a.created_at) - Number(b.created_at) || a.ref.localeCompare(b.ref));
  const postings = await db.selectFrom('postings as p').innerJoin('digital_accounts as a', 'a.id', 'p.account_id')
    .select(['p.id', 'p.entry_id', 'p.amount_minor', 'a.handle', 'a.kind'])
    .where('p.entry_id', 'in', entries.map((e) => e.id)).orderBy('p.id').execute();
  return { entries, postings };
}

export async function callbackAttempts(db: Db, intentId: string) {
  return db.selectFrom('callback_attempts').select(['id', 'uri', 'method', 'status_code', 'body', 'error', 'at'])
    .where('intent_id', '=', intentId).orderBy('id').execute();
}

export async function pendingCallbacks(db: Db, intentId: string) {
  return db.selectFrom('callbacks').select(['id', 'url', 'status', 'attempts', 'next_attempt_at'])
    .where('intent_id', '=', intentId).where('status', '=', 'pending').execute();
}
