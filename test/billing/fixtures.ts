import { insertDigitalAccount } from '../../src/accounts/accounts.service.ts';
import { issueTokens } from '../../src/oauth/tokens.ts';
import { createMerchant, createPayer, type MerchantCreds, type PayerCreds } from '../../src/sandbox/demo.ts';
import { addTestFunds } from '../../src/sandbox/funds.ts';
import type { TestServer } from '../helpers/env.ts';
import { bearer, postForm, postJson, type Res } from '../helpers/http.ts';

export interface Merchant extends MerchantCreds {
  token: string;
  auth: Record<string, string>;
}

/** A merchant with an app and a live access token (issued directly). */
export async function merchantWithToken(s: TestServer, fixed?: Parameters<typeof createMerchant>[1]): Promise<Merchant> {
  const m = await createMerchant(s.ctx, fixed);
  const t = await issueTokens(s.ctx.store.autocommit, {
    appId: m.app_id, userId: m.user_id, secretVersion: 1, nowMs: s.clock.now(), accessTtlSec: 365 * 86_400, refreshIdleSec: 365 * 86_400,
  });
  return { ...m, token: t.access_token, auth: bearer(t.access_token) };
}

export const payer = (s: TestServer, balanceMinor: number, fixed?: Parameters<typeof createPayer>[2]): Promise<PayerCreds> =>
  createPayer(s.ctx, balanceMinor, fixed);

export interface RequestOptions {
  total?: string;
  returnUrl?: string;
  cancelUrl?: string;
  transactions?: Record<string, unknown>[];
}

export function requestDoc(recipient: string, o: RequestOptions = {}) {
  const total = o.total ?? '15.00';
  return {
    paymentintent: {
      intent: 'request',
      redirectUrls: { returnUrl: o.returnUrl ?? 'http://pos.example/callback?store=7', cancelUrl: o.cancelUrl ?? 'http://pos.example/cancel' },
      transactions: o.transactions ?? [{
        amount: { total, currency: 'VES', details: { shipping: '0', tax: '0', subTotal: total } },
        description: 'Factura 77', invoiceNumber: 'F77',
        items: [{ name: 'Café molido 500 g', quantity: '1', price: total, sku: 'CAF500', currency: 'VES' }],
      }],
      recipient,
    },
  };
}

/** Creates a billing request through the API; fails the test when the API refuses. */
export async function createRequest(s: TestServer, m: Merchant, recipient: string, o: RequestOptions = {}): Promise<any> {
  const r = await postJson(`${s.baseUrl}/api/payment-intent/.json`, requestDoc(recipient, o), m.auth);
  if (r.status !== 200) throw new Error(`create request failed: ${r.status} ${r.text}`);
  return r.body;
}

export const executeRequestUrl = (s: TestServer, id?: string) =>
  `${s.baseUrl}/api/payment-intent/execute/request.json${id ? `?id=${encodeURIComponent(id)}` : ''}`;
export const cancelUrl = (s: TestServer) => `${s.baseUrl}/api/payment-intent/cancel.json`;

/** The documented shape, url-encoded. */
export function executeDoc(s: TestServer, m: Merchant, id: string, payToken: string, pin: string, headers: Record<string, string> = {}): Promise<Res> {
  return postForm(executeRequestUrl(s, id), { payment_execution: { payToken, pin } }, { ...m.auth, ...headers });
}

export function annul(s: TestServer, m: Merchant, id: string, headers: Record<string, string> = {}): Promise<Res> {
  return postForm(cancelUrl(s), { cancel_payment_intent: { paymentIntent: id } }, { ...m.auth, ...headers });
}

export async function walletIdOf(s: TestServer, handle: string): Promise<string> {
  const r = await s.ctx.store.db.selectFrom('digital_accounts').select('id').where('handle', '=', handle).executeTakeFirstOrThrow();
  return r.id;
}

export async function balanceOf(s: TestServer, handle: string): Promise<number> {
  const r = await s.ctx.store.db.selectFrom('digital_accounts').select('balance_minor').where('handle', '=', handle).executeTakeFirstOrThrow();
  return Number(r.balance_minor);
}

/** A second wallet for a user, with test funds. */
export async function extraWallet(s: TestServer, userId: string, handle: string, balanceMinor: number): Promise<string> {
  return s.ctx.store.tx(async (tx) => {
    const id = await insertDigitalAccount(tx, { userId, handle, name: 'Cuenta de ahorro', nowMs: s.clock.now() });
    if (balanceMinor > 0) await addTestFunds(tx, id, balanceMinor, s.clock.now());
    return id;
  });
}

export async function intentRow(s: TestServer, id: string) {
  return s.ctx.store.db.selectFrom('payment_intents').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

export async function callbacksOf(s: TestServer, intentId: string) {
  return s.ctx.store.db.selectFrom('callbacks').selectAll().where('intent_id', '=', intentId).execute();
}

export async function attemptsOf(s: TestServer, intentId: string) {
  return s.ctx.store.db.selectFrom('callback_attempts').selectAll().where('intent_id', '=', intentId).orderBy('id').execute();
}

export async function userRow(s: TestServer, id: string) {
  return s.ctx.store.db.selectFrom('users').select(['pin_failed_count', 'pin_locked_until']).where('id', '=', id).executeTakeFirstOrThrow();
}
