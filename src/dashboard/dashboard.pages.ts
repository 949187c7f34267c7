import type { Ctx } from '../context.ts';
import { displayMoney } from '../shared/money.ts';
import type { Locale } from '../shared/i18n.ts';
import { columnChart, rowChart } from './chart.ts';
import {
  dayOf, dayText, decodeCursor, filterQuery, readFilter, INTENT_STATES, PAYOUT_STATES, TYPES, type Filter,
} from './dashboard.filter.ts';
import { ownerApps } from './dashboard.repository.ts';
import { listPage, resolveFilter, totalsOf } from './dashboard.service.ts';
import { payoutPage } from './payouts.repository.ts';
import { executedSeries } from './rollup.service.ts';

// What each dashboard page shows, gathered for its template.

export const PAGE_SIZE = 50;

/** Whether any filter field is set, so the filter panel opens itself. */
const hasFilters = (f: Filter) => Object.keys(f).some((k) => k !== 'q');

export async function listView(ctx: Ctx, ownerId: string, query: unknown) {
  const filter = readFilter(query);
  const after = decodeCursor((query as Record<string, unknown>).after);
  const resolved = await resolveFilter(ctx, ownerId, filter);
  const [page, totals, apps] = await Promise.all([
    listPage(ctx, resolved, after, PAGE_SIZE), totalsOf(ctx, ownerId, filter, resolved), ownerApps(ctx.store.db, ownerId),
  ]);
  return {
    filter, filtersOpen: hasFilters(filter), apps, rows: page.rows, totals, paged: Boolean(after),
    nextQuery: page.next ? filterQuery(filter, page.next) : undefined,
    query: filterQuery(filter), states: { intent: INTENT_STATES, payout: PAYOUT_STATES }, types: TYPES,
  };
}

export async function chartsView(ctx: Ctx, ownerId: string, locale: Locale) {
  const today = dayOf(ctx.clock.now());
  const from = today - 29;
  const [{ days, byApp }, apps] = await Promise.all([executedSeries(ctx, ownerId, from, today), ownerApps(ctx.store.db, ownerId)]);
  const label = (d: number) => dayText(d).slice(5).split('-').reverse().join('/');
  const names = new Map(apps.map((a) => [a.id, a.name]));
  const appRows = [...byApp].map(([id, v]) => ({ label: names.get(id) ?? id, value: v.totalMinor, n: v.n }))
    .sort((a, b) => b.value - a.value);
  return {
    days: days.map((d) => ({ ...d, date: dayText(d.day), label: label(d.day) })),
    volume: columnChart(days.map((d) => ({ label: label(d.day), value: d.totalMinor })), 100_00),
    count: columnChart(days.map((d) => ({ label: label(d.day), value: d.n }))),
    apps: rowChart(appRows).map((r, i) => ({ ...r, n: appRows[i].n })),
    sumN: days.reduce((s, d) => s + d.n, 0),
    sumAmount: displayMoney(days.reduce((s, d) => s + d.totalMinor, 0), locale),
  };
}

export async function payoutsView(ctx: Ctx, ownerId: string, query: unknown) {
  const after = decodeCursor((query as Record<string, unknown>).after);
  const rows = await payoutPage(ctx.store.db, { ownerId }, after, PAGE_SIZE + 1);
  const last = rows[PAGE_SIZE - 1];
  return {
    rows: rows.slice(0, PAGE_SIZE), paged: Boolean(after),
    nextQuery: rows.length > PAGE_SIZE && last ? filterQuery({}, { createdAt: Number(last.created_at), id: last.id }) : undefined,
  };
}
