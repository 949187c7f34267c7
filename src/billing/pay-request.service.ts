import { isSandbox, type Ctx } from '../context.ts';
import { checkPin } from '../accounts/accounts.service.ts';
import { isPin } from '../accounts/validation.ts';
import { withQuery } from '../checkout/checkout.urls.ts';
import { enqueueCallback } from '../callbacks/outbox.ts';
import { changeState, execute, openIntent } from '../payment-intents/intent.machine.ts';
import type { IntentRow } from '../payment-intents/payment-intent.repository.ts';
import { effectiveState, stateMessage } from '../payment-intents/payment-intent.state.ts';
import { NotFoundError } from '../shared/errors.ts';
import { InvariantError, moneyRefusal } from '../ledger/invariants.ts';
import { appStatus, payerWallet } from './requests.repository.ts';
import { intentNow, merchantOffset } from '../test-mode/test-clock.ts';
import { mailKept } from '../mail/transport.ts';
import './billing.messages.ts';

// Paying a billing request, shared by the merchant's cashier (execute/request.json) and
// the payer's wallet page. The PIN is checked before the money transaction (scrypt is
// slow); the transaction then re-checks the state under the intent's row lock, moves the
// money and writes the merchant callback to the outbox, all or nothing.

export type PayField = 'payToken' | 'pin';

export interface Refusal {
  field?: PayField;
  key: string;
  params?: Record<string, string | number>;
}

/** A request that cannot be paid (or declined) now; each caller maps it to its own form. */
export class RequestRefused extends Error {
  constructor(readonly refusal: Refusal) {
    super(refusal.key);
  }
}

const refuse = (key: string, field?: PayField, params?: Refusal['params']) => new RequestRefused({ key, field, params });

export interface PayInput {
  /** The payer's digital account (a pay token). */
  accountId: string;
  pin: string;
}

/** The merchant's return URL with the contract's parameters. */
export const returnCallbackUrl = (row: IntentRow, payerId: string): string =>
  withQuery(row.return_url, { paymentIntent: row.id, payerId });

async function checkBeforePin(ctx: Ctx, intent: IntentRow, accountId: string, nowMs: number): Promise<string> {
  if (intent.intent !== 'request' || !intent.recipient_user_id) throw refuse('intent.not_a_request');
  const state = effectiveState(intent, nowMs);
  if (state !== 'created') throw refuse(stateMessage(state));
  if ((await appStatus(ctx.store.db, intent.app_id)) !== 'active') throw refuse('intent.app_unavailable');
  if (!accountId) throw refuse('billing.pay_token_required', 'payToken');
  const wallet = await payerWallet(ctx.store.db, intent.recipient_user_id, accountId);
  if (!wallet) throw refuse('billing.pay_token_invalid', 'payToken');
  return wallet.id;
}

async function verifyPin(ctx: Ctx, userId: string, pin: string): Promise<void> {
  if (!pin) throw refuse('billing.pin_required', 'pin');
  if (!isPin(pin)) throw refuse('account.pin_invalid', 'pin');
  const r = await checkPin(ctx.store.autocommit, userId, pin, ctx.clock.now(), { sandbox: isSandbox(ctx) });
  if (r.ok) return;
  if (r.reason === 'locked') throw refuse('account.pin_locked', 'pin', { minutes: r.minutes ?? 15 });
  throw refuse('account.pin_wrong', 'pin');
}

type Outcome = { ok: true; row: IntentRow } | { ok: false; refusal: RequestRefused };

/** Pays a `created` request from one of its recipient's wallets; throws RequestRefused otherwise. */
export async function payRequest(ctx: Ctx, intent: IntentRow, input: PayInput): Promise<IntentRow> {
  // The request lives in its merchant's time (a sandbox test clock may run ahead); callbacks leave at the real time.
  const offset = await merchantOffset(ctx, intent.owner_user_id);
  const accountId = await checkBeforePin(ctx, intent, input.accountId, ctx.clock.now() + offset);
  const payerId = intent.recipient_user_id!;
  await verifyPin(ctx, payerId, input.pin);
  const realNow = ctx.clock.now();
  const now = realNow + offset;
  let outcome: Outcome;
  try {
    outcome = await ctx.store.tx(async (tx): Promise<Outcome> => {
      const row = await openIntent(tx, intent.id, now);
      if (!row) throw new NotFoundError('intent.not_found');
      // Again under the lock, as for sales: an app suspended during the PIN check takes no money.
      const done = await execute(tx, row, { userId: payerId, accountId }, now, { sandbox: isSandbox(ctx), realNowMs: realNow, mailKept: mailKept(ctx) });
      if (!done.ok) return { ok: false, refusal: refuse(done.key, undefined, done.params) };
      await enqueueCallback(tx, { intentId: row.id, appId: row.app_id, url: returnCallbackUrl(row, payerId), nowMs: realNow });
      return { ok: true, row: done.row };
    });
  } catch (e) {
    const refusal = moneyRefusal(e);
    if (refusal) throw refuse(refusal);
    if (e instanceof InvariantError && e.invariant === 'execute_at_most_once') throw refuse('intent.state_executed');
    throw e;
  }
  if (!outcome.ok) throw outcome.refusal;
  return outcome.row;
}

/**
 * The payer declines a `created` request: state `rejected`, no money moves, and the
 * merchant's cancel URL is called (with paymentIntent) through the outbox.
 */
export async function declineRequest(ctx: Ctx, userId: string, intentId: string): Promise<IntentRow> {
  const now = await intentNow(ctx, intentId);
  const realNow = ctx.clock.now();
  const outcome = await ctx.store.tx(async (tx): Promise<Outcome> => {
    const row = await openIntent(tx, intentId, now);
    if (!row || row.intent !== 'request' || row.recipient_user_id !== userId) throw new NotFoundError('intent.not_found');
    const declined = await changeState(tx, row, 'reject', now);
    if (!declined.ok) return { ok: false, refusal: refuse(declined.key) };
    await enqueueCallback(tx, {
      intentId: row.id, appId: row.app_id, url: withQuery(row.cancel_url, { paymentIntent: row.id }), nowMs: realNow,
    });
    return { ok: true, row: declined.row };
  });
  if (!outcome.ok) throw outcome.refusal;
  return outcome.row;
}
