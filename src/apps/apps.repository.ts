import type { ReadDb } from '../db/store.ts';

type Db = ReadDb;

const APP_COLUMNS = [
  'a.id', 'a.client_id', 'a.name', 'a.description', 'a.home_url', 'a.redirect_uris', 'a.receiving_account_id',
  'a.ready', 'a.button_enabled', 'a.billing_enabled', 'a.status', 'a.status_reason', 'a.callback_secret',
  'a.created_at', 'a.updated_at',
] as const;

/** The business's apps, newest first, without their logos. */
export async function listOwnedApps(db: Db, ownerId: string) {
  return db.selectFrom('apps as a')
    .innerJoin('digital_accounts as d', 'd.id', 'a.receiving_account_id')
    .select([...APP_COLUMNS, 'd.handle as receiving_handle'])
    .select((eb) => eb('a.logo_png', 'is not', null).as('has_logo'))
    .where('a.owner_user_id', '=', ownerId)
    .orderBy('a.created_at', 'desc')
    .orderBy('a.id')
    .execute();
}

/** One app of this owner; another owner's app is as unknown as a missing one. */
export async function findOwnedApp(db: Db, ownerId: string, appId: string) {
  if (appId.length > 64) return undefined;
  return db.selectFrom('apps as a')
    .innerJoin('digital_accounts as d', 'd.id', 'a.receiving_account_id')
    .select([...APP_COLUMNS, 'd.handle as receiving_handle'])
    .select((eb) => eb('a.logo_png', 'is not', null).as('has_logo'))
    .where('a.owner_user_id', '=', ownerId)
    .where('a.id', '=', appId)
    .executeTakeFirst();
}
export type OwnedApp = NonNullable<Awaited<ReturnType<typeof findOwnedApp>>>;

export async function distributionsOf(db: Db, appId: string) {
  return db.selectFrom('app_distribution_accounts as x')
    .innerJoin('digital_accounts as d', 'd.id', 'x.account_id')
    .select(['x.account_id', 'x.status', 'x.requested_at', 'x.decided_at', 'd.handle', 'd.name'])
    .where('x.app_id', '=', appId)
    .orderBy('x.requested_at')
    .orderBy('d.handle')
    .execute();
}

/** A person's wallet by its handle; system accounts are never addressable this way. */
export async function findWalletByHandle(db: Db, handle: string) {
  return db.selectFrom('digital_accounts').select(['id', 'handle', 'user_id'])
    .where('handle', '=', handle).where('kind', '=', 'wallet')
    .executeTakeFirst();
}
