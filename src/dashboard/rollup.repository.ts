import { sql, type Expression, type SqlBool } from 'kysely';
import type { Tx, ReadDb } from '../db/store.ts';
import { DAY_MS } from '../shared/clock.ts';
import { ANNUL_WINDOW_MS } from '../payment-intents/payment-intent.state.ts';
import { effectiveState } from './dashboard.repository.ts';

type Db = ReadDb;

// Daily totals of the days whose intents can no longer change state, so that totals and
// charts over months read a few hundred rows instead of every intent.

const dayExpr = sql<number>`(i.created_at - ${4 * 3600 * 1000}) / ${DAY_MS}`;

export async function rolledUntil(db: Db, ownerId: string): Promise<number | undefined> {
  const r = await db.selectFrom('dashboard_rollups').select('until_day').where('owner_user_id', '=', ownerId).executeTakeFirst();
  return r ? Number(r.until_day) : undefined;
}

/**
 * Per day, app, kind and state: count and sum of the account's intents created in
 * [fromMs, toMs), and how many of them could still change (waiting and not expired, or
 * executed and still annullable): a day with any of those is not closed yet.
 */
export async function dailyAggregates(db: Db, ownerId: string, fromMs: number, toMs: number, nowMs: number) {
  const st = effectiveState(nowMs);
  const open = sql<number>`sum(case when (i.state in ('created', 'authorized') and (i.expires_at is null or i.expires_at > ${nowMs}))
    or (i.state = 'executed' and i.executed_at > ${nowMs - ANNUL_WINDOW_MS}) then 1 else 0 end)`;
  const rows = await db.selectFrom('payment_intents as i')
    .select([dayExpr.as('day'), 'i.app_id', 'i.intent', st.as('state'), sql<number>`count(*)`.as('n'),
      sql<number>`sum(i.total_minor)`.as('total'), open.as('open')])
    .where('i.owner_user_id', '=', ownerId).where('i.created_at', '>=', fromMs).where('i.created_at', '<', toMs)
    // By position: PostgreSQL does not see two parameterised copies of an expression as the same.
    .groupBy([sql`1`, sql`2`, sql`3`, sql`4`]).execute();
  return rows.map((r) => ({
    day: Number(r.day), app_id: r.app_id, intent: r.intent, state: r.state, n: Number(r.n), total_minor: Number(r.total), open: Number(r.open),
  }));
}

/** Stores closed days and moves the mark forward, never back (two builders may race: same rows). */
export async function saveRollup(tx: Tx, ownerId: string, rows: { day: number; app_id: string; intent: string; state: string; n: number; total_minor: number }[], untilDay: number) {
  for (let i = 0; i < rows.length; i += 200) {
    await tx.insertInto('dashboard_daily').values(rows.slice(i, i + 200).map((r) => ({ owner_user_id: ownerId, ...r })))
      .onConflict((oc) => oc.columns(['owner_user_id', 'day', 'app_id', 'intent', 'state']).doNothing()).execute();
  }
  await tx.insertInto('dashboard_rollups').values({ owner_user_id: ownerId, until_day: untilDay })
    .onConflict((oc) => oc.column('owner_user_id').doUpdateSet({
      until_day: sql`case when excluded.until_day > dashboard_rollups.until_day then excluded.until_day else dashboard_rollups.until_day end`,
    })).execute();
}

export interface RolledFilter {
  fromDay?: number;
  toDay: number;
  state?: string;
  appId?: string;
  intent?: 'sale' | 'request';
}

function whereDaily(db: Db, ownerId: string, f: RolledFilter) {
  return db.selectFrom('dashboard_daily as r').where((eb) => {
    const all: Expression<SqlBool>[] = [eb('r.owner_user_id', '=', ownerId), eb('r.day', '<', f.toDay)];
    if (f.fromDay !== undefined) all.push(eb('r.day', '>=', f.fromDay));
    if (f.state) all.push(eb('r.state', '=', f.state));
    if (f.appId) all.push(eb('r.app_id', '=', f.appId));
    if (f.intent) all.push(eb('r.intent', '=', f.intent));
    return eb.and(all);
  });
}

export async function rolledTotals(db: Db, ownerId: string, f: RolledFilter) {
  const rows = await whereDaily(db, ownerId, f)
    .select(['r.state', sql<number>`sum(r.n)`.as('n'), sql<number>`sum(r.total_minor)`.as('total')]).groupBy('r.state').execute();
  return rows.map((r) => ({ state: r.state, n: Number(r.n), totalMinor: Number(r.total) }));
}

/** Executed intents per day and app: the charts' bars. */
export async function rolledSeries(db: Db, ownerId: string, f: RolledFilter) {
  const rows = await whereDaily(db, ownerId, { ...f, state: 'executed' })
    .select(['r.day', 'r.app_id', sql<number>`sum(r.n)`.as('n'), sql<number>`sum(r.total_minor)`.as('total')])
    .groupBy(['r.day', 'r.app_id']).execute();
  return rows.map((r) => ({ day: Number(r.day), appId: r.app_id, n: Number(r.n), totalMinor: Number(r.total) }));
}

/** The same series read from the intents themselves, for the days not rolled up yet. */
export async function liveSeries(db: Db, ownerId: string, fromMs: number, toMs: number) {
  const rows = await db.selectFrom('payment_intents as i')
    .select([dayExpr.as('day'), 'i.app_id', sql<number>`count(*)`.as('n'), sql<number>`sum(i.total_minor)`.as('total')])
    .where('i.owner_user_id', '=', ownerId).where('i.state', '=', 'executed')
    .where('i.created_at', '>=', fromMs).where('i.created_at', '<', toMs)
    .groupBy([sql`1`, sql`2`]).execute();
  return rows.map((r) => ({ day: Number(r.day), appId: r.app_id, n: Number(r.n), totalMinor: Number(r.total) }));
}
