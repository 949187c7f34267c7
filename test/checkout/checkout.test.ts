import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMerchant, createPayer, type MerchantCreds, type PayerCreds } from '../../src/sandbox/demo.ts';
import { HOUR_MS, MINUTE_MS } from '../../src/shared/clock.ts';
import { testServer, type TestServer } from '../helpers/env.ts';
import { get } from '../helpers/http.ts';
import { WebClient } from '../helpers/web.ts';
import { checkoutPath, insertSale, intentRow, TINY_PNG } from './fixtures.ts';

describe('approval page of the payment button', () => {
  let s: TestServer;
  let merchant: MerchantCreds;
  let payer: PayerCreds;

  beforeAll(async () => {
    s = await testServer();
    merchant = await createMerchant(s.ctx, { appName: 'Tienda La Esquina', businessName: 'Inversiones Esquina, C.A.', homeUrl: 'https://shop.test' });
    payer = await createPayer(s.ctx, 100_00, { fullName: 'Maria Perez' });
  });
  afterAll(async () => s.close());

  async function signedIn(p: PayerCreds | MerchantCreds, id: string, lang?: 'en') {
    const web = new WebClient(s.baseUrl, lang);
    const r = await web.post(checkoutPath(id), { login: p.username, password: p.password });
    expect(r.status).toBe(303);
    expect(r.location).toBe(checkoutPath(id));
    return web;
  }

  const balanceOf = async (handle: string) => Number((await s.ctx.store.db.selectFrom('digital_accounts')
    .select('balance_minor').where('handle', '=', handle).executeTakeFirstOrThrow()).balance_minor);

  it('shows the merchant, the items, the details and the total in Spanish, with a sign-in form', async () => {
    const id = await insertSale(s.ctx, merchant);
    const r = await new WebClient(s.baseUrl).get(checkoutPath(id));
    expect(r.status).toBe(200);
    expect(r.html).toContain('<html lang="es">');
    expect(r.html).toContain('Tienda La Esquina');
    expect(r.html).toContain('Inversiones Esquina, C.A. · shop.test');
    expect(r.html).toContain('Harina PAN 1kg');
    expect(r.html).toContain('2 × Bs. 10,00');
    expect(r.html).toMatch(/data-testid="shipping">Bs\. 2,00</);
    expect(r.html).toMatch(/data-testid="tax">Bs\. 1,50</);
    expect(r.html).toMatch(/data-testid="total">Bs\. 23,50</);
    expect(r.html).toContain('Inicie sesión para pagar');
    expect(r.html).toContain('name="_csrf"');
    // No logo: a monogram of the app's name instead of a broken image.
    expect(r.html).toMatch(/class="co-logo co-monogram"[^>]*>TL<\/span>/);
    expect(r.html).not.toContain('/p/app-logo/');
  });

  it('speaks English when asked', async () => {
    const id = await insertSale(s.ctx, merchant);
    const r = await new WebClient(s.baseUrl, 'en').get(checkoutPath(id));
    expect(r.html).toContain('<html lang="en">');
    expect(r.html).toContain('Sign in to pay');
    expect(r.html).toMatch(/data-testid="total">Bs\. 23\.50</);
    const web = await signedIn(payer, id, 'en');
    const page = await web.get(checkoutPath(id));
    expect(page.html).toContain('Authorize payment');
    expect(page.html).toContain('Available balance');
  });

  it('serves the app logo as a PNG and shows it on the page', async () => {
    const other = await createMerchant(s.ctx, { appName: 'Logo Shop' });
    await s.ctx.store.autocommit.updateTable('apps').set({ logo_png: TINY_PNG }).where('id', '=', other.app_id).execute();
    const logo = await fetch(`${s.baseUrl}/p/app-logo/${other.app_id}.png`);
    expect(logo.status).toBe(200);
    expect(logo.headers.get('content-type')).toBe('image/png');
    expect(logo.headers.get('x-content-type-options')).toBe('nosniff');
    expect(logo.headers.get('cache-control')).toMatch(/max-age=\d+/);
    expect(Buffer.from(await logo.arrayBuffer()).equals(TINY_PNG)).toBe(true);
    const again = await fetch(`${s.baseUrl}/p/app-logo/${other.app_id}.png`, { headers: { 'if-none-match': logo.headers.get('etag')! } });
    expect(again.status).toBe(304);

    const id = await insertSale(s.ctx, other);
    const page = await new WebClient(s.baseUrl).get(checkoutPath(id));
    expect(page.html).toContain(`src="/p/app-logo/${other.app_id}.png"`);
    expect(page.html).not.toContain('class="co-logo co-monogram"');

    expect((await get(`${s.baseUrl}/p/app-logo/${merchant.app_id}.png`)).status).toBe(404);
    expect((await get(`${s.baseUrl}/p/app-logo/${other.app_id}.gif`)).status).toBe(404);
    expect((await get(`${s.baseUrl}/p/app-logo/nope.png`)).status).toBe(404);
  });

  it('signs in with the phone, shows the name and balance, authorizes and sends the customer back', async () => {
    const id = await insertSale(s.ctx, merchant, { returnUrl: 'https://shop.test/ok?cart=9#done' });
    const web = new WebClient(s.baseUrl);
    const login = await web.post(checkoutPath(id), { login: payer.phone, password: payer.password });
    expect(login.status).toBe(303);
    const page = await web.get(checkoutPath(id));
    expect(page.html).toContain('Maria Perez');
    expect(page.html).toMatch(/data-testid="balance">Bs\. 100,00</);
    expect(page.html).toContain('Autorizar pago');
    expect(page.html).toContain('Cancelar');

    const before = await balanceOf(payer.digital_account);
    s.clock.advance(MINUTE_MS);
    const r = await web.post(`${checkoutPath(id)}/authorize`, {}, { csrfFrom: checkoutPath(id) });
    expect(r.status).toBe(303);
    expect(r.location).toBe(`https://shop.test/ok?cart=9&paymentIntent=${id}&payerId=${payer.payer_id}#done`);
    const row = await intentRow(s.ctx, id);
    expect(row.state).toBe('authorized');
    expect(row.payer_user_id).toBe(payer.payer_id);
    expect(Number(row.authorized_at)).toBe(s.clock.now());
    // No money moves at approval.
    expect(await balanceOf(payer.digital_account)).toBe(before);

    // The wallet session is the same one.
    expect((await web.get('/wallet')).status).toBe(200);
  });

  it('appends with "?" when the return URL has no query', async () => {
    const id = await insertSale(s.ctx, merchant, { returnUrl: 'http://localhost:3000/ok' });
    const web = await signedIn(payer, id);
    const r = await web.post(`${checkoutPath(id)}/authorize`, {}, { csrfFrom: checkoutPath(id) });
    expect(r.location).toBe(`http://localhost:3000/ok?paymentIntent=${id}&payerId=${payer.payer_id}`);
  });

  it('refuses a second authorize or a cancel once approved, with a clear page', async () => {
    const id = await insertSale(s.ctx, merchant);
    const web = await signedIn(payer, id);
    const csrf = WebClient.csrf((await web.get(checkoutPath(id))).html);
    const post = (path: string) => web.post(path, { _csrf: csrf }, { noCsrf: true });
    expect((await post(`${checkoutPath(id)}/authorize`)).status).toBe(303);
    const second = await post(`${checkoutPath(id)}/authorize`);
    expect(second.status).toBe(410);
    expect(second.html).toContain('Este pago ya no está disponible');
    expect(second.html).toContain('href="http://shop.test/cart/?cancel_order=true"');
    expect((await post(`${checkoutPath(id)}/cancel`)).status).toBe(410);
    expect((await intentRow(s.ctx, id)).state).toBe('authorized');
    expect((await web.get(checkoutPath(id))).status).toBe(410);
  });

  it('cancels without signing in and sends the customer to the cancel URL', async () => {
    const id = await insertSale(s.ctx, merchant);
    const web = new WebClient(s.baseUrl);
    const csrf = WebClient.csrf((await web.get(checkoutPath(id))).html);
    const r = await web.post(`${checkoutPath(id)}/cancel`, { _csrf: csrf }, { noCsrf: true });
    expect(r.status).toBe(303);
    expect(r.location).toBe(`http://shop.test/cart/?cancel_order=true&paymentIntent=${id}`);
    const row = await intentRow(s.ctx, id);
    expect(row.state).toBe('canceled');
    expect(Number(row.canceled_at)).toBe(s.clock.now());
    expect(row.payer_user_id).toBeNull();
    const again = await web.post(`${checkoutPath(id)}/cancel`, { _csrf: csrf }, { noCsrf: true });
    expect(again.status).toBe(410);
  });

  it('refuses a form without its CSRF token and changes nothing', async () => {
    const id = await insertSale(s.ctx, merchant);
    const web = await signedIn(payer, id);
    for (const action of ['authorize', 'cancel']) {
      const r = await web.post(`${checkoutPath(id)}/${action}`, {}, { noCsrf: true });
      expect(r.status).toBe(403);
      expect(r.html).toContain('Algo no salió bien');
    }
    const wrong = await web.post(`${checkoutPath(id)}/authorize`, { _csrf: 'forged' }, { noCsrf: true });
    expect(wrong.status).toBe(403);
    const row = await intentRow(s.ctx, id);
    expect(row.state).toBe('created');
    expect(row.payer_user_id).toBeNull();
  });

  it('shows a wrong password next to the form, keeps what was typed, and signs nobody in', async () => {
    const id = await insertSale(s.ctx, merchant);
    const web = new WebClient(s.baseUrl);
    const r = await web.post(checkoutPath(id), { login: payer.document, password: 'not-the-password1' });
    expect(r.status).toBe(401);
    expect(r.html).toContain('Usuario o contraseña incorrectos.');
    expect(r.html).toMatch(/id="signin-error"/);
    expect(r.html).toContain(`value="${payer.document}"`);
    expect(r.html).toMatch(/data-testid="total">Bs\. 23,50</);
    expect((await web.get(checkoutPath(id))).html).toContain('Inicie sesión para pagar');
    const forced = await web.post(`${checkoutPath(id)}/authorize`, {}, { csrfFrom: checkoutPath(id) });
    expect(forced.status).toBe(303);
    expect(forced.location).toBe(checkoutPath(id));
    expect((await intentRow(s.ctx, id)).state).toBe('created');
  });

  it('reports the lock-out after repeated wrong passwords', async () => {
    const victim = await createPayer(s.ctx, 50_00);
    const id = await insertSale(s.ctx, merchant);
    const web = new WebClient(s.baseUrl);
    for (let i = 0; i < 5; i++) await web.post(checkoutPath(id), { login: victim.username, password: `wrong-${i}x1` });
    const r = await web.post(checkoutPath(id), { login: victim.username, password: victim.password });
    expect(r.status).toBe(401);
    expect(r.html).toContain('Demasiados intentos fallidos. Intente de nuevo en 15 minutos.');
  });

  it('says when the balance is short, offers only cancel, and refuses a forced authorize', async () => {
    const poor = await createPayer(s.ctx, 5_00);
    const id = await insertSale(s.ctx, merchant);
    const web = await signedIn(poor, id);
    const page = await web.get(checkoutPath(id));
    expect(page.html).toContain('Su saldo no alcanza para este pago. Le faltan Bs. 18,50.');
    expect(page.html).toContain('fondos de prueba');
    expect(page.html).not.toContain('id="authorize"');
    expect(page.html).toContain('id="cancel"');
    const r = await web.post(`${checkoutPath(id)}/authorize`, {}, { csrfFrom: checkoutPath(id) });
    expect(r.status).toBe(303);
    expect(r.location).toBe(checkoutPath(id));
    expect((await intentRow(s.ctx, id)).state).toBe('created');
  });

  it('does not let the merchant pay its own intent', async () => {
    const id = await insertSale(s.ctx, merchant);
    await s.ctx.store.tx(async (tx) => {
      const { addTestFunds } = await import('../../src/sandbox/funds.ts');
      const acc = await tx.selectFrom('digital_accounts').select('id').where('handle', '=', merchant.digital_account).executeTakeFirstOrThrow();
      await addTestFunds(tx, acc.id, 1000_00, s.clock.now());
    });
    const web = await signedIn(merchant, id);
    const page = await web.get(checkoutPath(id));
    expect(page.html).toContain('data-testid="own-intent"');
    expect(page.html).not.toContain('id="authorize"');
    const r = await web.post(`${checkoutPath(id)}/authorize`, {}, { csrfFrom: checkoutPath(id) });
    expect(r.location).toBe(checkoutPath(id));
    expect((await intentRow(s.ctx, id)).state).toBe('created');
  });

  it('answers unknown ids and requests with 404 and other states with "no longer available"', async () => {
    const web = new WebClient(s.baseUrl);
    const csrf = WebClient.csrf((await web.get(checkoutPath(await insertSale(s.ctx, merchant)))).html);
    expect((await web.get(checkoutPath('00000000-0000-0000-0000-000000000000'))).status).toBe(404);
    expect((await web.get('/p/express-checkout/%27%20or%201=1/1')).status).toBe(404);
    const request = await insertSale(s.ctx, merchant, { intent: 'request' });
    const r = await web.get(checkoutPath(request));
    expect(r.status).toBe(404);
    expect(r.html).toContain('No encontramos esta orden de pago.');
    expect((await web.post(`${checkoutPath(request)}/cancel`, { _csrf: csrf }, { noCsrf: true })).status).toBe(404);
    expect((await intentRow(s.ctx, request)).state).toBe('created');
    for (const state of ['authorized', 'executed', 'annulled', 'canceled'] as const) {
      const id = await insertSale(s.ctx, merchant, { state });
      const page = await web.get(checkoutPath(id));
      expect(page.status).toBe(410);
      expect(page.html).toContain('Este pago ya no está disponible');
      expect(page.html).toContain('Volver a Tienda La Esquina');
    }
  });

  it('treats an expired intent as canceled', async () => {
    const id = await insertSale(s.ctx, merchant, { expiresAt: s.clock.now() + HOUR_MS });
    const web = await signedIn(payer, id);
    const csrf = WebClient.csrf((await web.get(checkoutPath(id))).html);
    s.clock.advance(HOUR_MS);
    expect((await web.get(checkoutPath(id))).status).toBe(410);
    const r = await web.post(`${checkoutPath(id)}/authorize`, { _csrf: csrf }, { noCsrf: true });
    expect(r.status).toBe(410);
    const row = await intentRow(s.ctx, id);
    expect(row.state).toBe('canceled');
    expect(row.payer_user_id).toBeNull();
  });

  it('lets a cancel of an expired intent still take the customer back', async () => {
    const id = await insertSale(s.ctx, merchant, { expiresAt: s.clock.now() + MINUTE_MS });
    const web = new WebClient(s.baseUrl);
    const csrf = WebClient.csrf((await web.get(checkoutPath(id))).html);
    s.clock.advance(2 * MINUTE_MS);
    const r = await web.post(`${checkoutPath(id)}/cancel`, { _csrf: csrf }, { noCsrf: true });
    expect(r.status).toBe(303);
    expect(r.location).toContain(`paymentIntent=${id}`);
    expect((await intentRow(s.ctx, id)).state).toBe('canceled');
  });

  it('approves once when the customer double-submits', async () => {
    const id = await insertSale(s.ctx, merchant);
    const web = await signedIn(payer, id);
    const csrf = WebClient.csrf((await web.get(checkoutPath(id))).html);
    const results = await Promise.all(Array.from({ length: 8 }, () =>
      web.post(`${checkoutPath(id)}/authorize`, { _csrf: csrf }, { noCsrf: true })));
    expect(results.filter((r) => r.status === 303)).toHaveLength(1);
    expect(results.filter((r) => r.status === 410)).toHaveLength(7);
    expect((await intentRow(s.ctx, id)).state).toBe('authorized');
  });

  it('switches account from the page', async () => {
    const id = await insertSale(s.ctx, merchant);
    const web = await signedIn(payer, id);
    const r = await web.post(`${checkoutPath(id)}/signout`, {}, { csrfFrom: checkoutPath(id) });
    expect(r.status).toBe(303);
    expect(r.location).toBe(checkoutPath(id));
    const page = await web.get(checkoutPath(id));
    expect(page.html).toContain('Inicie sesión para pagar');
    expect(page.html).not.toContain('Maria Perez');
  });
});
