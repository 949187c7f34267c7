import fs from 'node:fs';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimCallback } from '../../src/callbacks/callbacks.repository.ts';
import { DELIVERY_BATCH, deliverDue } from '../../src/callbacks/deliver.ts';
import { startCallbackWorker } from '../../src/callbacks/callbacks.worker.ts';
import type { PayerCreds } from '../../src/sandbox/demo.ts';
import { DIALECT, testEnv, testServer, type TestServer } from '../helpers/env.ts';
import { get } from '../helpers/http.ts';
import {
  attemptsOf, callbacksOf, createRequest, executeDoc, merchantWithToken, payer, type Merchant,
} from '../billing/fixtures.ts';
import { MerchantServer, signatureValid } from './merchant-server.ts';

const MIN = 60_000;
const half = () => 0.5;

async function paidRequest(s: TestServer, m: Merchant, p: PayerCreds, shop: MerchantServer): Promise<string> {
  const intent = await createRequest(s, m, p.username, { total: '5.00', returnUrl: `${shop.base}/mpandco/ok?order=42` });
  const r = await executeDoc(s, m, intent.id, intent.pay_tokens[0].id, p.pin);
  if (r.status !== 200) throw new Error(r.text);
  return intent.id;
}

async function secretOf(s: TestServer, appId: string): Promise<string> {
  return (await s.ctx.store.db.selectFrom('apps').select('callback_secret').where('id', '=', appId).executeTakeFirstOrThrow()).callback_secret;
}

describe('callback delivery', () => {
  let s: TestServer;
  let m: Merchant;
  let p: PayerCreds;
  const shop = new MerchantServer();
  beforeAll(async () => {
    await shop.start();
    s = await testServer();
    m = await merchantWithToken(s);
    p = await payer(s, 1_000_00, { pin: '1357' });
  });
  afterAll(async () => {
    await s.close();
    await shop.close();
  });

  it('retries a merchant answering 503 with backoff, then delivers once, recording every attempt', async () => {
    shop.hits.length = 0;
    shop.status = 503;
    shop.body = 'x'.repeat(10_000);
    const id = await paidRequest(s, m, p, shop);

    expect(await deliverDue(s.ctx, { random: half })).toMatchObject({ retrying: 1, delivered: 0 });
    expect(shop.hits).toHaveLength(1);
    const hit = shop.hits[0];
    expect(hit.query.get('order')).toBe('42');
    expect(hit.query.get('paymentIntent')).toBe(id);
    expect(hit.query.get('payerId')).toBe(p.payer_id);
    expect(signatureValid(hit.headers['x-mpandco-signature'], await secretOf(s, m.app_id), hit.url)).toBe(true);

    // Not due yet: nothing is sent.
    s.clock.advance(20_000);
    await deliverDue(s.ctx, { random: half });
    expect(shop.hits).toHaveLength(1);

    s.clock.advance(15_000); // 35 s after the first attempt: the 30 s retry is due
    expect(await deliverDue(s.ctx, { random: half })).toMatchObject({ retrying: 1 });
    expect(shop.hits).toHaveLength(2);

    shop.status = 200;
    shop.body = 'recibido';
    s.clock.advance(61_000);
    expect(await deliverDue(s.ctx, { random: half })).toMatchObject({ delivered: 1 });
    expect(shop.hits).toHaveLength(3);
    s.clock.advance(3 * 3_600_000);
    await deliverDue(s.ctx, { random: half });
    expect(shop.hits).toHaveLength(3);

    const [cb] = await callbacksOf(s, id);
    expect(cb).toMatchObject({ status: 'delivered', attempts: 3, locked_by: null });
    const attempts = await attemptsOf(s, id);
    expect(attempts.map((a) => a.status_code)).toEqual([503, 503, 200]);
    expect(attempts[0].body).toHaveLength(4096);
    expect(attempts.every((a) => a.method === 'GET' && a.uri === hit.url)).toBe(true);

    const shown = await get(`${s.baseUrl}/api/payment-intent/show.json?id=${id}`, m.auth);
    expect(shown.body.redirect_urls.history_responses).toEqual([
      { uri: hit.url, method: 'GET', status_code: 503, body: 'x'.repeat(4096) },
      { uri: hit.url, method: 'GET', status_code: 503, body: 'x'.repeat(4096) },
      { uri: hit.url, method: 'GET', status_code: 200, body: 'recibido' },
    ]);
  });

  it('records a timeout and a refused connection as attempts without a status code', async () => {
    const hang = http.createServer(() => { /* never answers */ });
    await new Promise<void>((r) => hang.listen(0, '127.0.0.1', r));
    const port = (hang.address() as { port: number }).port;
    try {
      const intent = await createRequest(s, m, p.username, { total: '1.00', returnUrl: `http://127.0.0.1:${port}/slow` });
      expect((await executeDoc(s, m, intent.id, intent.pay_tokens[0].id, p.pin)).status).toBe(200);
      expect(await deliverDue(s.ctx, { timeoutMs: 300, random: half })).toMatchObject({ retrying: 1 });
      const [a] = await attemptsOf(s, intent.id);
      expect(a).toMatchObject({ status_code: null, error: expect.stringMatching(/timeout/) });
    } finally {
      hang.closeAllConnections();
      await new Promise<void>((r) => hang.close(() => r()));
    }
    s.clock.advance(MIN);
    await deliverDue(s.ctx, { timeoutMs: 300, random: half });
    const rows = await s.ctx.store.db.selectFrom('callback_attempts').select(['error', 'status_code']).orderBy('id', 'desc').limit(1).execute();
    expect(rows[0]).toMatchObject({ status_code: null, error: expect.stringMatching(/ECONNREFUSED/) });
  });

  it('the background worker delivers due rows by itself and stops cleanly', async () => {
    shop.hits.length = 0;
    shop.status = 200;
    const id = await paidRequest(s, m, p, shop);
    const loop = startCallbackWorker(s.ctx);
    try {
      // Its first pass starts at once; wait for that pass, not for a length of time.
      await loop.nextPass();
    } finally {
      await loop();
    }
    expect(shop.hits.map((h) => h.query.get('paymentIntent'))).toEqual([id]);
    expect((await callbacksOf(s, id))[0].status).toBe('delivered');
    // Stopped: no pass is scheduled any more, so a new due row stays pending.
    expect(loop.scheduled()).toBe(false);
    const later = await paidRequest(s, m, p, shop);
    expect((await callbacksOf(s, later))[0].status).toBe('pending');
    await deliverDue(s.ctx);
  });

  it('a backlog of callbacks drains batch after batch: a full pass is followed at once by another', async () => {
    shop.hits.length = 0;
    shop.status = 200;
    const ids: string[] = [];
    for (let i = 0; i < 2 * DELIVERY_BATCH + 1; i++) ids.push(await paidRequest(s, m, p, shop));
    // An interval no test would wait for: only passes that follow a full one can deliver the rest.
    const loop = startCallbackWorker(s.ctx, 3_600_000);
    try {
      await loop.nextPass();
      expect(shop.hits.length).toBeGreaterThanOrEqual(DELIVERY_BATCH);
      for (let pass = 0; pass < 2 && shop.hits.length < ids.length; pass++) await loop.nextPass();
    } finally {
      await loop();
    }
    expect(shop.hits.map((h) => h.query.get('paymentIntent')).sort()).toEqual([...ids].sort());
    for (const id of ids) expect((await callbacksOf(s, id))[0].status).toBe('delivered');
    // The last pass found less than a batch: the next would wait the whole interval.
    expect(await deliverDue(s.ctx)).toMatchObject({ delivered: 0, full: false });
  });

  it('gives up after 24 hours: status failed', async () => {
    shop.status = 500;
    const id = await paidRequest(s, m, p, shop);
    for (let i = 0; i < 40; i++) {
      await deliverDue(s.ctx, { random: half });
      s.clock.advance(2 * 3_600_000 + MIN);
    }
    const [cb] = await callbacksOf(s, id);
    expect(cb.status).toBe('failed');
    const attempts = await attemptsOf(s, id);
    expect(attempts.length).toBeGreaterThan(8);
    expect(attempts.at(-1)!.at - Number(cb.created_at)).toBeLessThanOrEqual(24 * 3_600_000);
    shop.status = 200;
  });
});

describe('callback delivery across restarts and processes', () => {
  const shop = new MerchantServer();
  beforeAll(async () => {
    await shop.start();
  });
  afterAll(async () => shop.close());

  it('delivers after the platform restarts between attempts, exactly once', async () => {
    shop.hits.length = 0;
    shop.status = 503;
    const first = await testServer({ keep: true });
    const prefix = first.childEnv.MPANDCO_PG_SCHEMA_PREFIX!;
    const m = await merchantWithToken(first);
    const p = await payer(first, 100_00);
    const id = await paidRequest(first, m, p, shop);
    await deliverDue(first.ctx, { random: half });
    expect(shop.hits).toHaveLength(1);
    await first.close();

    const second = await testServer({ dataDir: first.dataDir, schemaPrefix: prefix, clock: first.clock });
    try {
      shop.status = 200;
      await deliverDue(second.ctx, { random: half });
      expect(shop.hits).toHaveLength(1); // the retry is not due yet
      second.clock.advance(MIN);
      expect(await deliverDue(second.ctx, { random: half })).toMatchObject({ delivered: 1 });
      second.clock.advance(MIN);
      await deliverDue(second.ctx, { random: half });
      expect(shop.hits.map((h) => h.query.get('paymentIntent'))).toEqual([id, id]);
      expect((await callbacksOf(second, id))[0].status).toBe('delivered');
      const shown = await get(`${second.baseUrl}/api/payment-intent/show.json?id=${id}`, m.auth);
      expect(shown.body.redirect_urls.history_responses.map((h: { status_code: number }) => h.status_code)).toEqual([503, 200]);
    } finally {
      await second.close();
      if (DIALECT === 'sqlite') fs.rmSync(first.dataDir, { recursive: true, force: true });
    }
  });

  it('takes over a row leased by a process that died, once the lease has run out', async () => {
    shop.hits.length = 0;
    shop.status = 200;
    const s = await testServer();
    try {
      const m = await merchantWithToken(s);
      const p = await payer(s, 100_00);
      const id = await paidRequest(s, m, p, shop);
      await s.ctx.store.autocommit.updateTable('callbacks').set({ locked_by: 'dead-process', locked_until: s.clock.now() + 60_000 })
        .where('intent_id', '=', id).execute();
      expect(await deliverDue(s.ctx)).toMatchObject({ delivered: 0 });
      expect(shop.hits).toHaveLength(0);
      s.clock.advance(60_001);
      expect(await deliverDue(s.ctx)).toMatchObject({ delivered: 1 });
      expect(shop.hits).toHaveLength(1);
    } finally {
      await s.close();
    }
  });

  it('counts an attempt whose outcome was never recorded: the next wait still grows', async () => {
    shop.hits.length = 0;
    shop.status = 503;
    const s = await testServer();
    try {
      const m = await merchantWithToken(s);
      const p = await payer(s, 100_00);
      const id = await paidRequest(s, m, p, shop);
      const [cb] = await callbacksOf(s, id);
      // A worker claims the row and dies before it can record what the shop answered.
      expect(await claimCallback(s.ctx.store.autocommit, cb.id, 'dead-process', s.clock.now(), 60_000)).toBe(true);
      s.clock.advance(60_001);
      expect(await deliverDue(s.ctx, { random: half })).toMatchObject({ retrying: 1 });
      const [after] = await callbacksOf(s, id);
      expect(Number(after.attempts)).toBe(2);
      // Two failed attempts: one minute to the next (30 s after the first, doubling).
      expect(Number(after.next_attempt_at) - s.clock.now()).toBe(60_000);
      expect(await attemptsOf(s, id)).toHaveLength(1);
    } finally {
      shop.status = 200;
      await s.close();
    }
  });

  it('two workers on one store racing over the same due rows make one HTTP call per row', async () => {
    shop.hits.length = 0;
    shop.status = 200;
    const s = await testServer();
    const other = await testEnv({ dataDir: s.dataDir, schemaPrefix: s.childEnv.MPANDCO_PG_SCHEMA_PREFIX, clock: s.clock, keep: true });
    try {
      const m = await merchantWithToken(s);
      const p = await payer(s, 100_00);
      const ids: string[] = [];
      for (let i = 0; i < 6; i++) ids.push(await paidRequest(s, m, p, shop));
      const reports = await Promise.all([
        deliverDue(s.ctx, { workerId: 'a' }), deliverDue(other.ctx, { workerId: 'b' }),
        deliverDue(s.ctx, { workerId: 'c' }), deliverDue(other.ctx, { workerId: 'd' }),
      ]);
      expect(reports.reduce((n, r) => n + r.delivered, 0)).toBe(6);
      expect(shop.hits).toHaveLength(6);
      expect(new Set(shop.hits.map((h) => h.query.get('paymentIntent')))).toEqual(new Set(ids));
      const attempts = await s.ctx.store.db.selectFrom('callback_attempts').select('id').execute();
      expect(attempts).toHaveLength(6);
    } finally {
      await other.close();
      await s.close();
    }
  });
});
