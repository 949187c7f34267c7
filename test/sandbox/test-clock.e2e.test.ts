import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PayerCreds } from '../../src/sandbox/demo.ts';
import { DESKTOP, launchBrowser, screenshot } from '../helpers/browser.ts';
import { testServer, type TestServer } from '../helpers/env.ts';
import { executedSale, fundedPayer, liveMerchant, type Merchant } from './fixtures.ts';

// In Chromium: a business's executed sale can be annulled from the dashboard; the business
// advances its sandbox test clock 25 hours on its app's page, and the sale no longer can.

describe('the sandbox test clock in a real browser', () => {
  let s: TestServer;
  let browser: Browser;
  let m: Merchant;
  let p: PayerCreds;
  beforeAll(async () => {
    [s, browser] = await Promise.all([testServer(), launchBrowser()]);
    m = await liveMerchant(s);
    p = await fundedPayer(s, 1_000_00);
  });
  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });

  it('moves an executed sale past its annul window from the app page', async () => {
    const sale = await executedSale(s, m, p.payer_id, '18.40');
    const context = await browser.newContext({ viewport: DESKTOP, locale: 'es-VE' });
    const page = await context.newPage();
    await page.goto(`${s.baseUrl}/login`);
    await page.fill('#login', m.username);
    await page.fill('#password', m.password);
    await Promise.all([page.waitForURL(`${s.baseUrl}/wallet`), page.click('main button[type=submit]')]);

    await page.goto(`${s.baseUrl}/dashboard/payments/${sale}`);
    await expect(page.locator('#annul').isVisible()).resolves.toBe(true);
    await expect(page.locator('#annul-closed').count()).resolves.toBe(0);

    await page.goto(`${s.baseUrl}/settings/apps/${m.app_id}`);
    await expect(page.locator('#clock-offset').textContent()).resolves.toBe('hora real');
    await page.fill('#clock-amount', '25');
    await page.selectOption('#clock-unit', 'h');
    await Promise.all([page.waitForURL(`${s.baseUrl}/settings/apps/${m.app_id}#test-clock`), page.click('#clock-advance')]);
    await expect(page.locator('#clock-offset').textContent()).resolves.toBe('1d 1h');
    await screenshot(page, 'sandbox-test-clock-app');

    await page.goto(`${s.baseUrl}/dashboard/payments/${sale}`);
    await expect(page.locator('#annul').count()).resolves.toBe(0);
    await expect(page.locator('#annul-closed').textContent()).resolves.toMatch(/^Ya no se puede anular: el plazo de 24 horas venció el \d{4}-\d\d-\d\d/);
    await screenshot(page, 'sandbox-test-clock-detail');
    await context.close();
  });
});
