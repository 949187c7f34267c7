import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../src/ledger/verify.ts';
import { testServer, type TestServer } from '../helpers/env.ts';
import { get, postForm } from '../helpers/http.ts';
import { autorizeUrl, balanceOf, createSale, executeUrl, merchantWithToken, show, type Merchant } from './fixtures.ts';

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
    expect(r.body.state).toBe('approved');
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
