import { pollLoop, type Worker } from '../background/poll-loop.ts';
import { DAY_MS, HOUR_MS } from '../shared/clock.ts';
import type { AutoCommit } from '../db/store.ts';

const BATCH = 1000;

/**
 * Deletes tokens and codes long past their expiry, in small batches so that SQLite's single
 * writer is never held for long. A used refresh token is kept for one more idle period after it
 * expires, and a code for a day, so that a late replay is still recognised and ends its family.
 */
export async function purgeExpired(db: AutoCommit, nowMs: number, refreshIdleSec: number): Promise<number> {
  let total = 0;
  const tokenCutoff = nowMs - refreshIdleSec * 1000;
  for (;;) {
    const r = await db.deleteFrom('oauth_tokens').where('token_hash', 'in', (eb) =>
      eb.selectFrom('oauth_tokens').select('token_hash').where('expires_at', '<', tokenCutoff).limit(BATCH)).executeTakeFirst();
    const n = Number(r.numDeletedRows);
    total += n;
    if (n < BATCH) break;
  }
  const codes = await db.deleteFrom('oauth_codes').where('expires_at', '<', nowMs - DAY_MS).executeTakeFirst();
  return total + Number(codes.numDeletedRows);
}

/** Hourly, and once at start: a process that restarts often still purges. */
export const tokenPurgeWorker: Worker = (ctx) =>
  pollLoop(ctx, 'token-purge', HOUR_MS, () => purgeExpired(ctx.store.autocommit, ctx.clock.now(), ctx.config.refreshTokenIdleSec));
