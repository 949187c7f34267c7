import { sql } from 'kysely';
import type { ReadDb } from '../db/store.ts';

type Db = ReadDb;

function base(db: Db) {
  return db.selectFrom('payments as p')
    .innerJoin('users as u', 'u.id', 'p.payer_user_id')
    .innerJoin('digital_accounts as src', 'src.id', 'p.source_account_id')
    .innerJoin('digital_accounts as dst', 'dst.id', 'p.recipient_account_id')
    .leftJoin('users as r', 'r.id', 'p.recipient_user_id')
    .select([
      'p.id', 'p.ref', 'p.created_at', 'p.amount_minor', 'p.currency', 'p.status', 'p.type', 'p.payer_user_id',
      'p.recipient_user_id', 'p.intent_id', 'p.txn_index',
      'u.phone as payer_phone', 'u.full_name as payer_name', 'u.username as payer_username', 'dst.handle as recipient_handle',
      'r.username as recipient_username', 'r.full_name as recipient_name', 'r.business_name as recipient_business',
      'src.id as source_id', 'src.created_at as source_created_at', 'src.name as source_name',
    ]);
}

export type PaymentRow = Awaited<ReturnType<ReturnType<typeof base>['executeTakeFirstOrThrow']>>;

/** A payment the user sent or received; others' payments are not found. */
export async function findPaymentOf(db: Db, userId: string, id: string): Promise<PaymentRow | undefined> {
  if (!id || id.length > 64) return undefined;
  return base(db).where('p.id', '=', id)
    .where((eb) => eb.or([eb('p.payer_user_id', '=', userId), eb('p.recipient_user_id', '=', userId)]))
    .executeTakeFirst();
}

/** The payments of these intents, for their `related_resources`. */
export async function paymentsOfIntents(db: Db, intentIds: string[]): Promise<PaymentRow[]> {
  return base(db).where('p.intent_id', 'in', intentIds).execute();
}

export async function listPaymentsOf(db: Db, userId: string, offset: number, limit: number): Promise<PaymentRow[]> {
  return base(db)
    .where((eb) => eb.or([eb('p.payer_user_id', '=', userId), eb('p.recipient_user_id', '=', userId)]))
    .orderBy('p.created_at', 'desc').orderBy('p.ref', 'desc').offset(offset).limit(limit).execute();
}

export async function countPaymentsOf(db: Db, userId: string): Promise<number> {
  const r = await db.selectFrom('payments').select(sql<number>`count(*)`.as('n'))
    .where((eb) => eb.or([eb('payer_user_id', '=', userId), eb('recipient_user_id', '=', userId)]))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
