import type { Ctx } from '../context.ts';
import type { Tx } from '../db/store.ts';
import { reverseEntry } from '../ledger/ledger.ts';
import type { ApiCaller } from '../oauth/bearer.ts';
import { lockIntent, setIntentState, type IntentRow } from '../payment-intents/payment-intent.repository.ts';
import { canAnnul, stateMessage } from '../payment-intents/payment-intent.state.ts';
import { PAYMENT_STATUS } from '../payments/payment.types.ts';
import { NotFoundError, ValidationError } from '../shared/errors.ts';
import { InvariantError, moneyRefusal } from '../ledger/invariants.ts';
import { FormErrors } from '../shared/form.ts';
import { t } from '../shared/i18n.ts';
import { doc, text } from '../shared/input.ts';
import './annulment.messages.ts';

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

function refusalKey(row: IntentRow, nowMs: number): string | undefined {
  if (canAnnul(row, nowMs)) return undefined;
  if (row.state === 'executed') return 'annul.window_passed';
  if (row.state === 'created' || row.state === 'authorized') return 'annul.not_executed';
  return stateMessage(row.state);
}

/** Reverses every payment of the intent: one reversing entry each, distributions included. */
async function reversePayments(tx: Tx, intentId: string, nowMs: number): Promise<void> {
  const payments = await tx.selectFrom('payments').select(['id', 'ref', 'entry_id'])
    .where('intent_id', '=', intentId).where('status', '=', PAYMENT_STATUS.completed).orderBy('txn_index').execute();
  for (const p of payments) {
    await reverseEntry(tx, p.entry_id, { kind: 'annulment', description: t('es', 'annul.description', { ref: p.ref }), nowMs });
  }
  await tx.updateTable('payments').set({ status: PAYMENT_STATUS.canceled, updated_at: nowMs })
    .where('intent_id', '=', intentId).where('status', '=', PAYMENT_STATUS.completed).execute();
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
  const now = ctx.clock.now();
  let outcome: Outcome;
  try {
    outcome = await ctx.store.tx(async (tx): Promise<Outcome> => {
      const row = await lockIntent(tx, intentId);
      if (!row || row.owner_user_id !== caller.user.id) throw new NotFoundError('intent.not_found');
      const refused = refusalKey(row, now);
      if (refused) return { ok: false, key: refused };
      await reversePayments(tx, row.id, now);
      if (!(await setIntentState(tx, row.id, ['executed'], { state: 'annulled', annulled_at: now }))) {
        throw new InvariantError('execute_at_most_once', `intent ${row.id} is no longer executed`);
      }
      const annulled: IntentRow = { ...row, state: 'annulled', annulled_at: now };
      await onAnnulled?.(tx, annulled);
      return { ok: true, row: annulled };
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
