import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer, type TestServer } from '../helpers/env.ts';
import { launchBrowser, screenshot, DESKTOP, PHONE } from '../helpers/browser.ts';
import { postForm } from '../helpers/http.ts';
import { createMerchant, createPayer, type MerchantCreds, type PayerCreds } from '../../src/sandbox/demo.ts';
import { callApi, pkcePair } from './support.ts';

describe('consent in a real browser', () => {
  let s: TestServer;
  let browser: Browser;
  let shop: http.Server;
  let redirectUri: string;
  let m: MerchantCreds;
  let payer: PayerCreds;
  const arrivals: URL[] = [];

  beforeAll(async () => {
    s = await testServer();
    shop = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', redirectUri);
      // Browsers also ask for /favicon.ico; only the callback counts.
      if (url.pathname === '/oauth/callback') arrivals.push(url);
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
    await new Promise<void>((resolve) => shop.listen(0, '127.0.0.1', resolve));
    redirectUri = `http://127.0.0.1:${(shop.address() as AddressInfo).port}/oauth/callback`;
    m = await createMerchant(s.ctx, { appName: 'Farmacia La Esquina', homeUrl: 'https://farmacia.example' });
    await s.ctx.store.autocommit.updateTable('apps').set({ redirect_uris: JSON.stringify([redirectUri]) }).where('id', '=', m.app_id).execute();
    payer = await createPayer(s.ctx, 0, { fullName: 'María Fernanda Pérez' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => shop?.close(resolve));
    await s?.close();
  });

  async function signInAndReachConsent(viewport: { width: number; height: number }, challenge: string, state: string) {
    const context = await browser.newContext({ viewport, locale: 'es-VE' });
    const page = await context.newPage();
    const q = new URLSearchParams({
      response_type: 'code', client_id: m.client_id, redirect_uri: redirectUri, state,
      code_challenge: challenge, code_challenge_method: 'S256', scope: 'API',
    });
    await page.goto(`${s.baseUrl}/oauth/v2/auth?${q}`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.fill('#login', payer.username);
    await page.fill('#password', payer.password);
    await Promise.all([page.waitForURL(/\/oauth\/v2\/auth\?/), page.click('button[type=submit]')]);
    await expect(page.textContent('h1')).resolves.toContain('Farmacia La Esquina quiere acceder a su cuenta');
    return { context, page };
  }

  it('signs in, approves on a phone, and the shop redeems the code for the person', async () => {
    const { verifier, challenge } = pkcePair();
    const { context, page } = await signInAndReachConsent(PHONE, challenge, 'phone-1');
    await expect(page.textContent('[data-testid=consent-user]')).resolves.toBe('María Fernanda Pérez');
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'oauth-consent-phone');
    await Promise.all([page.waitForURL(`${redirectUri}?**`), page.click('#approve')]);
    const arrived = arrivals.at(-1)!;
    expect(arrived.searchParams.get('state')).toBe('phone-1');
    const code = arrived.searchParams.get('code')!;
    const t = await postForm(`${s.baseUrl}/oauth/v2/token`, {
      grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: redirectUri,
      client_id: m.client_id, client_secret: m.client_secret,
    });
    expect(t.status).toBe(200);
    expect(await callApi(s.ctx, t.body.access_token)).toMatchObject({ user: { id: payer.payer_id }, app: { id: m.app_id } });
    await context.close();
  });

  it('denies on a desktop and the shop learns access_denied', async () => {
    const { context, page } = await signInAndReachConsent(DESKTOP, pkcePair().challenge, 'desk-2');
    await screenshot(page, 'oauth-consent-desktop');
    await Promise.all([page.waitForURL(`${redirectUri}?**`), page.click('#deny')]);
    const arrived = arrivals.at(-1)!;
    expect(arrived.searchParams.get('error')).toBe('access_denied');
    expect(arrived.searchParams.get('state')).toBe('desk-2');
    expect(arrived.searchParams.get('code')).toBeNull();
    await context.close();
  });
});
