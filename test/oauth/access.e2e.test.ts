import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer, type TestServer } from '../helpers/env.ts';
import { launchBrowser, screenshot } from '../helpers/browser.ts';
import { postForm } from '../helpers/http.ts';
import { WebClient } from '../helpers/web.ts';
import { createMerchant, createPayer, type MerchantCreds, type PayerCreds } from '../../src/sandbox/demo.ts';
import { callApi, pkcePair } from './support.ts';

const REDIRECT = 'https://shop.example/oauth/callback';
const PHONE_375 = { width: 375, height: 740 } as const;

describe("removing an app's access in a real browser", () => {
  let s: TestServer;
  let browser: Browser;
  let m: MerchantCreds;
  let payer: PayerCreds;
  let accessToken: string;

  beforeAll(async () => {
    s = await testServer();
    m = await createMerchant(s.ctx, { appName: 'Farmacia La Esquina con un nombre bastante largo', homeUrl: 'https://farmacia-la-esquina.example' });
    await s.ctx.store.autocommit.updateTable('apps').set({ redirect_uris: JSON.stringify([REDIRECT]) }).where('id', '=', m.app_id).execute();
    payer = await createPayer(s.ctx, 0, { fullName: 'María Fernanda Pérez' });
    // The grant itself goes through the consent page over HTTP; the browser only manages it.
    const web = new WebClient(s.baseUrl);
    expect((await web.signIn(payer.username, payer.password)).status).toBe(303);
    const { verifier, challenge } = pkcePair();
    const params = {
      response_type: 'code', client_id: m.client_id, redirect_uri: REDIRECT, code_challenge: challenge, code_challenge_method: 'S256',
    };
    const r = await web.post('/oauth/v2/auth', { ...params, decision: 'approve' }, { csrfFrom: `/oauth/v2/auth?${new URLSearchParams(params)}` });
    const code = new URL(r.location!).searchParams.get('code')!;
    const t = await postForm(`${s.baseUrl}/oauth/v2/token`, {
      grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: REDIRECT,
      client_id: m.client_id, client_secret: m.client_secret,
    });
    expect(t.status).toBe(200);
    accessToken = t.body.access_token;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });

  it('signs in on a phone, opens the page from the menu, removes access and sees the notice', async () => {
    const context = await browser.newContext({ viewport: PHONE_375, locale: 'es-VE' });
    const page = await context.newPage();
    await page.goto(`${s.baseUrl}/login`);
    await page.fill('#login', payer.username);
    await page.fill('#password', payer.password);
    await Promise.all([page.waitForURL(/\/wallet$/), page.click('button[type=submit]')]);

    await Promise.all([page.waitForURL(/\/settings\/access$/), page.click('nav a[href="/settings/access"]')]);
    await expect(page.textContent('h1')).resolves.toBe('Aplicaciones con acceso a tu cuenta');
    const item = page.locator(`li[data-app-id="${m.app_id}"]`);
    await expect(item.locator('h2').textContent()).resolves.toBe('Farmacia La Esquina con un nombre bastante largo');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE_375.width);
    await screenshot(page, 'access-list-phone');

    await Promise.all([page.waitForURL(/\/settings\/access\?revoked=/), item.getByRole('button', { name: /Retirar acceso/ }).click()]);
    await expect(page.textContent('#access-revoked'))
      .resolves.toBe('Se retiró el acceso de Farmacia La Esquina con un nombre bastante largo a su cuenta.');
    await expect(page.locator('li.ax-item').count()).resolves.toBe(0);
    await expect(page.textContent('#access-none')).resolves.toBe('Ninguna aplicación tiene acceso a su cuenta.');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE_375.width);
    await screenshot(page, 'access-revoked-phone');
    expect(await callApi(s.ctx, accessToken)).toBe(403);
    await context.close();
  });
});
