import type { Ctx } from '../context.ts';
import { nextAttemptAt } from './backoff.ts';
import { classifyError, type ErrorKind } from './classify.ts';
import { httpGet } from './http-get.ts';
import { FAILING_BODY, FAILING_STATUS, isFailingUrl } from './magic.ts';
import { guardCallbackUrl, type Resolver } from './url-guard.ts';

// One attempt of one delivery, callback or webhook alike: the URL guard, the call, and what
// the merchant should read about it. No transaction is open while it runs.

export const CALLBACK_TIMEOUT_MS = 10_000;
export const MAX_BODY_BYTES = 4096;

export interface SendRequest {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  /** A refusal of the platform's own (e.g. an endpoint no longer allowed): not called, not retried. */
  refusal?: string;
}

export interface SendOptions {
  timeoutMs?: number;
  resolve?: Resolver;
}

export interface SendResult {
  statusCode: number | null;
  body: string;
  error: string | null;
  errorKind: ErrorKind | null;
  /** Retrying cannot help (a URL the guard refuses). */
  final: boolean;
  durationMs: number;
}

const done = (startedAt: number, r: Omit<SendResult, 'durationMs'>): SendResult => ({ ...r, durationMs: Math.max(0, Date.now() - startedAt) });

export async function sendOnce(ctx: Ctx, req: SendRequest, opts: SendOptions = {}): Promise<SendResult> {
  const startedAt = Date.now();
  if (req.refusal) return done(startedAt, { statusCode: null, body: '', error: req.refusal, errorKind: 'blocked', final: true });
  if (ctx.env === 'sandbox' && isFailingUrl(req.url)) {
    return done(startedAt, { statusCode: FAILING_STATUS, body: FAILING_BODY, error: null, errorKind: 'http', final: false });
  }
  const guard = await guardCallbackUrl(req.url, { production: ctx.env === 'production', resolve: opts.resolve });
  if (!guard.ok) {
    return done(startedAt, { statusCode: null, body: '', error: guard.error, errorKind: guard.retry ? 'dns' : 'blocked', final: !guard.retry });
  }
  try {
    const res = await httpGet(new URL(req.url), {
      method: req.method, headers: req.headers, body: req.body,
      timeoutMs: opts.timeoutMs ?? CALLBACK_TIMEOUT_MS, maxBodyBytes: MAX_BODY_BYTES, pinned: guard.pinned,
    });
    const ok = res.status >= 200 && res.status < 300;
    return done(startedAt, { statusCode: res.status, body: res.body, error: null, errorKind: ok ? null : 'http', final: false });
  } catch (e) {
    const err = e as { code?: string; message?: string };
    const message = [err.code, err.message].filter(Boolean).join(': ') || String(e);
    return done(startedAt, { statusCode: null, body: '', error: message.slice(0, 500), errorKind: classifyError(e), final: false });
  }
}

export type AttemptOutcome =
  | { status: 'delivered'; at: number }
  | { status: 'pending'; nextAttemptAt: number }
  | { status: 'failed' };

/** What an outbox row retries from: its creation, or the moment it was re-sent. */
export interface RetryWindow {
  created_at: number;
  attempts: number;
  requeued_at?: number | null;
  requeue_attempts?: number;
}

/** The row's next state after this attempt: delivered, retried later (backoff) or given up. */
export function outcomeOf(ctx: Ctx, r: SendResult, row: RetryWindow, random?: () => number): AttemptOutcome {
  if (r.errorKind === null) return { status: 'delivered', at: ctx.clock.now() };
  if (r.final) return { status: 'failed' };
  const from = Number(row.requeued_at ?? row.created_at);
  const failed = Number(row.attempts) - Number(row.requeue_attempts ?? 0);
  const next = nextAttemptAt(from, ctx.clock.now(), failed, random);
  return next === null ? { status: 'failed' } : { status: 'pending', nextAttemptAt: next };
}
