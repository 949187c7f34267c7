import type { Ctx } from '../context.ts';
import { writeAudit, type Actor } from '../audit/audit.service.ts';
import type { ReadDb } from '../db/store.ts';
import { ValidationError } from '../shared/errors.ts';
import { clockOffset, formatClockOffset, MAX_OFFSET_MS } from '../test-mode/test-clock.ts';
import './sandbox.messages.ts';

// A business advances its sandbox time (src/test-mode/test-clock.ts) from its pages or the
// command; every change is audited. Production has no test clock and refuses these.

export interface ClockState {
  ownerUserId: string;
  offsetMs: number;
  /** "1d 1h" */
  offset: string;
  /** The account's time and the real one. */
  nowMs: number;
  realMs: number;
}

export function requireSandbox(ctx: Ctx): void {
  if (ctx.env !== 'sandbox') throw ValidationError.global('sandbox.only');
}

/** The business behind a username (the command's --account). */
export async function businessByUsername(ctx: Ctx, username: string): Promise<string> {
  const user = await ctx.store.db.selectFrom('users').select(['id', 'kind'])
    .where('username', '=', username.trim().toLowerCase()).executeTakeFirst();
  if (!user) throw ValidationError.global('sandbox.account_unknown');
  if (user.kind !== 'business') throw ValidationError.global('sandbox.business_only');
  return user.id;
}

export async function clockState(ctx: Ctx, ownerUserId: string, db: ReadDb = ctx.store.db): Promise<ClockState> {
  const realMs = ctx.clock.now();
  const offsetMs = ctx.env === 'sandbox' ? await clockOffset(db, ownerUserId) : 0;
  return { ownerUserId, offsetMs, offset: formatClockOffset(offsetMs), nowMs: realMs + offsetMs, realMs };
}

/** Moves the account's clock forward by `byMs` (whole minutes, at most ten years in all). */
export async function advanceClock(ctx: Ctx, ownerUserId: string, byMs: number, actor: Actor): Promise<ClockState> {
  requireSandbox(ctx);
  if (!Number.isSafeInteger(byMs) || byMs <= 0 || byMs % 60_000 !== 0) throw ValidationError.global('sandbox.clock_amount_invalid');
  await ctx.store.tx(async (tx) => {
    const now = ctx.clock.now();
    // One statement adds to what is there, so two advances at once both count.
    await tx.insertInto('sandbox_clocks').values({ owner_user_id: ownerUserId, offset_ms: byMs, updated_at: now })
      .onConflict((oc) => oc.column('owner_user_id').doUpdateSet((eb) => ({
        offset_ms: eb('sandbox_clocks.offset_ms', '+', eb.ref('excluded.offset_ms')), updated_at: now,
      }))).execute();
    const next = await clockOffset(tx, ownerUserId);
    if (next > MAX_OFFSET_MS) throw ValidationError.global('sandbox.clock_amount_invalid');
    await writeAudit(tx, actor, {
      action: 'sandbox.clock_advance', targetType: 'user', targetId: ownerUserId, details: { byMs, offsetMs: next },
    }, now);
  });
  return clockState(ctx, ownerUserId);
}

/** Back to real time. Dates already written in the account's time stay as they are. */
export async function resetClock(ctx: Ctx, ownerUserId: string, actor: Actor): Promise<ClockState> {
  requireSandbox(ctx);
  await ctx.store.tx(async (tx) => {
    const now = ctx.clock.now();
    const before = await clockOffset(tx, ownerUserId);
    await tx.deleteFrom('sandbox_clocks').where('owner_user_id', '=', ownerUserId).execute();
    await writeAudit(tx, actor, { action: 'sandbox.clock_reset', targetType: 'user', targetId: ownerUserId, details: { offsetMs: before } }, now);
  });
  return clockState(ctx, ownerUserId);
}
