import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postEntry } from '../../src/ledger/ledger.ts';
import { verifyLedger } from '../../src/ledger/verify.ts';
import type { PayerCreds } from '../../src/sandbox/demo.ts';
import { testServer, type TestServer } from '../helpers/env.ts';
import { get, postForm, postJson } from '../helpers/http.ts';
import {
  annul, balanceOf, cancelUrl, createRequest, executeDoc, merchantWithToken, payer, walletIdOf, type Merchant,
} from '../billing/fixtures.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;

async function paid(s: TestServer, m: Merchant, p: PayerCreds, total = '10.00', extra: Record<string, unknown> = {}) {
  const intent = await createRequest(s, m, p.username, {
    total,
    ...(Object.keys(extra).length ? {
      transactions: [{ amount: { total, currency: 'VES' }, description: 'Factura con reparto', ...extra }],
    } : {}),
  });
  const r = await executeDoc(s, m, intent.id, intent.pay_tokens[0].id, p.pin);
  if (r.status !== 200) throw new Error(r.text);
  return r.body;
}

async function paymentsOf(s: TestServer, intentId: string) {
  return s.ctx.store.db.selectFrom('payments').select(['status', 'updated_at', 'entry_id']).where('intent_id', '=', intentId).execute();
}

const show = (s: TestServer, m: Merchant, id: string) => get(`${s.baseUrl}/api/payment-intent/show.json?id=${id}`, m.auth);

describe('annul an executed payment', () => {
  let s: TestServer;
  let m: Merchant;
  let p: PayerCreds;
  beforeAll(async () => {
    s = await testServer();
    m = await merchantWithToken(s);
    p = await payer(s, 10_000_00, { pin: '1470' });
  });
  afterAll(async () => s.close());

  it('annuls at 23 h 59 min: money back, state annulled, payment canceled (2000), no cancel link any more', async () => {
    const payerBefore = await balanceOf(s, p.digital_account);
    const merchantBefore = await balanceOf(s, m.digital_account);
    const intent = await paid(s, m, p, '25.00');
    s.clock.advance(23 * HOUR + 59 * MIN);
    expect((await show(s, m, intent.id)).body._links.cancel).toBeDefined();
    const r = await annul(s, m, intent.id);
    expect(r.status).toBe(200);
    expect(r.body.state).toBe('annulled');
    expect(r.body._links.cancel).toBeUndefined();
    expect(await balanceOf(s, p.digital_account)).toBe(payerBefore);
    expect(await balanceOf(s, m.digital_account)).toBe(merchantBefore);
    const [pay] = await paymentsOf(s, intent.id);
    expect(pay).toMatchObject({ status: 2000, updated_at: s.clock.now() });
    const found = await get(`${s.baseUrl}/api/payment/find.json?id=${intent.transactions[0].related_resources.request.id}`, m.auth);
    expect(found.body.status).toBe(2000);
    const row = await s.ctx.store.db.selectFrom('payment_intents').select(['state', 'annulled_at']).where('id', '=', intent.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ state: 'annulled', annulled_at: s.clock.now() });

    const again = await annul(s, m, intent.id);
    expect(again.status).toBe(400);
    expect(again.body.errors.errors).toEqual(['Este pago fue anulado.']);
    expect((await verifyLedger(s.ctx.store.db)).ok).toBe(true);
  });

  it('refuses at 24 h 01 min and changes nothing', async () => {
    const intent = await paid(s, m, p, '3.00');
    const merchantBefore = await balanceOf(s, m.digital_account);
    s.clock.advance(24 * HOUR + MIN);
    expect((await show(s, m, intent.id)).body._links.cancel).toBeUndefined();
    const r = await postJson(cancelUrl(s), { cancel_payment_intent: { paymentIntent: intent.id } }, m.auth);
    expect(r.status).toBe(400);
    expect(r.body.errors.errors[0]).toMatch(/más de 24 horas/);
    const en = await annul(s, m, intent.id, { 'accept-language': 'en' });
    expect(en.body.errors.errors[0]).toMatch(/more than 24 hours/);
    expect(await balanceOf(s, m.digital_account)).toBe(merchantBefore);
    expect((await paymentsOf(s, intent.id))[0].status).toBe(9000);
  });

  it('refuses other states, a missing id (tree), and another account’s intent (404)', async () => {
    const waiting = await createRequest(s, m, p.username);
    const r = await annul(s, m, waiting.id);
    expect(r.status).toBe(400);
    expect(r.body.errors.errors).toEqual(['Solo se puede anular un pago ejecutado.']);

    const missing = await postForm(cancelUrl(s), { cancel_payment_intent: { paymentIntent: '' } }, m.auth);
    expect(missing.status).toBe(400);
    expect(missing.body.errors.children.paymentIntent.errors).toEqual(['Indique la intención de pago.']);

    const intent = await paid(s, m, p, '1.00');
    const other = await merchantWithToken(s);
    const foreign = await annul(s, other, intent.id);
    expect(foreign.status).toBe(404);
    expect(foreign.body.code).toBe(404);
    expect((await annul(s, m, 'no-such-intent')).status).toBe(404);
  });

  it('reverses the distributions too', async () => {
    const partner = await payer(s, 0);
    const partnerId = await walletIdOf(s, partner.digital_account);
    await s.ctx.store.autocommit.insertInto('app_distribution_accounts').values({
      app_id: m.app_id, account_id: partnerId, status: 'authorized', requested_at: s.clock.now(), decided_at: s.clock.now(), decided_by: null,
    }).execute();
    const merchantBefore = await balanceOf(s, m.digital_account);
    const intent = await paid(s, m, p, '40.00', {
      distributions: [{ digitalAccountDestination: partner.digital_account, amount: '15.00', description: 'Comisión' }],
    });
    expect(await balanceOf(s, partner.digital_account)).toBe(15_00);
    expect(await balanceOf(s, m.digital_account)).toBe(merchantBefore + 25_00);
    const r = await annul(s, m, intent.id);
    expect(r.status).toBe(200);
    expect(r.body.transactions[0].distributions[0].state).toBe('canceled');
    expect(await balanceOf(s, partner.digital_account)).toBe(0);
    expect(await balanceOf(s, m.digital_account)).toBe(merchantBefore);

    // The partner spends its share: the annulment can no longer be covered.
    const second = await paid(s, m, p, '40.00', {
      distributions: [{ digitalAccountDestination: partner.digital_account, amount: '15.00', description: 'Comisión' }],
    });
    const payerWallet = await walletIdOf(s, p.digital_account);
    await s.ctx.store.tx((tx) => postEntry(tx, {
      kind: 'transfer', description: 'gasto', nowMs: s.clock.now(),
      postings: [{ accountId: partnerId, amountMinor: -10_00 }, { accountId: payerWallet, amountMinor: 10_00 }],
    }));
    const merchantMid = await balanceOf(s, m.digital_account);
    const refused = await annul(s, m, second.id);
    expect(refused.status).toBe(400);
    expect(refused.body.errors.errors[0]).toMatch(/cuenta de distribución/);
    expect(await balanceOf(s, partner.digital_account)).toBe(5_00);
    expect(await balanceOf(s, m.digital_account)).toBe(merchantMid);
    expect((await show(s, m, second.id)).body.state).toBe('executed');
  });

  it('cannot annul when the merchant already spent the money: 400, nothing changed', async () => {
    const poorShop = await merchantWithToken(s);
    const intent = await paid(s, poorShop, p, '50.00');
    const shopWallet = await walletIdOf(s, poorShop.digital_account);
    const elsewhere = await walletIdOf(s, p.digital_account);
    await s.ctx.store.tx((tx) => postEntry(tx, {
      kind: 'transfer', description: 'gasto', nowMs: s.clock.now(),
      postings: [{ accountId: shopWallet, amountMinor: -30_00 }, { accountId: elsewhere, amountMinor: 30_00 }],
    }));
    const payerBefore = await balanceOf(s, p.digital_account);
    const entriesBefore = (await s.ctx.store.db.selectFrom('ledger_entries').select('id').execute()).length;
    const r = await annul(s, poorShop, intent.id);
    expect(r.status).toBe(400);
    expect(r.body.errors.errors[0]).toMatch(/saldo del comercio/);
    expect(await balanceOf(s, poorShop.digital_account)).toBe(20_00);
    expect(await balanceOf(s, p.digital_account)).toBe(payerBefore);
    expect((await s.ctx.store.db.selectFrom('ledger_entries').select('id').execute()).length).toBe(entriesBefore);
    expect((await show(s, poorShop, intent.id)).body.state).toBe('executed');
    expect((await paymentsOf(s, intent.id))[0].status).toBe(9000);
  });
});

describe('annulment under concurrency', () => {
  let s: TestServer;
  let m: Merchant;
  let p: PayerCreds;
  // Resolvers waiting for the server to receive an annulment request.
  const annulArrivals: (() => void)[] = [];
  beforeAll(async () => {
    s = await testServer({
      extend: (app) => app.addHook('onRequest', async (request) => {
        if (request.url.startsWith('/api/payment-intent/cancel')) annulArrivals.splice(0).forEach((arrived) => arrived());
      }),
    });
    m = await merchantWithToken(s);
    p = await payer(s, 1_000_00, { pin: '3690' });
  });
  afterAll(async () => s.close());

  it('two annulments at once: one 200, one 400, the money comes back once', async () => {
    for (let i = 0; i < 3; i++) {
      const before = await balanceOf(s, p.digital_account);
      const intent = await paid(s, m, p, '7.00');
      const results = await Promise.all([annul(s, m, intent.id), annul(s, m, intent.id)]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 400]);
      expect(await balanceOf(s, p.digital_account)).toBe(before);
      const reversals = await s.ctx.store.db.selectFrom('ledger_entries').select('id')
        .where('reverses_entry_id', '=', (await paymentsOf(s, intent.id))[0].entry_id).execute();
      expect(reversals).toHaveLength(1);
    }
    expect((await verifyLedger(s.ctx.store.db)).ok).toBe(true);
  });

  /**
   * Holds the next write transaction open (its work done, before COMMIT) until released: a
   * barrier, not a delay.
   */
  function holdNextTx(server: TestServer) {
    const store = server.ctx.store as { tx: TestServer['ctx']['store']['tx'] };
    const original = store.tx;
    let held = false;
    let reached!: () => void;
    let release!: () => void;
    const gate = {
      reached: new Promise<void>((r) => (reached = r)),
      released: new Promise<void>((r) => (release = r)),
      release: () => release(),
      restore: () => (store.tx = original),
    };
    store.tx = (fn) => {
      if (held) return original(fn);
      held = true;
      return original(async (tx) => {
        const out = await fn(tx);
        reached();
        await gate.released;
        return out;
      });
    };
    return gate;
  }

  it('annulment racing the execution leaves a consistent state and a balanced ledger', async () => {
    const outcomes = new Set<number>();
    // The annulment arrives while the execution's transaction is open (held before its
    // COMMIT until the server has received the annulment, which then waits for the store or
    // the intent's lock), then once before the execution starts and once after it has
    // committed.
    for (const order of ['during', 'before', 'after'] as const) {
      const before = await balanceOf(s, p.digital_account);
      const intent = await createRequest(s, m, p.username, { total: '4.00' });
      const execute = () => executeDoc(s, m, intent.id, intent.pay_tokens[0].id, p.pin);
      let exec: Awaited<ReturnType<typeof execute>>;
      let cancel: Awaited<ReturnType<typeof annul>>;
      if (order === 'during') {
        const gate = holdNextTx(s);
        try {
          const executing = execute();
          await Promise.race([gate.reached, executing]);
          const arrived = new Promise<void>((r) => annulArrivals.push(r));
          const annulling = annul(s, m, intent.id);
          await Promise.race([arrived, annulling]);
          gate.release();
          [exec, cancel] = await Promise.all([executing, annulling]);
        } finally {
          gate.restore();
        }
      } else if (order === 'before') {
        cancel = await annul(s, m, intent.id);
        exec = await execute();
      } else {
        exec = await execute();
        cancel = await annul(s, m, intent.id);
      }
      outcomes.add(cancel.status);
      expect(exec.status).toBe(200);
      const state = (await show(s, m, intent.id)).body.state;
      if (order === 'before') expect(cancel.status).toBe(400);
      if (order === 'after') expect(cancel.status).toBe(200);
      if (cancel.status === 200) {
        expect(state).toBe('annulled');
        expect(await balanceOf(s, p.digital_account)).toBe(before);
      } else {
        expect(cancel.status).toBe(400);
        expect(state).toBe('executed');
        expect(await balanceOf(s, p.digital_account)).toBe(before - 4_00);
      }
    }
    expect([...outcomes].every((x) => x === 200 || x === 400)).toBe(true);
    const report = await verifyLedger(s.ctx.store.db);
    expect(report.violations).toEqual([]);
    expect(report.ok).toBe(true);
  });
});
