import { DAY_MS } from '../shared/clock.ts';
import { doc, text } from '../shared/input.ts';
import { formatMinor, parseMoney } from '../shared/money.ts';

// The dashboard's filter lives in the query string, so a filtered list can be bookmarked,
// shared, reloaded and exported with the same URL, and works without JavaScript.

export const INTENT_STATES = ['created', 'authorized', 'executed', 'annulled', 'canceled', 'rejected'] as const;
export const PAYOUT_STATES = ['pending_load', 'processing', 'settled'] as const;
export const TYPES = ['sale', 'request', 'payout'] as const;
export type ItemType = (typeof TYPES)[number];

export interface Filter {
  q?: string;
  state?: string;
  /** Caracas calendar days, YYYY-MM-DD, both included. */
  from?: string;
  to?: string;
  minMinor?: number;
  maxMinor?: number;
  ref?: string;
  payer?: string;
  app?: string;
  type?: ItemType;
}

/** Where the list resumes: the last row shown, in (created_at, id) descending order. */
export interface Cursor {
  createdAt: number;
  id: string;
}

// Venezuela has kept UTC-4 since 2016: a calendar day starts at 04:00 UTC.
const OFFSET_MS = 4 * 3600 * 1000;
export const dayOf = (ms: number): number => Math.floor((ms - OFFSET_MS) / DAY_MS);
export const dayStart = (day: number): number => day * DAY_MS + OFFSET_MS;

/** "2026-11-26" as a day number; undefined unless it is a real date. */
export function parseDay(s: string | undefined): number | undefined {
  const m = s ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(s) : null;
  if (!m) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const back = new Date(ms);
  if (back.getUTCFullYear() !== Number(m[1]) || back.getUTCMonth() + 1 !== Number(m[2]) || back.getUTCDate() !== Number(m[3])) return undefined;
  return Math.floor(ms / DAY_MS);
}

export const dayText = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);

const short = (v: unknown, max: number) => text(v)?.slice(0, max);
const amount = (v: unknown) => {
  const s = short(v, 40);
  const p = s ? parseMoney(s) : undefined;
  return p?.ok && p.minor >= 0 ? p.minor : undefined;
};
const oneOf = <T extends string>(v: unknown, allowed: readonly T[]) => (allowed as readonly unknown[]).includes(v) ? (v as T) : undefined;

/** Reads the filter from a query; a value that means nothing is dropped, never an error page. */
export function readFilter(query: unknown): Filter {
  const q = doc(query);
  const f: Filter = {
    q: short(q.q, 100), state: oneOf(q.state, [...INTENT_STATES, ...PAYOUT_STATES]),
    from: parseDay(short(q.from, 10)) !== undefined ? short(q.from, 10) : undefined,
    to: parseDay(short(q.to, 10)) !== undefined ? short(q.to, 10) : undefined,
    minMinor: amount(q.min), maxMinor: amount(q.max),
    ref: short(q.ref, 100), payer: short(q.payer, 64), app: short(q.app, 64), type: oneOf(q.type, TYPES),
  };
  return Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined)) as Filter;
}

/** The query string of a filter (and a cursor), for links, the export and the next page. */
export function filterQuery(f: Filter, cursor?: Cursor): string {
  const p = new URLSearchParams();
  const put = (k: string, v: string | number | undefined) => v !== undefined && p.set(k, String(v));
  put('q', f.q); put('state', f.state); put('from', f.from); put('to', f.to);
  put('min', f.minMinor === undefined ? undefined : formatMinor(f.minMinor));
  put('max', f.maxMinor === undefined ? undefined : formatMinor(f.maxMinor));
  put('ref', f.ref); put('payer', f.payer); put('app', f.app); put('type', f.type);
  if (cursor) p.set('after', encodeCursor(cursor));
  return p.toString();
}

export const encodeCursor = (c: Cursor): string => Buffer.from(`${c.createdAt}.${c.id}`).toString('base64url');

export function decodeCursor(v: unknown): Cursor | undefined {
  const s = short(v, 200);
  const m = s ? /^(\d{1,16})\.([A-Za-z0-9-]{1,64})$/.exec(Buffer.from(s, 'base64url').toString('latin1')) : null;
  return m ? { createdAt: Number(m[1]), id: m[2] } : undefined;
}

/** [from, to) in epoch ms for the filter's days. */
export function timeRange(f: Filter): { fromMs?: number; toMs?: number } {
  const from = parseDay(f.from);
  const to = parseDay(f.to);
  return { fromMs: from === undefined ? undefined : dayStart(from), toMs: to === undefined ? undefined : dayStart(to + 1) };
}

export const includesIntents = (f: Filter): boolean =>
  f.type !== 'payout' && !(PAYOUT_STATES as readonly string[]).includes(f.state ?? '');

/** Payouts have no payer: a payer filter leaves them out, as does an intent state or type. */
export const includesPayouts = (f: Filter): boolean =>
  (f.type === undefined || f.type === 'payout') && !f.payer && !(INTENT_STATES as readonly string[]).includes(f.state ?? '');

/** Filters the daily totals can answer: whole days, state, app and type only. */
export const coarseOnly = (f: Filter): boolean =>
  f.q === undefined && f.ref === undefined && f.payer === undefined && f.minMinor === undefined && f.maxMinor === undefined;
