import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP, launchBrowser, PHONE, screenshot } from '../helpers/browser.ts';
import { testServer, type TestServer } from '../helpers/env.ts';
import { postForm } from '../helpers/http.ts';
import { createPayer } from '../../src/sandbox/demo.ts';
import { issueCodes } from '../../src/onboarding/codes.service.ts';
import { makePng } from '../helpers/png.ts';
import { newPerson } from './web-client.ts';

/** Screenshots of the page as it is, on a phone and on a desktop; also checks nothing overflows the phone. */
async function shoot(page: Page, name: string): Promise<void> {
  await page.setViewportSize(PHONE);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, `${name} is wider than a phone`).toBeLessThanOrEqual(0);
  await screenshot(page, `onboarding-${name}-phone`);
  await page.setViewportSize(DESKTOP);
  await screenshot(page, `onboarding-${name}-desktop`);
}

async function fillRegistration(page: Page, person: Record<string, string>): Promise<void> {
  for (const [field, value] of Object.entries(person)) await page.locator(`#f-${field}`).fill(value);
}

describe('a new business walks the sandbox steps in Chromium', () => {
  let s: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    [s, browser] = await Promise.all([testServer(), launchBrowser()]);
    context = await browser.newContext({ viewport: DESKTOP, locale: 'es-VE' });
    page = await context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });

  it('signs up with the regular code, registers an app with a logo, and sells with its keys', async () => {
    await page.goto(`${s.baseUrl}/`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Sandbox para desarrolladores');
    await shoot(page, 'home-sandbox');

    // Step 1: the codes link answers the pair of codes.
    const [popup] = await Promise.all([context.waitForEvent('page'), page.click('#codes-link')]);
    await popup.waitForLoadState();
    const pair = JSON.parse((await popup.locator('body').textContent()) ?? '{}');
    expect(pair.regular).toMatch(/^[A-Za-z0-9]{8}$/);
    await popup.close();

    // Step 2: register a business account with the regular code.
    await page.click('#signup-business');
    expect(new URL(page.url()).pathname).toBe('/register/business');
    await shoot(page, 'register-business');
    const person = newPerson('business', { affiliationCode: pair.commercial });
    await fillRegistration(page, person);
    await page.click('button[type=submit]');
    await expect(page.locator('#f-affiliationCode-error').textContent()).resolves.toContain('«regular»');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('f-affiliationCode');
    await shoot(page, 'register-business-errors');
    await page.locator('#f-affiliationCode').fill(pair.regular);
    await page.locator('#f-password').fill(person.password);
    await page.locator('#f-pin').fill(person.pin);
    await page.click('button[type=submit]');
    await page.waitForURL('**/settings/apps?welcome=1');
    await shoot(page, 'apps-list-empty');

    // Sign out and sign in again, as a returning merchant would.
    await page.click('nav button[type=submit]');
    await page.waitForURL('**/login?out=1');
    await page.getByLabel('Usuario, teléfono o documento').fill(person.document);
    await page.getByLabel('Contraseña').fill(person.password);
    await page.click('main button[type=submit]');
    await page.waitForURL('**/wallet');
    await shoot(page, 'wallet-business');

    // Step 3: Settings > Aplicaciones oAuth > Registrar aplicación.
    await page.click('nav >> text=Aplicaciones oAuth');
    await page.click('#new-app');
    await shoot(page, 'apps-new');
    await page.locator('#f-name').fill('Bodegón Ávila');
    await page.locator('#f-description').fill('Tienda en línea de víveres y charcutería');
    await page.locator('#f-homeUrl').fill('https://bodegon-avila.example');
    await page.locator('#f-logo').setInputFiles({ name: 'not-a-logo.png', mimeType: 'image/png', buffer: Buffer.from('not an image') });
    await page.click('main button[type=submit]');
    await expect(page.locator('#f-logo-error').textContent()).resolves.toBe('El archivo no es una imagen PNG válida.');
    await shoot(page, 'apps-new-errors');
    await page.locator('#f-logo').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: makePng(96, 96) });
    await page.click('main button[type=submit]');
    await expect(page.locator('#app-name').textContent()).resolves.toBe('Bodegón Ávila');
    const clientId = (await page.locator('#client-id').textContent())!.trim();
    const clientSecret = (await page.locator('#client-secret').textContent())!.trim();
    expect(await page.locator('.head-row img.logo').first().evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(96);
    await shoot(page, 'apps-show-secret');

    // Step 4: the keys work against the API; the approval page shows the app's name and logo.
    const token = await postForm(`${s.baseUrl}/oauth/v2/token`, { grant_type: 'urn:client_apps', client_id: clientId, client_secret: clientSecret });
    expect(token.status, JSON.stringify(token.body)).toBe(200);
    const sale = await postForm(`${s.baseUrl}/api/payment-intent/.json`, {
      paymentintent: {
        intent: 'sale',
        redirectUrls: { returnUrl: 'https://bodegon-avila.example/ok', cancelUrl: 'https://bodegon-avila.example/ko' },
        transactions: [{ amount: { total: '42.50', currency: 'VES' }, description: 'Pedido 1', items: [{ name: 'Queso llanero 1kg', price: '42.50' }] }],
        recipient: '',
      },
    }, { authorization: `Bearer ${token.body.access_token}` });
    expect(sale.status, JSON.stringify(sale.body)).toBe(200);
    await page.goto(sale.body._links.approval_url.href);
    await expect(page.getByTestId('merchant-name').textContent()).resolves.toBe('Bodegón Ávila');
    const logo = page.locator('img.co-logo');
    expect(await logo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(96);
    await screenshot(page, 'onboarding-approval-with-logo');

    // The app page no longer shows the secret.
    await page.goto(`${s.baseUrl}/settings/apps`);
    await shoot(page, 'apps-list');
    await page.click('text=Bodegón Ávila');
    expect(await page.locator('#client-secret').count()).toBe(0);
    await page.locator('#f-handle').fill('nadie_por_aqui');
    await page.click('#distributions button[type=submit]');
    await expect(page.locator('#f-handle-error').textContent()).resolves.toBe('No existe una cuenta digital con ese nombre.');
    await shoot(page, 'apps-show');
  });

  it('lets a person register, add test funds and send money with the PIN', async () => {
    const friend = await createPayer(s.ctx, 0, { fullName: 'Pedro Gómez' });
    const ctx2 = await browser.newContext({ viewport: DESKTOP, locale: 'es-VE' });
    const p = await ctx2.newPage();
    try {
      await p.goto(`${s.baseUrl}/register`);
      await shoot(p, 'register-choose');
      await p.click('#register-personal');
      await shoot(p, 'register-personal');
      await fillRegistration(p, newPerson('personal', { pin: '2580' }));
      await p.click('main button[type=submit]');
      await p.waitForURL('**/wallet');
      await p.click('#test-funds');
      await shoot(p, 'wallet-funds');
      await p.locator('#f-amount').fill('500');
      await p.click('main button[type=submit]');
      await p.waitForURL('**/wallet?funded=*');
      await expect(p.locator('.notice').textContent()).resolves.toContain('Fondos de prueba agregados');
      await shoot(p, 'wallet');
      await p.click('#send-money');
      await p.locator('#f-recipient').fill(friend.phone);
      await p.locator('#f-amount').fill('120,75');
      await p.locator('#f-note').fill('Cumpleaños');
      await shoot(p, 'wallet-send');
      await p.click('main button[type=submit]');
      await expect(p.locator('#confirm-amount').textContent()).resolves.toBe('Bs. 120,75');
      await expect(p.locator('#confirm-recipient').textContent()).resolves.toContain('Pedro Gómez');
      await p.locator('#f-pin').fill('1111');
      await p.click('main button[type=submit]');
      await expect(p.locator('#f-pin-error').textContent()).resolves.toBe('El PIN es incorrecto.');
      await shoot(p, 'wallet-confirm-wrong-pin');
      await p.locator('#f-pin').fill('2580');
      await p.click('main button[type=submit]');
      await p.waitForURL('**/wallet/send/done?ref=*');
      await expect(p.locator('#sent-amount').textContent()).resolves.toBe('Bs. 120,75');
      await shoot(p, 'wallet-sent');
      await p.goto(`${s.baseUrl}/wallet`);
      await expect(p.locator('.amount').first().textContent()).resolves.toBe('Bs. 379,25');
      const friendBalance = await s.ctx.store.db.selectFrom('digital_accounts').select('balance_minor').where('handle', '=', friend.digital_account).executeTakeFirstOrThrow();
      expect(Number(friendBalance.balance_minor)).toBe(120_75);
      await p.goto(`${s.baseUrl}/lang/en?next=/wallet/send`);
      await expect(p.locator('h1').textContent()).resolves.toBe('Send money');
      await shoot(p, 'wallet-send-en');
    } finally {
      await ctx2.close();
    }
  });
});

describe('production pages in Chromium', () => {
  let p: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    [p, browser] = await Promise.all([testServer({ env: 'production' }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await p?.close();
  });

  it('shows a production home without sandbox parts and an app waiting for activation', async () => {
    const page = await browser.newPage({ viewport: DESKTOP, locale: 'es-VE' });
    await page.goto(`${p.baseUrl}/`);
    expect(await page.locator('.env-banner').count()).toBe(0);
    expect(await page.content()).not.toContain('codes.json');
    await shoot(page, 'home-production');
    const [code] = await p.ctx.store.tx((tx) => issueCodes(tx, 'commercial', 1, 'operator-1', p.clock.now()));
    await page.goto(`${p.baseUrl}/register/business`);
    await fillRegistration(page, newPerson('business', { affiliationCode: code }));
    await shoot(page, 'register-business-production');
    await page.click('main button[type=submit]');
    await page.waitForURL('**/settings/apps?welcome=1');
    await page.click('#new-app');
    await page.locator('#f-name').fill('Farmacia Central');
    await page.locator('#f-description').fill('Ventas en línea');
    await page.locator('#f-homeUrl').fill('https://farmacia-central.example');
    await page.click('main button[type=submit]');
    await expect(page.locator('#ready').textContent()).resolves.toContain('Pendiente de activación');
    expect(await page.locator('#golive-link').getAttribute('href')).toMatch(/^\/settings\/apps\/[^/]+\/golive$/);
    await shoot(page, 'apps-show-production');
    await page.close();
  });
});
