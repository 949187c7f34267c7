import { issueTokens } from '../../src/oauth/tokens.ts';
import { addTestFunds } from '../../src/sandbox/funds.ts';
import { createMerchant, createPayer, type MerchantCreds, type PayerCreds } from '../../src/sandbox/demo.ts';
import type { TestServer } from '../helpers/env.ts';
import { bearer, get, postForm, phpQuery, type Res } from '../helpers/http.ts';

export interface Merchant extends MerchantCreds {
  token: string;
  auth: Record<string, string>;
}

/** A merchant with an app and a live access token (issued directly, not through /oauth/v2/token). */
export async function merchantWithToken(s: TestServer, fixed?: Parameters<typeof createMerchant>[1]): Promise<Merchant> {
  const m = await createMerchant(s.ctx, fixed);
  const t = await issueTokens(s.ctx.store.autocommit, {
    appId: m.app_id, userId: m.user_id, secretVersion: 1, nowMs: s.clock.now(), accessTtlSec: 3600, refreshIdleSec: 86_400,
  });
  return { ...m, token: t.access_token, auth: bearer(t.access_token) };
}

/** A merchant with a token and this much test money in its digital account. */
export async function fundedMerchant(s: TestServer, minor: number): Promise<Merchant> {
  const m = await merchantWithToken(s);
  await s.ctx.store.tx(async (tx) => {
    const acct = await tx.selectFrom('digital_accounts').select('id').where('handle', '=', m.digital_account).executeTakeFirstOrThrow();
    await addTestFunds(tx, acct.id, minor, s.clock.now());
  });
  return m;
}

export const payer = (s: TestServer, balanceMinor: number, fixed?: Parameters<typeof createPayer>[2]): Promise<PayerCreds> =>
  createPayer(s.ctx, balanceMinor, fixed);

/** The WooCommerce plugin's create body of api.md, line for line, url-encoded as PHP does. */
export function wooCommerceCreateBody(destination: string): string {
  const lines = [
    'paymentintent[intent]=sale',
    'paymentintent[redirectUrls][returnUrl]=http://shop.test/checkout/order-received/1042/?utm_nooverride=1',
    'paymentintent[redirectUrls][cancelUrl]=http://shop.test/cart/?cancel_order=true',
    `paymentintent[transactions][0][digitalAccountDestination]=${destination}`,
    'paymentintent[transactions][0][amount][total]=23.50',
    'paymentintent[transactions][0][amount][currency]=VES',
    'paymentintent[transactions][0][amount][details][shipping]=2.00',
    'paymentintent[transactions][0][amount][details][tax]=1.50',
    'paymentintent[transactions][0][amount][details][subTotal]=20',
    'paymentintent[transactions][0][description]=Compra en http://shop.test- orden #1042',
    'paymentintent[transactions][0][invoiceNumber]=order1042',
    'paymentintent[transactions][0][items][0][name]=Harina PAN 1kg',
    'paymentintent[transactions][0][items][0][quantity]=2',
    'paymentintent[transactions][0][items][0][sku]=',
    'paymentintent[transactions][0][items][0][price]=10.00',
    'paymentintent[transactions][0][items][0][currency]=VES',
    'paymentintent[recipient]=',
  ];
  const php = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');
  return lines.map((l) => {
    const i = l.indexOf('=');
    return `${php(l.slice(0, i))}=${php(l.slice(i + 1))}`;
  }).join('&');
}

/** A sale document as the PHP SDK builds it (nested arrays; sent with phpQuery). */
export function saleDoc(total = '20.00', extra: Record<string, unknown> = {}) {
  return {
    paymentintent: {
      intent: 'sale',
      redirectUrls: { returnUrl: 'https://shop.example/ok?cart=9', cancelUrl: 'https://shop.example/ko?cart=9' },
      transactions: [{
        amount: { total, currency: 'VES', details: { shipping: '0', tax: '0', subTotal: total } },
        description: 'Order 9',
        invoiceNumber: 'F00015',
        items: [{ name: 'phone', quantity: '1', price: total, sku: 'P001', currency: 'VES' }],
        ...extra,
      }],
      recipient: '',
    },
  };
}

export const createUrl = (s: TestServer) => `${s.baseUrl}/api/payment-intent/.json`;
export const executeUrl = (s: TestServer, id?: string) =>
  `${s.baseUrl}/api/payment-intent/execute/sale.json${id ? `?id=${encodeURIComponent(id)}` : ''}`;
export const autorizeUrl = (s: TestServer, id: string, token = 'test-token') =>
  `${s.baseUrl}/sbx/payment-intent/autorize.json?access_token=${encodeURIComponent(token)}&id=${encodeURIComponent(id)}`;

export async function createSale(s: TestServer, m: Merchant, total = '20.00', extra: Record<string, unknown> = {}): Promise<Res> {
  return postForm(createUrl(s), phpQuery(saleDoc(total, extra)), m.auth);
}

/** Marks a sale authorized by this payer, as the hosted checkout page would. */
export async function approveAs(s: TestServer, intentId: string, payerId: string): Promise<void> {
  await s.ctx.store.autocommit.updateTable('payment_intents')
    .set({ state: 'authorized', payer_user_id: payerId, authorized_at: s.clock.now() })
    .where('id', '=', intentId).execute();
}

export async function executeAs(s: TestServer, m: Merchant, intentId: string, payerId: string): Promise<Res> {
  return postForm(executeUrl(s, intentId), { payment_execution: { paymentIntent: intentId, payer: payerId } }, m.auth);
}

export async function balanceOf(s: TestServer, handle: string): Promise<number> {
  const row = await s.ctx.store.db.selectFrom('digital_accounts').select('balance_minor').where('handle', '=', handle)
    .executeTakeFirstOrThrow();
  return Number(row.balance_minor);
}

export const show = (s: TestServer, m: Merchant, id: string) =>
  get(`${s.baseUrl}/api/payment-intent/show.json?id=${encodeURIComponent(id)}`, m.auth);

/** A new access token for the merchant at the clock's current time (after moving the clock). */
export async function reissue(s: TestServer, m: Merchant): Promise<void> {
  const t = await issueTokens(s.ctx.store.autocommit, {
    appId: m.app_id, userId: m.user_id, secretVersion: 1, nowMs: s.clock.now(), accessTtlSec: 3600, refreshIdleSec: 86_400,
  });
  m.token = t.access_token;
  m.auth = bearer(t.access_token);
}

/** Runs fn with the clock moved forward, then puts it back, whatever happens. */
export async function later<T>(s: TestServer, ms: number, fn: () => Promise<T>): Promise<T> {
  s.clock.advance(ms);
  try {
    return await fn();
  } finally {
    s.clock.advance(-ms);
  }
}

/** A currency as the PHP SDK's Currency model reads it (id, name, abbreviation, num, num_decimals). */
export const VES = { id: 'VES', name: 'Bolívar', abbreviation: 'Bs.', num: 928, num_decimals: 2 };
