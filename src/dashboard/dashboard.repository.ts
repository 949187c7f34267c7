import { sql, type ExpressionBuilder, type SqlBool, type Expression } from 'kysely';
import type { DB, IntentState } from '../db/schema.ts';
import type { DialectName, ReadDb } from '../db/store.ts';
import { invoiceNumberSql } from '../db/migrations.ts';
import type { Cursor } from './dashboard.filter.ts';

// SQL of the intents list and its totals. Every query starts from the account's own rows
// (owner_user_id) and walks an index in (created_at, id) order, so a page costs the same
// on the first day and after a million payments.

type Db = ReadDb;
type IEb = ExpressionBuilder<DB & { i: DB['payment_intents'] }, 'i'>;

/** A filter with its look-ups done: ids found by reference, the payer's id, the amount in q. */
export interface IntentQuery {
  ownerId: string;
  nowMs: number;
  fromMs?: number;
  toMs?: number;
  state?: string;
  minMinor?: number;
  maxMinor?: number;
  appId?: string;
  intent?: 'sale' | 'request';
  /** null: a payer was asked for and nobody has that name, phone or document. */
  payerId?: string | null;
  ref?: { text: string; intentIds: string[] };
  q?: { text: string; intentIds: string[]; payerId?: string; amountMinor?: number };
}

export const invoiceOf = (d: DialectName) => sql<string | null>`${sql.raw(invoiceNumberSql(d))}`;

/** The first transaction's description, read by the store's JSON functions (cheaper than parsing rows here). */
const descriptionOf = (d: DialectName) => (d === 'postgres'
  ? sql<string | null>`((i.transactions_json::jsonb) -> 0 ->> 'description')`
  : sql<string | null>`json_extract(i.transactions_json, '$[0].description')`);

/** The state a person sees: past its expiry, a waiting intent is canceled (as the API shows it). */
export const effectiveState = (nowMs: number) =>
  sql<string>`case when i.state in ('created', 'authorized') and i.expires_at <= ${nowMs} then 'canceled' else i.state end`;

function stateIs(eb: IEb, state: string, nowMs: number): Expression<SqlBool> {
  if (state === 'canceled') {
    return eb.or([eb('i.state', '=', 'canceled'), eb.and([eb('i.state', 'in', ['created', 'authorized']), eb('i.expires_at', '<=', nowMs)])]);
  }
  if (state === 'created' || state === 'authorized') {
    return eb.and([eb('i.state', '=', state), eb.or([eb('i.expires_at', 'is', null), eb('i.expires_at', '>', nowMs)])]);
  }
  return eb('i.state', '=', state as IntentState);
}

/** Matches a reference: the intent's id, one of its payments' references, or its invoice number. */
function refIs(eb: IEb, d: DialectName, r: { text: string; intentIds: string[] }): Expression<SqlBool> {
  const ids = [...new Set([r.text, ...r.intentIds])];
  return eb.or([eb('i.id', 'in', ids), eb(invoiceOf(d), '=', r.text)]);
}

export function whereIntents(db: Db, d: DialectName, f: IntentQuery) {
  return db.selectFrom('payment_intents as i').where((eb) => {
    const all: Expression<SqlBool>[] = [eb('i.owner_user_id', '=', f.ownerId)];
    if (f.fromMs !== undefined) all.push(eb('i.created_at', '>=', f.fromMs));
    if (f.toMs !== undefined) all.push(eb('i.created_at', '<', f.toMs));
    if (f.state) all.push(stateIs(eb, f.state, f.nowMs));
    if (f.minMinor !== undefined) all.push(eb('i.total_minor', '>=', f.minMinor));
    if (f.maxMinor !== undefined) all.push(eb('i.total_minor', '<=', f.maxMinor));
    if (f.appId) all.push(eb('i.app_id', '=', f.appId));
    if (f.intent) all.push(eb('i.intent', '=', f.intent));
    if (f.payerId !== undefined) all.push(eb('i.payer_user_id', '=', f.payerId ?? ''));
    if (f.ref) all.push(refIs(eb, d, f.ref));
    if (f.q) {
      const any = [refIs(eb, d, f.q)];
      if (f.q.payerId) any.push(eb('i.payer_user_id', '=', f.q.payerId));
      if (f.q.amountMinor !== undefined) any.push(eb('i.total_minor', '=', f.q.amountMinor));
      all.push(eb.or(any));
    }
    return eb.and(all);
  });
}

/**
 * Rows after the cursor in (created_at, id) descending order. The row-value comparison and
 * the plain bound on created_at both let the index start at the cursor: written with OR,
 * SQLite would read every newer row again for each page.
 */
export const afterCursor = (c: Cursor | undefined, t: 'i' | 'b') => (eb: ExpressionBuilder<any, any>) => (c
  ? eb.and([eb(`${t}.created_at`, '<=', c.createdAt), eb(eb.refTuple(`${t}.created_at`, `${t}.id`), '<', eb.tuple(c.createdAt, c.id))])
  : eb.and([]));

/**
 * One page of intents, newest first, with what a row of the list and of the CSV shows. The
 * page is cut first and joined after: joined first, SQLite may read every payment of the
 * account to prepare the join before it stops at the limit.
 */
export async function intentPage(db: Db, d: DialectName, f: IntentQuery, after: Cursor | undefined, limit: number) {
  const page = whereIntents(db, d, f).where(afterCursor(after, 'i')).selectAll('i')
    .orderBy('i.created_at', 'desc').orderBy('i.id', 'desc').limit(limit);
  return db.selectFrom(page.as('i'))
    .innerJoin('apps as a', 'a.id', 'i.app_id')
    .leftJoin('users as u', 'u.id', 'i.payer_user_id')
    .leftJoin('payments as p', (j) => j.onRef('p.intent_id', '=', 'i.id').on('p.txn_index', '=', 0))
    .select([
      'i.id', 'i.intent', 'i.total_minor', 'i.currency', 'i.created_at', 'i.app_id', 'a.name as app_name',
      'u.username as payer_username', 'u.full_name as payer_name', 'u.document as payer_document', 'u.phone as payer_phone',
      'p.ref as payment_ref',
    ])
    .select([effectiveState(f.nowMs).as('state'), invoiceOf(d).as('invoice'), descriptionOf(d).as('description')])
    .orderBy('i.created_at', 'desc').orderBy('i.id', 'desc').execute();
}

export type IntentListRow = Awaited<ReturnType<typeof intentPage>>[number];

/** Count and sum per state of the filtered intents created at or after fromMs. */
export async function intentTotals(db: Db, d: DialectName, f: IntentQuery) {
  const st = effectiveState(f.nowMs);
  const rows = await whereIntents(db, d, f)
    .select([st.as('state'), sql<number>`count(*)`.as('n'), sql<number>`coalesce(sum(i.total_minor), 0)`.as('total')])
    // By position: PostgreSQL does not see two parameterised copies of an expression as the same.
    .groupBy(sql`1`).execute();
  return rows.map((r) => ({ state: r.state, n: Number(r.n), totalMinor: Number(r.total) }));
}

/** The account's apps, for the filter's choices and the chart by app. */
export async function ownerApps(db: Db, ownerId: string) {
  return db.selectFrom('apps').select(['id', 'name']).where('owner_user_id', '=', ownerId).orderBy('created_at').orderBy('id').execute();
}

/** Intents of this account whose payments carry one of these references. */
export async function intentIdsByPaymentRef(db: Db, ownerId: string, ref: string): Promise<string[]> {
  if (!/^P\d{13}$/.test(ref)) return [];
  const rows = await db.selectFrom('payments as p').innerJoin('payment_intents as i', 'i.id', 'p.intent_id')
    .select('i.id').where('p.ref', '=', ref).where('i.owner_user_id', '=', ownerId).execute();
  return rows.map((r) => r.id);
}
