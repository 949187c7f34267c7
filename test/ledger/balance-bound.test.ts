import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertDigitalAccount } from '../../src/accounts/accounts.service.ts';
import { postEntry } from '../../src/ledger/ledger.ts';
import { SYSTEM } from '../../src/ledger/system-accounts.ts';
import { verifyLedger } from '../../src/ledger/verify.ts';
import { randomCode } from '../../src/shared/ids.ts';
import { MAX_BALANCE_MINOR, MAX_MINOR } from '../../src/shared/money.ts';
import { runCli } from '../helpers/cli.ts';
import { DIALECT, testServer, type TestServer } from '../helpers/env.ts';
import { get, postForm } from '../helpers/http.ts';
import { autorizeUrl, balanceOf, createSale, executeUrl, merchantWithToken, show, type Merchant } from '../payment-intents/fixtures.ts';

// Balances are bounded so that every value read back is exact; reaching the bound is a 400
// that moves nothing, and in the sandbox one developer reaching it stops nobody else.

const LIMIT = /máximo que una cuenta puede tener/;
const MAX_AMOUNT = (MAX_MINOR / 100).toFixed(2);

let s: TestServer;
beforeAll(async () => {
  s = await testServer();
});
afterAll(async () => s?.close());

const execute = (m: Merchant, id: string, payerId: string) =>
  postForm(executeUrl(s), { payment_execution: { paymentIntent: id, payer: payerId } }, m.auth);
const profile = (m: Merchant) => get(`${s.baseUrl}/api/user/profile.json`, m.auth);
/** An account made on first use holds nothing before it exists. */
const held = async (handle: string) => (await s.ctx.store.db.selectFrom('digital_accounts').select('balance_minor')
  .where('handle', '=', handle).executeTakeFirst())?.balance_minor ?? 0;

/** Puts money on an account straight from a system account of its own. */
async function give(handle: string, amountMinor: number): Promise<void> {
  await s.ctx.store.tx(async (tx) => {
    const source = await insertDigitalAccount(tx, { userId: null, handle: `@t_${randomCode(8).toLowerCase()}`, name: 't', nowMs: s.clock.now(), system: true });
    const target = await tx.selectFrom('digital_accounts').select('id').where('handle', '=', handle).executeTakeFirstOrThrow();
    await postEntry(tx, {
      kind: 'transfer', description: 'setup', nowMs: s.clock.now(),
      postings: [{ accountId: source, amountMinor: -amountMinor }, { accountId: target.id, amountMinor }],
    });
  });
}

describe(`balance bound over HTTP (${DIALECT})`, () => {
  it('a sale that would take the merchant past the bound is a 400 that moves nothing; the merchant stays readable', async () => {
    const m = await merchantWithToken(s);
    await give(m.digital_account, MAX_BALANCE_MINOR - 50);
    const sale = await createSale(s, m, '1.00');
    const auth = await get(autorizeUrl(s, sale.body.id));
    expect(auth.status).toBe(200);
    const testerBefore = await balanceOf(s, 'sandbox.tester');
    const r = await execute(m, sale.body.id, auth.body.payer.payer_info.id);
    expect(r.status).toBe(400);
    expect(r.body.errors.errors[0]).toMatch(LIMIT);
    expect(r.body.errors.errors[0]).toContain('Bs. 10.000.000.000.000,00');
    expect(await balanceOf(s, m.digital_account)).toBe(MAX_BALANCE_MINOR - 50);
    expect(await balanceOf(s, 'sandbox.tester')).toBe(testerBefore);
    expect((await show(s, m, sale.body.id)).body.state).not.toBe('executed');

    const en = await postForm(executeUrl(s), { payment_execution: { paymentIntent: sale.body.id, payer: auth.body.payer.payer_info.id } },
      { ...m.auth, 'accept-language': 'en' });
    expect(en.body.errors.errors[0]).toMatch(/most an account may hold .*No money was moved/);
    expect((await profile(m)).status).toBe(200);
    expect((await verifyLedger(s.ctx.store.db)).violations).toEqual([]);
  });

  it('one developer reaches the bound of their own test funding; other merchants, new test payers and verify carry on', async () => {
    const a = await merchantWithToken(s);
    let refused: { step: string; i: number; message: string } | undefined;
    for (let i = 0; i < 12 && !refused; i++) {
      const sale = await createSale(s, a, MAX_AMOUNT);
      expect(sale.status).toBe(200);
      const auth = await get(autorizeUrl(s, sale.body.id));
      if (auth.status !== 200) {
        refused = { step: 'autorize', i, message: auth.body.errors?.errors?.[0] };
        break;
      }
      const ex = await execute(a, sale.body.id, auth.body.payer.payer_info.id);
      if (ex.status !== 200) refused = { step: 'execute', i, message: ex.body.errors?.errors?.[0] };
    }
    // Each approval draws about one largest amount from the merchant's own funding account:
    // the tenth or eleventh (as the shared test payer's leftover allows) would pass the bound.
    expect(refused?.step).toBe('autorize');
    expect([9, 10]).toContain(refused!.i);
    expect(refused!.message).toMatch(LIMIT);
    expect(await balanceOf(s, `${SYSTEM.funding}.${a.user_id}`)).toBeLessThan(-9 * MAX_MINOR);
    expect(await balanceOf(s, SYSTEM.funding)).toBe(0);
    expect((await profile(a)).status).toBe(200);

    const b = await merchantWithToken(s);
    const sale = await createSale(s, b, MAX_AMOUNT);
    const auth = await get(autorizeUrl(s, sale.body.id));
    expect(auth.status).toBe(200);
    expect((await execute(b, sale.body.id, auth.body.payer.payer_info.id)).status).toBe(200);
    expect(await balanceOf(s, b.digital_account)).toBe(MAX_MINOR);

    const payer = await runCli(['sandbox', 'payer', '--balance', '500', '--json'], s.childEnv);
    expect(payer.code).toBe(0);
    expect(JSON.parse(payer.stdout).balance).toBe('500.00');
    const verify = await runCli(['ledger', 'verify', '--env', 'sandbox', '--json'], s.childEnv);
    expect(verify.code).toBe(0);
    expect(JSON.parse(verify.stdout)[0]).toMatchObject({ ok: true, violations: [] });
  });

  it('paid-out sandbox money goes back to the developer\'s own funding account, through their own clearing account', async () => {
    const c = await merchantWithToken(s);
    const sale = await createSale(s, c, '100.00');
    const auth = await get(autorizeUrl(s, sale.body.id));
    expect((await execute(c, sale.body.id, auth.body.payer.payer_info.id)).status).toBe(200);
    const fundingBefore = Number(await held(`${SYSTEM.funding}.${c.user_id}`));
    const item = {
      multi_payment_item: {
        reference: 'r1', nameAccount: 'Ana Pérez', identificationNumber: 'V12345678', bankAccount: '01020000000000000001', amount: '50.00',
      },
    };
    expect((await postForm(`${s.baseUrl}/api/multipayment/register-item.json?type=DISPERSION_INSTANT_INTERBANK`, item, c.auth)).status).toBe(200);
    const batches = await get(`${s.baseUrl}/api/multipayment/.json`, c.auth);
    const submit = await postForm(`${s.baseUrl}/api/multipayment/submit.json?id=${batches.body.data[0].id}`, {}, c.auth);
    expect(submit.status).toBe(200);
    expect(await balanceOf(s, `${SYSTEM.funding}.${c.user_id}`)).toBe(fundingBefore + 50_00);
    expect(await balanceOf(s, `${SYSTEM.payouts}.${c.user_id}`)).toBe(0);
    expect(Number(await held(SYSTEM.funding))).toBe(0);
    expect(Number(await held(SYSTEM.payouts))).toBe(0);
    expect((await verifyLedger(s.ctx.store.db)).violations).toEqual([]);
  });
});
