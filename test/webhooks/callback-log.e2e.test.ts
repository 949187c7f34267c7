import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverDue } from '../../src/callbacks/deliver.ts';
import { deliverDueWebhooks } from '../../src/callbacks/webhook-deliver.ts';
import { approveWithSandboxTester } from '../../src/sandbox/approval.service.ts';
import type { PayerCreds } from '../../src/sandbox/demo.ts';
import { launchBrowser, PHONE, screenshot } from '../helpers/browser.ts';
import { testServer, type TestServer } from '../helpers/env.ts';
import { createRequest, executeDoc, merchantWithToken, payer, type Merchant } from '../billing/fixtures.ts';
import { createSale, executeAs } from '../payment-intents/fixtures.ts';
import { MerchantServer } from '../callbacks/merchant-server.ts';
import { HookServer, verifyWebhook } from './hook-server.ts';

// A business on a phone: sets its webhook, then finds the callback and the webhook of a
// fresh sale in its app's delivery log, presses Reenviar and sees the new attempt.

describe('the callback log in a real browser', () => {
  let s: TestServer;
  let browser: Browser;
  let m: Merchant;
  let p: PayerCreds;
  const shop = new MerchantServer();
  const hook = new HookServer();

  beforeAll(async () => {
    [s, browser] = await Promise.all([testServer(), launchBrowser(), shop.start(), hook.start()]);
    m = await merchantWithToken(s, { appName: 'Panadería Los Próceres' });
    p = await payer(s, 500_00, { pin: '8642' });
  });
  afterAll(async () => {
    await browser?.close();
    await s?.close();
    await shop.close();
    await hook.close();
  });

  async function noOverflow(page: Page, name: string) {
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, `${name} is wider than the phone`).toBeLessThanOrEqual(0);
  }

  it('shows a fresh sale’s callback and webhook, and Reenviar adds an attempt', async () => {
    const context = await browser.newContext({ viewport: PHONE, locale: 'es-VE' });
    const page = await context.newPage();
    await page.goto(`${s.baseUrl}/login`);
    await page.fill('#login', m.username);
    await page.fill('#password', m.password);
    await Promise.all([page.waitForURL(`${s.baseUrl}/wallet`), page.click('main button[type=submit]')]);

    await page.goto(`${s.baseUrl}/settings/apps/${m.app_id}`);
    await Promise.all([page.waitForURL(/\/webhook$/), page.click('#webhook-link')]);
    await page.fill('#f-url', hook.url);
    await page.check('input[name=events][value="sale.executed"]');
    await page.check('input[name=events][value="request.paid"]');
    await Promise.all([page.waitForURL(/done=saved/), page.click('#save-webhook')]);
    await expect(page.locator('#notice').textContent()).resolves.toBe('Webhook guardado.');
    await page.click('summary:has-text("Mostrar secreto")');
    const secret = (await page.locator('#webhook-secret').textContent())!;
    await noOverflow(page, 'webhook settings');
    await screenshot(page, 'callback-log-webhook-phone');

    // The fresh sale: a billing request paid at the cashier (its callback GETs the shop) and a
    // payment-button sale executed (a webhook).
    const request = await createRequest(s, m, p.username, { total: '7.25', returnUrl: `${shop.base}/mpandco/ok?pedido=31` });
    expect((await executeDoc(s, m, request.id, request.pay_tokens[0].id, p.pin)).status).toBe(200);
    const sale = await createSale(s, m, '12.00');
    await approveWithSandboxTester(s.ctx, sale.body.id, p.username, p.pin);
    expect((await executeAs(s, m, sale.body.id, p.payer_id)).status).toBe(200);
    expect(await deliverDue(s.ctx)).toMatchObject({ delivered: 1 });
    expect(await deliverDueWebhooks(s.ctx)).toMatchObject({ delivered: 2 });
    expect(hook.received.every((d) => verifyWebhook(d.headers['x-mpandco-signature'], secret, d.raw))).toBe(true);

    await page.goto(`${s.baseUrl}/settings/apps/${m.app_id}`);
    await Promise.all([page.waitForURL(/\/callbacks$/), page.click('#callback-log-link')]);
    const callback = page.locator('li.delivery[data-kind="callback"]');
    await expect(callback.count()).resolves.toBe(1);
    await expect(callback.locator('.status').textContent()).resolves.toBe('Entregado');
    await expect(callback.locator('.dest').textContent()).resolves.toContain(`${shop.base}/mpandco/ok?pedido=31&paymentIntent=${request.id}`);
    await expect(callback.locator('tr.attempt').count()).resolves.toBe(1);
    await expect(page.locator('li.delivery[data-kind="webhook"]').count()).resolves.toBe(2);
    await expect(page.locator('li.delivery[data-kind="webhook"] strong').first().textContent()).resolves.toMatch(/Webhook \(POST\) · (sale\.executed|request\.paid)/);
    await noOverflow(page, 'callback log');

    await Promise.all([page.waitForURL(/done=resent/), callback.locator('button.resend').click()]);
    await expect(page.locator('#notice').textContent()).resolves.toContain('Entrega puesta de nuevo en la cola');
    await expect(callback.locator('.status').textContent()).resolves.toBe('Pendiente');
    await expect(callback.locator('.next-retry').textContent()).resolves.toMatch(/^Próximo intento: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(await deliverDue(s.ctx)).toMatchObject({ delivered: 1 });
    await page.reload();
    await expect(callback.locator('.status').textContent()).resolves.toBe('Entregado');
    await expect(callback.locator('tr.attempt').count()).resolves.toBe(2);
    await expect(callback.locator('tr.attempt .result').allTextContents()).resolves.toEqual(['HTTP 200 · entregado', 'HTTP 200 · entregado']);
    expect(shop.hits.filter((h) => h.query.get('paymentIntent') === request.id)).toHaveLength(2);
    await screenshot(page, 'callback-log-resent-phone');
    await context.close();
  });
});
