import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertDigitalAccount } from '../../src/accounts/accounts.service.ts';
import { testServer, type TestServer } from '../helpers/env.ts';
import { get, postForm, postJson, postMultipart } from '../helpers/http.ts';
import { createSale, createUrl, later, merchantWithToken, saleDoc, show, VES, wooCommerceCreateBody, type Merchant } from './fixtures.ts';

describe('POST /api/payment-intent/.json: the three encodings', () => {
  let s: TestServer;
  let m: Merchant;
  beforeAll(async () => {
    s = await testServer();
    m = await merchantWithToken(s);
  });
  afterAll(async () => s.close());

  it('creates a sale from multipart form-data as curl -F sends it', async () => {
    const r = await postMultipart(createUrl(s), [
      ['paymentintent[intent]', 'sale'],
      ['paymentintent[redirectUrls][returnUrl]', 'https://shop.example/ok?cart=9'],
      ['paymentintent[redirectUrls][cancelUrl]', 'https://shop.example/ko?cart=9'],
      ['paymentintent[transactions][0][amount][total]', '20'],
      ['paymentintent[transactions][0][amount][currency]', 'VES'],
      ['paymentintent[transactions][0][amount][details][shipping]', '0'],
      ['paymentintent[transactions][0][amount][details][tax]', '1.30'],
      ['paymentintent[transactions][0][amount][details][subTotal]', '17.50'],
      ['paymentintent[transactions][0][description]', 'Order 9'],
      ['paymentintent[transactions][0][invoiceNumber]', 'F00015'],
      ['paymentintent[transactions][0][items][0][name]', 'phone'],
      ['paymentintent[transactions][0][items][0][price]', '7.5'],
      ['paymentintent[transactions][0][items][0][quantity]', '1'],
      ['paymentintent[transactions][0][items][0][sku]', 'P001'],
      ['paymentintent[transactions][0][items][0][currency]', 'VES'],
      ['paymentintent[transactions][0][items][1][name]', 'case'],
      ['paymentintent[transactions][0][items][1][price]', '5'],
      ['paymentintent[transactions][0][items][1][quantity]', '2'],
      ['paymentintent[recipient]', ''],
    ], m.auth);
    expect(r.status).toBe(200);
    const b = r.body;
    expect(b).toMatchObject({
      intent: 'sale',
      state: 'created',
      redirect_urls: { return_url: 'https://shop.example/ok?cart=9', cancel_url: 'https://shop.example/ko?cart=9', history_responses: [] },
      total: { currency: VES, items: 17.5, shipping: 0, tax: 1.3, amount: 20 },
    });
    expect(b.payer).toBeUndefined();
    expect(b.pay_tokens).toBeUndefined();
    expect(b.transactions).toHaveLength(1);
    const t = b.transactions[0];
    expect(t.amount).toEqual({ currency: VES, total: 20, details: { shipping: 0, tax: 1.3, sub_total: 17.5 } });
    expect(t.items).toEqual([
      { name: 'phone', quantity: 1, currency: VES, sku: 'P001', price: 7.5 },
      { name: 'case', quantity: 2, currency: VES, sku: null, price: 5 },
    ]);
    expect(t).toMatchObject({ description: 'Order 9', invoice_number: 'F00015', distributions: [] });
    expect(t.related_resources).toBeUndefined();
    expect(b._links).toEqual({
      self: { href: `${s.baseUrl}/api/payment-intent/show.json?id=${b.id}`, method: 'GET' },
      execute: { href: `${s.baseUrl}/api/payment-intent/execute/sale.json?id=${b.id}`, method: 'POST' },
      approval_url: { href: `${s.baseUrl}/p/express-checkout/${b.id}/1`, method: 'GET' },
    });
  });

  it('accepts the WooCommerce body of api.md verbatim (url-encoded brackets)', async () => {
    const r = await postForm(createUrl(s), wooCommerceCreateBody(m.digital_account), m.auth);
    expect(r.status).toBe(200);
    expect(r.body.total).toEqual({ currency: VES, items: 20, shipping: 2, tax: 1.5, amount: 23.5 });
    expect(r.body.redirect_urls.return_url).toBe('http://shop.test/checkout/order-received/1042/?utm_nooverride=1');
    expect(r.body.transactions[0]).toMatchObject({
      description: 'Compra en http://shop.test- orden #1042',
      invoice_number: 'order1042',
      items: [{ name: 'Harina PAN 1kg', quantity: 2, price: 10, sku: null, currency: VES }],
      digital_account_destination: { username: m.digital_account },
    });
  });

  it('accepts the PHP SDK form_params rendering (http_build_query)', async () => {
    const r = await createSale(s, m, '20.00');
    expect(r.status).toBe(200);
    expect(r.body.total.amount).toBe(20);
    expect(r.body.transactions[0].items[0]).toEqual({ name: 'phone', quantity: 1, currency: VES, sku: 'P001', price: 20 });
  });

  it('accepts JSON with numeric-key objects for lists and JSON numbers for amounts', async () => {
    const r = await postJson(createUrl(s), {
      paymentintent: {
        intent: 'sale',
        redirectUrls: { returnUrl: 'http://localhost:3000/ok', cancelUrl: 'http://localhost:3000/ko' },
        transactions: {
          0: { amount: { total: 12.25 }, description: 'First', items: { 0: { name: 'a', price: 12.25 } } },
          1: { amount: { total: '7.75', details: { shipping: 1, tax: 0.75 } }, description: 'Second' },
        },
      },
    }, m.auth);
    expect(r.status).toBe(200);
    expect(r.body.transactions.map((t: { amount: { total: number } }) => t.amount.total)).toEqual([12.25, 7.75]);
    expect(r.body.total).toEqual({ currency: VES, items: 18.25, shipping: 1, tax: 0.75, amount: 20 });
    expect(r.body.transactions[1].amount.details).toEqual({ shipping: 1, tax: 0.75, sub_total: 6 });
  });

  it('stores amounts as exact integer minor units and sets the expiry', async () => {
    const r = await postJson(createUrl(s), saleDoc('0.29'), m.auth);
    expect(r.status).toBe(200);
    const row = await s.ctx.store.db.selectFrom('payment_intents').selectAll().where('id', '=', r.body.id).executeTakeFirstOrThrow();
    expect(Number(row.total_minor)).toBe(29);
    expect(Number(row.expires_at)).toBe(Number(row.created_at) + s.ctx.config.requestExpiryMs);
    expect(row.app_id).toBe(m.app_id);
    expect(r.body.total.amount).toBe(0.29);
  });

  it('is readable back with show.json', async () => {
    const r = await createSale(s, m, '5.00');
    const again = await show(s, m, r.body.id);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(r.body);
  });

  it('sends a sale without a destination to the app\'s receiving account, and to the new one once the merchant changes it', async () => {
    const first = await createSale(s, m, '3.00');
    expect(first.body.transactions[0].digital_account_destination.username).toBe(m.digital_account);
    const handle = `${m.digital_account}-caja2`;
    const second = await s.ctx.store.tx((tx) => insertDigitalAccount(tx, { userId: m.user_id, handle, name: 'Caja 2', nowMs: s.clock.now() }));
    await s.ctx.store.tx((tx) => tx.updateTable('apps').set({ receiving_account_id: second }).where('id', '=', m.app_id).execute());
    const after = await createSale(s, m, '4.00');
    expect(after.status).toBe(200);
    expect(after.body.transactions[0].digital_account_destination.username).toBe(handle);
    const [stored] = JSON.parse((await s.ctx.store.db.selectFrom('payment_intents').select('transactions_json')
      .where('id', '=', after.body.id).executeTakeFirstOrThrow()).transactions_json);
    expect(stored).toMatchObject({ destinationAccountId: second, destinationHandle: handle });
  });
});

describe('POST /api/payment-intent/.json: the 400 validation tree', () => {
  let s: TestServer;
  let m: Merchant;
  beforeAll(async () => {
    s = await testServer();
    m = await merchantWithToken(s);
  });
  afterAll(async () => s.close());

  const count = async () => Number((await s.ctx.store.db.selectFrom('payment_intents')
    .select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  it('answers an empty form with every field of the form, in Spanish by default', async () => {
    const r = await postForm(createUrl(s), 'paymentintent[recipient]=', m.auth);
    expect(r.status).toBe(400);
    expect(r.body).toEqual({
      code: 400,
      message: 'Validation Failed',
      errors: {
        children: {
          intent: { errors: ['Este valor no debería estar vacío.'] },
          redirectUrls: { children: {
            returnUrl: { errors: ['La URI de retorno es obligatoria.'] },
            cancelUrl: { errors: ['La URI de cancelación es obligatoria.'] },
          } },
          transactions: { errors: ['Debe indicar al menos una transacción.'], children: [] },
          recipient: {},
        },
      },
    });
    expect(await count()).toBe(0);
  });

  it('puts each error next to its field inside transactions, items and details', async () => {
    const doc = saleDoc('20.555');
    const t = doc.paymentintent.transactions[0] as Record<string, any>;
    t.amount.details.tax = '-1';
    t.amount.currency = 'USD';
    t.description = '';
    t.items = [{ name: '', price: 'abc', quantity: '0', sku: '', currency: 'VES' }];
    const r = await postForm(createUrl(s), doc, m.auth);
    expect(r.status).toBe(400);
    const txn = r.body.errors.children.transactions.children[0].children;
    expect(txn.amount.children.total).toEqual({ errors: ['El monto admite como máximo 2 decimales.'] });
    expect(txn.amount.children.currency).toEqual({ errors: ['Moneda no soportada: solo se acepta VES.'] });
    expect(txn.amount.children.details.children).toEqual({
      shipping: {}, tax: { errors: ['El monto no puede ser negativo.'] }, subTotal: { errors: ['El monto admite como máximo 2 decimales.'] },
    });
    expect(txn.description).toEqual({ errors: ['La descripción es obligatoria.'] });
    expect(txn.items.children[0].children).toEqual({
      name: { errors: ['El nombre del artículo es obligatorio.'] },
      price: { errors: ['El monto debe ser un número.'] },
      quantity: { errors: ['La cantidad debe ser un número entero entre 1 y 1000000.'] },
      sku: {},
      currency: {},
    });
    expect(txn.distributions).toEqual({ children: [] });
    expect(r.body.errors.children.intent).toEqual({});
    expect(await count()).toBe(0);
  });

  it('speaks English with Accept-Language: en', async () => {
    const r = await postForm(createUrl(s), saleDoc('0'), { ...m.auth, 'accept-language': 'en-US,en;q=0.9' });
    expect(r.status).toBe(400);
    expect(r.body.errors.children.transactions.children[0].children.amount.children.total)
      .toEqual({ errors: ['The amount must be greater than zero.'] });
  });

  it('rejects more than two decimals given as a JSON number, and a total of zero', async () => {
    for (const total of [20.001, 0, -5]) {
      const doc = saleDoc('1');
      (doc.paymentintent.transactions[0].amount as Record<string, unknown>).total = total;
      const r = await postJson(createUrl(s), doc, m.auth);
      expect(r.status).toBe(400);
      expect(r.body.errors.children.transactions.children[0].children.amount.children.total.errors).toHaveLength(1);
    }
    expect(await count()).toBe(0);
  });

  it('refuses an unknown intent and relative or non-http URLs', async () => {
    const doc = saleDoc('5');
    (doc.paymentintent as Record<string, unknown>).intent = 'authorize';
    doc.paymentintent.redirectUrls = { returnUrl: '/ok', cancelUrl: 'ftp://shop.example/ko' };
    const r = await postForm(createUrl(s), doc, m.auth);
    expect(r.status).toBe(400);
    expect(r.body.errors.children.intent.errors[0]).toMatch(/sale/);
    expect(r.body.errors.children.redirectUrls.children.returnUrl.errors).toEqual(['Debe ser una URL absoluta (http:// o https://).']);
    expect(r.body.errors.children.redirectUrls.children.cancelUrl.errors).toHaveLength(1);
  });

  it('refuses a destination account that is not the merchant\'s own', async () => {
    const other = await merchantWithToken(s);
    const r = await createSale(s, m, '5', { digitalAccountDestination: other.digital_account });
    expect(r.status).toBe(400);
    expect(r.body.errors.children.transactions.children[0].children.digitalAccountDestination.errors)
      .toEqual(['La cuenta digital de destino no pertenece a este comercio.']);
  });

  it('never answers a hostile or odd body with a 500', async () => {
    const bodies: unknown[] = [
      { paymentintent: 'x' }, { paymentintent: { transactions: 'x' } }, { paymentintent: { transactions: [null, 5] } },
      { paymentintent: { intent: ['sale'], transactions: [{ amount: { total: { a: 1 } }, items: 'x' }] } },
      { paymentintent: { intent: 'sale', transactions: Array.from({ length: 11 }, () => ({})) } }, [],
    ];
    for (const b of bodies) {
      const r = await postJson(createUrl(s), b, m.auth);
      expect(r.status).toBe(400);
    }
    expect(await count()).toBe(0);
  });
});

describe('POST /api/payment-intent/.json: authentication and method', () => {
  let s: TestServer;
  let m: Merchant;
  beforeAll(async () => {
    s = await testServer();
    m = await merchantWithToken(s);
  });
  afterAll(async () => s.close());

  it('401 without a token, 403 with an unknown one, before looking at the body', async () => {
    const none = await postForm(createUrl(s), 'x=1');
    expect(none.status).toBe(401);
    expect(none.body.error).toBe('invalid_grant');
    const bad = await postForm(createUrl(s), 'x=1', { authorization: 'Bearer nope' });
    expect(bad.status).toBe(403);
    expect(bad.body).toMatchObject({ code: 403 });
  });

  it('401 once the token expired', async () => {
    const r = await later(s, 3601_000, () => createSale(s, m));
    expect(r.status).toBe(401);
    expect(r.body.error).toBe('invalid_grant');
  });

  it('403 when the app lacks the permission the intent needs', async () => {
    await s.ctx.store.autocommit.updateTable('apps').set({ button_enabled: 0 }).where('id', '=', m.app_id).execute();
    const r = await createSale(s, m);
    expect(r.status).toBe(403);
    expect(r.body.code).toBe(403);
    await s.ctx.store.autocommit.updateTable('apps').set({ button_enabled: 1 }).where('id', '=', m.app_id).execute();
  });

  it('405 with Allow for a wrong method', async () => {
    const r = await fetch(createUrl(s), { method: 'DELETE', headers: m.auth });
    expect(r.status).toBe(405);
    expect(r.headers.get('allow')).toContain('POST');
    const ex = await get(`${s.baseUrl}/api/payment-intent/execute/sale.json`, m.auth);
    expect(ex.status).toBe(405);
    expect(ex.headers.get('allow')).toBe('POST');
  });
});
