import { MpandcoClient, type MpandcoClientOptions } from '../../sdk/src/index.ts';
import { createMerchant, createPayer, type MerchantCreds, type PayerCreds } from '../../src/sandbox/demo.ts';
import { addTestFunds } from '../../src/sandbox/funds.ts';
import type { TestServer } from '../helpers/env.ts';

// The SDK's tests run against a real server (testServer: real listener, real store) with a
// merchant made the way `npx mpandco sandbox merchant` makes one; the SDK only gets its keys.

/** testEnv's sandbox helpers: secret path `sbx`, token `test-token`. */
export const SANDBOX_HELPERS = { path: 'sbx', token: 'test-token' };

export interface Recorded {
  method: string;
  url: URL;
  headers: Headers;
  body: string;
  status?: number;
}

/** A fetch that records each request (and its status) before and after the real one. */
export function recordingFetch(log: Recorded[], before?: (r: Recorded, n: number) => void | Promise<void>) {
  return async (input: string, init: RequestInit): Promise<Response> => {
    const rec: Recorded = {
      method: init.method ?? 'GET', url: new URL(input), headers: new Headers(init.headers), body: String(init.body ?? ''),
    };
    log.push(rec);
    await before?.(rec, log.length);
    const res = await fetch(input, init);
    rec.status = res.status;
    return res;
  };
}

export function sdkFor(s: TestServer, m: MerchantCreds, extra: MpandcoClientOptions = {}): MpandcoClient {
  return new MpandcoClient({ baseUrl: s.baseUrl, clientId: m.client_id, clientSecret: m.client_secret, maxRetries: 0, ...extra });
}

export async function merchant(s: TestServer, balanceMinor = 0): Promise<MerchantCreds> {
  const m = await createMerchant(s.ctx);
  if (balanceMinor > 0) {
    await s.ctx.store.tx(async (tx) => {
      const acct = await tx.selectFrom('digital_accounts').select('id').where('handle', '=', m.digital_account).executeTakeFirstOrThrow();
      await addTestFunds(tx, acct.id, balanceMinor, s.clock.now());
    });
  }
  return m;
}

export const payer = (s: TestServer, balanceMinor: number, pin = '2468'): Promise<PayerCreds> => createPayer(s.ctx, balanceMinor, { pin });

export async function balanceOf(s: TestServer, handle: string): Promise<number> {
  const row = await s.ctx.store.db.selectFrom('digital_accounts').select('balance_minor').where('handle', '=', handle).executeTakeFirstOrThrow();
  return Number(row.balance_minor);
}

/** A sale of `total` bolívars with one item, as a shop would create it. */
export const sale = (total = '20.00', invoice = 'F-1001') => ({
  intent: 'sale' as const,
  redirectUrls: { returnUrl: 'https://shop.example/ok?order=1001', cancelUrl: 'https://shop.example/ko?order=1001' },
  transactions: [{
    amount: { total, currency: 'VES' as const, details: { shipping: '0', tax: '0', subTotal: total } },
    description: `Pedido ${invoice}`,
    invoiceNumber: invoice,
    items: [{ name: 'Harina PAN 1kg', quantity: 1, price: total, sku: 'HP1' }],
  }],
});
