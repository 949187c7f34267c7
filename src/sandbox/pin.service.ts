import type { Ctx } from '../context.ts';
import { writeAudit, type Actor } from '../audit/audit.service.ts';
import { NotFoundError } from '../shared/errors.ts';
import { listTestPayers } from '../test-mode/test-payers.ts';
import { requireSandbox } from './clock.service.ts';

// "Desbloquear PIN": in the sandbox a locked operations PIN need not wait its 15 minutes. A
// person clears their own; a business, its test payers' (and the demo payers'). Audited.

export interface PinState {
  lockedUntil: number;
  failedCount: number;
}

export async function pinState(ctx: Ctx, userId: string): Promise<PinState | undefined> {
  const row = await ctx.store.db.selectFrom('users').select(['pin_locked_until', 'pin_failed_count', 'pin_hash'])
    .where('id', '=', userId).executeTakeFirst();
  if (!row?.pin_hash) return undefined;
  return { lockedUntil: Number(row.pin_locked_until), failedCount: Number(row.pin_failed_count) };
}

/** Clears the PIN's lockout and failed attempts of a sandbox person; refused in production. */
export async function unlockPin(ctx: Ctx, userId: string, actor: Actor): Promise<void> {
  requireSandbox(ctx);
  await ctx.store.tx(async (tx) => {
    const now = ctx.clock.now();
    const before = await tx.selectFrom('users').select(['pin_locked_until', 'pin_failed_count'])
      .where('id', '=', userId).where('kind', 'in', ['personal', 'business']).executeTakeFirst();
    if (!before) throw new NotFoundError();
    await tx.updateTable('users').set({ pin_failed_count: 0, pin_locked_until: 0 }).where('id', '=', userId).execute();
    await writeAudit(tx, actor, {
      action: 'sandbox.unlock_pin', targetType: 'user', targetId: userId,
      details: { lockedUntil: Number(before.pin_locked_until), failedCount: Number(before.pin_failed_count) },
    }, now);
  });
}

/** A business unlocks one of its test payers (or a demo payer); anyone else's is not found. */
export async function unlockTestPayerPin(ctx: Ctx, businessId: string, payerUserId: string): Promise<string> {
  requireSandbox(ctx);
  const payer = (await listTestPayers(ctx.store.db, businessId)).find((p) => p.userId === payerUserId);
  if (!payer) throw new NotFoundError();
  await unlockPin(ctx, payer.userId, { operatorId: businessId, via: 'merchant' });
  return payer.username;
}
