import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PayerCreds } from '../../src/sandbox/demo.ts';
import { testServer, type TestServer } from '../helpers/env.ts';
import { postForm, postJson } from '../helpers/http.ts';
import { createSale, createUrl, merchantWithToken, payer, saleDoc, type Merchant } from './fixtures.ts';

function requestDoc(recipient: string, total = '15.00') {
  return {
    paymentintent: {
      intent: 'request',
      redirectUrls: { returnUrl: 'https://pos.example/callback', cancelUrl: 'https://pos.example/cancel' },
      transactions: [{ amount: { total, currency: 'VES' }, description: 'Factura 77', invoiceNumber: 'F77' }],
      recipient,
    },
  };
}

describe('payment requests (billing API)', () => {
  let s: TestServer;
  let m: Merchant;
  let maria: PayerCreds;
  beforeAll(async () => {
    s = await testServer();
    m = await merchantWithToken(s);
    maria = await payer(s, 0, { fullName: 'Maria Perez', document: 'V19123456', phone: '584125550001' });
  });
  afterAll(async () => s.close());

  it('finds the recipient by username, phone or identity document and returns its pay tokens', async () => {
    const wallet = await s.ctx.store.db.selectFrom('digital_accounts').select('id').where('handle', '=', maria.digital_account)
      .executeTakeFirstOrThrow();
    for (const login of [maria.username, '584125550001', 'V-19.123.456']) {
      const r = await postForm(createUrl(s), requestDoc(login), m.auth);
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({
        intent: 'request', state: 'created',
        payer: { payer_info: { id: maria.payer_id, _data: { fullname: '584125550001' } } },
        pay_tokens: [{ id: wallet.id, _data: { name: 'V19123456-Maria Perez' } }],
      });
      expect(r.body._links.execute.href).toBe(`${s.baseUrl}/api/payment-intent/execute/request.json?id=${r.body.id}`);
      expect(r.body._links.approval_url).toBeUndefined();
    }
  });

  it('requires a recipient that exists and is not the merchant itself', async () => {
    const cases: [string, string][] = [
      ['', 'Indique el pagador: usuario, teléfono o documento de identidad.'],
      ['nobody_here', 'No se encontró un usuario con ese usuario, teléfono o documento.'],
      [m.username, 'El comercio no puede cobrarse a sí mismo.'],
    ];
    for (const [login, message] of cases) {
      const r = await postForm(createUrl(s), requestDoc(login), m.auth);
      expect(r.status).toBe(400);
      expect(r.body.errors.children.recipient).toEqual({ errors: [message] });
    }
  });

  it('needs the billing API: 403 when the app does not have it', async () => {
    await s.ctx.store.autocommit.updateTable('apps').set({ billing_enabled: 0 }).where('id', '=', m.app_id).execute();
    const r = await postForm(createUrl(s), requestDoc(maria.username), m.auth);
    expect(r.status).toBe(403);
    expect(r.body.message).toMatch(/facturación/);
    const sale = await createSale(s, m, '3');
    expect(sale.status).toBe(200);
    await s.ctx.store.autocommit.updateTable('apps').set({ billing_enabled: 1 }).where('id', '=', m.app_id).execute();
  });
});

describe('distributions', () => {
  let s: TestServer;
  let m: Merchant;
  let partner: PayerCreds;
  let pending: PayerCreds;
  beforeAll(async () => {
    s = await testServer();
    m = await merchantWithToken(s);
    partner = await payer(s, 0);
    pending = await payer(s, 0);
    const ids = await s.ctx.store.db.selectFrom('digital_accounts').select(['id', 'handle'])
      .where('handle', 'in', [partner.digital_account, pending.digital_account]).execute();
    const idOf = (h: string) => ids.find((x) => x.handle === h)!.id;
    await s.ctx.store.autocommit.insertInto('app_distribution_accounts').values([
      { app_id: m.app_id, account_id: idOf(partner.digital_account), status: 'authorized', requested_at: 1, decided_at: 1, decided_by: null },
      { app_id: m.app_id, account_id: idOf(pending.digital_account), status: 'pending', requested_at: 1, decided_at: null, decided_by: null },
    ]).execute();
  });
  afterAll(async () => s.close());

  const dist = (handle: string, amount: string) => ({ digitalAccountDestination: handle, amount, description: 'Comisión' });

  it('accepts an authorized account and shows the distribution', async () => {
    const r = await createSale(s, m, '20.00', { distributions: [dist(partner.digital_account, '2.50')] });
    expect(r.status).toBe(200);
    expect(r.body.transactions[0].distributions).toEqual([{
      state: 'pending', digital_account_destination: { username: partner.digital_account }, amount: 2.5, description: 'Comisión',
    }]);
  });

  it('403 for an account not authorized on this app', async () => {
    const r = await createSale(s, m, '20.00', { distributions: [dist(pending.digital_account, '1')] });
    expect(r.status).toBe(403);
    expect(r.body).toEqual({ code: 403, message: `La cuenta ${pending.digital_account} no está autorizada para distribuciones en esta aplicación.` });
    const unknown = await createSale(s, m, '20.00', { distributions: [dist('no_such_account', '1')] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors.children.transactions.children[0].children.distributions.children[0].children.digitalAccountDestination.errors)
      .toEqual(['La cuenta digital de distribución no existe.']);
  });

  it('400 when the distributions add up to more than the transaction total', async () => {
    const r = await createSale(s, m, '10.00', {
      distributions: [dist(partner.digital_account, '6.00'), dist(partner.digital_account, '4.01')],
    });
    expect(r.status).toBe(400);
    expect(r.body.errors.children.transactions.children[0].children.distributions.errors)
      .toEqual(['La suma de las distribuciones (10.01) supera el total de la transacción (10.00).']);
    const exact = await createSale(s, m, '10.00', {
      distributions: [dist(partner.digital_account, '6.00'), dist(partner.digital_account, '4.00')],
    });
    expect(exact.status).toBe(200);
  });
});

describe('production redirect URLs and activation', () => {
  let s: TestServer;
  let m: Merchant;
  beforeAll(async () => {
    s = await testServer({ env: 'production' });
    m = await merchantWithToken(s, { homeUrl: 'https://www.shop.example' });
  });
  afterAll(async () => s.close());

  const withUrls = (returnUrl: string, cancelUrl: string) => {
    const d = saleDoc('5');
    d.paymentintent.redirectUrls = { returnUrl, cancelUrl };
    return d;
  };

  it('503 until an operator activates the app', async () => {
    const r = await postJson(createUrl(s), withUrls('https://shop.example/ok', 'https://shop.example/ko'), m.auth);
    expect(r.status).toBe(503);
    expect(r.body.code).toBe(503);
    await s.ctx.store.autocommit.updateTable('apps').set({ ready: 1 }).where('id', '=', m.app_id).execute();
  });

  it('requires https on the app\'s own domain or a subdomain of it', async () => {
    const bad = await postJson(createUrl(s), withUrls('http://shop.example/ok', 'https://evil.example/ko'), m.auth);
    expect(bad.status).toBe(400);
    const urls = bad.body.errors.children.redirectUrls.children;
    expect(urls.returnUrl.errors).toEqual(['En producción la URL debe usar https://.']);
    expect(urls.cancelUrl.errors).toEqual(['La URL debe pertenecer al dominio de la aplicación (shop.example).']);
    for (const [ret, cancel] of [['https://shop.example/ok', 'https://pay.shop.example/ko'], ['https://www.shop.example/ok?x=1', 'https://SHOP.example/ko']]) {
      const ok = await postJson(createUrl(s), withUrls(ret, cancel), m.auth);
      expect(ok.status).toBe(200);
    }
    for (const evil of ['https://shop.example.evil.test/ok', 'https://notshop.example/ok', 'https://localhost/ok']) {
      const r = await postJson(createUrl(s), withUrls(evil, 'https://shop.example/ko'), m.auth);
      expect(r.status).toBe(400);
      expect(r.body.errors.children.redirectUrls.children.returnUrl.errors).toHaveLength(1);
    }
  });

  it('reads a fully qualified home host (trailing dot) the same as without it', async () => {
    await s.ctx.store.autocommit.updateTable('apps').set({ home_url: 'https://www.shop.example./' }).where('id', '=', m.app_id).execute();
    try {
      for (const ret of ['https://shop.example/ok', 'https://pay.shop.example./ok']) {
        const ok = await postJson(createUrl(s), withUrls(ret, 'https://shop.example/ko'), m.auth);
        expect(ok.status, ret).toBe(200);
      }
      const evil = await postJson(createUrl(s), withUrls('https://evil.example./ok', 'https://shop.example/ko'), m.auth);
      expect(evil.status).toBe(400);
    } finally {
      await s.ctx.store.autocommit.updateTable('apps').set({ home_url: 'https://www.shop.example' }).where('id', '=', m.app_id).execute();
    }
  });

  it('keeps the billing API off until granted (403)', async () => {
    const p = await payer(s, 0);
    const r = await postJson(createUrl(s), {
      paymentintent: { ...withUrls('https://shop.example/ok', 'https://shop.example/ko').paymentintent, intent: 'request', recipient: p.username },
    }, m.auth);
    expect(r.status).toBe(403);
  });
});
