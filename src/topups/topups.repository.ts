import { sql } from 'kysely';
import type { TopupsTable } from '../db/schema.ts';
import type { ReadDb } from '../db/store.ts';

export type TopupStatus = TopupsTable['status'];
export const TOPUP_STATUSES: TopupStatus[] = ['pending', 'confirmed', 'refused'];

export async function topupsOf(db: ReadDb, userId: string, limit = 20) {
  return db.selectFrom('topups as t').leftJoin('ledger_entries as e', 'e.id', 't.entry_id')
    .select(['t.id', 't.method', 't.bank_code', 't.reference', 't.amount_minor', 't.paid_on', 't.status', 't.reason', 't.created_at', 'e.ref'])
    .where('t.user_id', '=', userId).orderBy('t.created_at', 'desc').orderBy('t.id').limit(limit).execute();
}

/** The operators' queue: pending oldest first (a queue), decided newest first. */
export async function topupQueue(db: ReadDb, status: TopupStatus, limit = 200) {
  return db.selectFrom('topups as t').innerJoin('users as u', 'u.id', 't.user_id').innerJoin('digital_accounts as a', 'a.id', 't.account_id')
    .leftJoin('topup_receipts as r', 'r.topup_id', 't.id').leftJoin('users as o', 'o.id', 't.decided_by')
    .select(['t.id', 't.method', 't.bank_code', 't.reference', 't.amount_minor', 't.paid_on', 't.status', 't.reason', 't.created_at',
      't.decided_at', 'u.username', 'u.full_name', 'u.business_name', 'u.document', 'a.handle', 'o.username as decided_by',
      sql<number>`case when r.topup_id is null then 0 else 1 end`.as('has_receipt')])
    .where('t.status', '=', status).orderBy('t.created_at', status === 'pending' ? 'asc' : 'desc').orderBy('t.id').limit(limit).execute();
}

/** Count and sum per status, exact (summed as text). */
export async function topupTotals(db: ReadDb) {
  const rows = await db.selectFrom('topups').select(['status', sql<number>`count(*)`.as('n'), sql<string>`cast(sum(amount_minor) as text)`.as('s')])
    .groupBy('status').execute();
  return Object.fromEntries(TOPUP_STATUSES.map((st) => {
    const r = rows.find((x) => x.status === st);
    return [st, { n: Number(r?.n ?? 0), minor: Number(r?.s ?? 0) }];
  })) as Record<TopupStatus, { n: number; minor: number }>;
}

export async function receiptOf(db: ReadDb, topupId: string) {
  return db.selectFrom('topup_receipts').select(['content_type', 'data']).where('topup_id', '=', topupId).executeTakeFirst();
}
