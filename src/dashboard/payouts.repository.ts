import { sql, type Expression, type SqlBool } from 'kysely';
import type { Cursor } from './dashboard.filter.ts';
import { afterCursor } from './dashboard.repository.ts';
import type { ReadDb } from '../db/store.ts';

type Db = ReadDb;

/** What the payout rows of the list are filtered by (they have no payer). */
export interface PayoutQuery {
  ownerId: string;
  fromMs?: number;
  toMs?: number;
  /** Stored status: PENDING_LOAD, PROCESSING, SETTLED. */
  status?: string;
  minMinor?: number;
  maxMinor?: number;
  appId?: string;
  /** A batch reference, an item reference (ours) or the merchant's own reference of an item. */
  ref?: string;
  q?: { text: string; amountMinor?: number };
}

function wherePayouts(db: Db, f: PayoutQuery) {
  return db.selectFrom('payout_batches as b').where((eb) => {
    const refIs = (r: string) => eb.or([
      eb('b.id', '=', r), eb('b.ref', '=', r),
      eb.exists(eb.selectFrom('payout_items as x').select('x.id').whereRef('x.batch_id', '=', 'b.id')
        .where((e) => e.or([e('x.ref', '=', r), e('x.reference', '=', r)]))),
    ]);
    const all: Expression<SqlBool>[] = [eb('b.owner_user_id', '=', f.ownerId)];
    if (f.fromMs !== undefined) all.push(eb('b.created_at', '>=', f.fromMs));
    if (f.toMs !== undefined) all.push(eb('b.created_at', '<', f.toMs));
    if (f.status) all.push(eb('b.status', '=', f.status));
    if (f.minMinor !== undefined) all.push(eb('b.total_minor', '>=', f.minMinor));
    if (f.maxMinor !== undefined) all.push(eb('b.total_minor', '<=', f.maxMinor));
    if (f.appId) all.push(eb('b.app_id', '=', f.appId));
    if (f.ref) all.push(refIs(f.ref));
    if (f.q) all.push(eb.or([refIs(f.q.text), ...(f.q.amountMinor === undefined ? [] : [eb('b.total_minor', '=', f.q.amountMinor)])]));
    return eb.and(all);
  });
}

/** As the intents' page: cut to the page first, then joined. */
export async function payoutPage(db: Db, f: PayoutQuery, after: Cursor | undefined, limit: number) {
  const page = wherePayouts(db, f).where(afterCursor(after, 'b')).selectAll('b')
    .orderBy('b.created_at', 'desc').orderBy('b.id', 'desc').limit(limit);
  return db.selectFrom(page.as('b'))
    .innerJoin('apps as a', 'a.id', 'b.app_id')
    .select(['b.id', 'b.ref', 'b.type', 'b.status', 'b.total_minor', 'b.fee_minor', 'b.item_count', 'b.created_at', 'b.submitted_at',
      'b.app_id', 'a.name as app_name'])
    .orderBy('b.created_at', 'desc').orderBy('b.id', 'desc').limit(limit).execute();
}

export type PayoutListRow = Awaited<ReturnType<typeof payoutPage>>[number];

export async function payoutTotals(db: Db, f: PayoutQuery) {
  const rows = await wherePayouts(db, f)
    .select(['b.status', sql<number>`count(*)`.as('n'), sql<number>`coalesce(sum(b.total_minor), 0)`.as('total')])
    .groupBy('b.status').execute();
  return rows.map((r) => ({ state: r.status.toLowerCase(), n: Number(r.n), totalMinor: Number(r.total) }));
}

/** A batch of this account with its items; anyone else's is not found. */
export async function ownBatchWithItems(db: Db, ownerId: string, id: string) {
  if (!id || id.length > 64) return undefined;
  const batch = await db.selectFrom('payout_batches as b').innerJoin('apps as a', 'a.id', 'b.app_id')
    .leftJoin('ledger_entries as e', 'e.id', 'b.entry_id')
    .select(['b.id', 'b.ref', 'b.type', 'b.status', 'b.total_minor', 'b.fee_minor', 'b.item_count', 'b.created_at', 'b.submitted_at',
      'b.app_id', 'b.owner_user_id', 'a.name as app_name', 'a.owner_user_id as app_owner', 'a.receiving_account_id', 'e.ref as entry_ref'])
    .where((eb) => eb.or([eb('b.id', '=', id), eb('b.ref', '=', id)])).where('b.owner_user_id', '=', ownerId).executeTakeFirst();
  if (!batch) return undefined;
  const items = await db.selectFrom('payout_items').selectAll().where('batch_id', '=', batch.id).orderBy('created_at').orderBy('ref').execute();
  return { batch, items };
}
