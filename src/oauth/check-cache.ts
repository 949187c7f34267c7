import type { Ctx } from '../context.ts';

/**
 * Successful credential checks kept in this process for ctx.config.authCacheMs (by ctx.clock),
 * so that most calls skip the store's look-up. One map per environment's store: nodes and
 * environments never share one. A change (revocation, suspension, a rotated secret, a
 * disabled user) therefore takes effect on every node within that bound. Refusals are never
 * kept. At most `maxEntries` per store; entries go in in the order they were checked, and the
 * stale or oldest go first.
 */
export class CheckCache<V> {
  private readonly maps = new WeakMap<object, Map<string, { value: V; checkedAt: number }>>();
  constructor(readonly maxEntries: number) {}

  private mapOf(ctx: Ctx) {
    let map = this.maps.get(ctx.store);
    if (!map) this.maps.set(ctx.store, (map = new Map()));
    return map;
  }

  /** A check no older than the bound; otherwise undefined. */
  get(ctx: Ctx, key: string, now: number): V | undefined {
    const bound = ctx.config.authCacheMs;
    if (bound <= 0) return undefined;
    const map = this.mapOf(ctx);
    const hit = map.get(key);
    if (!hit) return undefined;
    if (hit.checkedAt <= now && now - hit.checkedAt < bound) return hit.value;
    map.delete(key);
    return undefined;
  }

  set(ctx: Ctx, key: string, value: V, now: number): void {
    const bound = ctx.config.authCacheMs;
    if (bound <= 0) return;
    const map = this.mapOf(ctx);
    map.delete(key);
    for (const [k, entry] of map) {
      if (map.size < this.maxEntries && entry.checkedAt <= now && now - entry.checkedAt < bound) break;
      map.delete(k);
    }
    map.set(key, { value, checkedAt: now });
  }
}
