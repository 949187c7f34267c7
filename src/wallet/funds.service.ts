import type { Ctx } from '../context.ts';
import { isSandbox } from '../context.ts';
import { walletsOf } from '../accounts/accounts.service.ts';
import { addTestFunds } from '../sandbox/funds.ts';
import { FormErrors } from '../shared/form.ts';
import { NotFoundError, ValidationError } from '../shared/errors.ts';
import { moneyRefusal } from '../ledger/invariants.ts';
import { amountOrError } from './transfer.service.ts';
import { TEST_FUNDS_MAX_MINOR } from './wallet.messages.ts';

export const FUNDS_SHAPE = { amount: null } as const;

/** "Agregar fondos de prueba": sandbox only; production has no such thing (404). */
export async function addFundsToWallet(ctx: Ctx, userId: string, amountRaw: string): Promise<{ ref: string; amountMinor: number }> {
  if (!isSandbox(ctx)) throw new NotFoundError();
  const errors = new FormErrors();
  const amountMinor = amountOrError(amountRaw, errors);
  if (amountMinor !== undefined && amountMinor > TEST_FUNDS_MAX_MINOR) errors.add(['amount'], 'wallet.funds_max');
  errors.throwIfAny(FUNDS_SHAPE);
  const [wallet] = await walletsOf(ctx.store.db, userId);
  if (!wallet) throw ValidationError.global('wallet.no_account');
  try {
    const entry = await ctx.store.tx((tx) => addTestFunds(tx, wallet.id, amountMinor!, ctx.clock.now()));
    return { ref: entry.ref, amountMinor: amountMinor! };
  } catch (e) {
    // The wallet, or this person's own test funding, would pass the balance bound.
    const refusal = moneyRefusal(e);
    if (refusal) throw new ValidationError(new FormErrors().add(['amount'], refusal).toTree(FUNDS_SHAPE));
    throw e;
  }
}
