import { expect } from 'vitest';
import { createPayer, type PayerCreds } from '../../src/sandbox/demo.ts';
import { addTestFunds } from '../../src/sandbox/funds.ts';
import type { TestServer } from '../helpers/env.ts';
import { get, postForm, postJson, type Res } from '../helpers/http.ts';
import { merchantWithToken, type Merchant } from '../billing/fixtures.ts';
import { approveAs, createSale, executeAs } from '../payment-intents/fixtures.ts';

export { merchantWithToken, type Merchant };

// The same steps in the sandbox and in production: production apps are activated and
// wallets funded directly in the store, as an operator and a bank deposit would.

/** A merchant whose app takes API calls (activated at once in production), with a token valid for a year. */
export async function liveMerchant(s: TestServer): Promise<Merchant> {
  const m = await merchantWithToken(s, { homeUrl: 'https://shop.example' });
  if (s.ctx.env === 'production') {
    await s.ctx.store.tx((tx) => tx.updateTable('apps').set({ ready: 1, billing_enabled: 1, status: 'active' }).where('id', '=', m.app_id).execute());
  }
  return m;
}

/** A person holding this much money (test funds in the sandbox, a deposit fixture in production). */
export async function fundedPayer(s: TestServer, balanceMinor: number, fixed?: Parameters<typeof createPayer>[2]): Promise<PayerCreds> {
  if (s.ctx.env === 'sandbox') return createPayer(s.ctx, balanceMinor, fixed);
  const p = await createPayer(s.ctx, 0, fixed);
  await s.ctx.store.tx(async (tx) => {
    const acc = await tx.selectFrom('digital_accounts').select('id').where('handle', '=', p.digital_account).executeTakeFirstOrThrow();
    await addTestFunds(tx, acc.id, balanceMinor, s.clock.now(), 'Depósito de prueba');
  });
  return p;
}

/** Money in the merchant's own wallet (to pay out). */
export async function fundMerchant(s: TestServer, m: Merchant, amountMinor: number): Promise<void> {
  await s.ctx.store.tx(async (tx) => {
    const acc = await tx.selectFrom('digital_accounts').select('id').where('handle', '=', m.digital_account).executeTakeFirstOrThrow();
    await addTestFunds(tx, acc.id, amountMinor, s.clock.now(), 'Depósito de prueba');
  });
}

/** A sale created through the API and authorized by the payer, ready to execute. */
export async function authorizedSale(s: TestServer, m: Merchant, payerId: string, total = '20.00'): Promise<string> {
  const created = await createSale(s, m, total);
  expect(created.status, created.text).toBe(200);
  await approveAs(s, created.body.id, payerId);
  return created.body.id;
}

/** A sale created, authorized and executed through the API. */
export async function executedSale(s: TestServer, m: Merchant, payerId: string, total = '20.00'): Promise<string> {
  const id = await authorizedSale(s, m, payerId, total);
  const done = await executeAs(s, m, id, payerId);
  expect(done.status, done.text).toBe(200);
  return id;
}

export const annulSale = (s: TestServer, m: Merchant, id: string): Promise<Res> =>
  postForm(`${s.baseUrl}/api/payment-intent/cancel.json`, { cancel_payment_intent: { paymentIntent: id } }, m.auth);

/** Registers payout items (DISPERSION) and submits their batch; returns the batch. */
export async function submittedBatch(s: TestServer, m: Merchant, items: { bankAccount: string; amount: string }[]): Promise<any> {
  for (const [i, item] of items.entries()) {
    const r = await postJson(`${s.baseUrl}/api/multipayment/register-item.json?type=DISPERSION`, {
      multi_payment_item: {
        reference: `nomina-${i}`, nameAccount: 'Ana Pérez', identificationNumber: 'V12345678', bankAccount: item.bankAccount, amount: item.amount,
      },
    }, m.auth);
    expect(r.status, r.text).toBe(200);
  }
  const list = await get(`${s.baseUrl}/api/multipayment/.json`, m.auth);
  const pending = list.body.data.find((b: { status: string }) => b.status === 'PENDING_LOAD');
  const submitted = await postJson(`${s.baseUrl}/api/multipayment/submit.json?id=${pending.id}`, {}, m.auth);
  expect(submitted.status, submitted.text).toBe(200);
  return submitted.body;
}

export async function intentState(s: TestServer, id: string): Promise<string> {
  const row = await s.ctx.store.db.selectFrom('payment_intents').select('state').where('id', '=', id).executeTakeFirstOrThrow();
  return row.state;
}
