import http from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMerchant, createPayer, type MerchantCreds, type PayerCreds } from '../../src/sandbox/demo.ts';
import { DESKTOP, launchBrowser, PHONE, screenshot } from '../helpers/browser.ts';
import { testServer, type TestServer } from '../helpers/env.ts';
import { bearer, get, postForm } from '../helpers/http.ts';
import { logoPng } from '../helpers/png.ts';

/** The merchant's web shop: it only records where the customer's browser lands. */
async function startShop() {
  const hits: URL[] = [];
  const server = http.createServer((req, res) => {
    hits.push(new URL(req.url ?? '/', 'http://shop.local'));
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><title>Tienda</title><h1>Tienda de prueba</h1>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { base: `http://127.0.0.1:${port}`, hits, close: () => new Promise((r) => server.close(r)) };
}

describe('payment button in a real browser', () => {
  let s: TestServer;
  let shop: Awaited<ReturnType<typeof startShop>>;
  let browser: Browser;
  let merchant: MerchantCreds;
  let payer: PayerCreds;
  let token: string;

  beforeAll(async () => {
    [s, shop, browser] = await Promise.all([testServer(), startShop(), launchBrowser()]);
    merchant = await createMerchant(s.ctx, {
      appName: 'Bodegón El Ávila', businessName: 'Inversiones El Ávila, C.A.', homeUrl: 'https://bodegon-avila.test',
    });
    payer = await createPayer(s.ctx, 100_00, { fullName: 'María Pérez' });
    const t = await postForm(`${s.baseUrl}/oauth/v2/token`,
      `grant_type=urn:client_apps&client_id=${encodeURIComponent(merchant.client_id)}&client_secret=${encodeURIComponent(merchant.client_secret)}`);
    expect(t.status).toBe(200);
    token = t.body.access_token;
  });
  afterAll(async () => {
    await browser?.close();
    await shop?.close();
    await s?.close();
  });

  /** Creates a sale the way the WooCommerce plugin does. */
  async function createSale(order: number) {
    const r = await postForm(`${s.baseUrl}/api/payment-intent/.json`, {
      paymentintent: {
        intent: 'sale',
        redirectUrls: {
          returnUrl: `${shop.base}/checkout/order-received/${order}/?utm_nooverride=1`,
          cancelUrl: `${shop.base}/cart/?cancel_order=true`,
        },
        transactions: [{
          digitalAccountDestination: merchant.digital_account,
          amount: { total: '23.50', currency: 'VES', details: { shipping: '2.00', tax: '1.50', subTotal: '20' } },
          description: `Compra en ${shop.base}- orden #${order}`,
          invoiceNumber: `order${order}`,
          items: [
            { name: 'Harina PAN 1kg', quantity: '2', sku: '', price: '7.50', currency: 'VES' },
            { name: 'Café molido 500g', quantity: '1', sku: 'CAF500', price: '5.00', currency: 'VES' },
          ],
        }],
        recipient: '',
      },
    }, bearer(token));
    expect(r.status).toBe(200);
    expect(r.body.state).toBe('created');
    return { id: r.body.id as string, approvalUrl: r.body._links.approval_url.href as string };
  }

  async function newPage(viewport: { width: number; height: number }, locale = 'es-VE', javaScriptEnabled = true): Promise<Page> {
    const context = await browser.newContext({ viewport, locale, javaScriptEnabled });
    const page = await context.newPage();
    page.on('pageerror', (e) => {
      throw e;
    });
    return page;
  }

  const fitsWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

  const balanceOf = async (handle: string) => Number((await s.ctx.store.db.selectFrom('digital_accounts')
    .select('balance_minor').where('handle', '=', handle).executeTakeFirstOrThrow()).balance_minor);

  it('a customer signs in on a phone, authorizes, and the merchant executes the sale', async () => {
    const { id, approvalUrl } = await createSale(1042);
    const merchantBefore = await balanceOf(merchant.digital_account);
    const page = await newPage(PHONE);

    await page.goto(approvalUrl);
    await expect(page.getByTestId('merchant-name').textContent()).resolves.toBe('Bodegón El Ávila');
    await expect(page.getByTestId('total').textContent()).resolves.toBe('Bs. 23,50');
    expect(await page.content()).toContain('Café molido 500g');
    expect(await fitsWidth(page)).toBe(true);
    await screenshot(page, 'checkout-phone-1-signin');

    await page.getByLabel('Usuario, teléfono o documento').fill(payer.username);
    await page.getByLabel('Contraseña').fill('wrong-password1');
    await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Iniciar sesión' }).click()]);
    await expect(page.locator('#signin-error').textContent()).resolves.toContain('Usuario o contraseña incorrectos.');
    expect(await page.getByLabel('Usuario, teléfono o documento').inputValue()).toBe(payer.username);
    await screenshot(page, 'checkout-phone-2-wrong-password');

    await page.getByLabel('Contraseña').fill(payer.password);
    await page.getByRole('button', { name: 'Iniciar sesión' }).click();
    await page.getByTestId('payer-name').waitFor();
    await expect(page.getByTestId('payer-name').textContent()).resolves.toBe('María Pérez');
    await expect(page.getByTestId('balance').textContent()).resolves.toBe('Bs. 100,00');
    expect(await fitsWidth(page)).toBe(true);
    await screenshot(page, 'checkout-phone-3-signed-in');

    await page.getByRole('button', { name: /Autorizar pago/ }).click();
    await page.waitForURL(`${shop.base}/checkout/order-received/1042/**`);
    const landed = new URL(page.url());
    expect(landed.searchParams.get('utm_nooverride')).toBe('1');
    expect(landed.searchParams.get('paymentIntent')).toBe(id);
    expect(landed.searchParams.get('payerId')).toBe(payer.payer_id);
    expect(await balanceOf(payer.digital_account)).toBe(100_00);

    // The merchant executes at the bare path, as the WooCommerce plugin does.
    const exec = await postForm(`${s.baseUrl}/api/payment-intent/execute/sale.json`, {
      payment_execution: { paymentIntent: landed.searchParams.get('paymentIntent'), payer: landed.searchParams.get('payerId') },
    }, bearer(token));
    expect(exec.status).toBe(200);
    expect(exec.body.state).toBe('executed');
    expect(exec.body.payer.payer_info.id).toBe(payer.payer_id);
    const sale = exec.body.transactions[0].related_resources.sale;
    expect(sale.ref).toMatch(/^P\d{6}\d+$/);

    expect(await balanceOf(payer.digital_account)).toBe(76_50);
    expect(await balanceOf(merchant.digital_account)).toBe(merchantBefore + 23_50);
    const payment = await get(`${s.baseUrl}/api/payment/find.json?id=${sale.id}`, bearer(token));
    expect(payment.status).toBe(200);
    expect(payment.body).toMatchObject({ id: sale.id, ref: sale.ref, amount_total: '23.50', status: 9000 });

    // Back on the page (browser history), the payment is no longer available.
    await page.goto(approvalUrl);
    expect(await page.content()).toContain('Este pago ya no está disponible');
    await screenshot(page, 'checkout-phone-4-no-longer-available');
    await page.context().close();
  });

  it('a customer cancels on a desktop without JavaScript and lands on the cancel URL; the intent is canceled', async () => {
    await s.ctx.store.autocommit.updateTable('apps').set({ logo_png: logoPng() }).where('id', '=', merchant.app_id).execute();
    const { id, approvalUrl } = await createSale(1043);
    const page = await newPage(DESKTOP, 'es-VE', false);
    await page.goto(approvalUrl);
    const logo = page.locator('img.co-logo');
    await logo.waitFor();
    expect(await logo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(96);
    await screenshot(page, 'checkout-desktop-1-signin');

    await page.getByRole('button', { name: 'Cancelar y volver al comercio' }).click();
    await page.waitForURL(`${shop.base}/cart/**`);
    const landed = new URL(page.url());
    expect(landed.searchParams.get('cancel_order')).toBe('true');
    expect(landed.searchParams.get('paymentIntent')).toBe(id);
    expect(shop.hits.some((h) => h.searchParams.get('paymentIntent') === id)).toBe(true);

    const show = await get(`${s.baseUrl}/api/payment-intent/show.json?id=${id}`, bearer(token));
    expect(show.status).toBe(200);
    expect(show.body.state).toBe('canceled');
    await page.context().close();
  });

  it('shows a short balance clearly, in English too', async () => {
    const poor = await createPayer(s.ctx, 10_00, { fullName: 'Pedro Gómez' });
    const { id, approvalUrl } = await createSale(1044);
    const page = await newPage(PHONE, 'en-US');
    await page.goto(approvalUrl);
    await page.getByLabel('Username, phone or ID document').fill(poor.document);
    await page.getByLabel('Password').fill(poor.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('insufficient').waitFor();
    expect(await page.getByTestId('insufficient').textContent()).toContain('You are Bs. 13.50 short.');
    expect(await page.locator('#authorize').count()).toBe(0);
    expect(await fitsWidth(page)).toBe(true);
    await screenshot(page, 'checkout-phone-5-short-balance-en');
    await page.context().close();

    const desk = await newPage(DESKTOP);
    await desk.goto(approvalUrl);
    await desk.getByLabel('Usuario, teléfono o documento').fill(payer.phone);
    await desk.getByLabel('Contraseña').fill(payer.password);
    await desk.getByRole('button', { name: 'Iniciar sesión' }).click();
    await desk.getByTestId('payer-name').waitFor();
    await screenshot(desk, 'checkout-desktop-2-signed-in');
    await desk.context().close();
    const show = await get(`${s.baseUrl}/api/payment-intent/show.json?id=${id}`, bearer(token));
    expect(show.body.state).toBe('created');
  });
});
