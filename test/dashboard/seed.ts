import fc from 'fast-check';
import { expect } from 'vitest';
import type { TestServer } from '../helpers/env.ts';
import { bearer, postForm } from '../helpers/http.ts';
import { insertApp } from '../../src/apps/apps.service.ts';
import { issueTokens } from '../../src/oauth/tokens.ts';
import { createPayer, type PayerCreds } from '../../src/sandbox/demo.ts';
import { HOUR_MS } from '../../src/shared/clock.ts';
import { addTestFunds } from '../../src/sandbox/funds.ts';
import { annul, createRequest, executeDoc, merchantWithToken, type Merchant } from '../billing/fixtures.ts';
import { approveAs, createSale, executeAs } from '../payment-intents/fixtures.ts';

// A merchant's account seeded through the real API from a random plan, and what the plan
// says each row is: the oracle the dashboard's filters, totals and export are checked against.

export interface Op {
  kind: 'sale' | 'request' | 'payout';
  app: 0 | 1;
  payer: number;
  cents: number;
  outcome: 'created' | 'executed' | 'annulled';
  hoursLater: number;
}

export const opArb: fc.Arbitrary<Op> = fc.record({
  kind: fc.constantFrom('sale', 'sale', 'request', 'payout'),
  app: fc.constantFrom(0, 1),
  payer: fc.integer({ min: 0, max: 2 }),
  cents: fc.oneof(fc.integer({ min: 1, max: 90_000 }), fc.constantFrom(1_000, 2_550)),
  outcome: fc.constantFrom('created', 'executed', 'executed', 'annulled'),
  hoursLater: fc.integer({ min: 0, max: 30 }),
});

export interface Row {
  id: string;
  kind: 'sale' | 'request' | 'payout';
  appId: string;
  payerId: string | null;
  cents: number;
  createdAt: number;
  /** What the row is at the end of the seed, expiry aside (the oracle applies it). */
  stored: string;
  expiresAt: number | null;
  refs: string[];
  invoice: string | null;
}

export interface Seeded {
  m: Merchant;
  apps: { id: string; auth: Record<string, string> }[];
  payers: PayerCreds[];
  rows: Row[];
}

async function secondApp(s: TestServer, m: Merchant) {
  const now = s.clock.now();
  const accountId = (await s.ctx.store.db.selectFrom('digital_accounts').select('id').where('user_id', '=', m.user_id).executeTakeFirstOrThrow()).id;
  const { app } = await s.ctx.store.tx((tx) => insertApp(tx, {
    ownerUserId: m.user_id, name: 'Punto de venta', description: 'Caja', homeUrl: 'http://localhost:3000', receivingAccountId: accountId, sandbox: true,
  }, now));
  const t = await issueTokens(s.ctx.store.autocommit, { appId: app.id, userId: m.user_id, secretVersion: 1, nowMs: now, accessTtlSec: 365 * 86_400, refreshIdleSec: 365 * 86_400 });
  return { id: app.id, auth: bearer(t.access_token) };
}

const money = (cents: number) => (cents / 100).toFixed(2);

async function payout(s: TestServer, app: { auth: Record<string, string> }, op: Op, i: number, seeded: Seeded): Promise<Row> {
  const type = op.outcome === 'executed' ? 'DISPERSION_INSTANT_INTERBANK' : 'DISPERSION';
  const item = { multi_payment_item: { reference: `NOM-${i}`, nameAccount: 'Luis Pérez', identificationNumber: 'V12345678', bankAccount: '01340000000000000001', amount: money(op.cents) } };
  const reg = await postForm(`${s.baseUrl}/api/multipayment/register-item.json?type=${type}`, item, app.auth);
  expect(reg.status, reg.text).toBe(200);
  const batch = await s.ctx.store.db.selectFrom('payout_items as x').innerJoin('payout_batches as b', 'b.id', 'x.batch_id')
    .select(['b.id', 'b.ref', 'b.created_at', 'b.app_id']).where('x.ref', '=', reg.body.ref).executeTakeFirstOrThrow();
  let stored = 'pending_load';
  if (op.outcome !== 'created') {
    const sent = await postForm(`${s.baseUrl}/api/multipayment/submit.json?id=${batch.id}`, {}, app.auth);
    expect(sent.status, sent.text).toBe(200);
    stored = sent.body.status.toLowerCase();
  }
  const existing = seeded.rows.find((r) => r.id === batch.id);
  if (existing) {
    existing.cents += op.cents;
    existing.refs.push(reg.body.ref, `NOM-${i}`);
    existing.stored = stored;
    return existing;
  }
  return { id: batch.id, kind: 'payout', appId: batch.app_id, payerId: null, cents: op.cents, createdAt: Number(batch.created_at), stored, expiresAt: null, refs: [batch.ref, reg.body.ref, `NOM-${i}`], invoice: null };
}

async function intent(s: TestServer, seeded: Seeded, op: Op, i: number): Promise<Row> {
  const app = seeded.apps[op.app];
  const m = { ...seeded.m, auth: app.auth };
  const payer = seeded.payers[op.payer];
  const invoice = `INV-${i}`;
  let body;
  if (op.kind === 'sale') {
    const r = await createSale(s, m, money(op.cents), { invoiceNumber: invoice });
    expect(r.status, r.text).toBe(200);
    body = r.body;
    if (op.outcome !== 'created') {
      await approveAs(s, body.id, payer.payer_id);
      const done = await executeAs(s, m, body.id, payer.payer_id);
      expect(done.status, done.text).toBe(200);
    }
  } else {
    body = await createRequest(s, m, payer.username, { transactions: [{ amount: { total: money(op.cents), currency: 'VES' }, description: `Factura ${i}`, invoiceNumber: invoice }] });
    if (op.outcome !== 'created') {
      const done = await executeDoc(s, m, body.id, body.pay_tokens[0].id, payer.pin);
      expect(done.status, done.text).toBe(200);
    }
  }
  if (op.outcome === 'annulled') expect((await annul(s, m, body.id)).status).toBe(200);
  const row = await s.ctx.store.db.selectFrom('payment_intents').select(['created_at', 'expires_at', 'payer_user_id']).where('id', '=', body.id).executeTakeFirstOrThrow();
  const refs = (await s.ctx.store.db.selectFrom('payments').select('ref').where('intent_id', '=', body.id).execute()).map((p) => p.ref);
  return {
    id: body.id, kind: op.kind, appId: app.id, payerId: row.payer_user_id, cents: op.cents, createdAt: Number(row.created_at),
    stored: op.outcome, expiresAt: row.expires_at === null ? null : Number(row.expires_at), refs, invoice,
  };
}

/** Runs the plan through the API, moving the clock between operations. */
export async function seed(s: TestServer, plan: Op[]): Promise<Seeded> {
  const m = await merchantWithToken(s, { appName: 'Tienda web' });
  const payers = await Promise.all([0, 1, 2].map(() => createPayer(s.ctx, 10_000_000_00)));
  const seeded: Seeded = { m, apps: [{ id: m.app_id, auth: m.auth }, await secondApp(s, m)], payers, rows: [] };
  // Payouts leave from the merchant's own balance: start it with test money.
  await s.ctx.store.tx(async (tx) => {
    const account = await tx.selectFrom('digital_accounts').select('id').where('user_id', '=', m.user_id).executeTakeFirstOrThrow();
    await addTestFunds(tx, account.id, 1_000_000_00, s.clock.now());
  });
  for (const [i, op] of plan.entries()) {
    s.clock.advance(op.hoursLater * HOUR_MS);
    if (op.kind === 'payout') {
      const row = await payout(s, seeded.apps[op.app], op, i, seeded);
      if (!seeded.rows.includes(row)) seeded.rows.push(row);
    } else seeded.rows.push(await intent(s, seeded, op, i));
  }
  return seeded;
}
