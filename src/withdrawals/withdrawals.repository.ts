import { sql } from 'kysely';
import type { WithdrawalsTable } from '../db/schema.ts';
import type { ReadDb } from '../db/store.ts';

export type WithdrawalStatus = WithdrawalsTable['status'];
export const WITHDRAWAL_STATUSES: WithdrawalStatus[] = ['pending', 'exported', 'paid', 'failed'];

export async function withdrawalsOf(db: ReadDb, userId: string, limit = 20) {
  return db.selectFrom('withdrawals').select(['id', 'bank_account', 'bank_code', 'amount_minor', 'fee_minor', 'status', 'reason', 'created_at'])
    .where('user_id', '=', userId).orderBy('created_at', 'desc').orderBy('id').limit(limit).execute();
}

/** The operators' queue: open ones oldest first, decided ones newest first. */
export async function withdrawalQueue(db: ReadDb, status: WithdrawalStatus, limit = 200) {
  return db.selectFrom('withdrawals as w').innerJoin('users as u', 'u.id', 'w.user_id').innerJoin('digital_accounts as a', 'a.id', 'w.account_id')
    .leftJoin('users as o', 'o.id', 'w.decided_by')
    .select(['w.id', 'w.bank_account', 'w.bank_code', 'w.holder_document', 'w.holder_name', 'w.amount_minor', 'w.fee_minor', 'w.status',
      'w.reason', 'w.export_id', 'w.created_at', 'w.exported_at', 'w.decided_at', 'u.username', 'a.handle', 'o.username as decided_by'])
    .where('w.status', '=', status)
    .orderBy('w.created_at', status === 'pending' || status === 'exported' ? 'asc' : 'desc').orderBy('w.id').limit(limit).execute();
}

export async function withdrawalTotals(db: ReadDb) {
  const rows = await db.selectFrom('withdrawals').select(['status', sql<number>`count(*)`.as('n'), sql<string>`cast(sum(amount_minor) as text)`.as('s')])
    .groupBy('status').execute();
  return Object.fromEntries(WITHDRAWAL_STATUSES.map((st) => {
    const r = rows.find((x) => x.status === st);
    return [st, { n: Number(r?.n ?? 0), minor: Number(r?.s ?? 0) }];
  })) as Record<WithdrawalStatus, { n: number; minor: number }>;
}

export async function recentExports(db: ReadDb, limit = 20) {
  return db.selectFrom('withdrawal_exports as x').leftJoin('users as o', 'o.id', 'x.operator_id')
    .select(['x.id', 'x.item_count', 'x.total_minor', 'x.created_at', 'o.username as operator'])
    .orderBy('x.created_at', 'desc').orderBy('x.id').limit(limit).execute();
}

export async function exportRows(db: ReadDb, exportId: string) {
  return db.selectFrom('withdrawals').select(['id', 'bank_code', 'bank_account', 'holder_document', 'holder_name', 'amount_minor'])
    .where('export_id', '=', exportId).orderBy('created_at').orderBy('id').execute();
}
