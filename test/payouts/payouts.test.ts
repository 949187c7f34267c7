import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMerchant, type MerchantCreds } from '../../src/sandbox/demo.ts';
import { addTestFunds } from '../../src/sandbox/funds.ts';
import { issueTokens } from '../../src/oauth/tokens.ts';
import { verifyLedger } from '../../src/ledger/verify.ts';
import { settleDue } from '../../src/payouts/payout.service.ts';
import { DAY_MS } from '../../src/shared/clock.ts';
import { testServer, type TestServer } from '../helpers/env.ts';
import { bearer, get, postForm, postJson, postMultipart } from '../helpers/http.ts';

const item = (over: Record<string, string> = {}) => ({
  multi_payment_item: {
    reference: 'Pago nómina 001', nameAccount: 'Jose Rivas', identificationNumber: 'j54637469',
    bankAccount: '01340000000000000001', amount: '100.25', phone: '', email: '', ...over,
  },
});

describe('mass payouts (dispersion)', () => {
  let s: TestServer;
  let m: MerchantCreds;
  let auth: Record<string, string>;
  const url = (p: string) => `${s.baseUrl}${p}`;
  const balance = async () => Number((await s.ctx.store.db.selectFrom('digital_accounts').select('balance_minor')
    .where('handle', '=', m.digital_account).executeTakeFirstOrThrow()).balance_minor);

  beforeAll(async () => {
    s = await testServer();
    m = await createMerchant(s.ctx);
    await s.ctx.store.tx(async (tx) => {
      const acct = await tx.selectFrom('digital_accounts').select('id').where('handle', '=', m.digital_account).executeTakeFirstOrThrow();
      await addTestFunds(tx, acct.id, 1_000_00, s.clock.now());
    });
    const app = await s.ctx.store.db.selectFrom('apps').selectAll().where('id', '=', m.app_id).executeTakeFirstOrThrow();
    const t = await issueTokens(s.ctx.store.autocommit, {
      appId: app.id, userId: app.owner_user_id, secretVersion: app.secret_version, nowMs: s.clock.now(),
      accessTtlSec: 30 * 86400, refreshIdleSec: 86400, // outlives the moved clock below
    });
    auth = bearer(t.access_token);
  });
  afterAll(async () => s.close());

  it('registers items into one pending batch, with the contract response', async () => {
    const r = await postForm(url('/api/multipayment/register-item.json?type=DISPERSION'), item(), auth);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ ref: expect.stringMatching(/^MP261126\d{7}$/), identification_number: 'j54637469', status: 'APPROVED' });
    const r2 = await postMultipart(url('/api/multipayment/register-item.json?type=DISPERSION'), [
      ['multi_payment_item[reference]', 'Pago 002'], ['multi_payment_item[nameAccount]', 'Ana Diaz'],
      ['multi_payment_item[identificationNumber]', 'V12345678'], ['multi_payment_item[bankAccount]', '01020000000000000002'],
      ['multi_payment_item[amount]', '50'],
    ], auth);
    expect(r2.status).toBe(200);
    const list = await get(url('/api/multipayment/.json'), auth);
    expect(list.body.meta.totalResults).toBe(1);
    expect(list.body.data[0]).toMatchObject({ type: 'DISPERSION', status: 'PENDING_LOAD', item_count: 2, amount_total: '150.25', fee_total: '3.00' });
  });

  it('refuses an unknown bank with the documented global error and keeps nothing', async () => {
    const before = await s.ctx.store.db.selectFrom('payout_items').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    const r = await postForm(url('/api/multipayment/register-item.json?type=DISPERSION'), item({ bankAccount: '09990000000000000001' }), auth);
    expect(r.status).toBe(400);
    expect(r.body.errors.errors).toEqual(['No se ha encontrado un banco para el numero de cuenta ingresado']);
    const after = await s.ctx.store.db.selectFrom('payout_items').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('validates every field and the type', async () => {
    const r = await postJson(url('/api/multipayment/register-item.json?type=DISPERSION'),
      item({ bankAccount: '123', amount: '1.005', identificationNumber: 'X1', reference: '' }), { ...auth, 'accept-language': 'en' });
    expect(r.status).toBe(400);
    const c = r.body.errors.children;
    expect(c.bankAccount.errors).toEqual(['The bank account must have 20 digits.']);
    expect(c.amount.errors).toEqual(['The amount allows at most 2 decimals.']);
    expect(c.identificationNumber.errors).toHaveLength(1);
    expect(c.reference.errors).toHaveLength(1);
    expect(c.nameAccount).toEqual({});
    const bad = await postForm(url('/api/multipayment/register-item.json?type=WIRE'), item(), auth);
    expect(bad.status).toBe(400);
    expect(bad.body.errors.errors[0]).toContain('DISPERSION');
  });

  it('submits once: debits total plus fees, settles after 24 hours, ledger balances', async () => {
    const batchId = (await get(url('/api/multipayment/.json'), auth)).body.data[0].id;
    const before = await balance();
    const [a, b] = await Promise.all([
      postForm(url(`/api/multipayment/submit.json?id=${batchId}`), {}, auth),
      postForm(url(`/api/multipayment/submit.json?id=${batchId}`), {}, auth),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 400]);
    const ok = a.status === 200 ? a : b;
    expect(ok.body).toMatchObject({ status: 'PROCESSING', debit_total: '153.25', item_count: 2 });
    expect(ok.body.items.map((i: { amount: string }) => i.amount)).toEqual(['100.25', '50.00']);
    expect(await balance()).toBe(before - 153_25);
    expect(await settleDue(s.ctx)).toBe(0);
    s.clock.advance(DAY_MS);
    expect(await settleDue(s.ctx)).toBe(1);
    const shown = await get(url(`/api/multipayment/show.json?id=${batchId}`), auth);
    expect(shown.body.status).toBe('SETTLED');
    expect(shown.body.items.every((i: { status: string }) => i.status === 'SETTLED')).toBe(true);
    expect((await verifyLedger(s.ctx.store.db)).violations).toEqual([]);
  });

  it('settles an instant batch at once and refuses one the balance cannot cover', async () => {
    await postForm(url('/api/multipayment/register-item.json?type=DISPERSION_INSTANT_INTERBANK'), item({ amount: '10' }), auth);
    const list = await get(url('/api/multipayment/.json'), auth);
    const instant = list.body.data.find((b: { type: string }) => b.type === 'DISPERSION_INSTANT_INTERBANK');
    const r = await postForm(url(`/api/multipayment/submit.json?id=${instant.id}`), {}, auth);
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('SETTLED');
    await postForm(url('/api/multipayment/register-item.json?type=DISPERSION'), item({ amount: '999999' }), auth);
    const pending = (await get(url('/api/multipayment/.json'), auth)).body.data.find((b: { status: string }) => b.status === 'PENDING_LOAD');
    const before = await balance();
    const poor = await postForm(url(`/api/multipayment/submit.json?id=${pending.id}`), {}, auth);
    expect(poor.status).toBe(400);
    expect(poor.body.errors.errors).toEqual(['Saldo insuficiente para realizar este pago.']);
    expect(await balance()).toBe(before);
  });

  it("hides another account's batches", async () => {
    const other = await createMerchant(s.ctx);
    const app = await s.ctx.store.db.selectFrom('apps').selectAll().where('id', '=', other.app_id).executeTakeFirstOrThrow();
    const t = await issueTokens(s.ctx.store.autocommit, { appId: app.id, userId: app.owner_user_id, secretVersion: 1, nowMs: s.clock.now(), accessTtlSec: 3600, refreshIdleSec: 60 });
    const mine = (await get(url('/api/multipayment/.json'), auth)).body.data[0].id;
    const r = await get(url(`/api/multipayment/show.json?id=${mine}`), bearer(t.access_token));
    expect(r.status).toBe(404);
  });
});
