import type { ReadDb } from '../db/store.ts';

/** The postings of one person's wallets, newest first, each with its entry's reference. */
export async function movementsOf(db: ReadDb, userId: string, limit = 50, offset = 0) {
  return db.selectFrom('postings as p')
    .innerJoin('digital_accounts as a', 'a.id', 'p.account_id')
    .innerJoin('ledger_entries as e', 'e.id', 'p.entry_id')
    .select(['p.id', 'p.amount_minor', 'p.created_at', 'e.ref', 'e.description', 'e.kind', 'a.handle'])
    .where('a.user_id', '=', userId)
    .orderBy('p.id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
}
