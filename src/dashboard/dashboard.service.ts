import type { Ctx } from '../context.ts';
import { findUserByLogin } from '../accounts/accounts.service.ts';
import { parseMoney } from '../shared/money.ts';
import {
  coarseOnly, dayStart, includesIntents, includesPayouts, parseDay, timeRange, INTENT_STATES, type Cursor, type Filter, type ItemType,
} from './dashboard.filter.ts';
import { intentIdsByPaymentRef, intentPage, intentTotals, type IntentListRow, type IntentQuery } from './dashboard.repository.ts';
import { payoutPage, payoutTotals, type PayoutListRow, type PayoutQuery } from './payouts.repository.ts';
import { rolledTotals } from './rollup.repository.ts';
import { ensureRollup, mergeTotals, type StateTotal } from './rollup.service.ts';
import { merchantNow } from '../test-mode/test-clock.ts';

/** One line of the list and of the export: an intent (sale or request) or a payout batch. */
export interface ListRow {
  kind: 'intent' | 'payout';
  id: string;
  type: ItemType;
  state: string;
  amountMinor: number;
  currency: string;
  createdAt: number;
  appName: string;
  ref: string | null;
  invoice: string | null;
  description: string;
  payer: { username: string; name: string; document: string | null; phone: string | null } | null;
  href: string;
}

export interface Resolved {
  intents?: IntentQuery;
  payouts?: PayoutQuery;
}

const AMOUNT = /^\d{1,13}([.,]\d{1,2})?$/;

/** Does the look-ups a filter needs once (payer, payment references), then both queries use them. */
export async function resolveFilter(ctx: Ctx, ownerId: string, f: Filter): Promise<Resolved> {
  const db = ctx.store.db;
  const { fromMs, toMs } = timeRange(f);
  const qAmount = f.q && AMOUNT.test(f.q) ? parseMoney(f.q) : undefined;
  const amountMinor = qAmount?.ok ? qAmount.minor : undefined;
  const common = { ownerId, fromMs, toMs, minMinor: f.minMinor, maxMinor: f.maxMinor, appId: f.app };
  const out: Resolved = {};
  if (includesIntents(f)) {
    const [payer, refIds, qIds, qPayer] = await Promise.all([
      f.payer ? findUserByLogin(db, f.payer) : undefined,
      f.ref ? intentIdsByPaymentRef(db, ownerId, f.ref.toUpperCase()) : [],
      f.q ? intentIdsByPaymentRef(db, ownerId, f.q.toUpperCase()) : [],
      f.q ? findUserByLogin(db, f.q) : undefined,
    ]);
    out.intents = {
      ...common, nowMs: await merchantNow(ctx, ownerId), state: f.state,
      intent: f.type === 'sale' || f.type === 'request' ? f.type : undefined,
      payerId: f.payer ? (payer?.id ?? null) : undefined,
      ref: f.ref ? { text: f.ref, intentIds: refIds } : undefined,
      q: f.q ? { text: f.q, intentIds: qIds, payerId: qPayer?.id, amountMinor } : undefined,
    };
  }
  if (includesPayouts(f)) {
    out.payouts = {
      ...common, status: f.state?.toUpperCase(), ref: f.ref, q: f.q ? { text: f.q, amountMinor } : undefined,
    };
  }
  return out;
}

function intentRow(r: IntentListRow): ListRow {
  return {
    kind: 'intent', id: r.id, type: r.intent as ItemType, state: r.state, amountMinor: Number(r.total_minor), currency: r.currency,
    createdAt: Number(r.created_at), appName: r.app_name, ref: r.payment_ref, invoice: r.invoice, description: r.description ?? '',
    payer: r.payer_username ? { username: r.payer_username, name: r.payer_name ?? '', document: r.payer_document, phone: r.payer_phone } : null,
    href: `/dashboard/payments/${r.id}`,
  };
}

function payoutRow(r: PayoutListRow): ListRow {
  return {
    kind: 'payout', id: r.id, type: 'payout', state: r.status.toLowerCase(), amountMinor: Number(r.total_minor), currency: 'VES',
    createdAt: Number(r.created_at), appName: r.app_name, ref: r.ref, invoice: null, description: r.type, payer: null,
    href: `/dashboard/payouts/${r.id}`,
  };
}

const newestFirst = (a: ListRow, b: ListRow) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

/** One page, newest first, and the cursor of the next one when there is more. */
export async function listPage(ctx: Ctx, r: Resolved, after: Cursor | undefined, limit: number) {
  const db = ctx.store.db;
  const [intents, payouts] = await Promise.all([
    r.intents ? intentPage(db, ctx.store.dialect, r.intents, after, limit + 1) : [],
    r.payouts ? payoutPage(db, r.payouts, after, limit + 1) : [],
  ]);
  const rows = [...intents.map(intentRow), ...payouts.map(payoutRow)].sort(newestFirst);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { rows: page, next: rows.length > limit && last ? { createdAt: last.createdAt, id: last.id } : undefined };
}

export interface Totals {
  n: number;
  totalMinor: number;
  byState: StateTotal[];
}

/**
 * Count and amount of everything the filter selects, per state. Whole-day filters on
 * state, app and type read closed days from the daily totals and only the open days live.
 */
export async function totalsOf(ctx: Ctx, ownerId: string, f: Filter, r: Resolved): Promise<Totals> {
  const db = ctx.store.db;
  const parts: Promise<StateTotal[]>[] = [];
  if (r.intents && coarseOnly(f)) {
    const until = await ensureRollup(ctx, ownerId);
    const fromDay = parseDay(f.from);
    const toDay = Math.min(until, f.to ? parseDay(f.to)! + 1 : until);
    const intentState = (INTENT_STATES as readonly string[]).includes(f.state ?? '') ? f.state : undefined;
    if (fromDay === undefined || fromDay < toDay) {
      parts.push(rolledTotals(db, ownerId, { fromDay, toDay, state: intentState, appId: f.app, intent: r.intents.intent }));
    }
    const liveFrom = Math.max(r.intents.fromMs ?? 0, dayStart(until));
    parts.push(intentTotals(db, ctx.store.dialect, { ...r.intents, fromMs: liveFrom }));
  } else if (r.intents) parts.push(intentTotals(db, ctx.store.dialect, r.intents));
  if (r.payouts) parts.push(payoutTotals(db, r.payouts));
  const byState = mergeTotals(...(await Promise.all(parts)));
  return { byState, n: byState.reduce((s, t) => s + t.n, 0), totalMinor: byState.reduce((s, t) => s + t.totalMinor, 0) };
}
