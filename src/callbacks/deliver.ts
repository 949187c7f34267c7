import os from 'node:os';
import type { Ctx } from '../context.ts';
import { randomHex } from '../shared/ids.ts';
import { nextAttemptAt } from './backoff.ts';
import {
  callbackForDelivery, claimCallback, dueCallbackIds, recordAttempt, type AttemptOutcome, type AttemptRecord,
} from './callbacks.repository.ts';
import { httpGet } from './http-get.ts';
import { signatureHeader, SIGNATURE_HEADER } from './signature.ts';
import { guardCallbackUrl, type Resolver } from './url-guard.ts';

export const CALLBACK_TIMEOUT_MS = 10_000;
export const MAX_BODY_BYTES = 4096;
/** Longer than the timeout, so a lease never ends while its call can still be running. */
export const LEASE_MS = 60_000;

export interface DeliverOptions {
  /** At most this many rows per pass, delivered concurrently. */
  limit?: number;
  workerId?: string;
  timeoutMs?: number;
  random?: () => number;
  resolve?: Resolver;
}

export interface DeliveryReport {
  delivered: number;
  retrying: number;
  failed: number;
  /** Due rows another worker held. */
  skipped: number;
}

export const defaultWorkerId = (): string => `${os.hostname()}:${process.pid}:${randomHex(4)}`;

type Delivered = 'delivered' | 'pending' | 'failed';

/** One attempt of one claimed row. No transaction is open during the HTTP call. */
async function attempt(ctx: Ctx, id: string, workerId: string, opts: DeliverOptions): Promise<Delivered | undefined> {
  const row = await callbackForDelivery(ctx.store.db, id);
  if (!row || row.locked_by !== workerId) return undefined;
  const startedAt = ctx.clock.now();
  const record: AttemptRecord = {
    callbackId: row.id, intentId: row.intent_id, uri: row.url, statusCode: null, body: '', error: null, at: startedAt,
  };
  let finalRefusal = false;
  const guard = await guardCallbackUrl(row.url, { production: ctx.env === 'production', resolve: opts.resolve });
  if (!guard.ok) {
    record.error = guard.error;
    finalRefusal = !guard.retry;
  } else {
    try {
      const res = await httpGet(new URL(row.url), {
        headers: {
          [SIGNATURE_HEADER]: signatureHeader(row.callback_secret, row.url, startedAt),
          'user-agent': 'mPandco-Callbacks/1.0',
          accept: '*/*',
        },
        timeoutMs: opts.timeoutMs ?? CALLBACK_TIMEOUT_MS,
        maxBodyBytes: MAX_BODY_BYTES,
        pinned: guard.pinned,
      });
      record.statusCode = res.status;
      record.body = res.body;
    } catch (e) {
      record.error = ((e as Error).message || String(e)).slice(0, 500);
    }
  }
  const ok = record.statusCode !== null && record.statusCode >= 200 && record.statusCode < 300;
  let outcome: AttemptOutcome;
  if (ok) outcome = { status: 'delivered', at: ctx.clock.now() };
  else if (finalRefusal) outcome = { status: 'failed' };
  else {
    const next = nextAttemptAt(Number(row.created_at), ctx.clock.now(), Number(row.attempts), opts.random);
    outcome = next === null ? { status: 'failed' } : { status: 'pending', nextAttemptAt: next };
  }
  await ctx.store.tx((tx) => recordAttempt(tx, workerId, record, outcome));
  if (outcome.status === 'failed') ctx.log.warn({ callback: row.id, intent: row.intent_id, error: record.error }, 'callback given up');
  return outcome.status;
}

/** Delivers the callbacks that are due now, once each; the worker calls this in a loop. */
export async function deliverDue(ctx: Ctx, opts: DeliverOptions = {}): Promise<DeliveryReport> {
  const workerId = opts.workerId ?? defaultWorkerId();
  const now = ctx.clock.now();
  const ids = await dueCallbackIds(ctx.store.db, now, opts.limit ?? 20);
  const report: DeliveryReport = { delivered: 0, retrying: 0, failed: 0, skipped: 0 };
  await Promise.all(ids.map(async (id) => {
    if (!(await claimCallback(ctx.store.autocommit, id, workerId, now, LEASE_MS))) {
      report.skipped++;
      return;
    }
    const result = await attempt(ctx, id, workerId, opts);
    if (result === 'delivered') report.delivered++;
    else if (result === 'pending') report.retrying++;
    else if (result === 'failed') report.failed++;
  }));
  return report;
}
