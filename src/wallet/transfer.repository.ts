import type { ReadDb } from '../db/store.ts';

/** A transfer this person sent, by its reference, with who received it. */
export async function sentTransferByRef(db: ReadDb, userId: string, ref: string) {
  if (!/^P\d{13}$/.test(ref)) return undefined;
  const sent = await db.selectFrom('ledger_entries as e')
    .innerJoin('postings as p', 'p.entry_id', 'e.id')
    .innerJoin('digital_accounts as a', 'a.id', 'p.account_id')
    .select(['e.id', 'e.ref', 'e.description', 'e.created_at', 'p.amount_minor', 'a.handle'])
    .where('e.ref', '=', ref).where('e.kind', '=', 'transfer')
    .where('a.user_id', '=', userId).where('p.amount_minor', '<', 0)
    .executeTakeFirst();
  if (!sent) return undefined;
  const to = await db.selectFrom('postings as p')
    .innerJoin('digital_accounts as a', 'a.id', 'p.account_id')
    .innerJoin('users as u', 'u.id', 'a.user_id')
    .select(['a.handle', 'u.full_name', 'u.business_name'])
    .where('p.entry_id', '=', sent.id).where('p.amount_minor', '>', 0)
    .executeTakeFirst();
  return {
    ref: sent.ref, at: sent.created_at, amountMinor: -Number(sent.amount_minor), fromHandle: sent.handle,
    toHandle: to?.handle ?? '', toName: to ? (to.business_name ?? to.full_name) : '', description: sent.description,
  };
}
