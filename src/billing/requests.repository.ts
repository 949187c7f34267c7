import type { ReadDb } from '../db/store.ts';

type Db = ReadDb;
const ID_RE = /^[0-9a-zA-Z-]{1,64}$/;

export async function appStatus(db: Db, appId: string): Promise<string | undefined> {
  const r = await db.selectFrom('apps').select('status').where('id', '=', appId).executeTakeFirst();
  return r?.status;
}

/** One of the user's own wallets by id: what a pay token names. */
export async function payerWallet(db: Db, userId: string, accountId: string) {
  if (!ID_RE.test(accountId)) return undefined;
  return db.selectFrom('digital_accounts').select(['id', 'handle', 'balance_minor'])
    .where('id', '=', accountId).where('user_id', '=', userId).where('kind', '=', 'wallet').executeTakeFirst();
}

function withMerchant(db: Db) {
  return db.selectFrom('payment_intents as pi')
    .innerJoin('apps as a', 'a.id', 'pi.app_id')
    .innerJoin('users as u', 'u.id', 'pi.owner_user_id')
    .selectAll('pi')
    .select(['a.name as app_name', 'a.home_url', 'a.status as app_status', 'u.business_name', 'u.full_name'])
    .select((eb) => eb.case().when('a.logo_png', 'is not', null).then(1).else(0).end().as('has_logo'));
}

export type RequestWithMerchant = NonNullable<Awaited<ReturnType<typeof requestForPayer>>>;

/** The request addressed to this person, or undefined (also for other people's requests). */
export async function requestForPayer(db: Db, userId: string, id: string) {
  if (!ID_RE.test(id)) return undefined;
  return withMerchant(db).where('pi.id', '=', id).where('pi.intent', '=', 'request')
    .where('pi.recipient_user_id', '=', userId).executeTakeFirst();
}

/** Requests waiting for this person: created, not expired, from an app that may still be paid. */
export async function pendingRequestsFor(db: Db, userId: string, nowMs: number, limit = 20): Promise<RequestWithMerchant[]> {
  return withMerchant(db)
    .where('pi.recipient_user_id', '=', userId).where('pi.intent', '=', 'request').where('pi.state', '=', 'created')
    .where((eb) => eb.or([eb('pi.expires_at', 'is', null), eb('pi.expires_at', '>', nowMs)]))
    .where('a.status', '=', 'active')
    .orderBy('pi.created_at', 'desc').orderBy('pi.id').limit(limit).execute();
}

export async function paymentRefsOf(db: Db, intentId: string): Promise<string[]> {
  const rows = await db.selectFrom('payments').select('ref').where('intent_id', '=', intentId).orderBy('txn_index').execute();
  return rows.map((r) => r.ref);
}
