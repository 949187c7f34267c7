import { isSandbox, type Ctx } from '../context.ts';
import type { ApiCaller } from '../oauth/bearer.ts';
import { NotFoundError, ValidationError } from '../shared/errors.ts';
import { InvariantError, moneyRefusal } from '../ledger/invariants.ts';
import { FormErrors } from '../shared/form.ts';
import { doc, text } from '../shared/input.ts';
import { execute, openIntentToPay, refusalOf, type ExecutedPayment } from './intent.machine.ts';
import { paymentParties, type IntentRow, type PaymentParty } from './payment-intent.repository.ts';
import { mailKept } from '../mail/transport.ts';

export const EXECUTE_SALE_SHAPE = { paymentIntent: null, payer: null } as const;

export interface ExecuteSaleInput {
  intentId: string;
  payerId: string;
}

/**
 * The payer arrives as its id or as the object autorize.json returned.
 * The intent id comes from ?id= or, on the bare path (WooCommerce), from
 * payment_execution[paymentIntent]; when both are given they must agree.
 */
export function readExecuteSale(query: unknown, body: unknown): ExecuteSaleInput {
  const errors = new FormErrors();
  const fromQuery = text(doc(query).id);
  const pe = doc(doc(body).payment_execution);
  const fromBody = text(pe.paymentIntent);
  // The payer's id, or the payer object autorize.json returned (the PHP SDK's test sends
  // payment_execution[payer][payer_info][id]).
  const payerId = text(pe.payer) ?? text(doc(doc(pe.payer).payer_info).id);
  if (!fromQuery && !fromBody) errors.add(['paymentIntent'], 'intent.id_required');
  if (fromQuery && fromBody && fromQuery !== fromBody) errors.add(['paymentIntent'], 'intent.id_mismatch');
  if (!payerId) errors.add(['payer'], 'intent.payer_required');
  errors.throwIfAny({ ...EXECUTE_SALE_SHAPE });
  return { intentId: (fromQuery ?? fromBody)!, payerId: payerId! };
}

/** What an execution wrote and read: enough to answer without reading it back (serializeExecutedSale). */
export interface ExecutedSale {
  row: IntentRow;
  /** The merchant's time of the execution (its test clock in the sandbox). */
  nowMs: number;
  payments: ExecutedPayment[];
  payer: PaymentParty;
  payee: PaymentParty;
}

type Outcome = { ok: true; sale: ExecutedSale } | { ok: false; errors: FormErrors };

const refuse = (f: (e: FormErrors) => void): Outcome => {
  const errors = new FormErrors();
  f(errors);
  return { ok: false, errors };
};

/**
 * Executes an authorized sale in one transaction holding the intent's row lock: debit the
 * approver, credit the destination, run the distributions, state `executed`. A lazily
 * expired intent is committed as canceled before the refusal is returned. The intent, its
 * app, test clock, payer and payee (with the payer's wallet) come in one statement (payer and
 * payee again in a second only when the intent's payer changed while it waited for the
 * lock), and the answer is built from what the execution holds (no read after COMMIT).
 */
export async function executeSale(ctx: Ctx, caller: ApiCaller, input: ExecuteSaleInput): Promise<ExecutedSale> {
  const sandbox = isSandbox(ctx);
  let outcome: Outcome;
  try {
    outcome = await ctx.store.tx(async (tx): Promise<Outcome> => {
      const realNowMs = ctx.clock.now();
      const opened = await openIntentToPay(tx, input.intentId, { sandbox, realNowMs });
      if (!opened || opened.row.owner_user_id !== caller.user.id) throw new NotFoundError('intent.not_found');
      const { row, nowMs, app } = opened;
      if (row.intent !== 'sale') return refuse((e) => e.add(['paymentIntent'], 'intent.not_a_sale'));
      const refused = refusalOf(row, 'execute', nowMs);
      if (refused) return refuse((e) => e.global(refused));
      if (row.payer_user_id !== input.payerId) return refuse((e) => e.add(['payer'], 'intent.wrong_payer'));
      if (row.payer_user_id === row.owner_user_id) return refuse((e) => e.add(['payer'], 'intent.payer_is_merchant'));
      const parties = opened.parties ?? await paymentParties(tx, row.payer_user_id, row.owner_user_id);
      const payer = parties.get(row.payer_user_id);
      const payee = parties.get(row.owner_user_id);
      if (!payer?.wallet_id || !payee) return refuse((e) => e.global('intent.payer_no_wallet'));
      const done = await execute(tx, row, { userId: payer.id, accountId: payer.wallet_id }, nowMs, { sandbox, realNowMs, app, parties, mailKept: mailKept(ctx) });
      if (!done.ok) return refuse((e) => e.global(done.key, done.params));
      return { ok: true, sale: { row: done.row, nowMs, payments: done.payments, payer, payee } };
    });
  } catch (e) {
    const refusal = moneyRefusal(e);
    if (refusal) throw new ValidationError(new FormErrors().global(refusal).toTree({ ...EXECUTE_SALE_SHAPE }));
    if (e instanceof InvariantError && e.invariant === 'execute_at_most_once') {
      throw new ValidationError(new FormErrors().global('intent.state_executed').toTree({ ...EXECUTE_SALE_SHAPE }));
    }
    throw e;
  }
  if (!outcome.ok) throw new ValidationError(outcome.errors.toTree({ ...EXECUTE_SALE_SHAPE }));
  return outcome.sale;
}
