import { sql } from 'kysely';
import type { Tx, ReadDb } from '../db/store.ts';

export interface Hit {
  /** Requests counted in the current window, this one included. */
  hits: number;
  windowEndsAt: number;
}

/**
 * Counts one request against a key, in one atomic upsert: the first request of a window
 * (no row, or the row's window over) starts a new one with 1; any other adds 1. Two nodes
 * counting the same key at once each see their own, distinct count.
 */
export async function countHit(tx: Tx, key: string, nowMs: number, windowMs: number): Promise<Hit> {
  const over = sql<boolean>`rate_limits.window_ends_at <= ${nowMs}`;
  const row = await tx.insertInto('rate_limits').values({ key, hits: 1, window_ends_at: nowMs + windowMs })
    .onConflict((oc) => oc.column('key').doUpdateSet({
      hits: sql`case when ${over} then 1 else rate_limits.hits + 1 end`,
      window_ends_at: sql`case when ${over} then ${nowMs + windowMs} else rate_limits.window_ends_at end`,
    }))
    .returning(['hits', 'window_ends_at']).executeTakeFirstOrThrow();
  return { hits: Number(row.hits), windowEndsAt: Number(row.window_ends_at) };
}

/** The key's count in its current window, without counting; 0 when it has none. */
export async function peekHits(db: ReadDb, key: string, nowMs: number): Promise<Hit> {
  const row = await db.selectFrom('rate_limits').select(['hits', 'window_ends_at'])
    .where('key', '=', key).where('window_ends_at', '>', nowMs).executeTakeFirst();
  return row ? { hits: Number(row.hits), windowEndsAt: Number(row.window_ends_at) } : { hits: 0, windowEndsAt: nowMs };
}

const PURGE_BATCH = 1000;

/** Deletes up to a batch of rows whose window is over: a later request starts afresh anyway. */
export async function purgeEndedWindows(tx: Tx, nowMs: number): Promise<number> {
  const r = await tx.deleteFrom('rate_limits').where('key', 'in', (eb) =>
    eb.selectFrom('rate_limits').select('key').where('window_ends_at', '<=', nowMs).limit(PURGE_BATCH)).executeTakeFirst();
  return Number(r.numDeletedRows);
}
