import type { Ctx } from '../context.ts';
import { prepared } from '../db/prepared.ts';
import type { ReadDb, Tx } from '../db/store.ts';
import { DAY_MS, HOUR_MS } from '../shared/clock.ts';

// The sandbox's test clock. Each business account may run its own time ahead of the real
// one: its intents and payout batches live in "merchant time", real time plus the account's
// offset, so the 3-day expiry, the 24-hour annulment window and the 24-hour payout settlement
// can be tried without waiting. Production never reads an offset: its merchant time is the
// real time, with no query.

type Db = ReadDb | Tx;

/** The longest a test clock may run ahead: ten years. */
export const MAX_OFFSET_MS = 3650 * DAY_MS;

const offsetOfOwner = prepared((db, ownerUserId: string) =>
  db.selectFrom('sandbox_clocks').select('offset_ms').where('owner_user_id', '=', ownerUserId));
const offsetOfIntent = prepared((db, intentId: string) => db.selectFrom('payment_intents as i')
  .innerJoin('sandbox_clocks as c', 'c.owner_user_id', 'i.owner_user_id').select('c.offset_ms').where('i.id', '=', intentId));

/** How far this account's test clock runs ahead (0 when it has none). */
export async function clockOffset(db: Db, ownerUserId: string): Promise<number> {
  const [row] = await offsetOfOwner(db, ownerUserId);
  return row ? Number(row.offset_ms) : 0;
}

/** How far this merchant's time runs ahead of the real one: always 0, with no query, in production. */
export async function merchantOffset(ctx: Ctx, ownerUserId: string, db: Db = ctx.store.db): Promise<number> {
  return ctx.env === 'sandbox' ? clockOffset(db, ownerUserId) : 0;
}

/** The time of a merchant's intents and batches: the real time, plus its test clock in the sandbox. */
export async function merchantNow(ctx: Ctx, ownerUserId: string, db: Db = ctx.store.db): Promise<number> {
  const offset = await merchantOffset(ctx, ownerUserId, db);
  return ctx.clock.now() + offset;
}

/** merchantNow for the owner of this intent, in one read, for steps that start from the intent's id alone. */
export async function intentNow(ctx: Ctx, intentId: string, db: Db = ctx.store.db): Promise<number> {
  const now = ctx.clock.now();
  if (ctx.env !== 'sandbox' || !intentId || intentId.length > 64) return now;
  const [row] = await offsetOfIntent(db, intentId);
  return now + (row ? Number(row.offset_ms) : 0);
}

export interface AdvancedClock {
  ownerUserId: string;
  offsetMs: number;
}

/** Every sandbox account whose clock runs ahead: the background passes do its due work too. */
export async function advancedClocks(ctx: Ctx, db: Db = ctx.store.db): Promise<AdvancedClock[]> {
  if (ctx.env !== 'sandbox') return [];
  const rows = await db.selectFrom('sandbox_clocks').select(['owner_user_id', 'offset_ms'])
    .where('offset_ms', '>', 0).orderBy('owner_user_id').execute();
  return rows.map((r) => ({ ownerUserId: r.owner_user_id, offsetMs: Number(r.offset_ms) }));
}

/** "25h", "3d", "90m" (and "1d12h"): whole hours, days or minutes, as milliseconds; undefined if not one. */
export function parseClockDuration(text: string): number | undefined {
  const s = text.trim().toLowerCase();
  if (!/^(\d{1,5}[dhm])+$/.test(s)) return undefined;
  let ms = 0;
  for (const [, n, unit] of s.matchAll(/(\d{1,5})([dhm])/g)) ms += Number(n) * (unit === 'd' ? DAY_MS : unit === 'h' ? HOUR_MS : 60_000);
  return ms > 0 && ms <= MAX_OFFSET_MS ? ms : undefined;
}

/** An offset as people write it: "1d 1h", "25 min", "0h". */
export function formatClockOffset(ms: number): string {
  const d = Math.floor(ms / DAY_MS);
  const h = Math.floor((ms % DAY_MS) / HOUR_MS);
  const m = Math.floor((ms % HOUR_MS) / 60_000);
  const parts = [d ? `${d}d` : '', h ? `${h}h` : '', m ? `${m}min` : ''].filter(Boolean);
  return parts.length ? parts.join(' ') : '0h';
}
