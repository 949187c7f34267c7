import type { ReadDb } from '../db/store.ts';

// Reads of the approval page. Locks and state changes of intents go through
// the intent machine (src/payment-intents/intent.machine.ts), shared with the API.

/** The intent with what the page shows of its app and merchant. */
export async function findIntentForPage(db: ReadDb, id: string) {
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

export async function findPayer(db: ReadDb, userId: string) {
  return db.selectFrom('users').select(['id', 'full_name', 'business_name', 'username'])
    .where('id', '=', userId).executeTakeFirst();
}

export async function appLogo(db: ReadDb, appId: string) {
  return db.selectFrom('apps').select(['logo_png']).where('id', '=', appId).executeTakeFirst();
}
