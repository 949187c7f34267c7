import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idempotent } from '../../src/http/idempotency.ts';
import { authenticateApi, idempotencyScope } from '../../src/oauth/bearer.ts';
import { registerItem } from '../../src/payouts/payout.service.ts';
import { testServer, type TestServer } from '../helpers/env.ts';
import { postForm } from '../helpers/http.ts';
import { merchantWithToken, type Merchant } from '../payment-intents/fixtures.ts';

// Two routes that use the real key handling and the real payout service, with the failure
// a real process could meet: dying right after the money transaction committed, and
// stalling long enough for a retry to take its claim over.
let gate: Promise<void> = Promise.resolve();
let openGate: () => void = () => {};
let stalls = 0;
let held: Promise<void> = Promise.resolve();
let release: () => void = () => {};
let holding = 0;

let s: TestServer;
let m: Merchant;
beforeAll(async () => {
  s = await testServer({
    extend(app, ctx) {
      app.post('/test/register-then-die', async (request, reply) => {
        const caller = await authenticateApi(ctx, request);
        return idempotent(ctx, request, reply, idempotencyScope(caller), async () => {
          await registerItem(ctx, caller, 'DISPERSION', request.body);
          throw new Error('the process died before the response was stored');
        });
      });
      app.post('/test/wait-register-then-die', async (request, reply) => {
        const caller = await authenticateApi(ctx, request);
        return idempotent(ctx, request, reply, idempotencyScope(caller), async () => {
          holding++;
          await held;
          await registerItem(ctx, caller, 'DISPERSION', request.body);
          throw new Error('the process died before the response was stored');
        });
      });
      app.post('/test/stall-then-register', async (request, reply) => {
        const caller = await authenticateApi(ctx, request);
        return idempotent(ctx, request, reply, idempotencyScope(caller), async () => {
          if (stalls++ === 0) await gate;
          return { status: 200, body: await registerItem(ctx, caller, 'DISPERSION', request.body) };
        });
      });
    },
  });
  m = await merchantWithToken(s);
});
afterAll(async () => s.close());

const item = (reference: string) => ({
  multi_payment_item: {
    reference, nameAccount: 'Ana Pérez', identificationNumber: 'V12345678', bankAccount: '01020000000000000001', amount: '10.00',
  },
});
const itemCount = async () =>
  (await s.ctx.store.db.selectFrom('payout_items').innerJoin('payout_batches', 'payout_batches.id', 'payout_items.batch_id')
    .select('payout_items.id').where('payout_batches.owner_user_id', '=', m.user_id).execute()).length;

describe('an Idempotency-Key whose work committed is never run again', () => {
  it('keeps the key after a failure that follows the commit: the retry is refused, not repeated', async () => {
    const before = await itemCount();
    const headers = { ...m.auth, 'idempotency-key': 'die-1' };
    const first = await postForm(`${s.baseUrl}/test/register-then-die`, item('die-1'), headers);
    expect(first.status).toBe(500);
    expect(await itemCount()).toBe(before + 1);
    const row = await s.ctx.store.db.selectFrom('idempotency_keys').select('state').where('key', '=', 'die-1').executeTakeFirstOrThrow();
    expect(row.state).toBe('committed');

    const soon = await postForm(`${s.baseUrl}/test/register-then-die`, item('die-1'), headers);
    expect(soon.status).toBe(409);
    s.clock.advance(61_000);
    const later = await postForm(`${s.baseUrl}/test/register-then-die`, item('die-1'), { ...headers, 'accept-language': 'en' });
    expect(later.status).toBe(409);
    expect(JSON.stringify(later.body)).toMatch(/already processed/);
    expect(await itemCount()).toBe(before + 1);
  });

  it('holds for a keyed request that commits after another keyed request has ended', async () => {
    // The hooks' async storage is switched off when the last keyed request ends: one that
    // is still running must keep its hook, or its commit would leave the key releasable.
    const before = await itemCount();
    held = new Promise<void>((r) => (release = r));
    const waiting = postForm(`${s.baseUrl}/test/wait-register-then-die`, item('overlap-b'), { ...m.auth, 'idempotency-key': 'overlap-b' });
    for (let i = 0; i < 1000 && holding === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(holding).toBe(1);
    const other = await postForm(`${s.baseUrl}/test/register-then-die`, item('overlap-a'), { ...m.auth, 'idempotency-key': 'overlap-a' });
    expect(other.status).toBe(500);
    release();
    expect((await waiting).status).toBe(500);
    expect(await itemCount()).toBe(before + 2);
    const rows = await s.ctx.store.db.selectFrom('idempotency_keys').select(['key', 'state'])
      .where('key', 'in', ['overlap-a', 'overlap-b']).orderBy('key').execute();
    expect(rows).toEqual([{ key: 'overlap-a', state: 'committed' }, { key: 'overlap-b', state: 'committed' }]);
    const retry = await postForm(`${s.baseUrl}/test/wait-register-then-die`, item('overlap-b'), { ...m.auth, 'idempotency-key': 'overlap-b' });
    expect(retry.status).toBe(409);
    expect(await itemCount()).toBe(before + 2);
  });

  it('a request whose claim was taken over cannot commit: one item, not two', async () => {
    const before = await itemCount();
    gate = new Promise<void>((r) => (openGate = r));
    const headers = { ...m.auth, 'idempotency-key': 'stall-1' };
    const stalled = postForm(`${s.baseUrl}/test/stall-then-register`, item('stall-1'), headers);
    // Wait until the stalled request holds the claim.
    for (let i = 0; i < 1000 && stalls === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(stalls).toBe(1);
    s.clock.advance(61_000);
    const retry = await postForm(`${s.baseUrl}/test/stall-then-register`, item('stall-1'), headers);
    expect(retry.status).toBe(200);
    expect(retry.body.status).toBe('APPROVED');
    openGate();
    const late = await stalled;
    expect(late.status).toBe(409);
    expect(await itemCount()).toBe(before + 1);
    const replay = await postForm(`${s.baseUrl}/test/stall-then-register`, item('stall-1'), headers);
    expect(replay.status).toBe(200);
    expect(replay.headers.get('idempotency-replayed')).toBe('true');
    expect(replay.body.ref).toBe(retry.body.ref);
  });
});
