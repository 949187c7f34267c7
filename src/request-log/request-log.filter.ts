import { doc, text } from '../shared/input.ts';

// The log's filter lives in the query string, like the dashboard's: a filtered list can be
// bookmarked and reloaded, and the page works without JavaScript.

export const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export const STATUS_CLASSES = ['2xx', '3xx', '4xx', '5xx'] as const;

export interface LogFilter {
  method?: string;
  /** Part of the path, any case. */
  path?: string;
  /** A class (`4xx`) or one status (`422`). */
  status?: string;
  /** The Idempotency-Key, exactly. */
  key?: string;
  /** Text anywhere in the path, query, bodies, Idempotency-Key or request id. */
  q?: string;
}

/** Where the list resumes: the last row shown, in (created_at, id) descending order. */
export interface LogCursor {
  createdAt: number;
  id: number;
}

const short = (v: unknown, max: number) => text(v)?.slice(0, max);

/** Reads the filter from a query; a value that means nothing is dropped, never an error page. */
export function readLogFilter(query: unknown): LogFilter {
  const q = doc(query);
  const method = short(q.method, 10)?.toUpperCase();
  const status = short(q.status, 3)?.toLowerCase();
  const f: LogFilter = {
    method: (METHODS as readonly string[]).includes(method ?? '') ? method : undefined,
    path: short(q.path, 200),
    status: status && ((STATUS_CLASSES as readonly string[]).includes(status) || /^[1-5]\d\d$/.test(status)) ? status : undefined,
    key: short(q.key, 255),
    q: short(q.q, 100),
  };
  return Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined)) as LogFilter;
}

/** [from, to] of the status filter. */
export function statusRange(status: string): [number, number] {
  if (/^\dxx$/.test(status)) return [Number(status[0]) * 100, Number(status[0]) * 100 + 99];
  return [Number(status), Number(status)];
}

export function logFilterQuery(f: LogFilter, cursor?: LogCursor): string {
  const p = new URLSearchParams();
  for (const k of ['method', 'path', 'status', 'key', 'q'] as const) if (f[k] !== undefined) p.set(k, f[k]);
  if (cursor) p.set('after', encodeLogCursor(cursor));
  return p.toString();
}

export const encodeLogCursor = (c: LogCursor): string => Buffer.from(`${c.createdAt}.${c.id}`).toString('base64url');

export function decodeLogCursor(v: unknown): LogCursor | undefined {
  const s = short(v, 100);
  const m = s ? /^(\d{1,16})\.(\d{1,16})$/.exec(Buffer.from(s, 'base64url').toString('latin1')) : null;
  return m ? { createdAt: Number(m[1]), id: Number(m[2]) } : undefined;
}
