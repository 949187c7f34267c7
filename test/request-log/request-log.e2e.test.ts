import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP, launchBrowser, screenshot } from '../helpers/browser.ts';
import { testServer, type TestServer } from '../helpers/env.ts';
import { postForm, phpQuery } from '../helpers/http.ts';
import { merchantWithToken, type Merchant } from '../billing/fixtures.ts';
import { saleDoc } from '../payment-intents/fixtures.ts';
import { flushLog } from './fixtures.ts';

// A business makes a sale through the API and finds that call in its app's request log, in
// Chromium on a laptop: the list, a filter by Idempotency-Key and the call's detail.

describe('request log in a real browser', () => {
  let s: TestServer;
  let browser: Browser;
  let m: Merchant;

  beforeAll(async () => {
    [s, browser] = await Promise.all([testServer(), launchBrowser()]);
    m = await merchantWithToken(s, { appName: 'Bodegón Ávila' });
  });
  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });

  it('at 1280 px: a fresh sale appears in the app’s request log, found by its Idempotency-Key, with both bodies', async () => {
    const other = await postForm(`${s.baseUrl}/api/payment-intent/.json`, phpQuery(saleDoc('3.00')), m.auth);
    expect(other.status).toBe(200);
    const sale = await postForm(`${s.baseUrl}/api/payment-intent/.json`, phpQuery(saleDoc('27.90')), { ...m.auth, 'idempotency-key': 'orden-7781' });
    expect(sale.status, sale.text).toBe(200);
    await flushLog(s);

    const context = await browser.newContext({ viewport: DESKTOP, locale: 'es-VE' });
    const page = await context.newPage();
    await page.goto(`${s.baseUrl}/login`);
    await page.fill('#login', m.username);
    await page.fill('#password', m.password);
    await Promise.all([page.waitForURL(`${s.baseUrl}/wallet`), page.click('main button[type=submit]')]);

    await page.goto(`${s.baseUrl}/settings/apps/${m.app_id}`);
    await Promise.all([page.waitForURL(`${s.baseUrl}/settings/apps/${m.app_id}/requests`), page.click('#request-log-link')]);
    await expect(page.locator('h1').textContent()).resolves.toBe('Registro de solicitudes');
    await expect(page.locator('#requests tbody tr').count()).resolves.toBe(2);
    const newest = page.locator('#requests tbody tr').first();
    await expect(newest.textContent()).resolves.toMatch(/POST\s+\/api\/payment-intent\/\.json[\s\S]*200[\s\S]*orden-7781/);

    await page.click('details.filters summary');
    await page.fill('#f-key', 'orden-7781');
    await Promise.all([page.waitForURL(/key=orden-7781/), page.click('#apply')]);
    await expect(page.locator('#requests tbody tr').count()).resolves.toBe(1);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'request-log-1280');

    await Promise.all([page.waitForURL(/\/requests\/\d+\?back=/), page.click('#requests tbody tr a')]);
    await expect(page.locator('#entry-status').textContent()).resolves.toBe('200');
    await expect(page.locator('#entry-key').textContent()).resolves.toBe('orden-7781');
    await expect(page.locator('#request-body').textContent()).resolves.toContain('"total": "27.90"');
    await expect(page.locator('#response-body').textContent()).resolves.toContain(`"id": "${sale.body.id}"`);
    await expect(page.locator('#entry-headers').textContent()).resolves.toContain('authorization: Bearer [REDACTED]');
    await expect(page.locator('body').textContent()).resolves.not.toContain(m.token);
    await screenshot(page, 'request-log-detail-1280');

    await Promise.all([page.waitForURL(/\/requests\?key=orden-7781$/), page.click('#back-to-log')]);
    await expect(page.locator('#requests tbody tr').count()).resolves.toBe(1);
    await context.close();
  });
});
