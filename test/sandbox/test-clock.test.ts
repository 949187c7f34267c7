import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../src/ledger/verify.ts';
import { expireDue } from '../../src/payment-intents/expiry.worker.ts';
import { settleDue } from '../../src/payouts/payout.service.ts';
import { advanceClock, resetClock } from '../../src/sandbox/clock.service.ts';
import { DAY_MS, HOUR_MS } from '../../src/shared/clock.ts';
import { ValidationError } from '../../src/shared/errors.ts';
import { merchantNow } from '../../src/test-mode/test-clock.ts';
import { DIALECT, testServer, type TestServer } from '../helpers/env.ts';
import { get } from '../helpers/http.ts';
import { createSale, executeAs } from '../payment-intents/fixtures.ts';
import { createRequest, executeDoc } from '../billing/fixtures.ts';
import { eventsOf, subscribe } from '../webhooks/fixtures.ts';
import {
  annulSale, authorizedSale, executedSale, fundMerchant, fundedPayer, intentState, liveMerchant, submittedBatch, type Merchant,
} from './fixtures.ts';
import type { PayerCreds } from '../../src/sandbox/demo.ts';

// A business's sandbox test clock: its intents and payout batches live in its own time, so the
// 24-hour annul window, the 3-day expiry and the 24-hour settlement pass when it advances; other
// businesses keep the real time, and production has no test clock at all.

const by = (m: Merchant) => ({ operatorId: m.user_id, via: 'merchant' as const });
const show = (s: TestServer, m: Merchant, id: string) => get(`${s.baseUrl}/api/payment-intent/show.json?id=${id}`, m.auth);

describe('the sandbox test clock', () => {
  let s: TestServer;
  let m: Merchant;
  let other: Merchant;
  let p: PayerCreds;
  beforeAll(async () => {
    s = await testServer();
    [m, other] = [await liveMerchant(s), await liveMerchant(s)];
    p = await fundedPayer(s, 10_000_00);
  });
  afterAll(async () => s?.close());

  it('moves an executed sale past its annul window: annulled before advancing, refused after 25 h', async () => {
    const early = await executedSale(s, m, p.payer_id, '12.00');
    expect((await annulSale(s, m, early)).status).toBe(200);

    const sale = await executedSale(s, m, p.payer_id, '13.00');
    const theirs = await executedSale(s, other, p.payer_id, '14.00');
    expect((await show(s, m, sale)).body._links.cancel).toBeDefined();
    const state = await advanceClock(s.ctx, m.user_id, 25 * HOUR_MS, by(m));
    expect(state).toMatchObject({ offsetMs: 25 * HOUR_MS, offset: '1d 1h', nowMs: s.clock.now() + 25 * HOUR_MS });
    expect((await show(s, m, sale)).body._links.cancel).toBeUndefined();
    const refused = await annulSale(s, m, sale);
    expect(refused.status).toBe(400);
    expect(refused.body.errors.errors).toEqual(['Este pago ya no puede anularse: pasaron más de 24 horas desde su ejecución.']);
    expect(await intentState(s, sale)).toBe('executed');
    // Another business keeps the real time.
    expect((await annulSale(s, other, theirs)).status).toBe(200);
    // What the business does after advancing lives in its time: a new sale has its 24 hours.
    const later = await executedSale(s, m, p.payer_id, '15.00');
    const row = await s.ctx.store.db.selectFrom('payment_intents').select(['created_at', 'executed_at']).where('id', '=', later).executeTakeFirstOrThrow();
    expect(row).toEqual({ created_at: s.clock.now() + 25 * HOUR_MS, executed_at: s.clock.now() + 25 * HOUR_MS });
    expect((await annulSale(s, m, later)).status).toBe(200);
    await resetClock(s.ctx, m.user_id, by(m));
    expect((await verifyLedger(s.ctx.store.db)).violations).toEqual([]);
  });

  it('expires an authorized intent through the expiry pass once the clock has moved 3 days', async () => {
    const sale = await authorizedSale(s, m, p.payer_id, '21.00');
    const theirs = await authorizedSale(s, other, p.payer_id, '22.00');
    await advanceClock(s.ctx, m.user_id, 2 * DAY_MS, by(m));
    await expireDue(s.ctx);
    expect(await intentState(s, sale)).toBe('authorized');
    await advanceClock(s.ctx, m.user_id, DAY_MS, by(m));
    expect(await expireDue(s.ctx)).toBeGreaterThanOrEqual(1);
    const row = await s.ctx.store.db.selectFrom('payment_intents').select(['state', 'canceled_at', 'expires_at']).where('id', '=', sale).executeTakeFirstOrThrow();
    expect(row.state).toBe('canceled');
    expect(row.canceled_at).toBe(row.expires_at);
    expect(await intentState(s, theirs)).toBe('authorized');
    const execute = await executeAs(s, m, sale, p.payer_id);
    expect(execute.status).toBe(400);
    // A sale made now, in the business's time, has its own 3 days ahead of it.
    const fresh = await createSale(s, m, '23.00');
    expect(fresh.body.state).toBe('created');
    await expireDue(s.ctx);
    expect(await intentState(s, fresh.body.id)).toBe('created');
    await resetClock(s.ctx, m.user_id, by(m));
  });

  it('settles a payout batch once the clock has moved 24 h', async () => {
    await fundMerchant(s, m, 500_00);
    await fundMerchant(s, other, 500_00);
    const batch = await submittedBatch(s, m, [{ bankAccount: '01020000000000000001', amount: '40.00' }]);
    const theirs = await submittedBatch(s, other, [{ bankAccount: '01020000000000000001', amount: '41.00' }]);
    expect(batch.status).toBe('PROCESSING');
    expect(await settleDue(s.ctx)).toBe(0);
    await advanceClock(s.ctx, m.user_id, 23 * HOUR_MS, by(m));
    expect(await settleDue(s.ctx)).toBe(0);
    await advanceClock(s.ctx, m.user_id, HOUR_MS, by(m));
    expect(await settleDue(s.ctx)).toBe(1);
    const shown = await get(`${s.baseUrl}/api/multipayment/show.json?id=${batch.id}`, m.auth);
    expect(shown.body.status).toBe('SETTLED');
    expect((await get(`${s.baseUrl}/api/multipayment/show.json?id=${theirs.id}`, other.auth)).body.status).toBe('PROCESSING');
    await resetClock(s.ctx, m.user_id, by(m));
    expect((await verifyLedger(s.ctx.store.db)).violations).toEqual([]);
  });

  it('dates the business\'s objects in its time, but sends their events, e-mails and callbacks at the real time', async () => {
    await subscribe(s, m.app_id, 'https://hooks.example/mpandco');
    await advanceClock(s.ctx, m.user_id, 25 * HOUR_MS, by(m));
    const real = s.clock.now();
    const sale = await executedSale(s, m, p.payer_id, '16.00');
    expect((await annulSale(s, m, sale)).status).toBe(200);
    const request = await createRequest(s, m, p.username, { total: '7.00' });
    expect((await executeDoc(s, m, request.id, request.pay_tokens[0].id, p.pin)).status).toBe(200);
    await advanceClock(s.ctx, m.user_id, 3 * DAY_MS, by(m));
    const waiting = await authorizedSale(s, m, p.payer_id, '8.00');
    await advanceClock(s.ctx, m.user_id, 3 * DAY_MS, by(m));
    expect(await expireDue(s.ctx)).toBeGreaterThanOrEqual(1);
    expect(await intentState(s, waiting)).toBe('canceled');

    const events = await eventsOf(s, m.app_id);
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['sale.executed', 'sale.annulled', 'request.paid', 'intent.expired']));
    for (const e of events) expect(Number(e.next_attempt_at), e.type).toBeLessThanOrEqual(real);
    const mails = await s.ctx.store.db.selectFrom('mail_outbox').select('next_attempt_at').where('created_at', '>=', real - 1).execute();
    expect(mails.length).toBeGreaterThan(0);
    for (const mail of mails) expect(Number(mail.next_attempt_at)).toBeLessThanOrEqual(real);
    const [callback] = await s.ctx.store.db.selectFrom('callbacks').select('next_attempt_at').where('intent_id', '=', request.id).execute();
    expect(Number(callback.next_attempt_at)).toBe(real);
    const executedAt = await s.ctx.store.db.selectFrom('payment_intents').select('executed_at').where('id', '=', sale).executeTakeFirstOrThrow();
    expect(executedAt.executed_at).toBe(real + 25 * HOUR_MS);
    await subscribe(s, m.app_id, null, []);
    await resetClock(s.ctx, m.user_id, by(m));
  });

  it('finds due intents and batches through indexes, not by reading the whole tables', async () => {
    const literal = (v: unknown) => (typeof v === 'number' ? String(v) : `'${String(v).replace(/'/g, "''")}'`);
    // With sequential scans priced out (PostgreSQL), the plan shows whether an index can serve the query.
    const plan = (q: { compile(): { sql: string; parameters: readonly unknown[] } }) => s.ctx.store.tx(async (tx) => {
      const c = q.compile();
      let i = 0;
      const text = DIALECT === 'postgres'
        ? c.sql.replace(/\$(\d+)/g, (_, n) => literal(c.parameters[Number(n) - 1]))
        : c.sql.replace(/\?/g, () => literal(c.parameters[i++]));
      if (DIALECT === 'postgres') await sql`set local enable_seqscan = off`.execute(tx);
      const rows = await sql.raw(`${DIALECT === 'postgres' ? 'explain' : 'explain query plan'} ${text}`).execute(tx);
      return (rows.rows as Record<string, string>[]).map((r) => r.detail ?? r['QUERY PLAN']).join(' | ');
    });
    const db = s.ctx.store.db;
    const due = () => db.selectFrom('payment_intents').select('id').where('intent', '=', 'sale')
      .where('state', 'in', ['created', 'authorized']).where('expires_at', 'is not', null).where('expires_at', '<=', 1);
    expect(await plan(due())).toMatch(/payment_intents_expiry/);
    const owner = await plan(due().where('owner_user_id', '=', 'x'));
    expect(owner).toMatch(/(USING INDEX|Index Scan using|Bitmap Index Scan on) payment_intents_(owner|expiry)/);
    expect(owner).not.toMatch(/Seq Scan|SCAN payment_intents$/);
    const payouts = await plan(db.selectFrom('payout_batches').select('id').where('status', '=', 'PROCESSING').where('submitted_at', '<=', 1));
    expect(payouts).toMatch(/payout_batches_due/);
  });
});

describe('production has no test clock', () => {
  let s: TestServer;
  let m: Merchant;
  let p: PayerCreds;
  beforeAll(async () => {
    s = await testServer({ env: 'production' });
    m = await liveMerchant(s);
    p = await fundedPayer(s, 1_000_00);
  });
  afterAll(async () => s?.close());

  it('refuses to advance or reset', async () => {
    await expect(advanceClock(s.ctx, m.user_id, 25 * HOUR_MS, by(m))).rejects.toBeInstanceOf(ValidationError);
    await expect(resetClock(s.ctx, m.user_id, by(m))).rejects.toBeInstanceOf(ValidationError);
    const count = await s.ctx.store.db.selectFrom('sandbox_clocks').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });

  it('ignores an offset written into its store: windows, expiry and settlement keep the real time', async () => {
    await s.ctx.store.tx((tx) => tx.insertInto('sandbox_clocks').values({ owner_user_id: m.user_id, offset_ms: 5 * DAY_MS, updated_at: 0 }).execute());
    expect(await merchantNow(s.ctx, m.user_id)).toBe(s.clock.now());
    const sale = await executedSale(s, m, p.payer_id, '10.00');
    const waiting = await authorizedSale(s, m, p.payer_id, '11.00');
    await fundMerchant(s, m, 100_00);
    await submittedBatch(s, m, [{ bankAccount: '01020000000000000001', amount: '5.00' }]);
    expect(await expireDue(s.ctx)).toBe(0);
    expect(await settleDue(s.ctx)).toBe(0);
    expect(await intentState(s, waiting)).toBe('authorized');
    expect((await annulSale(s, m, sale)).status).toBe(200);
  });
});
