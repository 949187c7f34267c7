import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../src/ledger/verify.ts';
import { testServer, type TestServer } from '../helpers/env.ts';
import { get, postForm } from '../helpers/http.ts';
import { autorizeUrl, balanceOf, createSale, executeUrl, merchantWithToken, payer, show, type Merchant } from './fixtures.ts';

describe('sandbox automatic approval: autorize.json', () => {
  let s: TestServer;
  let m: Merchant;
  beforeAll(async () => {
    s = await testServer();
    m = await merchantWithToken(s);
  });
  afterAll(async () => s.close());

  it('403 with a wrong or missing token, and nothing changes', async () => {
    const sale = await createSale(s, m, '5.00');
    for (const url of [autorizeUrl(s, sale.body.id, 'wrong'), `${s.baseUrl}/sbx/payment-intent/autorize.json?id=${sale.body.id}`]) {
      const r = await get(url);
      expect(r.status).toBe(403);
      expect(r.body.code).toBe(403);
    }
    expect((await show(s, m, sale.body.id)).body.state).toBe('created');
  });

  it('approves a created sale with the test payer, which the merchant can then execute', async () => {
    const sale = await createSale(s, m, '1500.00');
    const r = await get(autorizeUrl(s, sale.body.id));
    expect(r.status).toBe(200);
    expect(r.body.state).toBe('authorized');
    const payerId = r.body.payer.payer_info.id;
    const tester = await s.ctx.store.db.selectFrom('users').select(['id', 'username', 'kind']).where('id', '=', payerId)
      .executeTakeFirstOrThrow();
    expect(tester).toMatchObject({ username: 'sandbox.tester', kind: 'personal' });
    const before = await balanceOf(s, m.digital_account);
    const ex = await postForm(executeUrl(s), { payment_execution: { paymentIntent: sale.body.id, payer: payerId } }, m.auth);
    expect(ex.status).toBe(200);
    expect(ex.body.state).toBe('executed');
    expect(await balanceOf(s, m.digital_account)).toBe(before + 1500_00);
    expect((await verifyLedger(s.ctx.store.db)).ok).toBe(true);
  });

  it('reuses one test payer and tops it up whenever an intent needs more than it holds', async () => {
    const big = await createSale(s, m, '250000.00');
    const r = await get(autorizeUrl(s, big.body.id));
    expect(r.status).toBe(200);
    const testers = await s.ctx.store.db.selectFrom('users').select('id').where('username', '=', 'sandbox.tester').execute();
    expect(testers).toHaveLength(1);
    expect(r.body.payer.payer_info.id).toBe(testers[0].id);
    expect(await balanceOf(s, 'sandbox.tester')).toBeGreaterThanOrEqual(250000_00);
  });

  it('refuses an intent that is no longer created, and 404s an unknown one', async () => {
    const sale = await createSale(s, m, '2.00');
    expect((await get(autorizeUrl(s, sale.body.id))).status).toBe(200);
    const twice = await get(autorizeUrl(s, sale.body.id));
    expect(twice.status).toBe(400);
    expect(twice.body.errors.errors).toEqual(['Este pago ya fue autorizado.']);
    expect((await get(autorizeUrl(s, 'no-such-intent'))).status).toBe(404);
    const noId = await get(`${s.baseUrl}/sbx/payment-intent/autorize.json?access_token=test-token`);
    expect(noId.status).toBe(400);
  });
});

describe('autorize.json as a chosen sandbox payer (payer=)', () => {
  let s: TestServer;
  let m: Merchant;
  beforeAll(async () => {
    s = await testServer();
    m = await merchantWithToken(s);
  });
  afterAll(async () => s.close());
  const as = (id: string, payer: string, pin = '') => `${autorizeUrl(s, id)}&payer=${encodeURIComponent(payer)}&pin=${pin}`;

  it('approves as the person named by username or by payer id, who then pays on execution', async () => {
    const ana = await payer(s, 50_00);
    const byName = await createSale(s, m, '20.00');
    const r1 = await get(as(byName.body.id, ana.username.toUpperCase(), ana.pin));
    expect(r1.status).toBe(200);
    expect(r1.body.payer.payer_info.id).toBe(ana.payer_id);
    const ex = await postForm(executeUrl(s), { payment_execution: { paymentIntent: byName.body.id, payer: ana.payer_id } }, m.auth);
    expect(ex.status).toBe(200);
    expect(await balanceOf(s, ana.digital_account)).toBe(30_00);

    const byId = await createSale(s, m, '30.00');
    const r2 = await get(as(byId.body.id, ana.payer_id, ana.pin));
    expect(r2.status).toBe(200);
    expect(r2.body.payer.payer_info.id).toBe(ana.payer_id);
    // No test payer was made or used, and nobody's funds were topped up.
    expect(await s.ctx.store.db.selectFrom('users').select('id').where('username', '=', 'sandbox.tester').execute()).toEqual([]);
    expect(await balanceOf(s, ana.digital_account)).toBe(30_00);
    expect((await verifyLedger(s.ctx.store.db)).ok).toBe(true);
  });

  it('refuses an unknown payer, a short balance and the merchant itself on the payer field, changing nothing', async () => {
    const poor = await payer(s, 1_00);
    const sale = await createSale(s, m, '5.00');
    const cases: [string, RegExp][] = [
      ['nadie.por.aqui', /No hay una persona activa del sandbox/],
      ['', /No hay una persona activa del sandbox/],
      [poor.username, /no tiene saldo suficiente/],
      [m.user_id, /no puede pagarla usted mismo/],
    ];
    for (const [who, message] of cases) {
      const r = await get(as(sale.body.id, who, who === poor.username ? poor.pin : who === m.user_id ? m.pin : '1234'));
      expect(r.status, who).toBe(400);
      expect(r.body.errors.children.payer.errors[0], who).toMatch(message);
    }
    expect((await show(s, m, sale.body.id)).body.state).toBe('created');
    expect(await balanceOf(s, poor.digital_account)).toBe(1_00);
  });

  it('spends nobody else’s money without their PIN: missing or wrong PIN is a 400 on pin, then locked', async () => {
    const ana = await payer(s, 50_00);
    const sale = await createSale(s, m, '5.00');
    const missing = await get(as(sale.body.id, ana.username));
    expect(missing.status).toBe(400);
    expect(missing.body.errors.children.pin.errors[0]).toBe('Indique el PIN de operaciones.');
    const wrongPin = ana.pin === '0000' ? '1111' : '0000';
    for (let i = 0; i < 5; i++) {
      const wrong = await get(as(sale.body.id, ana.username, wrongPin));
      expect(wrong.status).toBe(400);
    }
    const locked = await get(as(sale.body.id, ana.username, ana.pin));
    expect(locked.status).toBe(400);
    expect(locked.body.errors.children.pin.errors[0]).toMatch(/bloquead|minutos/i);
    expect((await show(s, m, sale.body.id)).body.state).toBe('created');
    expect(await balanceOf(s, ana.digital_account)).toBe(50_00);
  });
});

describe('autorize.json in production', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await testServer({ env: 'production' });
  });
  afterAll(async () => s.close());

  it('is not served at all', async () => {
    const r = await get(`${s.baseUrl}/sbx/payment-intent/autorize.json?access_token=test-token&id=x`);
    expect(r.status).toBe(404);
  });
});
