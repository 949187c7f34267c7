import type { Ctx } from '../context.ts';
import type { ApiCaller } from '../oauth/bearer.ts';
import { findIntent, type IntentRow } from '../payment-intents/payment-intent.repository.ts';
import { parseTransactions } from '../payment-intents/payment-intent.types.ts';
import { NotFoundError, ValidationError } from '../shared/errors.ts';
import { FormErrors } from '../shared/form.ts';
import type { ExecuteRequestInput } from './execute-request.form.ts';
import { payRequest, RequestRefused } from './pay-request.service.ts';

/**
 * The cashier flow of the billing API: the merchant posts the pay token the customer
 * picked and the PIN they typed. Every refusal is a 400 tree and changes nothing (a wrong
 * PIN only counts towards the PIN lock, as it must).
 */
export async function executeRequest(ctx: Ctx, caller: ApiCaller, input: ExecuteRequestInput): Promise<IntentRow> {
  const intent = await findIntent(ctx.store.db, input.intentId);
  if (!intent || intent.owner_user_id !== caller.user.id) throw new NotFoundError('intent.not_found');
  const errors = new FormErrors();
  if (intent.intent !== 'request') errors.add(['paymentIntent'], 'intent.not_a_request');
  const known = new Set(parseTransactions(intent.transactions_json).map((t) => t.id));
  input.transactionIds.forEach((id, i) => {
    if (id !== undefined && !known.has(id)) errors.add(['transactions', i, 'id'], 'billing.transaction_unknown');
  });
  errors.throwIfAny(input.shape);
  try {
    return await payRequest(ctx, intent, { accountId: input.payToken, pin: input.pin });
  } catch (e) {
    if (!(e instanceof RequestRefused)) throw e;
    const { field, key, params } = e.refusal;
    if (field === 'pin') errors.add(['pin'], key, params);
    else if (field === 'payToken') errors.add(input.payTokenPath, key, params);
    else errors.global(key, params);
    throw new ValidationError(errors.toTree(input.shape));
  }
}
