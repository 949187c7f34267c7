import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../src/ledger/verify.ts';
import { settleDue } from '../../src/payouts/payout.service.ts';
import type { PayerCreds } from '../../src/sandbox/demo.ts';
import { DAY_MS } from '../../src/shared/clock.ts';
import { randomCode } from '../../src/shared/ids.ts';
import { MAGIC, MAGIC_VALUES } from '../../src/test-mode/magic-values.ts';
import { testServer, type TestServer } from '../helpers/env.ts';
import { get } from '../helpers/http.ts';
import { balanceOf, createRequest, executeDoc } from '../billing/fixtures.ts';
import { executeAs } from '../payment-intents/fixtures.ts';
import { authorizedSale, fundMerchant, fundedPayer, intentState, liveMerchant, submittedBatch, type Merchant } from './fixtures.ts';

// Each magic value makes the sandbox answer as to the real failure it imitates; the same
// steps in production, with the same values, simply succeed.

const INSUFFICIENT = ['Saldo insuficiente para realizar este pago.'];
const https = { returnUrl: 'https://shop.example/pos/ok', cancelUrl: 'https://shop.example/pos/ko' };

describe('the magic values table', () => {
  it('docs/sandbox.md names every magic value the code applies', () => {
    const doc = fs.readFileSync('docs/sandbox.md', 'utf8');
    for (const v of [...MAGIC_VALUES.filter((x) => !x.valueIsKey).map((x) => x.value), MAGIC.shortPayerPrefix]) expect(doc).toContain(`\`${v}\``);
    expect(MAGIC_VALUES.find((x) => x.id === 'amount')!.value).toBe((MAGIC.shortAmountMinor / 100).toFixed(2));
  });
});

describe.each(['sandbox', 'production'] as const)('magic values in %s', (env) => {
  const sandbox = env === 'sandbox';
  let s: TestServer;
  let m: Merchant;
  beforeAll(async () => {
    s = await testServer({ env });
    m = await liveMerchant(s);
  });
  afterAll(async () => s?.close());

  it(`a payment of Bs. 402,00 ${sandbox ? 'fails with insufficient funds' : 'is paid'}`, async () => {
    const p = await fundedPayer(s, 5_000_00);
    const sale = await authorizedSale(s, m, p.payer_id, '402.00');
    const r = await executeAs(s, m, sale, p.payer_id);
    if (sandbox) {
      expect(r.status).toBe(400);
      expect(r.body).toEqual({ code: 400, message: 'Validation Failed', errors: { errors: INSUFFICIENT, children: { paymentIntent: {}, payer: {} } } });
      expect(await balanceOf(s, p.digital_account)).toBe(5_000_00);
      expect(await intentState(s, sale)).toBe('authorized');
      // A billing request of that amount too, from the cashier with the right PIN.
      const request = await createRequest(s, m, p.username, { total: '402.00', ...https });
      const paid = await executeDoc(s, m, request.id, request.pay_tokens[0].id, p.pin);
      expect(paid.status).toBe(400);
      expect(paid.body.errors.errors).toEqual(INSUFFICIENT);
    } else {
      expect(r.status, r.text).toBe(200);
      expect(r.body.state).toBe('executed');
      expect(await balanceOf(s, p.digital_account)).toBe(5_000_00 - 402_00);
    }
    expect((await verifyLedger(s.ctx.store.db)).violations).toEqual([]);
  });

  it(`a payer named sinfondos… ${sandbox ? 'cannot pay, whatever their balance' : 'pays as anyone'}`, async () => {
    const p = await fundedPayer(s, 5_000_00, { username: `sinfondos_${randomCode(6, 'abcdefghjkmnpqrstuvwxyz')}` });
    const sale = await authorizedSale(s, m, p.payer_id, '10.00');
    const r = await executeAs(s, m, sale, p.payer_id);
    if (sandbox) {
      expect(r.status).toBe(400);
      expect(r.body.errors.errors).toEqual(INSUFFICIENT);
      expect(await balanceOf(s, p.digital_account)).toBe(5_000_00);
    } else {
      expect(r.status, r.text).toBe(200);
      expect(await balanceOf(s, p.digital_account)).toBe(5_000_00 - 10_00);
    }
  });

  it(`the PIN 0000 ${sandbox ? 'is always wrong and counts toward the lockout' : 'is a PIN like any other'}`, async () => {
    const p: PayerCreds = await fundedPayer(s, 100_00, { pin: MAGIC.wrongPin });
    const request = await createRequest(s, m, p.username, { total: '5.00', ...https });
    const first = await executeDoc(s, m, request.id, request.pay_tokens[0].id, MAGIC.wrongPin);
    if (sandbox) {
      expect(first.status).toBe(400);
      expect(first.body.errors.children.pin.errors).toEqual(['El PIN es incorrecto.']);
      for (let i = 0; i < 3; i++) await executeDoc(s, m, request.id, request.pay_tokens[0].id, MAGIC.wrongPin);
      const fifth = await executeDoc(s, m, request.id, request.pay_tokens[0].id, MAGIC.wrongPin);
      expect(fifth.body.errors.children.pin.errors[0]).toMatch(/bloqueado/);
      const user = await s.ctx.store.db.selectFrom('users').select('pin_locked_until').where('id', '=', p.payer_id).executeTakeFirstOrThrow();
      expect(Number(user.pin_locked_until)).toBeGreaterThan(s.clock.now());
      expect(await balanceOf(s, p.digital_account)).toBe(100_00);
    } else {
      expect(first.status, first.text).toBe(200);
      expect(first.body.state).toBe('executed');
      expect(await balanceOf(s, p.digital_account)).toBe(95_00);
    }
  });

  it(`a payout item to ${MAGIC.rejectedBankAccount} ${sandbox ? 'is rejected at settlement and its amount returned' : 'settles like the others'}`, async () => {
    await fundMerchant(s, m, 200_00);
    const before = await balanceOf(s, m.digital_account);
    const batch = await submittedBatch(s, m, [
      { bankAccount: MAGIC.rejectedBankAccount, amount: '30.00' }, { bankAccount: '01020000000000000001', amount: '20.00' },
    ]);
    expect(await balanceOf(s, m.digital_account)).toBe(before - 50_00 - 3_00);
    s.clock.advance(DAY_MS);
    expect(await settleDue(s.ctx)).toBe(1);
    const shown = await get(`${s.baseUrl}/api/multipayment/show.json?id=${batch.id}`, m.auth);
    expect(shown.body.status).toBe('SETTLED');
    const statuses = Object.fromEntries(shown.body.items.map((i: { bank_account: string; status: string }) => [i.bank_account, i.status]));
    const returned = await s.ctx.store.db.selectFrom('ledger_entries').select(['id', 'ref', 'kind']).where('kind', '=', 'payout_rejected').execute();
    if (sandbox) {
      expect(statuses).toEqual({ [MAGIC.rejectedBankAccount]: 'REJECTED', '01020000000000000001': 'SETTLED' });
      expect(await balanceOf(s, m.digital_account)).toBe(before - 20_00 - 3_00);
      expect(returned).toHaveLength(1);
      expect(returned[0].ref).toMatch(/^R/);
      const postings = await s.ctx.store.db.selectFrom('postings as p').innerJoin('digital_accounts as a', 'a.id', 'p.account_id')
        .select(['a.handle', 'p.amount_minor']).where('p.entry_id', '=', returned[0].id).orderBy('p.amount_minor').execute();
      expect(postings.map((x) => [x.handle.split('.')[0], Number(x.amount_minor)])).toEqual([['@payouts', -30_00], [m.digital_account, 30_00]]);
    } else {
      expect(statuses).toEqual({ [MAGIC.rejectedBankAccount]: 'SETTLED', '01020000000000000001': 'SETTLED' });
      expect(await balanceOf(s, m.digital_account)).toBe(before - 50_00 - 3_00);
      expect(returned).toHaveLength(0);
    }
    expect((await verifyLedger(s.ctx.store.db)).violations).toEqual([]);
  });
});
