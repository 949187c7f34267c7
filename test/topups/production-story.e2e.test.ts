import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activateApp, setBilling } from '../../src/backoffice/app-admin.service.ts';
import { SYSTEM } from '../../src/ledger/system-accounts.ts';
import { createPayer, type PayerCreds } from '../../src/sandbox/demo.ts';
import { DESKTOP, launchBrowser, screenshot } from '../helpers/browser.ts';
import { testServer, type TestServer } from '../helpers/env.ts';
import { bearer, postJson } from '../helpers/http.ts';
import { requestDoc } from '../billing/fixtures.ts';
import { accessToken, makeOperator, productionApp, productionBusiness, type Business } from '../backoffice/fixtures.ts';
import { balance, bank, verifiedOk } from './fixtures.ts';

// Production from nothing: a person tops up by bank transfer, an operator confirms it by
// importing the bank's statement, the person pays a shop, the shop withdraws to its bank
// and the operator marks it paid. Balances and `ledger verify` are exact at each step.

const NARROW = { width: 375, height: 812 } as const;
const SHOP_ACCOUNT = '01050001230009876543';

describe('a real wallet in production, in Chromium', () => {
  let s: TestServer;
  let browser: Browser;
  let op: { id: string; username: string; password: string };
  let marta: PayerCreds;
  let shop: Business;
  let token: string;

  beforeAll(async () => {
    [s, browser] = await Promise.all([testServer({ env: 'production' }), launchBrowser()]);
    op = await makeOperator(s.ctx);
    marta = await createPayer(s.ctx, 0, { fullName: 'Marta Gil', pin: '4826' });
    shop = await productionBusiness(s.ctx, op.id, 'panaderia_sol');
    const { app } = await productionApp(s.ctx, shop);
    const actor = { operatorId: op.id, via: 'web' as const };
    await s.ctx.store.tx((tx) => activateApp(tx, actor, app.id, null, s.clock.now(), true));
    await s.ctx.store.tx((tx) => setBilling(tx, actor, app.id, true, null, s.clock.now()));
    token = await accessToken(s.ctx, app.id, shop.userId);
  });
  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });

  async function signedIn(login: string, password: string, viewport = NARROW): Promise<Page> {
    const context = await browser.newContext({ viewport, locale: 'es-VE', acceptDownloads: true });
    const page = await context.newPage();
    await page.goto(`${s.baseUrl}/login`);
    await page.fill('#login', login);
    await page.fill('#password', password);
    await Promise.all([page.waitForURL(`${s.baseUrl}/wallet`), page.click('main button[type=submit]')]);
    return page;
  }
  async function operator(): Promise<Page> {
    const page = await (await browser.newContext({ viewport: DESKTOP, locale: 'es-VE', acceptDownloads: true })).newPage();
    await page.goto(`${s.baseUrl}/backoffice/login`);
    await page.fill('#login', op.username);
    await page.fill('#password', op.password);
    await Promise.all([page.waitForURL(`${s.baseUrl}/backoffice`), page.click('main button[type=submit]')]);
    return page;
  }
  async function fitsTheScreen(page: Page, what: string) {
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, `${what} is wider than the screen`).toBeLessThanOrEqual(0);
  }

  it('tops up, confirms by statement, pays a shop, withdraws and pays out, exact at every step', async () => {
    // 1. Marta declares a bank transfer of Bs. 150,00.
    const person = await signedIn(marta.username, marta.password);
    await expect(person.getByTestId(`balance-${marta.digital_account}`).textContent()).resolves.toBe('Bs. 0,00');
    await Promise.all([person.waitForURL(`${s.baseUrl}/wallet/topup`), person.click('#topup')]);
    await expect(person.locator('#platform-account').textContent()).resolves.toBe('01340000000000000000');
    await fitsTheScreen(person, 'top-up page');
    await person.selectOption('#f-bank', '0102');
    await person.fill('#f-reference', '0048213377');
    await person.fill('#f-amount', '150,00');
    await Promise.all([person.waitForURL(`${s.baseUrl}/wallet/topup?sent=1`), person.click('#declare')]);
    await expect(person.locator('#topup-sent').isVisible()).resolves.toBe(true);
    await expect(person.locator('#my-topups tr[data-status="pending"]').count()).resolves.toBe(1);
    await screenshot(person, 'production-topup-declared-375');
    expect(await balance(s.ctx, marta.digital_account)).toBe(0);
    await verifiedOk(s.ctx);

    // 2. The operator imports the bank statement and confirms what matched.
    const ops = await operator();
    await ops.click('nav.bo-nav >> text=Recargas');
    await expect(ops.getByTestId('total-pending').textContent()).resolves.toBe('1 por Bs. 150,00');
    const csv = 'Fecha;Referencia;Descripción;Monto\r\n26/11/2026;48213377;TRANSF MARTA GIL;150,00\r\n26/11/2026;11112222;OTRO ABONO;75,00\r\n';
    await ops.setInputFiles('#statement', { name: 'estado-banesco.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await Promise.all([ops.waitForURL(/\/backoffice\/topups\/imports\//), ops.click('#import-submit')]);
    await expect(ops.locator('#outcome-matched tr[data-reference="48213377"]').count()).resolves.toBe(1);
    await expect(ops.locator('#outcome-unmatched tr[data-reference="11112222"]').count()).resolves.toBe(1);
    await screenshot(ops, 'production-statement-review');
    await ops.click('#apply');
    await ops.locator('#applied').waitFor();
    await expect(ops.locator('#applied').textContent()).resolves.toBe('Aplicado: 1 recargas confirmadas.');
    expect(await balance(s.ctx, marta.digital_account)).toBe(150_00);
    expect(await bank(s.ctx)).toBe(-150_00);
    await verifiedOk(s.ctx);

    // 3. The shop bills Marta; she pays from her wallet with her PIN.
    const created = await postJson(`${s.baseUrl}/api/payment-intent/.json`, requestDoc(marta.username, {
      total: '48.75', returnUrl: 'https://shop.example.com/ok', cancelUrl: 'https://shop.example.com/cancel',
    }), bearer(token));
    expect(created.status).toBe(200);
    await person.goto(`${s.baseUrl}/wallet`);
    await expect(person.getByTestId(`balance-${marta.digital_account}`).textContent()).resolves.toBe('Bs. 150,00');
    await Promise.all([person.waitForURL(`${s.baseUrl}/wallet/requests/${created.body.id}`), person.click(`a[href="/wallet/requests/${created.body.id}"]`)]);
    await person.fill('#pin', '4826');
    await Promise.all([person.waitForURL(/paid=1/), person.click('#pay')]);
    expect(await balance(s.ctx, marta.digital_account)).toBe(101_25);
    expect(await balance(s.ctx, shop.handle)).toBe(48_75);
    await verifiedOk(s.ctx);

    // 4. The shop withdraws Bs. 40,00 to its own bank account (fee Bs. 1,50).
    const merchant = await signedIn(shop.username, shop.password);
    await Promise.all([merchant.waitForURL(`${s.baseUrl}/wallet/withdraw`), merchant.click('#withdraw')]);
    await fitsTheScreen(merchant, 'withdrawal page');
    const document = (await s.ctx.store.db.selectFrom('users').select('document').where('id', '=', shop.userId).executeTakeFirstOrThrow()).document!;
    await merchant.fill('#f-bankAccount', SHOP_ACCOUNT);
    await merchant.fill('#f-holderDocument', document);
    await merchant.fill('#f-amount', '40');
    await merchant.fill('#f-pin', '1234');
    await Promise.all([merchant.waitForURL(/\/wallet\/withdraw\?done=/), merchant.click('#withdraw-submit')]);
    await expect(merchant.locator('#withdraw-done').textContent()).resolves.toContain('Bs. 40,00 más Bs. 1,50 de comisión');
    await screenshot(merchant, 'production-withdrawal-requested-375');
    expect(await balance(s.ctx, shop.handle)).toBe(48_75 - 41_50);
    expect(await balance(s.ctx, SYSTEM.withdrawals)).toBe(40_00);
    await verifiedOk(s.ctx);

    // 5. The operator exports the file for the bank and marks the withdrawal paid.
    await ops.click('nav.bo-nav >> text=Retiros');
    await Promise.all([ops.waitForURL(/status=exported/), ops.click('#export')]);
    const [download] = await Promise.all([ops.waitForEvent('download'), ops.click('#download-export')]);
    const file = fs.readFileSync((await download.path())!, 'utf8');
    expect(file).toContain(`;0105;${SHOP_ACCOUNT};${document};panaderia_sol C.A.;40.00`);
    await Promise.all([ops.waitForURL(/status=exported/), ops.click('#withdrawals button.paid')]);
    await expect(ops.locator('#notice').textContent()).resolves.toContain('Retiro marcado pagado.');
    await screenshot(ops, 'production-withdrawal-paid');
    expect(await balance(s.ctx, SYSTEM.withdrawals)).toBe(0);
    expect(await bank(s.ctx)).toBe(-150_00 + 40_00); // the bank keeps what came in less what went out
    const report = await verifiedOk(s.ctx);
    expect(report.checked).toContain('15. settlement_matches_bank');
    await person.context().close();
    await merchant.context().close();
    await ops.context().close();
  });
});
