import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../src/ledger/verify.ts';
import { MAX_MINOR } from '../../src/shared/money.ts';
import { testServer, type TestServer } from '../helpers/env.ts';
import { get, postForm } from '../helpers/http.ts';
import { merchantWithToken, type Merchant } from '../payment-intents/fixtures.ts';

// A batch's total is an amount like any other: it must stay exact (a safe integer of
// minor units). Without a bound, ~91 maximal items overflow it, and on PostgreSQL every
// later read of the batch fails.

let s: TestServer;
let m: Merchant;
beforeAll(async () => {
  s = await testServer();
  m = await merchantWithToken(s);
});
afterAll(async () => {
  await s?.close();
});

const item = (reference: string, amount: string) => ({
  multi_payment_item: {
    reference, nameAccount: 'Ana Pérez', identificationNumber: 'V12345678', bankAccount: '01020000000000000001', amount,
  },
});
const register = (body: unknown) => postForm(`${s.baseUrl}/api/multipayment/register-item.json?type=DISPERSION`, body as never, m.auth);

describe('payout batch total bound', () => {
  it('refuses an item that would take the batch total past the largest amount, and the batch stays readable', async () => {
    const max = (MAX_MINOR / 100).toFixed(0);
    const first = await register(item('r1', max));
    expect(first.status).toBe(200);
    const second = await register(item('r2', '0.01'));
    expect(second.status).toBe(400);
    expect(second.body.errors.children.amount.errors[0]).toMatch(/lote/);
    const list = await get(`${s.baseUrl}/api/multipayment/.json`, m.auth);
    expect(list.status).toBe(200);
    expect(list.body.data).toHaveLength(1);
    expect(list.body.data[0].item_count).toBe(1);
    expect(list.body.data[0].amount_total).toBe(`${max}.00`);
    expect((await verifyLedger(s.ctx.store.db)).ok).toBe(true);
  });

  it('bounds the batch of each type on its own, up to the same maximum', async () => {
    const instant = (body: unknown) =>
      postForm(`${s.baseUrl}/api/multipayment/register-item.json?type=DISPERSION_INSTANT_INTERBANK`, body as never, m.auth);
    expect((await instant(item('i1', '900000000000.00'))).status).toBe(200);
    expect((await instant(item('i2', '100000000000.00'))).status).toBe(200);
    const over = await instant(item('i3', '0.01'));
    expect(over.status).toBe(400);
    const rows = await s.ctx.store.db.selectFrom('payout_batches').select(['type', 'total_minor', 'item_count']).execute();
    const byType = Object.fromEntries(rows.map((r) => [r.type, r]));
    expect(Number(byType.DISPERSION_INSTANT_INTERBANK.total_minor)).toBe(MAX_MINOR);
    expect(Number(byType.DISPERSION_INSTANT_INTERBANK.item_count)).toBe(2);
  });
});
