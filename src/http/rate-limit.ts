import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { Ctx } from '../context.ts';
import { countHit, peekHits, purgeEndedWindows } from './rate-limit.repository.ts';

// @fastify/rate-limit keeps its counts in the process's memory by default, so each node
// behind a load balancer would allow the full limit on its own. This store keeps them in the
// environment's database instead: every node counts against the same row. Windows are read
// from ctx.clock, like every other time rule.

type Callback = (error: Error | null, result?: { current: number; ttl: number }) => void;

/** About one counted request in this many also deletes ended windows. */
const PURGE_ONE_IN = 100;

/** The plugin's `store` option: a class the plugin makes once, then one child per route. */
export function rateLimitStore(ctx: Ctx): FastifyRateLimitStoreCtor {
  return class DatabaseRateLimitStore implements FastifyRateLimitStore {
    constructor(_options: unknown, private readonly route = '') {}

    incr(key: string, callback: Callback, timeWindow: number): void {
      const now = ctx.clock.now();
      const purge = Math.random() < 1 / PURGE_ONE_IN;
      ctx.store.tx(async (tx) => {
        const hit = await countHit(tx, `${this.route}|${key}`, now, timeWindow);
        if (purge) await purgeEndedWindows(tx, now);
        return hit;
      }).then((hit) => callback(null, { current: hit.hits, ttl: Math.max(0, hit.windowEndsAt - now) }), (e: Error) => callback(e));
    }

    read(key: string, callback: Callback): void {
      const now = ctx.clock.now();
      peekHits(ctx.store.db, `${this.route}|${key}`, now)
        .then((hit) => callback(null, { current: hit.hits, ttl: Math.max(0, hit.windowEndsAt - now) }), (e: Error) => callback(e));
    }

    /** Each route with its own limit counts apart: the key starts with its method and URL. */
    child(routeOptions: unknown): FastifyRateLimitStore {
      const info = (routeOptions as { routeInfo?: { method?: string | string[]; url?: string } }).routeInfo ?? {};
      const method = [info.method ?? ''].flat().join(',');
      return new DatabaseRateLimitStore(undefined, `${method} ${info.url ?? ''}`);
    }
  };
}
