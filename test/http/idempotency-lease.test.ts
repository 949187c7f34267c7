import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLAIM_LEASE_MS, idempotent } from '../../src/http/idempotency.ts';
import { authenticateApi, idempotencyScope } from '../../src/oauth/bearer.ts';
import { registerItem } from '../../src/payouts/payout.service.ts';
import { ValidationError } from '../../src/shared/errors.ts';
import { DIALECT, testServer, type TestServer } from '../helpers/env.ts';
import { postForm } from '../helpers/http.ts';
import { merchantWithToken, type Merchant } from '../payment-intents/fixtures.ts';

// A retry after a crash waits for the dead request's claim to lapse: at most CLAIM_LEASE_MS
// (10 s), no longer the old 60 s. A request that is alive renews its claim, so its retry is
// told to wait instead of taking it over.

let refuseFirst = true;
let gate: Promise<void> = Promise.resolve();
let openGate: () => void = () => {};
let stalled = 0;

let s: TestServer;
let m: Merchant;
beforeAll(async () => {
  s = await testServer({
    extend(app, ctx) {
      app.post('/test/register', async (request, reply) => {
        const caller = await authenticateApi(ctx, request);
        return idempotent(ctx, request, reply, idempotencyScope(caller), async () => {
          if (refuseFirst) throw ValidationError.global('common.bad_request');
          return { status: 200, body: await registerItem(ctx, caller, 'DISPERSION', request.body) };
        });
      });
      app.post('/test/stall', async (request, reply) => {
        const caller = await authenticateApi(ctx, request);
        return idempotent(ctx, request, reply, idempotencyScope(caller), async () => {
          if (stalled++ === 0) await gate;
          return { status: 200, body: await registerItem(ctx, caller, 'DISPERSION', request.body) };
        });
      });
    },
  });
  m = await merchantWithToken(s);
});
afterAll(async () => s?.close());

const item = (reference: string) => ({
  multi_payment_item: {
    reference, nameAccount: 'Ana Pérez', identificationNumber: 'V12345678', bankAccount: '01020000000000000001', amount: '10.00',
  },
});
const keyRow = (key: string) => s.ctx.store.db.selectFrom('idempotency_keys').selectAll().where('key', '=', key).executeTakeFirstOrThrow();

/** Leaves the key as a process that died while holding it would: claimed now, never renewed. */
async function abandon(key: string, state: 'running' | 'committed'): Promise<void> {
  await s.ctx.store.autocommit.updateTable('idempotency_keys')
    .set({ state, status_code: null, response_body: null, created_at: s.clock.now(), heartbeat_at: null })
    .where('key', '=', key).execute();
}

describe(`Idempotency-Key claims lapse in seconds after a crash (${DIALECT})`, () => {
  it('a claim abandoned before anything committed is taken over once the 10 s lease has passed', async () => {
    const headers = { ...m.auth, 'idempotency-key': 'lease-1' };
    refuseFirst = true;
    expect((await postForm(`${s.baseUrl}/test/register`, item('lease-1'), headers)).status).toBe(400);
    await abandon('lease-1', 'running');
    refuseFirst = false;

    const soon = await postForm(`${s.baseUrl}/test/register`, item('lease-1'), headers);
    expect(soon.status).toBe(409);
    expect(Number(soon.headers.get('retry-after'))).toBe(CLAIM_LEASE_MS / 1000);
    s.clock.advance(CLAIM_LEASE_MS - 1_000);
    const almost = await postForm(`${s.baseUrl}/test/register`, item('lease-1'), headers);
    expect(almost.status).toBe(409);
    expect(almost.headers.get('retry-after')).toBe('1');
    s.clock.advance(1_001);
    const taken = await postForm(`${s.baseUrl}/test/register`, item('lease-1'), headers);
    expect(taken.status).toBe(200);
    expect(taken.body.status).toBe('APPROVED');
  });

  it('a claim whose work committed is refused as already processed, also after 10 s, and never run again', async () => {
    const headers = { ...m.auth, 'idempotency-key': 'lease-2', 'accept-language': 'en' };
    refuseFirst = true;
    await postForm(`${s.baseUrl}/test/register`, item('lease-2'), headers);
    await abandon('lease-2', 'committed');
    refuseFirst = false;
    s.clock.advance(CLAIM_LEASE_MS + 1);
    const r = await postForm(`${s.baseUrl}/test/register`, item('lease-2'), headers);
    expect(r.status).toBe(409);
    expect(JSON.stringify(r.body)).toMatch(/already processed/);
    expect((await keyRow('lease-2')).state).toBe('committed');
  });

  it('a request that is still running renews its claim: its retry is told to wait, not given the work', async () => {
    gate = new Promise<void>((r) => (openGate = r));
    const headers = { ...m.auth, 'idempotency-key': 'lease-3' };
    const first = postForm(`${s.baseUrl}/test/stall`, item('lease-3'), headers);
    for (let i = 0; i < 1000 && stalled === 0; i++) await new Promise((r) => setTimeout(r, 10));
    const claimed = Number((await keyRow('lease-3')).created_at);
    s.clock.advance(CLAIM_LEASE_MS - 2_000);
    // Wait (real time) for the next heartbeat to record the moved clock.
    for (let i = 0; i < 100 && Number((await keyRow('lease-3')).heartbeat_at ?? 0) !== s.clock.now(); i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(Number((await keyRow('lease-3')).heartbeat_at)).toBe(s.clock.now());
    s.clock.advance(CLAIM_LEASE_MS - 2_000);
    expect(s.clock.now() - claimed).toBeGreaterThan(CLAIM_LEASE_MS);
    const retry = await postForm(`${s.baseUrl}/test/stall`, item('lease-3'), headers);
    expect(retry.status).toBe(409);
    openGate();
    const done = await first;
    expect(done.status).toBe(200);
    const replay = await postForm(`${s.baseUrl}/test/stall`, item('lease-3'), headers);
    expect(replay.headers.get('idempotency-replayed')).toBe('true');
    expect(replay.body.ref).toBe(done.body.ref);
  });
});
