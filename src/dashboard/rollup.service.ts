import type { Ctx } from '../context.ts';
import { HOUR_MS } from '../shared/clock.ts';
import { ANNUL_WINDOW_MS } from '../payment-intents/payment-intent.state.ts';
import { dayOf, dayStart } from './dashboard.filter.ts';
import { dailyAggregates, liveSeries, rolledSeries, rolledUntil, saveRollup, type RolledFilter } from './rollup.repository.ts';

// A day is closed once every intent created on it is past its expiry and past the 24 hours
// in which an execution can be annulled: nothing can change its totals any more. Closed
// days are summed once, on the first read after they close, and kept.

export type StateTotal = { state: string; n: number; totalMinor: number };

/** The first day that may still change: the expiry window, the annulment window and an hour of margin. */
export function firstOpenDay(ctx: Ctx, nowMs: number): number {
  return dayOf(nowMs - ctx.config.requestExpiryMs - ANNUL_WINDOW_MS - HOUR_MS);
}

/**
 * Brings the account's daily totals up to the first open day and returns the day they reach.
 * A day that still holds a changeable intent (an expiry setting made longer, say) stops the
 * mark there; later reads retry it.
 */
export async function ensureRollup(ctx: Ctx, ownerId: string): Promise<number> {
  const db = ctx.store.db;
  const now = ctx.clock.now();
  const target = firstOpenDay(ctx, now);
  const mark = await rolledUntil(db, ownerId);
  if (mark !== undefined && mark >= target) return mark;
  // Summed outside the write transaction: closed days do not change, and SQLite's one writer is not held.
  const rows = await dailyAggregates(db, ownerId, mark === undefined ? 0 : dayStart(mark), dayStart(target), now);
  const until = rows.reduce((first, r) => (r.open > 0 && r.day < first ? r.day : first), target);
  if (mark !== undefined && until <= mark) return mark;
  const closed = rows.filter((r) => r.day < until).map(({ open: _open, ...r }) => r);
  await ctx.store.tx((tx) => saveRollup(tx, ownerId, closed, until));
  return until;
}

/** Adds per-state totals from two sources. */
export function mergeTotals(...parts: StateTotal[][]): StateTotal[] {
  const by = new Map<string, StateTotal>();
  for (const row of parts.flat()) {
    const t = by.get(row.state) ?? { state: row.state, n: 0, totalMinor: 0 };
    t.n += row.n;
    t.totalMinor += row.totalMinor;
    by.set(row.state, t);
  }
  return [...by.values()].sort((a, b) => a.state.localeCompare(b.state));
}

export interface DayPoint {
  day: number;
  n: number;
  totalMinor: number;
}

/** Executed sales and requests per day and per app over [fromDay, toDay]: closed days from the totals, the rest live. */
export async function executedSeries(ctx: Ctx, ownerId: string, fromDay: number, toDay: number) {
  const until = await ensureRollup(ctx, ownerId);
  const f: RolledFilter = { fromDay, toDay: Math.min(until, toDay + 1) };
  const [rolled, live] = await Promise.all([
    f.toDay > fromDay ? rolledSeries(ctx.store.db, ownerId, f) : [],
    liveSeries(ctx.store.db, ownerId, dayStart(Math.max(until, fromDay)), dayStart(toDay + 1)),
  ]);
  const days: DayPoint[] = [];
  for (let d = fromDay; d <= toDay; d++) days.push({ day: d, n: 0, totalMinor: 0 });
  const byApp = new Map<string, { n: number; totalMinor: number }>();
  for (const r of [...rolled, ...live]) {
    const p = days[r.day - fromDay];
    if (!p) continue;
    p.n += r.n;
    p.totalMinor += r.totalMinor;
    const a = byApp.get(r.appId) ?? { n: 0, totalMinor: 0 };
    a.n += r.n;
    a.totalMinor += r.totalMinor;
    byApp.set(r.appId, a);
  }
  return { days, byApp };
}
