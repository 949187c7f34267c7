import { MpandcoError } from './errors.js';

// One HTTP exchange with the platform through the runtime's own fetch: no retries, no
// tokens (client.ts adds both). An answer of any status comes back; only a failure to get
// one (network, timeout, abort) throws.

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface TransportOptions {
  baseUrl: string;
  fetch: FetchLike;
  timeoutMs: number;
  /** Accept-Language: messages of the API (and of the 400 tree) in Spanish or English. */
  locale?: 'es' | 'en';
  userAgent?: string;
}

export interface Exchange {
  method: 'GET' | 'POST';
  /** Path and query, from the base URL: `/api/payment-intent/show.json?id=...`. */
  path: string;
  /** Already encoded as application/x-www-form-urlencoded. */
  form?: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** How errors name the request, when the path carries a secret. */
  label?: string;
}

export interface Answer {
  status: number;
  headers: Headers;
  /** The parsed JSON, or the text when it is not JSON. */
  body: unknown;
}

function withTimeout(ms: number, signal?: AbortSignal): AbortSignal | undefined {
  if (!(ms > 0)) return signal;
  const timer = AbortSignal.timeout(ms);
  if (!signal) return timer;
  const any = (AbortSignal as { any?: (s: AbortSignal[]) => AbortSignal }).any;
  return any ? any([signal, timer]) : signal;
}

export async function exchange(t: TransportOptions, x: Exchange): Promise<Answer> {
  const headers: Record<string, string> = { accept: 'application/json', ...x.headers };
  if (t.locale) headers['accept-language'] = t.locale;
  if (t.userAgent) headers['user-agent'] = t.userAgent;
  if (x.form !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
  let res: Response;
  let text: string;
  try {
    res = await t.fetch(`${t.baseUrl}${x.path}`, {
      method: x.method, headers, body: x.form, redirect: 'manual', signal: withTimeout(t.timeoutMs, x.signal),
    });
    text = await res.text();
  } catch (cause) {
    if (x.signal?.aborted) throw x.signal.reason ?? cause;
    const timedOut = (cause as { name?: string })?.name === 'TimeoutError';
    throw new MpandcoError({
      status: 0, code: 'network_error', cause, method: x.method, path: x.label ?? x.path, idempotencyKey: x.headers?.['idempotency-key'],
      message: timedOut ? `No answer within ${t.timeoutMs} ms` : `Could not reach ${t.baseUrl}: ${(cause as Error)?.message ?? cause}`,
    });
  }
  let body: unknown = text;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      /* not JSON: kept as text */
    }
  }
  return { status: res.status, headers: res.headers, body };
}
