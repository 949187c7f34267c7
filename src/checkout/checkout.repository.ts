import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { forUpdate, type Tx } from '../db/store.ts';

/** The intent with what the page shows of its app and merchant. */
export async function findIntentForPage(db: Kysely<DB>, id: string) {
  return db.selectFrom('payment_intents as pi')
    .innerJoin('apps as a', 'a.id', 'pi.app_id')
    .innerJoin('users as u', 'u.id', 'pi.owner_user_id')
    .select([
      'pi.id', 'pi.intent', 'pi.state', 'pi.owner_user_id', 'pi.return_url', 'pi.cancel_url', 'pi.total_minor',
      'pi.items_minor', 'pi.shipping_minor', 'pi.tax_minor', 'pi.transactions_json', 'pi.expires_at',
      'a.id as app_id', 'a.name as app_name', 'a.home_url', 'a.status as app_status', 'u.business_name', 'u.full_name',
    ])
    .select((eb) => eb.case().when('a.logo_png', 'is not', null).then(1).else(0).end().as('has_logo'))
    .where('pi.id', '=', id)
    .executeTakeFirst();
}

export type PageIntent = NonNullable<Awaited<ReturnType<typeof findIntentForPage>>>;

/** Locks the intent row for a state change (FOR UPDATE on PostgreSQL). */
export async function lockIntent(tx: Tx, id: string) {
  return forUpdate(tx, tx.selectFrom('payment_intents as pi')
    .innerJoin('apps as a', 'a.id', 'pi.app_id')
    .select([
      'pi.id', 'pi.intent', 'pi.state', 'pi.owner_user_id', 'pi.return_url', 'pi.cancel_url', 'pi.total_minor',
      'pi.expires_at', 'a.status as app_status',
    ])
    .where('pi.id', '=', id)).executeTakeFirst();
}

export type LockedIntent = NonNullable<Awaited<ReturnType<typeof lockIntent>>>;

/** True when the row moved from created to approved. */
export async function markApproved(tx: Tx, id: string, payerUserId: string, nowMs: number): Promise<boolean> {
  const r = await tx.updateTable('payment_intents')
    .set({ state: 'approved', payer_user_id: payerUserId, approved_at: nowMs })
    .where('id', '=', id).where('state', '=', 'created').executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function markCanceled(tx: Tx, id: string, nowMs: number): Promise<boolean> {
  const r = await tx.updateTable('payment_intents')
    .set({ state: 'canceled', canceled_at: nowMs })
    .where('id', '=', id).where('state', '=', 'created').executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** The wallet a payer pays from: their first digital account. */
export async function firstWallet(db: Kysely<DB> | Tx, userId: string) {
  return db.selectFrom('digital_accounts')
    .select(['id', 'handle', 'balance_minor'])
    .where('user_id', '=', userId).where('kind', '=', 'wallet')
    .orderBy('created_at').orderBy('id')
    .limit(1)
    .executeTakeFirst();
}

export async function findPayer(db: Kysely<DB>, userId: string) {
  return db.selectFrom('users').select(['id', 'full_name', 'business_name', 'username'])
    .where('id', '=', userId).executeTakeFirst();
}

export async function appLogo(db: Kysely<DB>, appId: string) {
  return db.selectFrom('apps').select(['logo_png']).where('id', '=', appId).executeTakeFirst();
}
