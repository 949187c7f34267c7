import type { Ctx } from '../context.ts';
import { pollLoop, type Worker } from '../background/poll-loop.ts';
import { DAY_MS, MINUTE_MS } from '../shared/clock.ts';
import { appsOverCap, capBoundary, deleteAtOrBefore, deleteOlderThan } from './request-log.repository.ts';

// The log keeps 7 days and at most MAX_ROWS_PER_APP rows per app. Rows go in small batches,
// each its own short statement, so that SQLite's single writer is never held for long.

export const RETENTION_MS = 7 * DAY_MS;
export const MAX_ROWS_PER_APP = 10_000;
export const PURGE_BATCH = 1_000;
const PURGE_EVERY_MS = 5 * MINUTE_MS;

export interface PurgeOptions {
  retentionMs?: number;
  maxRowsPerApp?: number;
  batch?: number;
}

export interface PurgeResult {
  /** Rows older than the retention. */
  expired: number;
  /** Rows past an app's cap. */
  overCap: number;
  /** DELETE statements run. */
  batches: number;
}

export async function purgeRequestLog(ctx: Ctx, opts: PurgeOptions = {}): Promise<PurgeResult> {
  const batch = opts.batch ?? PURGE_BATCH;
  const cap = opts.maxRowsPerApp ?? MAX_ROWS_PER_APP;
  const cutoff = ctx.clock.now() - (opts.retentionMs ?? RETENTION_MS);
  const result: PurgeResult = { expired: 0, overCap: 0, batches: 0 };
  for (;;) {
    const n = await deleteOlderThan(ctx.store.autocommit, cutoff, batch);
    result.expired += n;
    result.batches++;
    if (n < batch) break;
  }
  for (const appId of await appsOverCap(ctx.store.db, cap)) {
    const boundary = await capBoundary(ctx.store.db, appId, cap);
    if (!boundary) continue;
    for (;;) {
      const n = await deleteAtOrBefore(ctx.store.autocommit, appId, boundary, batch);
      result.overCap += n;
      result.batches++;
      if (n < batch) break;
    }
  }
  return result;
}

/** Every few minutes, and once at start. Several nodes purging at once only delete the same rows. */
export const requestLogPurgeWorker: Worker = (ctx) =>
  pollLoop(ctx, 'request-log-purge', PURGE_EVERY_MS, () => purgeRequestLog(ctx));
