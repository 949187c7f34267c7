import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP, launchBrowser, PHONE, screenshot } from '../helpers/browser.ts';
import { testServer, type TestServer } from '../helpers/env.ts';
import { runCli } from '../helpers/cli.ts';
import { bearer, get, postForm } from '../helpers/http.ts';
import { createMerchant, createPayer } from '../../src/sandbox/demo.ts';
import { addTestFunds } from '../../src/sandbox/funds.ts';

// The merchant's own domain: the same in both environments, as a real shop's would be.
const SHOP = 'https://bodegon-la-esquina.example';
const OPERATOR = { username: 'ops.luis', password: 'Operador2026' };
let browser: Browser;

interface Payer {
  username: string;
  password: string;
}

/**
 * A merchant's integration test: token, sale, approval by the customer in a browser,
 * execution, state check. It takes only a base URL, keys and a customer, so the same
 * body runs against the sandbox and then against production.
 */
async function runIntegration(baseUrl: string, clientId: string, clientSecret: string, payer: Payer) {
  const token = await postForm(`${baseUrl}/oauth/v2/token`, { grant_type: 'urn:client_apps', client_id: clientId, client_secret: clientSecret });
  expect(token.status, token.text).toBe(200);
  const auth = bearer(token.body.access_token);
  const sale = await postForm(`${baseUrl}/api/payment-intent/.json`, {
    paymentintent: {
      intent: 'sale',
      redirectUrls: { returnUrl: `${SHOP}/checkout/ok?order=77`, cancelUrl: `${SHOP}/checkout/cancel?order=77` },
      transactions: [{
        amount: { total: '35.40', currency: 'VES', details: { shipping: '5.00', tax: '0', subTotal: '30.40' } },
        description: 'Pedido 77', invoiceNumber: 'F0077',
        items: [{ name: 'Café 500g', quantity: '2', price: '15.20', sku: '' }],
      }],
      recipient: '',
    },
  }, auth);
  expect(sale.status, sale.text).toBe(200);
  expect(sale.body.state).toBe('created');

  const context = await browser.newContext({ viewport: PHONE, locale: 'es-VE' });
  const landed: string[] = [];
  await context.route(`${SHOP}/**`, (route) => {
    landed.push(route.request().url());
    return route.fulfill({ status: 200, contentType: 'text/html', body: '<h1>Gracias por su compra</h1>' });
  });
  const page = await context.newPage();
  try {
    await page.goto(sale.body._links.approval_url.href);
    await page.getByLabel('Usuario, teléfono o documento').fill(payer.username);
    await page.getByLabel('Contraseña').fill(payer.password);
    await page.getByRole('button', { name: 'Iniciar sesión' }).click();
    await page.getByRole('button', { name: /Autorizar pago/ }).click();
    await page.waitForURL(`${SHOP}/checkout/ok**`);
  } finally {
    await context.close();
  }
  const back = new URL(landed.at(-1)!);
  expect(back.searchParams.get('paymentIntent')).toBe(sale.body.id);
  const payerId = back.searchParams.get('payerId')!;

  const exec = await postForm(`${baseUrl}/api/payment-intent/execute/sale.json?id=${sale.body.id}`,
    { payment_execution: { paymentIntent: sale.body.id, payer: payerId } }, auth);
  expect(exec.status, exec.text).toBe(200);
  const shown = await get(`${baseUrl}/api/payment-intent/show.json?id=${sale.body.id}`, auth);
  expect(shown.body.state).toBe('executed');
  expect(shown.body.transactions[0].related_resources.sale.ref).toMatch(/^P\d{13}$/);
  return shown.body;
}

/** Phone and desktop screenshots; a page wider than the phone fails the test. */
async function shoot(page: Page, name: string) {
  await page.setViewportSize(PHONE);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, `${name} is wider than a phone`).toBeLessThanOrEqual(0);
  await screenshot(page, `golive-${name}-phone`);
  await page.setViewportSize(DESKTOP);
  await screenshot(page, `golive-${name}-desktop`);
}

describe('going live: the same integration passes in the sandbox, then in production', () => {
  let sandbox: TestServer;
  let prod: TestServer;
  let merchantCtx: BrowserContext;
  let operatorCtx: BrowserContext;

  beforeAll(async () => {
    [sandbox, prod, browser] = await Promise.all([
      testServer({ env: 'sandbox' }), testServer({ env: 'production' }), launchBrowser(),
    ]);
    merchantCtx = await browser.newContext({ viewport: DESKTOP, locale: 'es-VE' });
    operatorCtx = await browser.newContext({ viewport: DESKTOP, locale: 'es-VE' });
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all([sandbox?.close(), prod?.close()]);
  });

  it('passes in the sandbox', async () => {
    const m = await createMerchant(sandbox.ctx, { homeUrl: SHOP, appName: 'Bodegón La Esquina' });
    const payer = await createPayer(sandbox.ctx, 200_00);
    const intent = await runIntegration(sandbox.baseUrl, m.client_id, m.client_secret, payer);
    expect(intent.total.amount).toBe(35.4);
  });

  it('a production business goes live through the pages, and the same integration passes there', async () => {
    // The first operator is created at the console, never with a default password.
    const created = await runCli(['admin', 'create-operator', '--username', OPERATOR.username, '--password-stdin'], prod.childEnv, `${OPERATOR.password}\n`);
    expect(created.code, created.stderr).toBe(0);

    // The operator issues a commercial code for the sales team.
    const op = await operatorCtx.newPage();
    await op.goto(`${prod.baseUrl}/backoffice/login`);
    await shoot(op, 'bo-login');
    await op.getByLabel('Usuario').fill(OPERATOR.username);
    await op.getByLabel('Contraseña').fill(OPERATOR.password);
    await op.getByRole('button', { name: 'Iniciar sesión' }).click();
    await op.waitForURL('**/backoffice');
    await op.click('nav >> text=Códigos');
    await op.getByLabel('Cantidad').fill('2');
    await op.click('#issue');
    const code = (await op.locator('#issued code').first().textContent())!.trim();
    expect(code).toMatch(/^[A-Za-z0-9]{8}$/);
    await shoot(op, 'bo-codes');

    // The business registers with that code and creates its app: the API answers 503.
    const page = await merchantCtx.newPage();
    await page.goto(`${prod.baseUrl}/register/business`);
    const n = String(Date.now()).slice(-7);
    const person = {
      affiliationCode: code, businessName: 'Bodegón La Esquina, C.A.', document: `J3${n}`, fullName: 'Carmen Rojas',
      username: `esquina${n}`, password: 'Esquina2026', phone: `58416${n}`, email: `esquina${n}@example.com`, pin: '2468',
    };
    for (const [field, value] of Object.entries(person)) await page.locator(`#f-${field}`).fill(value);
    await page.click('main button[type=submit]');
    await page.waitForURL('**/settings/apps?welcome=1');
    await page.click('#new-app');
    await page.locator('#f-name').fill('Bodegón La Esquina');
    await page.locator('#f-description').fill('Víveres a domicilio');
    await page.locator('#f-homeUrl').fill(SHOP);
    await page.click('main button[type=submit]');
    const clientId = (await page.locator('#client-id').textContent())!.trim();
    const clientSecret = (await page.locator('#client-secret').textContent())!.trim();
    const token = await postForm(`${prod.baseUrl}/oauth/v2/token`, { grant_type: 'urn:client_apps', client_id: clientId, client_secret: clientSecret });
    const before = await get(`${prod.baseUrl}/api/payment-intent/.json`, bearer(token.body.access_token));
    expect(before.status).toBe(503);
    expect(before.body).toMatchObject({ code: 503 });

    // It asks for activation on the going-live page.
    await page.click('#golive-link');
    await page.waitForURL('**/golive');
    await shoot(page, 'merchant-form');
    await page.click('#golive-submit');
    await expect(page.locator('#affiliationCode-error').textContent()).resolves.toBe('Indique su código de afiliación.');
    await shoot(page, 'merchant-form-errors');
    await page.getByLabel('Código de afiliación de ventas').fill(code);
    await page.getByLabel('Tengo código fuente propio o acceso a él').check();
    await page.getByLabel('Describa su código fuente').fill('Tienda propia en WooCommerce, código en nuestro repositorio privado');
    await page.getByLabel('Alojamiento (servidor propio o de terceros)').fill('Servidor propio en Caracas');
    await page.click('#golive-submit');
    await page.waitForURL('**/golive?sent=1');
    expect(await page.locator('#golive-stage').getAttribute('data-stage')).toBe('pending');
    await shoot(page, 'merchant-pending');

    // The operator reviews the request and activates the app.
    await op.goto(`${prod.baseUrl}/backoffice`);
    await expect(op.locator('#tile-golive strong').textContent()).resolves.toBe('1');
    await shoot(op, 'bo-dashboard');
    await op.click('#tile-golive');
    await shoot(op, 'bo-golive-list');
    await op.click('#golive-requests >> text=Revisar');
    await expect(op.locator('#declaration').textContent()).resolves.toContain('Servidor propio en Caracas');
    await shoot(op, 'bo-app-review');
    await op.getByLabel('Nota (opcional)').first().fill('Dominio, código y alojamiento verificados');
    await op.click('#activate');
    await op.waitForURL('**?done=golive.activate');
    await shoot(op, 'bo-app-activated');
    await op.click('nav >> text=Auditoría');
    await expect(op.locator('tr[data-action="golive.activate"]').count()).resolves.toBe(1);
    await shoot(op, 'bo-audit');
    await op.click('nav >> text=Libro mayor');
    await op.click('#verify');
    await expect(op.locator('#verify-result').getAttribute('data-ok')).resolves.toBe('1');
    await shoot(op, 'bo-ledger');
    await op.goto(`${prod.baseUrl}/backoffice/lookup?q=${person.username}`);
    await shoot(op, 'bo-lookup');

    await page.reload();
    expect(await page.locator('#golive-stage').getAttribute('data-stage')).toBe('live');
    await shoot(page, 'merchant-live');

    // Production has no test money: the customer's wallet is funded directly in the store (a fixture).
    const payer = await createPayer(prod.ctx, 0);
    await prod.ctx.store.tx(async (tx) => {
      const acc = await tx.selectFrom('digital_accounts').select('id').where('handle', '=', payer.digital_account).executeTakeFirstOrThrow();
      await addTestFunds(tx, acc.id, 100_00, prod.clock.now(), 'Depósito de prueba');
    });
    const intent = await runIntegration(prod.baseUrl, clientId, clientSecret, payer);
    expect(intent.total.amount).toBe(35.4);
    const merchant = await prod.ctx.store.db.selectFrom('digital_accounts').select('balance_minor').where('handle', '=', person.username).executeTakeFirstOrThrow();
    expect(Number(merchant.balance_minor)).toBe(35_40);
  });
});
