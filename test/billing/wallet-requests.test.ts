import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expireDue } from '../../src/payment-intents/expiry.worker.ts';
import type { PayerCreds } from '../../src/sandbox/demo.ts';
import { testServer, type TestServer } from '../helpers/env.ts';
import { get } from '../helpers/http.ts';
import { WebClient } from '../helpers/web.ts';
import {
  balanceOf, callbacksOf, createRequest, executeDoc, extraWallet, intentRow, merchantWithToken, payer, userRow, type Merchant,
} from './fixtures.ts';

const HOUR = 3_600_000;

describe('payment requests in the wallet', () => {
  let s: TestServer;
  let m: Merchant;
  let ana: PayerCreds;
  let web: WebClient;
  beforeAll(async () => {
    s = await testServer();
    m = await merchantWithToken(s, { appName: 'Farmacia Los Andes' });
    ana = await payer(s, 50_00, { pin: '9753', fullName: 'Ana Rodriguez' });
    web = new WebClient(s.baseUrl);
    expect((await web.signIn(ana.username, ana.password)).status).toBe(303);
  });
  afterAll(async () => s.close());

  it('lists the person’s pending requests on /wallet with the merchant, items and total', async () => {
    const intent = await createRequest(s, m, ana.username, { total: '12.30' });
    const wallet = await web.get('/wallet');
    expect(wallet.status).toBe(200);
    expect(wallet.html).toContain('Solicitudes de pago pendientes');
    expect(wallet.html).toContain('Farmacia Los Andes');
    expect(wallet.html).toContain('Café molido 500 g');
    expect(wallet.html).toContain('Bs. 12,30');
    expect(wallet.html).toContain(`href="/wallet/requests/${intent.id}"`);

    const page = await web.get(`/wallet/requests/${intent.id}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Farmacia Los Andes');
    expect(page.html).toContain('name="pin"');
    expect(page.html).toContain('<label for="pin">');
  });

  it('does not show other people’s requests: their page is a 404', async () => {
    const other = await payer(s, 0);
    const intent = await createRequest(s, m, other.username);
    expect((await web.get('/wallet')).html).not.toContain(intent.id);
    expect((await web.get(`/wallet/requests/${intent.id}`)).status).toBe(404);
    const post = await web.post(`/wallet/requests/${intent.id}/pay`, { account: 'x', pin: '9753' }, { csrfFrom: '/wallet' });
    expect(post.status).toBe(404);
    expect((await intentRow(s, intent.id)).state).toBe('created');
  });

  it('shows a wrong PIN next to the PIN field and changes nothing', async () => {
    const intent = await createRequest(s, m, ana.username, { total: '1.00' });
    const account = intent.pay_tokens[0].id;
    const r = await web.post(`/wallet/requests/${intent.id}/pay`, { account, pin: '1111' }, { csrfFrom: `/wallet/requests/${intent.id}` });
    expect(r.status).toBe(400);
    expect(r.html).toMatch(/<p class="field-error" id="pin-error"[^>]*>El PIN es incorrecto\.<\/p>/);
    expect((await intentRow(s, intent.id)).state).toBe('created');
    expect((await userRow(s, ana.payer_id)).pin_failed_count).toBe(1);
    expect(await callbacksOf(s, intent.id)).toHaveLength(0);
  });

  it('refuses a form without the CSRF token', async () => {
    const intent = await createRequest(s, m, ana.username, { total: '1.00' });
    const r = await web.post(`/wallet/requests/${intent.id}/pay`, { account: intent.pay_tokens[0].id, pin: '9753' }, { noCsrf: true });
    expect(r.status).toBe(403);
    expect((await intentRow(s, intent.id)).state).toBe('created');
  });

  it('pays from the account the person chooses when they have several, and queues the merchant callback', async () => {
    const savings = await extraWallet(s, ana.payer_id, `ahorro_${ana.username.slice(-6)}`, 200_00);
    const intent = await createRequest(s, m, ana.username, { total: '120.00' });
    const page = await web.get(`/wallet/requests/${intent.id}`);
    expect(page.html).toContain('<select id="account" name="account"');
    // The wallet that can cover the total is preselected.
    expect(page.html).toContain(`<option value="${savings}" selected>`);
    const mainBefore = await balanceOf(s, ana.digital_account);
    const r = await web.post(`/wallet/requests/${intent.id}/pay`, { account: savings, pin: '9753' }, { csrfFrom: `/wallet/requests/${intent.id}` });
    expect(r.status).toBe(303);
    expect(r.location).toBe(`/wallet/requests/${intent.id}?paid=1`);
    const row = await intentRow(s, intent.id);
    expect(row.state).toBe('executed');
    expect(await balanceOf(s, ana.digital_account)).toBe(mainBefore);
    const saved = await s.ctx.store.db.selectFrom('digital_accounts').select('balance_minor').where('id', '=', savings).executeTakeFirstOrThrow();
    expect(Number(saved.balance_minor)).toBe(80_00);
    const [cb] = await callbacksOf(s, intent.id);
    expect(cb.url).toBe(`http://pos.example/callback?store=7&paymentIntent=${intent.id}&payerId=${ana.payer_id}`);

    const done = await web.get(r.location!);
    expect(done.html).toMatch(/Pago realizado\. Referencia P\d{13}/);
    expect(done.html).not.toContain('name="pin"');
    expect((await web.get('/wallet')).html).not.toContain(`/wallet/requests/${intent.id}"`);
  });

  it('says so when the balance is short, without moving money', async () => {
    const intent = await createRequest(s, m, ana.username, { total: '9000.00' });
    const r = await web.post(`/wallet/requests/${intent.id}/pay`, { account: intent.pay_tokens[0].id, pin: '9753' }, { csrfFrom: `/wallet/requests/${intent.id}` });
    expect(r.status).toBe(400);
    expect(r.html).toContain('Saldo insuficiente para realizar este pago.');
    expect((await intentRow(s, intent.id)).state).toBe('created');
  });

  it('declines a request: state rejected, the merchant’s cancel URL is queued, and it cannot be paid any more', async () => {
    const intent = await createRequest(s, m, ana.username, { total: '2.00' });
    const r = await web.post(`/wallet/requests/${intent.id}/decline`, {}, { csrfFrom: `/wallet/requests/${intent.id}` });
    expect(r.status).toBe(303);
    expect((await intentRow(s, intent.id)).state).toBe('rejected');
    const [cb] = await callbacksOf(s, intent.id);
    expect(cb.url).toBe(`http://pos.example/cancel?paymentIntent=${intent.id}`);
    expect((await web.get(r.location!)).html).toContain('Rechazó esta solicitud de pago.');
    const shown = await get(`${s.baseUrl}/api/payment-intent/show.json?id=${intent.id}`, m.auth);
    expect(shown.body.state).toBe('rejected');
    const late = await executeDoc(s, m, intent.id, intent.pay_tokens[0].id, '9753');
    expect(late.status).toBe(400);
    expect(late.body.errors.errors).toEqual(['El pagador rechazó esta solicitud.']);
  });

  it('works in English', async () => {
    const en = new WebClient(s.baseUrl, 'en');
    await en.signIn(ana.username, ana.password);
    const intent = await createRequest(s, m, ana.username, { total: '1.00' });
    expect((await en.get('/wallet')).html).toContain('Pending payment requests');
    const r = await en.post(`/wallet/requests/${intent.id}/pay`, { account: intent.pay_tokens[0].id, pin: '0000' }, { csrfFrom: `/wallet/requests/${intent.id}` });
    expect(r.html).toContain('The PIN is wrong.');
    expect(r.html).toContain('Pay with your PIN');
  });
});

describe('request expiry', () => {
  let s: TestServer;
  let m: Merchant;
  let luis: PayerCreds;
  beforeAll(async () => {
    s = await testServer();
    m = await merchantWithToken(s);
    luis = await payer(s, 100_00, { pin: '8642' });
  });
  afterAll(async () => s.close());

  it('expires requests after requestExpiryMs: refused when read for a state change, then marked canceled by the worker', async () => {
    const intent = await createRequest(s, m, luis.username, { total: '1.00' });
    const other = await createRequest(s, m, luis.username, { total: '1.00' });
    expect((await intentRow(s, intent.id)).expires_at).toBe(s.clock.now() + s.ctx.config.requestExpiryMs);
    const web = new WebClient(s.baseUrl);
    await web.signIn(luis.username, luis.password);
    s.clock.advance(s.ctx.config.requestExpiryMs + HOUR);
    await web.signIn(luis.username, luis.password); // the 8-hour session ran out meanwhile
    const wallet = await web.get('/wallet');
    expect(wallet.status).toBe(200);
    expect(wallet.html).not.toContain(intent.id);
    const r = await executeDoc(s, m, intent.id, intent.pay_tokens[0].id, '8642');
    expect(r.status).toBe(400);
    expect(r.body.errors.errors).toEqual(['Este pago fue cancelado o expiró.']);
    expect((await userRow(s, luis.payer_id)).pin_failed_count).toBe(0);

    expect((await intentRow(s, other.id)).state).toBe('created');
    expect(await expireDue(s.ctx)).toBeGreaterThanOrEqual(1);
    const row = await intentRow(s, other.id);
    expect(row.state).toBe('canceled');
    expect(row.canceled_at).toBe(row.expires_at);
    const page = await web.get(`/wallet/requests/${other.id}`);
    expect(page.html).toContain('Cancelada o vencida');
    expect(page.html).not.toContain('name="pin"');
  });
});
