import type { ReadDb } from '../db/store.ts';
import type { StatementRow } from './statement.ts';

/**
 * What a statement row means for the queue now:
 * - matched: one pending top-up has its reference and amount, and the statement names that reference once;
 * - twice: the reference is in the statement more than once, or several pending top-ups fit it;
 * - credited: the reference was already credited (it never is again);
 * - amount: a pending top-up has the reference but another amount;
 * - unmatched: no pending top-up has the reference.
 */
export type Outcome = 'matched' | 'twice' | 'credited' | 'amount' | 'unmatched';

export interface Match { row: StatementRow; outcome: Outcome; topupIds: string[] }

export async function matchStatement(db: ReadDb, rows: StatementRow[]): Promise<Match[]> {
  const refs = [...new Set(rows.map((r) => r.reference))];
  const found = refs.length
    ? await db.selectFrom('topups').select(['id', 'reference', 'amount_minor', 'status'])
      .where('status', 'in', ['pending', 'confirmed']).where('reference', 'in', refs).execute()
    : [];
  const inStatement = new Map<string, number>();
  for (const r of rows) inStatement.set(r.reference, (inStatement.get(r.reference) ?? 0) + 1);
  return rows.map((row) => {
    const same = found.filter((t) => t.reference === row.reference);
    const fits = same.filter((t) => t.status === 'pending' && Number(t.amount_minor) === row.amountMinor);
    const ids = fits.map((t) => t.id);
    if (same.some((t) => t.status === 'confirmed')) return { row, outcome: 'credited', topupIds: same.filter((t) => t.status === 'confirmed').map((t) => t.id) };
    if (inStatement.get(row.reference)! > 1 || fits.length > 1) return { row, outcome: 'twice', topupIds: ids };
    if (fits.length === 1) return { row, outcome: 'matched', topupIds: ids };
    if (same.length) return { row, outcome: 'amount', topupIds: same.map((t) => t.id) };
    return { row, outcome: 'unmatched', topupIds: [] };
  });
}
