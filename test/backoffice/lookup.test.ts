import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer, type TestServer } from '../helpers/env.ts';
import { bearer, get, postForm, postJson } from '../helpers/http.ts';
import { createMerchant, createPayer } from '../../src/sandbox/demo.ts';
import { accessToken, makeOperator } from './fixtures.ts';
import { textOf, WebClient } from './web-client.ts';

describe('back office look-up (sandbox store)', () => {
  let s: TestServer;
  let c: WebClient;
  let intentId: string;
  let payment: { id: string; ref: string };
  let payer: Awaited<ReturnType<typeof createPayer>>;

  beforeAll(async () => {
    s = await testServer({ env: 'sandbox' });
    const op = await makeOperator(s.ctx);
    c = new WebClient(s.baseUrl);
    await c.signIn(op.username, op.password, '/backoffice/login');
    const m = await createMerchant(s.ctx);
    payer = await createPayer(s.ctx, 500_00);
    const token = await accessToken(s.ctx, m.app_id, m.user_id);
    const created = await postJson(`${s.baseUrl}/api/payment-intent/.json`, {
      paymentintent: {
        intent: 'sale', redirectUrls: { returnUrl: 'http://localhost:3000/ok', cancelUrl: 'http://localhost:3000/ko' },
        transactions: [{ amount: { total: '42.10' }, description: 'Pedido 77', invoiceNumber: 'F-77' }],
      },
    }, bearer(token));
    expect(created.status, created.text).toBe(200);
    intentId = created.body.id;
    // Approve as the payer would on the checkout page, then execute as the merchant.
    await s.ctx.store.autocommit.updateTable('payment_intents')
      .set({ state: 'authorized', payer_user_id: payer.payer_id, authorized_at: s.clock.now() }).where('id', '=', intentId).execute();
    const exec = await postForm(`${s.baseUrl}/api/payment-intent/execute/sale.json?id=${intentId}`,
      { payment_execution: { paymentIntent: intentId, payer: payer.payer_id } }, bearer(token));
    expect(exec.status, exec.text).toBe(200);
    payment = exec.body.transactions[0].related_resources.sale;
  });
  afterAll(async () => s.close());

  const search = async (q: string) => {
    const r = await c.get(`/backoffice/lookup?q=${encodeURIComponent(q)}`);
    expect(r.status).toBe(200);
    return r.html;
  };

  it('finds an account by username, phone, document or digital account, with balance and movements', async () => {
    for (const q of [payer.username, payer.phone, payer.document, payer.digital_account]) {
      const html = await search(q);
      expect(html, q).toContain('id="result-account"');
      expect(html).toContain(`data-testid="balance-${payer.digital_account}">Bs. 457,90`);
      expect(html).toContain(payment.ref);
    }
  });

  it('finds a payment by id or human reference, with its postings', async () => {
    for (const q of [payment.id, payment.ref, payment.ref.toLowerCase()]) {
      const html = await search(q);
      expect(html, q).toContain('id="result-payment"');
      expect(textOf(html)).toContain('Bs. 42,10');
      expect(textOf(html)).toContain(`@${payer.username}`);
    }
  });

  it('finds an intent by id', async () => {
    const html = textOf(await search(intentId));
    expect(html).toContain('Intención de pago executed');
    expect(html).toContain('Pedido 77');
    expect(html).toContain(payment.ref);
  });

  it('says so when nothing matches, and survives odd input', async () => {
    expect(textOf(await search('nadie-por-aqui'))).toContain('Sin resultados para «nadie-por-aqui».');
    expect((await c.get(`/backoffice/lookup?q=${'x'.repeat(5000)}`)).status).toBe(200);
    expect((await c.get(`/backoffice/lookup?q[]=a&q[]=b`)).status).toBe(200);
    expect((await get(`${s.baseUrl}/backoffice/lookup?q=${payer.username}`)).status).toBe(404);
  });
});
