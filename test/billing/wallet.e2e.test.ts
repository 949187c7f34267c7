import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverDue } from '../../src/callbacks/deliver.ts';
import type { PayerCreds } from '../../src/sandbox/demo.ts';
import { DESKTOP, launchBrowser, PHONE, screenshot } from '../helpers/browser.ts';
import { testServer, type TestServer } from '../helpers/env.ts';
import { get, postForm } from '../helpers/http.ts';
import { logoPng } from '../helpers/png.ts';
import { MerchantServer, signatureValid } from '../callbacks/merchant-server.ts';
import { balanceOf, createRequest, extraWallet, intentRow, merchantWithToken, payer, type Merchant } from './fixtures.ts';

describe('paying a billing request from the wallet in a real browser', () => {
  let s: TestServer;
  let browser: Browser;
  let m: Merchant;
  let maria: PayerCreds;
  let savings: string;
  const shop = new MerchantServer();

  beforeAll(async () => {
    [s, browser] = await Promise.all([testServer(), launchBrowser(), shop.start()]);
    m = await merchantWithToken(s, { appName: 'Panadería La Esquina', businessName: 'Panificadora La Esquina, C.A.', homeUrl: 'https://laesquina.test' });
    await s.ctx.store.autocommit.updateTable('apps').set({ logo_png: logoPng(96, [196, 120, 40]) }).where('id', '=', m.app_id).execute();
    maria = await payer(s, 30_00, { pin: '2580', fullName: 'María Pérez' });
    savings = await extraWallet(s, maria.payer_id, `maria_ahorro_${maria.username.slice(-4)}`, 500_00);
  });
  afterAll(async () => {
    await browser?.close();
    await shop.close();
    await s?.close();
  });

  it('signs in on a phone, pays with the PIN from the chosen account, and the merchant gets one signed callback', async () => {
    const intent = await createRequest(s, m, maria.username, {
      returnUrl: `${shop.base}/pos/ok?ticket=77`,
      cancelUrl: `${shop.base}/pos/cancel?ticket=77`,
      transactions: [{
        amount: { total: '48.75', currency: 'VES', details: { shipping: '3.00', tax: '5.75', subTotal: '40.00' } },
        description: 'Pedido #77 para llevar', invoiceNumber: 'F-0077',
        items: [
          { name: 'Pan campesino', quantity: '2', price: '12.50', currency: 'VES' },
          { name: 'Torta de chocolate (porción)', quantity: '1', price: '15.00', currency: 'VES' },
        ],
      }],
    });
    const context = await browser.newContext({ viewport: PHONE, locale: 'es-VE' });
    const page = await context.newPage();
    await page.goto(`${s.baseUrl}/login`);
    await page.fill('#login', maria.username);
    await page.fill('#password', maria.password);
    await Promise.all([page.waitForURL(`${s.baseUrl}/wallet`), page.click('button[type=submit]')]);
    const block = page.getByTestId('pending-requests');
    await expect(block.textContent()).resolves.toContain('Panadería La Esquina');
    await expect(block.textContent()).resolves.toContain('Bs. 48,75');
    await screenshot(page, 'billing-wallet-pending-phone');

    await Promise.all([page.waitForURL(`${s.baseUrl}/wallet/requests/${intent.id}`), page.click(`a[href="/wallet/requests/${intent.id}"]`)]);
    expect(await page.getByTestId('merchant-name').textContent()).toBe('Panadería La Esquina');
    expect(await page.getByTestId('total').textContent()).toBe('Bs. 48,75');
    // The account that can cover it is preselected; the main one holds only Bs. 30,00.
    expect(await page.locator('#account').inputValue()).toBe(savings);
    const logo = await page.locator('img.rq-logo').evaluate((img: HTMLImageElement) => img.naturalWidth);
    expect(logo).toBe(96);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'billing-request-phone');

    await page.fill('#pin', '1111');
    await Promise.all([page.waitForLoadState('load'), page.click('#pay')]);
    expect(await page.getByTestId('pin-error').textContent()).toBe('El PIN es incorrecto.');
    await screenshot(page, 'billing-request-wrong-pin-phone');

    await page.selectOption('#account', savings);
    await page.fill('#pin', '2580');
    await Promise.all([page.waitForURL(`${s.baseUrl}/wallet/requests/${intent.id}?paid=1`), page.click('#pay')]);
    expect(await page.getByTestId('notice').textContent()).toMatch(/Pago realizado\. Referencia P\d{13}/);
    await screenshot(page, 'billing-request-paid-phone');
    await context.close();

    expect(await balanceOf(s, maria.digital_account)).toBe(30_00);
    expect(Number((await s.ctx.store.db.selectFrom('digital_accounts').select('balance_minor').where('id', '=', savings)
      .executeTakeFirstOrThrow()).balance_minor)).toBe(500_00 - 48_75);

    expect(await deliverDue(s.ctx)).toMatchObject({ delivered: 1 });
    expect(shop.hits).toHaveLength(1);
    const hit = shop.hits[0];
    expect(hit.url).toBe(`${shop.base}/pos/ok?ticket=77&paymentIntent=${intent.id}&payerId=${maria.payer_id}`);
    const app = await s.ctx.store.db.selectFrom('apps').select('callback_secret').where('id', '=', m.app_id).executeTakeFirstOrThrow();
    expect(signatureValid(hit.headers['x-mpandco-signature'], app.callback_secret, hit.url)).toBe(true);

    // What the merchant does next: fetch the intent and check its state.
    const shown = await get(`${s.baseUrl}/api/payment-intent/show.json?id=${intent.id}`, m.auth);
    expect(shown.body.state).toBe('executed');
    expect(shown.body.redirect_urls.history_responses).toEqual([{ uri: hit.url, method: 'GET', status_code: 200, body: 'ok' }]);
    await deliverDue(s.ctx);
    expect(shop.hits).toHaveLength(1);
  });

  it('declines a request on a desktop without JavaScript, in English; the merchant’s cancel URL is called', async () => {
    shop.hits.length = 0;
    const intent = await createRequest(s, m, maria.username, {
      total: '12.00', returnUrl: `${shop.base}/pos/ok?ticket=78`, cancelUrl: `${shop.base}/pos/cancel?ticket=78`,
    });
    const context = await browser.newContext({ viewport: DESKTOP, javaScriptEnabled: false, locale: 'en-US', extraHTTPHeaders: { 'accept-language': 'en' } });
    const page = await context.newPage();
    await page.goto(`${s.baseUrl}/wallet/requests/${intent.id}`);
    await page.fill('#login', maria.phone);
    await page.fill('#password', maria.password);
    await Promise.all([page.waitForURL(`${s.baseUrl}/wallet/requests/${intent.id}`), page.click('button[type=submit]')]);
    expect(await page.locator('h2.rq-h2').first().textContent()).toBe('Details');
    await screenshot(page, 'billing-request-desktop-en');
    await Promise.all([page.waitForURL(`${s.baseUrl}/wallet/requests/${intent.id}?declined=1`), page.click('#decline')]);
    expect(await page.getByTestId('notice').textContent()).toBe('You declined this payment request.');
    await screenshot(page, 'billing-request-declined-desktop-en');
    await context.close();

    expect((await intentRow(s, intent.id)).state).toBe('rejected');
    expect(await deliverDue(s.ctx)).toMatchObject({ delivered: 1 });
    expect(shop.hits.map((h) => h.url)).toEqual([`${shop.base}/pos/cancel?ticket=78&paymentIntent=${intent.id}`]);
    const r = await postForm(`${s.baseUrl}/api/payment-intent/execute/request.json?id=${intent.id}`,
      { payment_execution: { payToken: savings, pin: '2580' } }, m.auth);
    expect(r.status).toBe(400);
  });
});
