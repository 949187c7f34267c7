import os from 'node:os';
import type { Ctx } from '../context.ts';
import { randomHex } from '../shared/ids.ts';
import { outcomeOf, sendOnce, type AttemptOutcome } from './attempt.ts';
import { callbackForDelivery, claimCallback, dueCallbackIds, recordAttempt, type AttemptRecord } from './callbacks.repository.ts';
import { signatureHeader, SIGNATURE_HEADER, TEST_HEADER } from './signature.ts';
import type { Resolver } from './url-guard.ts';

export { CALLBACK_TIMEOUT_MS, MAX_BODY_BYTES } from './attempt.ts';
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
  /** The pass took a whole batch: more may be due at once (the worker passes again without waiting). */
  full: boolean;
}

/** Deliveries a pass makes at once (concurrently), of callbacks and of webhooks each. */
export const DELIVERY_BATCH = 20;

export const defaultWorkerId = (): string => `${os.hostname()}:${process.pid}:${randomHex(4)}`;

type Delivered = AttemptOutcome['status'];

/** One attempt of one claimed row. No transaction is open during the HTTP call. */
async function attempt(ctx: Ctx, id: string, workerId: string, opts: DeliverOptions): Promise<Delivered | undefined> {
  const row = await callbackForDelivery(ctx.store.db, id);
  if (!row || row.locked_by !== workerId) return undefined;
  const startedAt = ctx.clock.now();
  const result = await sendOnce(ctx, {
    url: row.url,
    method: 'GET',
    headers: {
      [SIGNATURE_HEADER]: signatureHeader(row.callback_secret, row.url, startedAt),
      ...(row.test ? { [TEST_HEADER]: '1' } : {}),
      'user-agent': 'mPandco-Callbacks/1.0',
      accept: '*/*',
    },
  }, opts);
  const record: AttemptRecord = {
    callbackId: row.id, intentId: row.intent_id ?? '', uri: row.url, statusCode: result.statusCode, body: result.body,
    error: result.error, errorKind: result.errorKind, durationMs: result.durationMs, at: startedAt,
  };
  const outcome = outcomeOf(ctx, result, row, opts.random);
  await ctx.store.tx((tx) => recordAttempt(tx, workerId, record, outcome));
  if (outcome.status === 'failed') ctx.log.warn({ callback: row.id, intent: row.intent_id, error: record.error }, 'callback given up');
  return outcome.status;
}

/** Delivers the callbacks that are due now, once each; the worker calls this in a loop. */
export async function deliverDue(ctx: Ctx, opts: DeliverOptions = {}): Promise<DeliveryReport> {
  const workerId = opts.workerId ?? defaultWorkerId();
  const now = ctx.clock.now();
  const limit = opts.limit ?? DELIVERY_BATCH;
  const ids = await dueCallbackIds(ctx.store.db, now, limit);
  const report: DeliveryReport = { delivered: 0, retrying: 0, failed: 0, skipped: 0, full: ids.length === limit };
  await Promise.all(ids.map(async (id) => {
    if (!(await claimCallback(ctx.store.autocommit, id, workerId, now, LEASE_MS))) {
      report.skipped++;
      return;
    }
    count(report, await attempt(ctx, id, workerId, opts));
  }));
  return report;
}

export function count(report: DeliveryReport, result: Delivered | undefined): void {
  if (result === 'delivered') report.delivered++;
  else if (result === 'pending') report.retrying++;
  else if (result === 'failed') report.failed++;
}
