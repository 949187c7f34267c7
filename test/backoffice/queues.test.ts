import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueBacklog, type QueueBacklog } from '../../src/backoffice/queues.service.ts';
import { expireDue } from '../../src/payment-intents/expiry.worker.ts';
import { settleDue } from '../../src/payouts/payout.service.ts';
import { deliverMail } from '../../src/mail/deliver.ts';
import { createMerchant } from '../../src/sandbox/demo.ts';
import { DAY_MS } from '../../src/shared/clock.ts';
import { newId } from '../../src/shared/ids.ts';
import type { Ctx } from '../../src/context.ts';
import { testEnv, testServer, type TestEnv, type TestServer } from '../helpers/env.ts';
import { postForm } from '../helpers/http.ts';
import { runCli } from '../helpers/cli.ts';
import { createSale, fundedMerchant, type Merchant } from '../payment-intents/fixtures.ts';
import { makeOperator } from './fixtures.ts';
import { textOf, WebClient } from './web-client.ts';

const MIN = 60_000;
const byName = (qs: QueueBacklog[]) => Object.fromEntries(qs.map((q) => [q.queue, q]));

/** Nothing already queued counts: what the flows of the setup enqueued is marked done. */
async function quietOutboxes(ctx: Ctx) {
  await ctx.store.autocommit.updateTable('mail_outbox').set({ status: 'sent' }).where('status', '=', 'pending').execute();
  await ctx.store.autocommit.updateTable('callbacks').set({ status: 'delivered' }).where('status', '=', 'pending').execute();
  await ctx.store.autocommit.updateTable('events').set({ status: 'delivered' }).where('status', '=', 'pending').execute();
}

/** Rows of the three outboxes, each `[status, next attempt]`, as their writers leave them. */
async function enqueue(ctx: Ctx, appId: string, userId: string, rows: {
  mail?: [string, number][]; callbacks?: [string, number][]; events?: [string, number][];
}) {
  const db = ctx.store.autocommit;
  const now = ctx.clock.now();
  for (const [status, at] of rows.mail ?? []) {
    await db.insertInto('mail_outbox').values({
      id: newId(), kind: 'test', user_id: null, to_address: 'ops@example.com', locale: 'es', subject: 'Prueba',
      text_body: 'Hola', html_body: '<p>Hola</p>', status: status as 'pending', transport: null, attempts: 0,
      next_attempt_at: at, locked_until: 0, locked_by: null, last_error: null, created_at: now, sent_at: null,
    }).execute();
  }
  for (const [status, at] of rows.callbacks ?? []) {
    await db.insertInto('callbacks').values({
      id: newId(), intent_id: null, app_id: appId, url: 'https://shop.example/callback', status: status as 'pending',
      attempts: 0, next_attempt_at: at, locked_until: 0, locked_by: null, created_at: now, delivered_at: null, test: 1,
    }).execute();
  }
  for (const [status, at] of rows.events ?? []) {
    await db.insertInto('events').values({
      id: newId(), app_id: appId, user_id: userId, type: 'sale.executed', object_id: newId(), data_json: '{}',
      status: status as 'pending', attempts: 0, next_attempt_at: at, locked_until: 0, locked_by: null, created_at: now,
      delivered_at: null, test: 1, requeued_at: null, requeue_attempts: 0,
    }).execute();
  }
}

describe('the background queues an operator watches', () => {
  let s: TestServer;
  let m: Merchant;
  let batchId: string;
  let saleId: string;

  beforeAll(async () => {
    s = await testServer();
    m = await fundedMerchant(s, 1_000_00);
    // A mass payout submitted now settles in 24 hours; a sale nobody pays expires.
    const item = {
      multi_payment_item: {
        reference: 'Nómina 001', nameAccount: 'Jose Rivas', identificationNumber: 'V12345678',
        bankAccount: '01340000000000000001', amount: '10.00', phone: '', email: '',
      },
    };
    expect((await postForm(`${s.baseUrl}/api/multipayment/register-item.json?type=DISPERSION`, item, m.auth)).status).toBe(200);
    batchId = (await s.ctx.store.db.selectFrom('payout_batches').select('id').where('owner_user_id', '=', m.user_id).executeTakeFirstOrThrow()).id;
    expect((await postForm(`${s.baseUrl}/api/multipayment/submit.json?id=${batchId}`, {}, m.auth)).status).toBe(200);
    const sale = await createSale(s, m);
    expect(sale.status).toBe(200);
    saleId = sale.body.id;
  });
  afterAll(async () => s.close());

  it('counts what each loop has due, how long the oldest has waited, and what it gave up on', async () => {
    const quiet = byName(await queueBacklog(s.ctx.store.db, s.clock.now()));
    expect(quiet.settlement).toMatchObject({ due: 0, oldestAgeMs: 0, late: false });
    expect(quiet.expiry).toMatchObject({ due: 0, late: false });

    // Seven minutes past the later of the two: the sale's expiry and the batch's settlement day.
    const intent = await s.ctx.store.db.selectFrom('payment_intents').select(['expires_at', 'state']).where('id', '=', saleId).executeTakeFirstOrThrow();
    const batch = await s.ctx.store.db.selectFrom('payout_batches').select(['submitted_at', 'status']).where('id', '=', batchId).executeTakeFirstOrThrow();
    const expiresAt = Number(intent.expires_at);
    const settlesAt = Number(batch.submitted_at) + DAY_MS;
    s.clock.set(Math.max(expiresAt, settlesAt) + 7 * MIN);
    await quietOutboxes(s.ctx);
    const now = s.clock.now();
    await enqueue(s.ctx, m.app_id, m.user_id, {
      // Due ten and one minute ago; a retry in five minutes (not due); given up; sent.
      mail: [['pending', now - 10 * MIN], ['pending', now - MIN], ['pending', now + 5 * MIN], ['failed', now - DAY_MS], ['sent', now - 20 * MIN]],
      callbacks: [['pending', now - 20 * MIN], ['failed', now - 30 * MIN], ['delivered', now - 40 * MIN]],
      // A webhook due half a minute ago; an event no endpoint listens to is no work.
      events: [['pending', now - 30_000], ['none', now - 60 * MIN]],
    });
    expect([intent.state, batch.status]).toEqual(['created', 'PROCESSING']);

    // One of the two due messages is held by a worker that has not recorded its attempt yet: still due.
    await s.ctx.store.autocommit.updateTable('mail_outbox').set({ locked_by: 'node-a:1', locked_until: now + 2 * MIN })
      .where('status', '=', 'pending').where('next_attempt_at', '=', now - MIN).execute();

    const q = byName(await queueBacklog(s.ctx.store.db, now));
    expect(q.mail).toEqual({ queue: 'mail', due: 2, oldestAgeMs: 10 * MIN, failed: 1, late: true });
    expect(q.callbacks).toEqual({ queue: 'callbacks', due: 1, oldestAgeMs: 20 * MIN, failed: 1, late: true });
    expect(q.webhooks).toEqual({ queue: 'webhooks', due: 1, oldestAgeMs: 30_000, failed: 0, late: false });
    expect(q.expiry).toEqual({ queue: 'expiry', due: 1, oldestAgeMs: now - expiresAt, failed: null, late: true });
    expect(q.settlement).toEqual({ queue: 'settlement', due: 1, oldestAgeMs: now - settlesAt, failed: null, late: true });
    expect(Math.min(q.expiry.oldestAgeMs, q.settlement.oldestAgeMs)).toBe(7 * MIN);

    // A longer bound: the same figures, nothing late.
    const patient = await queueBacklog(s.ctx.store.db, now, 30 * DAY_MS);
    expect(patient.map((x) => x.late)).toEqual([false, false, false, false, false]);
    expect(patient.map((x) => x.due)).toEqual([2, 1, 1, 1, 1]);
  });

  it('shows them in the back office, in Spanish and in English', async () => {
    const op = await makeOperator(s.ctx);
    const c = new WebClient(s.baseUrl);
    await c.signIn(op.username, op.password, '/backoffice/login');
    const res = await c.get('/backoffice/queues');
    expect(res.status).toBe(200);
    const rows = [...res.html.matchAll(/<tr data-queue="(\w+)" data-due="(\d+)" data-oldest-ms="(\d+)" data-late="(\d)"/g)]
      .map(([, queue, due, ms, late]) => [queue, Number(due), Number(ms), late === '1']);
    expect(rows).toEqual([
      ['mail', 2, 10 * MIN, true], ['callbacks', 1, 20 * MIN, true], ['webhooks', 1, 30_000, false],
      ['expiry', 1, rows[3][2], true], ['settlement', 1, rows[4][2], true],
    ]);
    expect(Math.min(rows[3][2] as number, rows[4][2] as number)).toBe(7 * MIN);
    const text = textOf(res.html);
    expect(text).toContain('Correos electrónicos 2 10 min 00 s 1 Atrasada');
    expect(text).toContain('Webhooks 1 30 s 0 Al día');
    expect(text).toMatch(/Liquidación de pagos masivos 1 [\d a-z]+ — Atrasada/);
    expect(res.html).toContain('href="/backoffice/queues" aria-current="page"');

    const en = new WebClient(s.baseUrl, 'en');
    await en.signIn(op.username, op.password, '/backoffice/login');
    const english = textOf((await en.get('/backoffice/queues')).html);
    expect(english).toContain('E-mail 2 10 min 00 s 1 Late');
    expect(english).toContain('Billing request callbacks 1 20 min 00 s 1 Late');

    // Without an operator's session the back office does not show itself.
    const anonymous = await new WebClient(s.baseUrl).get('/backoffice/queues');
    expect(anonymous.status).toBe(404);
    expect(anonymous.html).not.toContain('data-queue=');
  });

  it('counts exactly what the loops take: after their passes, only the message a worker holds is left', async () => {
    expect(await expireDue(s.ctx)).toBe(1);
    expect(await settleDue(s.ctx)).toBe(1);
    // The expiry and the settlement may write e-mail of their own: the mail pass sends those too.
    await deliverMail(s.ctx);
    const q = byName(await queueBacklog(s.ctx.store.db, s.clock.now()));
    expect(q.expiry).toMatchObject({ due: 0, oldestAgeMs: 0, late: false });
    expect(q.settlement).toMatchObject({ due: 0, oldestAgeMs: 0, late: false });
    // The held message stays due (a minute old) until its worker records it or its lease runs out.
    expect(q.mail).toMatchObject({ due: 1, oldestAgeMs: MIN, failed: 1, late: false });
    // Five minutes on, the lease has run out and the planned retry is due: a pass takes both.
    s.clock.advance(5 * MIN);
    expect(byName(await queueBacklog(s.ctx.store.db, s.clock.now())).mail).toMatchObject({ due: 2, oldestAgeMs: 6 * MIN });
    expect(await deliverMail(s.ctx)).toMatchObject({ sent: 2 });
    expect(byName(await queueBacklog(s.ctx.store.db, s.clock.now())).mail).toMatchObject({ due: 0, oldestAgeMs: 0, failed: 1 });
  });
});

describe('mpandco queues', () => {
  let te: TestEnv;
  beforeAll(async () => {
    te = await testEnv();
    // The command reads the real time: rows are placed around it.
    te.clock.set(Date.now());
    const m = await createMerchant(te.ctx);
    const now = te.clock.now();
    await enqueue(te.ctx, m.app_id, m.user_id, { mail: [['pending', now - 10 * MIN]], events: [['pending', now - MIN], ['failed', now - MIN]] });
  });
  afterAll(async () => te.close());

  it('prints each queue and exits 1 while one is late, 0 with a longer bound', async () => {
    const late = await runCli(['queues', '--env', 'sandbox'], te.childEnv);
    expect(late.stderr).toBe('');
    expect(late.code).toBe(1);
    expect(late.stdout).toMatch(/^sandbox:\n/);
    expect(late.stdout).toMatch(/ {2}mail {7}\s+1 due, oldest due 10 min \d\d s ago, 0 given up {2}LATE\n/);
    expect(late.stdout).toMatch(/ {2}webhooks\s+1 due, oldest due 1 min \d\d s ago, 1 given up\n/);
    expect(late.stdout).toMatch(/ {2}settlement\s+0 due\n/);

    const patient = await runCli(['queues', '--env', 'sandbox', '--late-after', '3600', '--json'], te.childEnv);
    expect(patient.code).toBe(0);
    const [report] = JSON.parse(patient.stdout);
    expect(report.env).toBe('sandbox');
    const q = byName(report.queues);
    expect(q.mail).toMatchObject({ due: 1, failed: 0, late: false });
    expect(q.mail.oldestAgeMs).toBeGreaterThanOrEqual(10 * MIN);
    expect(q.mail.oldestAgeMs).toBeLessThan(11 * MIN);
    expect(q.webhooks).toMatchObject({ due: 1, failed: 1, late: false });
    expect(q.callbacks).toMatchObject({ due: 0, oldestAgeMs: 0, failed: 0, late: false });
  });

  it('refuses a bound that is not a number of seconds, and an unknown environment', async () => {
    for (const bad of ['0', '1.5', 'soon']) {
      const r = await runCli(['queues', '--env', 'sandbox', `--late-after=${bad}`], te.childEnv);
      expect(r.code, bad).toBe(2);
      expect(r.stderr, bad).toContain('--late-after must be a number of seconds');
    }
    const env = await runCli(['queues', '--env', 'staging'], te.childEnv);
    expect(env.code).toBe(2);
    expect(env.stderr).toContain('--env must be sandbox, production or both');
  });
});
