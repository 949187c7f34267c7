import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPayer, type PayerCreds } from '../../src/sandbox/demo.ts';
import { unlockPin } from '../../src/sandbox/pin.service.ts';
import { ensureSandboxSeed } from '../../src/sandbox/seed.ts';
import { MINUTE_MS } from '../../src/shared/clock.ts';
import { ValidationError } from '../../src/shared/errors.ts';
import { testServer, type TestServer } from '../helpers/env.ts';
import { WebClient } from '../helpers/web.ts';
import { createSale } from '../payment-intents/fixtures.ts';
import { textOf } from '../dashboard/fixtures.ts';
import { liveMerchant, type Merchant } from './fixtures.ts';

// The sandbox's test payers (listed with their credentials on the home page and the tools
// page, chosen with "Aprobar como" on the checkout page) and "Desbloquear PIN". Production
// has none of them.

async function lockPin(s: TestServer, userId: string): Promise<void> {
  await s.ctx.store.tx((tx) => tx.updateTable('users').set({ pin_failed_count: 0, pin_locked_until: s.clock.now() + 15 * MINUTE_MS })
    .where('id', '=', userId).execute());
}

/** One test payer's entry in a page's list. */
const itemOf = (html: string, username: string) => new RegExp(`<li data-username="${username}"[\\s\\S]*?</li>`).exec(html)?.[0] ?? '';

const pinRow = (s: TestServer, userId: string) =>
  s.ctx.store.db.selectFrom('users').select(['pin_failed_count', 'pin_locked_until']).where('id', '=', userId).executeTakeFirstOrThrow();

const auditOf = (s: TestServer, userId: string) => s.ctx.store.db.selectFrom('audit_log').select(['action', 'operator_id', 'details_json'])
  .where('target_id', '=', userId).where('action', '=', 'sandbox.unlock_pin').execute();

describe('sandbox test payers and Desbloquear PIN', () => {
  let s: TestServer;
  let m: Merchant;
  beforeAll(async () => {
    s = await testServer();
    await ensureSandboxSeed(s.ctx);
    m = await liveMerchant(s);
  });
  afterAll(async () => s?.close());

  it('the sandbox home lists the demo payers with their credentials', async () => {
    const home = await new WebClient(s.baseUrl).get('/');
    const maria = itemOf(home.html, 'maria');
    expect(textOf(maria)).toContain('Contraseña Sandbox2026 PIN 1234 Cédula / teléfono V19123456 · 584125550001 Saldo Bs. 10.000,00');
    expect(home.html).toContain('data-username="pedro"');
    expect(home.html).toContain('id="magic-values"');
    expect(home.html).not.toContain('unlock-pin');
  });

  it('a business makes its own test payer, sees its credentials, and unlocks its PIN; nobody else can', async () => {
    const web = new WebClient(s.baseUrl);
    await web.signIn(m.username, m.password);
    const made = await web.post('/settings/sandbox/payers', {}, { csrfFrom: '/settings/sandbox' });
    expect(made.status).toBe(303);
    const username = new URL(made.location!, s.baseUrl).searchParams.get('u')!;
    const row = await s.ctx.store.db.selectFrom('sandbox_test_payers as t').innerJoin('users as u', 'u.id', 't.user_id')
      .select(['u.id', 't.password', 't.pin']).where('u.username', '=', username).executeTakeFirstOrThrow();
    const tools = await web.get(made.location!);
    expect(textOf(tools.html)).toContain(`Pagador de prueba ${username} creado.`);
    const item = itemOf(tools.html, username);
    expect(textOf(item)).toContain(`Contraseña ${row.password} PIN ${row.pin}`);
    expect(textOf(item)).toContain('Saldo Bs. 1.000,00');
    // The business's own payers show on the home page too, for it alone.
    expect((await web.get('/')).html).toContain(`data-username="${username}"`);
    expect((await new WebClient(s.baseUrl).get('/')).html).not.toContain(`data-username="${username}"`);

    await lockPin(s, row.id);
    expect(textOf(itemOf((await web.get('/settings/sandbox')).html, username))).toContain('Estado del PIN Bloqueado hasta');
    const intruder = new WebClient(s.baseUrl);
    const rival = await liveMerchant(s);
    await intruder.signIn(rival.username, rival.password);
    expect((await intruder.post(`/settings/sandbox/payers/${row.id}/unlock-pin`, {}, { csrfFrom: '/settings/sandbox' })).status).toBe(404);
    expect(Number((await pinRow(s, row.id)).pin_locked_until)).toBeGreaterThan(s.clock.now());

    const unlocked = await web.post(`/settings/sandbox/payers/${row.id}/unlock-pin`, {}, { csrfFrom: '/settings/sandbox' });
    expect(unlocked.location).toBe(`/settings/sandbox?done=unlock&u=${username}#test-payers`);
    expect(await pinRow(s, row.id)).toEqual({ pin_failed_count: 0, pin_locked_until: 0 });
    const [audit] = await auditOf(s, row.id);
    expect(audit.operator_id).toBe(m.user_id);
    expect(JSON.parse(audit.details_json)).toMatchObject({ via: 'merchant', failedCount: 0 });
  });

  it('a person unlocks their own PIN from the wallet, audited', async () => {
    const p = await createPayer(s.ctx, 10_00);
    const web = new WebClient(s.baseUrl);
    await web.signIn(p.username, p.password);
    expect(textOf((await web.get('/wallet')).html)).toContain('Estado del PIN: Sin bloqueo');
    await lockPin(s, p.payer_id);
    const wallet = await web.get('/wallet');
    expect(textOf(wallet.html)).toMatch(/Estado del PIN: Bloqueado hasta \d{4}-\d\d-\d\d \d\d:\d\d:\d\d Desbloquear PIN/);
    const r = await web.post('/wallet/unlock-pin', {}, { csrfFrom: '/wallet' });
    expect(r.location).toBe('/wallet?pin=unlocked');
    expect(textOf((await web.get(r.location!)).html)).toContain('PIN desbloqueado. Estado del PIN: Sin bloqueo');
    expect(await pinRow(s, p.payer_id)).toEqual({ pin_failed_count: 0, pin_locked_until: 0 });
    const [audit] = await auditOf(s, p.payer_id);
    expect(audit.operator_id).toBe(p.payer_id);
    expect(JSON.parse(audit.details_json)).toMatchObject({ via: 'person', lockedUntil: s.clock.now() + 15 * MINUTE_MS });
    expect((await new WebClient(s.baseUrl).post('/wallet/unlock-pin', {}, { csrfFrom: '/login' })).location).toMatch(/^\/login/);
  });

  it('"Aprobar como" on the checkout page approves the sale as the chosen test payer', async () => {
    const sale = (await createSale(s, m, '15.00')).body;
    const shopper = new WebClient(s.baseUrl);
    const pagePath = `/p/express-checkout/${sale.id}/1`;
    const page = await shopper.get(pagePath);
    expect(page.html).toContain('id="approve-as-form"');
    expect(page.html).toContain('<option value="maria">@maria · Maria Perez · Bs. 10.000,00</option>');
    const r = await shopper.post(`${pagePath}/approve-as`, { as: 'maria' }, { csrfFrom: pagePath });
    expect(r.status).toBe(303);
    const maria = await s.ctx.store.db.selectFrom('users').select('id').where('username', '=', 'maria').executeTakeFirstOrThrow();
    expect(r.location).toBe(`https://shop.example/ok?cart=9&paymentIntent=${sale.id}&payerId=${maria.id}`);
    const row = await s.ctx.store.db.selectFrom('payment_intents').select(['state', 'payer_user_id']).where('id', '=', sale.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ state: 'authorized', payer_user_id: maria.id });

    // The automatic test buyer, and a locked test payer whose approval is refused on the page.
    const other = (await createSale(s, m, '16.00')).body;
    const auto = await shopper.post(`/p/express-checkout/${other.id}/1/approve-as`, { as: '' }, { csrfFrom: `/p/express-checkout/${other.id}/1` });
    expect(auto.location).toMatch(/paymentIntent=.*&payerId=/);
    const third = (await createSale(s, m, '17.00')).body;
    await lockPin(s, maria.id);
    const locked = await shopper.post(`/p/express-checkout/${third.id}/1/approve-as`, { as: 'maria' }, { csrfFrom: `/p/express-checkout/${third.id}/1` });
    expect(locked.location).toBe(`/p/express-checkout/${third.id}/1`);
    expect(textOf((await shopper.get(locked.location!)).html)).toMatch(/No se pudo aprobar: .*bloqueado/);
    const unknown = await shopper.post(`/p/express-checkout/${third.id}/1/approve-as`, { as: 'nadie' }, { csrfFrom: `/p/express-checkout/${third.id}/1` });
    expect(textOf((await shopper.get(unknown.location!)).html)).toContain('No se pudo aprobar: No hay una persona activa del sandbox');
    await unlockPin(s.ctx, maria.id, { operatorId: maria.id, via: 'person' });
  });
});

describe('production has no test payers nor Desbloquear PIN', () => {
  let s: TestServer;
  let p: PayerCreds;
  let m: Merchant;
  beforeAll(async () => {
    s = await testServer({ env: 'production' });
    p = await createPayer(s.ctx, 0);
    m = await liveMerchant(s);
  });
  afterAll(async () => s?.close());

  it('shows no button, answers 404 to the forms and refuses the unlock itself', async () => {
    const web = new WebClient(s.baseUrl);
    await web.signIn(p.username, p.password);
    await lockPin(s, p.payer_id);
    const wallet = await web.get('/wallet');
    expect(wallet.html).not.toContain('unlock-pin');
    expect((await web.post('/wallet/unlock-pin', {}, { csrfFrom: '/wallet' })).status).toBe(404);
    await expect(unlockPin(s.ctx, p.payer_id, { operatorId: p.payer_id, via: 'person' })).rejects.toBeInstanceOf(ValidationError);
    expect(Number((await pinRow(s, p.payer_id)).pin_locked_until)).toBeGreaterThan(s.clock.now());
    expect(await auditOf(s, p.payer_id)).toEqual([]);
    const home = await web.get('/');
    expect(home.html).not.toContain('test-payers');
    const sale = (await createSale(s, m, '9.00')).body;
    expect((await web.get(`/p/express-checkout/${sale.id}/1`)).html).not.toContain('approve-as');
    expect((await web.post(`/p/express-checkout/${sale.id}/1/approve-as`, { as: '' }, { csrfFrom: `/p/express-checkout/${sale.id}/1` })).status).toBe(404);
  });
});
