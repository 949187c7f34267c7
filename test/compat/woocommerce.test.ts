import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer, type TestServer } from '../helpers/env.ts';
import { postForm } from '../helpers/http.ts';
import { approveAs, createUrl, merchantWithToken, payer, wooCommerceCreateBody, type Merchant } from '../payment-intents/fixtures.ts';

// The WooCommerce plugin (common-repository/mpandco) keeps the execute response as
// mpancoPaymentExecuteResponse (id, state, history, total, transaction) and its order pages
// (templates/mpandcoOrder_Payment_Success.php and mpandcoOrder_completed.php, lines 98-170)
// echo these fields. PHP prints a warning and a blank for a missing key: here it throws.

function at(v: unknown, ...keys: (string | number)[]): string {
  let cur: any = v;
  for (const k of keys) {
    if (cur === null || typeof cur !== 'object' || !(k in cur)) throw new Error(`Undefined index: ${keys.join('][')}`);
    cur = cur[k];
  }
  if (cur === null || typeof cur === 'object') throw new Error(`Array to string conversion: ${keys.join('][')}`);
  return String(cur);
}

/** The order page's text, field by field as the template echoes it. */
function renderOrderPage(execute: any): string[] {
  const saved = {
    id: execute.id, state: execute.state, history: execute.redirect_urls.history_responses,
    total: execute.total, transaction: execute.transactions,
  };
  const lines = [
    `Id: ${at(saved, 'id')}`,
    `Estado: ${at(saved, 'state')}`,
    `Total: ${at(saved, 'total', 'currency', 'id')}`,
    `${at(saved, 'total', 'items')} | ${at(saved, 'total', 'shipping')} | ${at(saved, 'total', 'tax')} | ${at(saved, 'total', 'amount')}`,
  ];
  saved.transaction.forEach((_: unknown, i: number) => {
    const sale = ['transaction', i, 'related_resources', 'sale'] as const;
    lines.push(
      `Transacción: ${at(saved, ...sale, 'ref')}`,
      `Total: ${at(saved, 'transaction', i, 'amount', 'total')} ${at(saved, 'transaction', i, 'amount', 'currency', 'id')}`,
      at(saved, ...sale, '_data', 'type_payment_label'),
      `<span style="background-color:${at(saved, ...sale, '_data', 'summary_status_color')};">${at(saved, ...sale, '_data', 'status')}</span>`,
    );
  });
  return lines;
}

describe('WooCommerce plugin: the order pages render from a real execute response', () => {
  let s: TestServer;
  let m: Merchant;
  beforeAll(async () => {
    s = await testServer();
    m = await merchantWithToken(s, { businessName: 'Bodega La Esquina, C.A.' });
  });
  afterAll(async () => s.close());

  async function executedSale(lang?: string) {
    const buyer = await payer(s, 100_00, { fullName: 'Rosa Linares' });
    const created = await postForm(createUrl(s), wooCommerceCreateBody(m.digital_account), m.auth);
    expect(created.status).toBe(200);
    await approveAs(s, created.body.id, buyer.payer_id);
    // The plugin posts to the bare path with the intent in the body (api.md).
    const body = { payment_execution: { paymentIntent: created.body.id, payer: buyer.payer_id } };
    const r = await postForm(`${s.baseUrl}/api/payment-intent/execute/sale.json`, body, { ...m.auth, ...(lang ? { 'accept-language': lang } : {}) });
    expect(r.status).toBe(200);
    return { r, buyer };
  }

  it('prints the sale reference, label, colour and status in Spanish', async () => {
    const { r, buyer } = await executedSale();
    const page = renderOrderPage(r.body);
    const ref = r.body.transactions[0].related_resources.sale.ref;
    expect(page).toEqual([
      `Id: ${r.body.id}`,
      'Estado: executed',
      'Total: VES',
      '20 | 2 | 1.5 | 23.5',
      `Transacción: ${ref}`,
      'Total: 23.5 VES',
      `Pago recibido de ${buyer.username}`,
      '<span style="background-color:#388E3C;">Completado</span>',
    ]);
    expect(r.body.transactions[0].related_resources.sale._data).toMatchObject({
      summary_1: 'Recibido: 23,50 VES', user_from: 'Rosa Linares', created_at: 'hace menos de un minuto',
      external_platform: 'mPandco', external_id: null, summary_amount: { summary_1: '23.50', summary_2: '23.50' },
    });
  });

  it('in English with Accept-Language: en', async () => {
    const { r, buyer } = await executedSale('en');
    const page = renderOrderPage(r.body);
    expect(page.slice(-2)).toEqual([`Payment received from ${buyer.username}`, '<span style="background-color:#388E3C;">Completed</span>']);
    expect(r.body.transactions[0].related_resources.sale._data.created_at).toBe('less than a minute ago');
  });

  it('a response without the summary would not render (the check can fail)', () => {
    const bare = { id: 'x', state: 'executed', redirect_urls: { history_responses: [] }, total: { currency: { id: 'VES' }, items: 1, shipping: 0, tax: 0, amount: 1 }, transactions: [{ amount: { total: 1, currency: { id: 'VES' } }, related_resources: { sale: { id: 'p', ref: 'P1' } } }] };
    expect(() => renderOrderPage(bare)).toThrow('Undefined index: transaction][0][related_resources][sale][_data][type_payment_label');
  });
});
