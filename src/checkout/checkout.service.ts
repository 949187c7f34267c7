import type { Ctx } from '../context.ts';
import { changeState, openIntent, refusalOf } from '../payment-intents/intent.machine.ts';
import { lockIntent } from '../payment-intents/payment-intent.repository.ts';
import { firstWallet } from '../accounts/accounts.service.ts';
import { isExpired } from '../payment-intents/payment-intent.state.ts';
import { findIntentForPage, findPayer, type PageIntent } from './checkout.repository.ts';
import { isRedirectable, withQuery } from './checkout.urls.ts';
import { merchantView, orderView, type MerchantView, type OrderView } from './checkout.view.ts';
import { intentNow, merchantNow } from '../test-mode/test-clock.ts';
import './checkout.messages.ts';

// The hosted approval page of the payment button: a customer approves or cancels a
// `created` sale. No money moves here; the merchant executes the authorized intent.

export interface PayerView {
  fullName: string;
  handle: string | null;
  balanceMinor: number;
  missingMinor: number;
  isMerchant: boolean;
  canAuthorize: boolean;
}

export type CheckoutPage =
  | { kind: 'not_found' }
  | { kind: 'unavailable'; merchant: MerchantView; backUrl: string | null }
  | { kind: 'open'; id: string; ownerUserId: string; merchant: MerchantView; order: OrderView; payer?: PayerView };

export type StateChange =
  | { kind: 'redirect'; location: string }
  | { kind: 'not_found' }
  | { kind: 'unavailable' }
  /** Not allowed for this payer (own intent, short balance): the page explains why. */
  | { kind: 'refused' };

const ID_RE = /^[0-9a-zA-Z-]{1,64}$/;

/** created, unexpired, and its app still active: the only intents this page may change. */
function isOpen(i: Pick<PageIntent, 'state' | 'expires_at' | 'app_status'>, nowMs: number): boolean {
  return i.state === 'created' && !isExpired(i, nowMs) && i.app_status === 'active';
}

export async function loadIntent(ctx: Ctx, id: string): Promise<PageIntent | undefined> {
  if (!ID_RE.test(id)) return undefined;
  const intent = await findIntentForPage(ctx.store.db, id);
  return intent && intent.intent === 'sale' ? intent : undefined;
}

/** What the page shows to this visitor (signed in or not). */
export async function checkoutPage(ctx: Ctx, id: string, userId?: string): Promise<CheckoutPage> {
  const intent = await loadIntent(ctx, id);
  if (!intent) return { kind: 'not_found' };
  const merchant = merchantView(intent);
  if (!isOpen(intent, await merchantNow(ctx, intent.owner_user_id))) {
    return { kind: 'unavailable', merchant, backUrl: isRedirectable(intent.cancel_url) ? intent.cancel_url : null };
  }
  const order = orderView(intent);
  const payer = userId ? await payerView(ctx, userId, intent) : undefined;
  return { kind: 'open', id: intent.id, ownerUserId: intent.owner_user_id, merchant, order, payer };
}

async function payerView(ctx: Ctx, userId: string, intent: PageIntent): Promise<PayerView | undefined> {
  const [user, wallet] = await Promise.all([findPayer(ctx.store.db, userId), firstWallet(ctx.store.db, userId)]);
  if (!user) return undefined;
  const balanceMinor = wallet ? Number(wallet.balance_minor) : 0;
  const totalMinor = Number(intent.total_minor);
  const isMerchant = user.id === intent.owner_user_id;
  return {
    fullName: user.business_name ?? user.full_name,
    handle: wallet?.handle ?? null,
    balanceMinor,
    missingMinor: Math.max(0, totalMinor - balanceMinor),
    isMerchant,
    canAuthorize: !!wallet && !isMerchant && balanceMinor >= totalMinor,
  };
}

/** The customer authorizes: created -> authorized with the payer; then back to return_url. */
export async function authorizeIntent(ctx: Ctx, id: string, payerUserId: string): Promise<StateChange> {
  if (!ID_RE.test(id)) return { kind: 'not_found' };
  // The intent's time is its merchant's (a sandbox test clock may run ahead).
  const nowMs = await intentNow(ctx, id);
  return ctx.store.tx(async (tx): Promise<StateChange> => {
    const row = await openIntent(tx, id, nowMs);
    if (!row || row.intent !== 'sale') return { kind: 'not_found' };
    if (refusalOf(row, 'authorize', nowMs) || !isRedirectable(row.return_url)) return { kind: 'unavailable' };
    if (row.owner_user_id === payerUserId) return { kind: 'refused' };
    // The balance is checked again when the merchant executes; here it only spares the
    // customer an approval that is bound to fail.
    const wallet = await firstWallet(tx, payerUserId);
    if (!wallet || Number(wallet.balance_minor) < Number(row.total_minor)) return { kind: 'refused' };
    if (!(await changeState(tx, row, 'authorize', nowMs, payerUserId)).ok) return { kind: 'unavailable' };
    return { kind: 'redirect', location: withQuery(row.return_url, { paymentIntent: row.id, payerId: payerUserId }) };
  });
}

/**
 * The customer cancels (signed in or not): created -> canceled; then back to cancel_url.
 * An intent that expired meanwhile is canceled all the same, and the customer goes back too.
 */
export async function cancelIntent(ctx: Ctx, id: string): Promise<StateChange> {
  if (!ID_RE.test(id)) return { kind: 'not_found' };
  const nowMs = await intentNow(ctx, id);
  return ctx.store.tx(async (tx): Promise<StateChange> => {
    const locked = await lockIntent(tx, id);
    if (!locked || locked.intent !== 'sale') return { kind: 'not_found' };
    if (locked.state !== 'created' || !isRedirectable(locked.cancel_url)) return { kind: 'unavailable' };
    // An intent that expired meanwhile is written canceled by openIntent; the customer goes back all the same.
    const row = (await openIntent(tx, id, nowMs))!;
    if (row.state !== 'canceled' && !(await changeState(tx, row, 'cancel', nowMs)).ok) return { kind: 'unavailable' };
    return { kind: 'redirect', location: withQuery(row.cancel_url, { paymentIntent: row.id }) };
  });
}
