import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP, launchBrowser, screenshot } from '../helpers/browser.ts';
import { testServer, type TestServer } from '../helpers/env.ts';
import { createPayer, type PayerCreds } from '../../src/sandbox/demo.ts';
import { merchantWithToken, paidSale, type Merchant } from './fixtures.ts';

// A business in Chromium, on a laptop and on a phone: finds a payment by its reference,
// opens it, annuls it, exports the filter and reads the chart; edits an app; and reloading
// the page of a new app creates nothing.

const NARROW = { width: 375, height: 812 } as const;

describe('merchant dashboard in a real browser', () => {
  let s: TestServer;
  let browser: Browser;
  let m: Merchant;
  let payer: PayerCreds;

  beforeAll(async () => {
    [s, browser] = await Promise.all([testServer(), launchBrowser()]);
    m = await merchantWithToken(s, { appName: 'Bodegón Ávila' });
    payer = await createPayer(s.ctx, 1_000_00);
  });
  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });

  async function signedIn(viewport: { width: number; height: number }): Promise<Page> {
    const context = await browser.newContext({ viewport, locale: 'es-VE', acceptDownloads: true });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: s.baseUrl });
    const page = await context.newPage();
    await page.goto(`${s.baseUrl}/login`);
    await page.fill('#login', m.username);
    await page.fill('#password', m.password);
    await Promise.all([page.waitForURL(`${s.baseUrl}/wallet`), page.click('main button[type=submit]')]);
    return page;
  }

  async function noOverflow(page: Page, name: string) {
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, `${name} is wider than the screen`).toBeLessThanOrEqual(0);
  }

  for (const [label, viewport] of [['1280', DESKTOP], ['375', NARROW]] as const) {
    it(`at ${label} px: finds a payment by reference, opens it, annuls it, exports the filter and sees the chart`, async () => {
      const sale = await paidSale(s, m, payer.payer_id, '18.40', { invoiceNumber: `PED-${label}` });
      const ref: string = sale.transactions[0].related_resources.sale.ref;
      const page = await signedIn(viewport);
      await page.click('header nav >> text=Pagos');
      await page.waitForURL(`${s.baseUrl}/dashboard`);
      await page.fill('#f-q', ref);
      await Promise.all([page.waitForURL(/\/dashboard\?q=/), page.click('#search')]);
      await expect(page.locator('#payments tbody tr').count()).resolves.toBe(1);
      await expect(page.locator('#total-amount').textContent()).resolves.toBe('Bs. 18,40');
      await noOverflow(page, 'search result');
      await screenshot(page, `dashboard-search-${label}`);

      await Promise.all([page.waitForURL(`${s.baseUrl}/dashboard/payments/${sale.id}`), page.click(`#payments a:has-text("${ref}")`)]);
      await expect(page.locator('#detail-title').textContent()).resolves.toBe('Venta de Bs. 18,40');
      await expect(page.locator('#timeline').textContent()).resolves.toContain('Ejecutado');
      await noOverflow(page, 'detail');
      await page.fill('#f-confirm', m.pin);
      await Promise.all([page.waitForURL(/annulled=1/), page.click('#annul')]);
      await expect(page.locator('#annulled-notice').textContent()).resolves.toBe('Pago anulado: el dinero volvió al pagador.');
      await expect(page.locator('[data-state="annulled"]').first().isVisible()).resolves.toBe(true);
      await screenshot(page, `dashboard-annulled-${label}`);

      await page.goto(`${s.baseUrl}/dashboard?state=annulled`);
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export')]);
      const csv = fs.readFileSync((await download.path())!, 'utf8');
      expect(download.suggestedFilename()).toMatch(/^pagos-\d{4}-\d{2}-\d{2}\.csv$/);
      expect(csv).toContain(`;Venta;Anulado;${ref};PED-${label};`);
      expect(csv.trim().split('\r\n').length - 1).toBe(label === '1280' ? 1 : 2);

      await page.click('nav[aria-label="Secciones del panel"] >> text=Gráficos');
      await page.waitForURL(`${s.baseUrl}/dashboard/charts`);
      await expect(page.locator('#chart-volume').isVisible()).resolves.toBe(true);
      expect(await page.locator('#chart-volume rect.bar').count()).toBe(30);
      await noOverflow(page, 'charts');
      await screenshot(page, `dashboard-charts-${label}`);
      await page.context().close();
    });
  }

  it('edits an app on a phone, with copy buttons beside its keys', async () => {
    const page = await signedIn(NARROW);
    await page.goto(`${s.baseUrl}/settings/apps/${m.app_id}`);
    const copy = page.locator('#client-id + button.copy');
    await copy.click();
    // The label changes once the clipboard has taken the text (a promise in the page).
    await expect.poll(() => copy.textContent(), { timeout: 5_000 }).toBe('Copiado');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(m.client_id);
    await page.click('#edit-app');
    await page.fill('#f-name', 'Bodegón Ávila Centro');
    await page.fill('#f-description', 'Víveres, charcutería y licores');
    await noOverflow(page, 'edit form');
    await Promise.all([page.waitForURL(/done=saved/), page.click('#save-app')]);
    await expect(page.locator('#app-name').textContent()).resolves.toBe('Bodegón Ávila Centro');
    await expect(page.locator('p.notice').textContent()).resolves.toBe('Cambios guardados.');
    await screenshot(page, 'apps-edited-375');
    await page.context().close();
  });

  it('reloading the page of a new app creates nothing and no longer shows its secret', async () => {
    const page = await signedIn(DESKTOP);
    await page.goto(`${s.baseUrl}/settings/apps/new`);
    await page.fill('#f-name', 'Caja de la tienda');
    await page.fill('#f-description', 'Punto de venta');
    await page.fill('#f-homeUrl', 'https://caja.example.com');
    await page.click('main button[type=submit]');
    await page.locator('#client-secret').waitFor();
    const apps = async () => (await s.ctx.store.db.selectFrom('apps').select('id').where('owner_user_id', '=', m.user_id).execute()).length;
    expect(await apps()).toBe(2);
    await page.reload();
    await expect(page.locator('#app-name').textContent()).resolves.toBe('Caja de la tienda');
    expect(await page.locator('#client-secret').count()).toBe(0);
    expect(await apps()).toBe(2);
    await page.context().close();
  });
});
