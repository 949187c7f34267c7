import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../src/ledger/verify.ts';
import type { PayerCreds } from '../../src/sandbox/demo.ts';
import { DAY_MS, HOUR_MS } from '../../src/shared/clock.ts';
import { testServer, type TestServer } from '../helpers/env.ts';
import { get, postForm, postMultipart } from '../helpers/http.ts';
import {
  approveAs, balanceOf, createSale, executeAs, executeUrl, later, merchantWithToken, payer, reissue, show, type Merchant,
} from './fixtures.ts';

describe('POST /api/payment-intent/execute/sale.json', () => {
  let s: TestServer;
  let m: Merchant;
  let p: PayerCreds;
  beforeAll(async () => {
    s = await testServer();
    m = await merchantWithToken(s);
    p = await payer(s, 1_000_00);
  });
  afterAll(async () => s.close());

  async function approvedSale(total: string, extra: Record<string, unknown> = {}, who = p) {
    const r = await createSale(s, m, total, extra);
    expect(r.status).toBe(200);
    await approveAs(s, r.body.id, who.payer_id);
    return r.body.id as string;
  }

  /** A payee the merchant's app may send distributions to (authorized by an operator). */
  async function authorizedPartner() {
    const partner = await payer(s, 0);
    const acct = await s.ctx.store.db.selectFrom('digital_accounts').select('id').where('handle', '=', partner.digital_account)
      .executeTakeFirstOrThrow();
    await s.ctx.store.autocommit.insertInto('app_distribution_accounts').values({
      app_id: m.app_id, account_id: acct.id, status: 'authorized', requested_at: 1, decided_at: 1, decided_by: null,
    }).execute();
    return { partner, accountId: acct.id };
  }

  it('moves the money once, records the payment and shows related_resources.sale', async () => {
    const id = await approvedSale('20.50');
    const before = { payer: await balanceOf(s, p.digital_account), merchant: await balanceOf(s, m.digital_account) };
    const r = await executeAs(s, m, id, p.payer_id);
    expect(r.status).toBe(200);
    expect(r.body.state).toBe('executed');
    expect(r.body.payer.payer_info.id).toBe(p.payer_id);
    const sale = r.body.transactions[0].related_resources.sale;
    expect(sale.ref).toMatch(/^P\d{6}\d{7}$/);
    expect(await balanceOf(s, p.digital_account)).toBe(before.payer - 20_50);
    expect(await balanceOf(s, m.digital_account)).toBe(before.merchant + 20_50);
    const pay = await s.ctx.store.db.selectFrom('payments').selectAll().where('id', '=', sale.id).executeTakeFirstOrThrow();
    expect(pay).toMatchObject({ ref: sale.ref, intent_id: id, status: 9000, type: 1000, payer_user_id: p.payer_id });
    expect(Number(pay.amount_minor)).toBe(20_50);
    expect(r.body._links.cancel).toEqual({ href: `${s.baseUrl}/api/payment-intent/cancel.json`, method: 'POST' });

    const again = await executeAs(s, m, id, p.payer_id);
    expect(again.status).toBe(400);
    expect(again.body.errors.errors).toEqual(['Este pago ya fue ejecutado.']);
    expect(await balanceOf(s, p.digital_account)).toBe(before.payer - 20_50);
  });

  it('drops the cancel link 24 hours after execution', async () => {
    const id = await approvedSale('1.00');
    await executeAs(s, m, id, p.payer_id);
    await later(s, DAY_MS - 1000, async () => {
      await reissue(s, m);
      expect((await show(s, m, id)).body._links.cancel).toBeDefined();
    });
    await later(s, DAY_MS, async () => {
      const r = await show(s, m, id);
      expect(r.body.state).toBe('executed');
      expect(r.body._links.cancel).toBeUndefined();
    });
  });

  it('takes the id from the body on the bare path (WooCommerce), as multipart too', async () => {
    const id = await approvedSale('2.00');
    const r = await postForm(executeUrl(s), `payment_execution%5BpaymentIntent%5D=${id}&payment_execution%5Bpayer%5D=${p.payer_id}`, m.auth);
    expect(r.status).toBe(200);
    expect(r.body.state).toBe('executed');
    const id2 = await approvedSale('2.00');
    const r2 = await postMultipart(executeUrl(s, id2), [['payment_execution[paymentIntent]', id2], ['payment_execution[payer]', p.payer_id]], m.auth);
    expect(r2.status).toBe(200);
  });

  it('refuses ids that disagree, a missing id or payer, and the wrong payer', async () => {
    const id = await approvedSale('3.00');
    const other = await approvedSale('3.00');
    const mismatch = await postForm(executeUrl(s, id), { payment_execution: { paymentIntent: other, payer: p.payer_id } }, m.auth);
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.errors).toEqual({
      children: { paymentIntent: { errors: ['La intención de pago del cuerpo no coincide con la de la URL.'] }, payer: {} },
    });
    const missing = await postForm(executeUrl(s), 'payment_execution%5Bpayer%5D=', { ...m.auth, 'accept-language': 'en' });
    expect(missing.status).toBe(400);
    expect(missing.body.errors.children.paymentIntent.errors).toEqual(['Enter the payment intent.']);
    expect(missing.body.errors.children.payer.errors).toEqual(['Enter the payer.']);
    const stranger = await payer(s, 100_00);
    const wrong = await executeAs(s, m, id, stranger.payer_id);
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors.children.payer.errors).toEqual(['El pagador no es quien autorizó este pago.']);
    expect((await show(s, m, id)).body.state).toBe('authorized');
  });

  it('refuses an intent not yet approved, and 404s unknown or foreign intents', async () => {
    const r = await createSale(s, m, '4.00');
    const created = await executeAs(s, m, r.body.id, p.payer_id);
    expect(created.status).toBe(400);
    expect(created.body.errors.errors).toEqual(['El cliente aún no ha autorizado este pago.']);
    const unknown = await executeAs(s, m, '00000000-0000-0000-0000-000000000000', p.payer_id);
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe(404);
    const otherMerchant = await merchantWithToken(s);
    const id = await approvedSale('4.00');
    const foreign = await executeAs(s, otherMerchant, id, p.payer_id);
    expect(foreign.status).toBe(404);
  });

  it('treats an approved intent past its expiry as canceled and says so', async () => {
    const id = await approvedSale('5.00');
    await later(s, s.ctx.config.requestExpiryMs + HOUR_MS, async () => {
      await reissue(s, m);
      expect((await show(s, m, id)).body.state).toBe('canceled');
      const r = await executeAs(s, m, id, p.payer_id);
      expect(r.status).toBe(400);
      expect(r.body.errors.errors).toEqual(['Este pago fue cancelado o expiró.']);
    });
    const row = await s.ctx.store.db.selectFrom('payment_intents').select(['state', 'canceled_at', 'expires_at'])
      .where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.state).toBe('canceled');
    expect(Number(row.canceled_at)).toBe(Number(row.expires_at));
  });

  it('insufficient funds: 400 with the global error and nothing changes', async () => {
    const poor = await payer(s, 10_00);
    const id = await approvedSale('10.01', {}, poor);
    const ledgerBefore = await verifyLedger(s.ctx.store.db);
    const r = await executeAs(s, m, id, poor.payer_id);
    expect(r.status).toBe(400);
    expect(r.body.errors).toEqual({ errors: ['Saldo insuficiente para realizar este pago.'], children: { paymentIntent: {}, payer: {} } });
    expect(await balanceOf(s, poor.digital_account)).toBe(10_00);
    const after = await verifyLedger(s.ctx.store.db);
    expect(after.entries).toBe(ledgerBefore.entries);
    expect((await show(s, m, id)).body.state).toBe('authorized');
    const payments = await s.ctx.store.db.selectFrom('payments').select('id').where('intent_id', '=', id).execute();
    expect(payments).toHaveLength(0);
  });

  it('runs the distributions in the same entry, for every transaction', async () => {
    const { partner } = await authorizedPartner();
    const created = await postForm(`${s.baseUrl}/api/payment-intent/.json`, {
      paymentintent: {
        intent: 'sale',
        redirectUrls: { returnUrl: 'https://shop.example/ok', cancelUrl: 'https://shop.example/ko' },
        transactions: [
          { amount: { total: '30.00' }, description: 'A', distributions: [{ digitalAccountDestination: partner.digital_account, amount: '3.30', description: 'fee' }] },
          { amount: { total: '10.00' }, description: 'B' },
        ],
      },
    }, m.auth);
    expect(created.status).toBe(200);
    await approveAs(s, created.body.id, p.payer_id);
    const before = { payer: await balanceOf(s, p.digital_account), merchant: await balanceOf(s, m.digital_account) };
    const r = await executeAs(s, m, created.body.id, p.payer_id);
    expect(r.status).toBe(200);
    expect(await balanceOf(s, p.digital_account)).toBe(before.payer - 40_00);
    expect(await balanceOf(s, m.digital_account)).toBe(before.merchant + 40_00 - 3_30);
    expect(await balanceOf(s, partner.digital_account)).toBe(3_30);
    const refs = r.body.transactions.map((t: { related_resources: { sale: { ref: string } } }) => t.related_resources.sale.ref);
    expect(new Set(refs).size).toBe(2);
    expect(r.body.transactions[0].distributions[0].state).toBe('completed');
    const entry = await s.ctx.store.db.selectFrom('ledger_entries').select('id').where('ref', '=', refs[0]).executeTakeFirstOrThrow();
    const postings = await s.ctx.store.db.selectFrom('postings').select(['amount_minor']).where('entry_id', '=', entry.id).execute();
    expect(postings.map((x) => Number(x.amount_minor)).sort((a, b) => a - b)).toEqual([-30_00, 3_30, 26_70]);
    expect((await verifyLedger(s.ctx.store.db)).ok).toBe(true);
  });

  it('answers exactly what show.json says right after: distributions, two transactions, English, a test clock ahead', async () => {
    // The answer is built from the execution itself, not read back: it must match the stored truth.
    const { partner } = await authorizedPartner();
    const sale = async () => {
      const created = await postForm(`${s.baseUrl}/api/payment-intent/.json`, {
        paymentintent: {
          intent: 'sale',
          redirectUrls: { returnUrl: 'https://shop.example/ok', cancelUrl: 'https://shop.example/ko' },
          transactions: [
            { amount: { total: '12.00' }, description: 'A', distributions: [{ digitalAccountDestination: partner.digital_account, amount: '1.20', description: 'fee' }] },
            { amount: { total: '7.00' }, description: 'B' },
          ],
        },
      }, m.auth);
      expect(created.status).toBe(200);
      await approveAs(s, created.body.id, p.payer_id);
      return created.body.id as string;
    };
    for (const lang of ['es', 'en']) {
      const id = await sale();
      const headers = { ...m.auth, 'accept-language': lang };
      const r = await postForm(executeUrl(s, id), { payment_execution: { paymentIntent: id, payer: p.payer_id } }, headers);
      expect(r.status).toBe(200);
      const shown = await get(`${s.baseUrl}/api/payment-intent/show.json?id=${id}`, headers);
      expect(r.body.transactions[1].related_resources.sale._data).toBeDefined();
      expect(r.body).toEqual(shown.body);
    }
    // Merchant time two days ahead: the payments' dates and the cancel link follow the clock in both.
    await s.ctx.store.autocommit.insertInto('sandbox_clocks').values({ owner_user_id: m.user_id, offset_ms: 2 * DAY_MS, updated_at: s.clock.now() }).execute();
    try {
      const id = await sale();
      const r = await executeAs(s, m, id, p.payer_id);
      expect(r.status).toBe(200);
      expect(r.body).toEqual((await show(s, m, id)).body);
      const pay = await s.ctx.store.db.selectFrom('payments').select('created_at').where('intent_id', '=', id).executeTakeFirstOrThrow();
      expect(Number(pay.created_at)).toBeGreaterThanOrEqual(s.clock.now() + 2 * DAY_MS - HOUR_MS);
    } finally {
      await s.ctx.store.autocommit.deleteFrom('sandbox_clocks').where('owner_user_id', '=', m.user_id).execute();
    }
  });

  it('refuses to pay a distribution account an operator refused after the intent was made, moving nothing', async () => {
    const { partner, accountId } = await authorizedPartner();
    const created = await postForm(`${s.baseUrl}/api/payment-intent/.json`, {
      paymentintent: {
        intent: 'sale',
        redirectUrls: { returnUrl: 'https://shop.example/ok', cancelUrl: 'https://shop.example/ko' },
        transactions: [{ amount: { total: '20.00' }, description: 'A', distributions: [{ digitalAccountDestination: partner.digital_account, amount: '2.00', description: 'fee' }] }],
      },
    }, m.auth);
    expect(created.status).toBe(200);
    await approveAs(s, created.body.id, p.payer_id);
    await s.ctx.store.autocommit.updateTable('app_distribution_accounts').set({ status: 'refused', decided_at: 2 })
      .where('app_id', '=', m.app_id).where('account_id', '=', accountId).execute();
    const before = await balanceOf(s, p.digital_account);
    const r = await executeAs(s, m, created.body.id, p.payer_id);
    expect(r.status).toBe(400);
    expect(r.body.errors.errors[0]).toContain(partner.digital_account);
    expect(await balanceOf(s, p.digital_account)).toBe(before);
    expect(await balanceOf(s, partner.digital_account)).toBe(0);
    expect((await show(s, m, created.body.id)).body.state).toBe('authorized');
  });

  it('300 concurrent executions of one approved intent: exactly one 200 and one movement', async () => {
    const id = await approvedSale('7.00');
    const before = await balanceOf(s, p.digital_account);
    const results = await Promise.all(Array.from({ length: 300 }, () => executeAs(s, m, id, p.payer_id)));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((x) => x === 200)).toHaveLength(1);
    expect(statuses.filter((x) => x === 400)).toHaveLength(299);
    expect(await balanceOf(s, p.digital_account)).toBe(before - 7_00);
    const payments = await s.ctx.store.db.selectFrom('payments').select('id').where('intent_id', '=', id).execute();
    expect(payments).toHaveLength(1);
    const report = await verifyLedger(s.ctx.store.db);
    expect(report.violations).toEqual([]);
    expect(report.ok).toBe(true);
  });
});
