import type { Ctx } from '../context.ts';
import type { Tx } from '../db/store.ts';
import type { ApiCaller } from '../oauth/bearer.ts';
import { annul } from '../payment-intents/intent.machine.ts';
import { lockIntent, type IntentRow } from '../payment-intents/payment-intent.repository.ts';
import { NotFoundError, ValidationError } from '../shared/errors.ts';
import { InvariantError, moneyRefusal } from '../ledger/invariants.ts';
import { FormErrors } from '../shared/form.ts';
import { doc, text } from '../shared/input.ts';
import { merchantNow } from '../test-mode/test-clock.ts';

export const ANNUL_SHAPE = { paymentIntent: null } as const;

/** `cancel_payment_intent[paymentIntent]`. */
export function readAnnul(body: unknown): string {
  const id = text(doc(doc(body).cancel_payment_intent).paymentIntent);
  const errors = new FormErrors();
  if (!id) errors.add(['paymentIntent'], 'intent.id_required');
  else if (id.length > 64) errors.add(['paymentIntent'], 'common.too_long');
  errors.throwIfAny({ ...ANNUL_SHAPE });
  return id!;
}

type Outcome = { ok: true; row: IntentRow } | { ok: false; key: string };

/**
 * Annuls an executed intent of the caller's account within 24 hours of its execution, in
 * one transaction holding the intent's row lock. Anything else is a 400 and changes nothing.
 * `onAnnulled` writes in that same transaction (the dashboard's audit record).
 */
export async function annulIntent(
  ctx: Ctx, caller: Pick<ApiCaller, 'user'>, intentId: string, onAnnulled?: (tx: Tx, row: IntentRow) => Promise<void>,
): Promise<IntentRow> {
  // The 24 hours run on the merchant's time: a sandbox test clock may have moved them on.
  const now = await merchantNow(ctx, caller.user.id);
  let outcome: Outcome;
  try {
    outcome = await ctx.store.tx(async (tx): Promise<Outcome> => {
      const row = await lockIntent(tx, intentId);
      if (!row || row.owner_user_id !== caller.user.id) throw new NotFoundError('intent.not_found');
      const done = await annul(tx, row, now);
      if (!done.ok) return { ok: false, key: done.key };
      await onAnnulled?.(tx, done.row);
      return { ok: true, row: done.row };
    });
  } catch (e) {
    // The merchant's balance no longer covers what is given back: say so in its own words.
    const refusal = moneyRefusal(e) === 'ledger.insufficient_funds' ? 'annul.insufficient_funds' : moneyRefusal(e);
    if (refusal) outcome = { ok: false, key: refusal };
    else if (e instanceof InvariantError && (e.invariant === 'execute_at_most_once' || e.invariant === 'reverse_at_most_once')) outcome = { ok: false, key: 'intent.state_annulled' };
    else throw e;
  }
  if (!outcome.ok) throw new ValidationError(new FormErrors().global(outcome.key).toTree({ ...ANNUL_SHAPE }));
  return outcome.row;
}
