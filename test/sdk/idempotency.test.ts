import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MpandcoError, responseOf, type MpandcoClient } from '../../sdk/src/index.ts';
import type { MerchantCreds, PayerCreds } from '../../src/sandbox/demo.ts';
import { HOUR_MS } from '../../src/shared/clock.ts';
import { testServer, type TestServer } from '../helpers/env.ts';
import { balanceOf, merchant, payer, recordingFetch, sale, SANDBOX_HELPERS, sdkFor, type Recorded } from './support.ts';

describe('SDK: idempotency keys', () => {
  let s: TestServer;
  let m: MerchantCreds;
  let luis: PayerCreds;
  let sdk: MpandcoClient;
  const log: Recorded[] = [];
  beforeAll(async () => {
    s = await testServer();
    m = await merchant(s);
    luis = await payer(s, 1_000_00, '1122');
    sdk = sdkFor(s, m, { fetch: recordingFetch(log) });
  });
  afterAll(async () => s.close());

  const authorized = async (total: string) => {
    const created = await sdk.paymentIntents.create(sale(total));
    return sdk.sandbox.authorize(created, { payer: luis.username, pin: '1122', ...SANDBOX_HELPERS });
  };
  const keysOf = (path: string) => log.filter((r) => r.url.pathname === path).map((r) => r.headers.get('idempotency-key'));

  it('a retry with the same key gets the same answer, replayed, and moves the money once', async () => {
    const intent = await authorized('10.00');
    const before = await balanceOf(s, luis.digital_account);
    const first = await sdk.paymentIntents.execute(intent, { payer: intent.payer! }, { idempotencyKey: `order-1001-${intent.id}` });
    const again = await sdk.paymentIntents.execute(intent, { payer: intent.payer! }, { idempotencyKey: `order-1001-${intent.id}` });
    expect(again).toEqual(first);
    expect(responseOf(first)).toMatchObject({ status: 200, replayed: false, idempotencyKey: `order-1001-${intent.id}` });
    expect(responseOf(again)).toMatchObject({ status: 200, replayed: true });
    expect(await balanceOf(s, luis.digital_account)).toBe(before - 10_00);
  });

  it('every POST that creates or moves something carries a key of its own unless told not to', async () => {
    log.length = 0;
    const a = await sdk.paymentIntents.create(sale('1.00'));
    const b = await sdk.paymentIntents.create(sale('1.00'));
    expect(a.id).not.toBe(b.id);
    const [ka, kb] = keysOf('/api/payment-intent/.json');
    expect(ka).toMatch(/^[0-9a-f-]{32,36}$/);
    expect(kb).not.toBe(ka);
    expect(responseOf(a)?.idempotencyKey).toBe(ka);

    log.length = 0;
    await sdk.paymentIntents.create(sale('1.00'), { idempotencyKey: false });
    await sdkFor(s, m, { fetch: recordingFetch(log), autoIdempotency: false }).paymentIntents.create(sale('1.00'));
    await sdk.profile.get();
    expect(log.filter((r) => r.headers.has('idempotency-key'))).toEqual([]);
  });

  it('the same key with another body is refused (422), and no money moves', async () => {
    const intent = await authorized('2.00');
    const before = await balanceOf(s, luis.digital_account);
    await sdk.paymentIntents.create(sale('3.00'), { idempotencyKey: `k-${intent.id}` });
    const e = await sdk.paymentIntents.execute(intent, { payer: intent.payer! }, { idempotencyKey: `k-${intent.id}` }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(MpandcoError);
    expect(e).toMatchObject({ status: 422, code: 'unprocessable', idempotencyKey: `k-${intent.id}` });
    expect(await balanceOf(s, luis.digital_account)).toBe(before);
  });

  it('an answer lost on the way back is asked for again with the same key: executed once', async () => {
    const intent = await authorized('7.00');
    const before = await balanceOf(s, luis.digital_account);
    const seen: Recorded[] = [];
    let dropped = 0;
    const lossy = async (input: string, init: RequestInit): Promise<Response> => {
      const res = await recordingFetch(seen)(input, init);
      if (new URL(input).pathname.includes('/execute/') && dropped++ === 0) throw new TypeError('fetch failed: socket hang up');
      return res;
    };
    const flaky = sdkFor(s, m, { fetch: lossy, maxRetries: 2 });
    const executed = await flaky.paymentIntents.execute(intent, { payer: intent.payer! });
    expect(executed.state).toBe('executed');
    expect(responseOf(executed)?.replayed).toBe(true);
    const posts = seen.filter((r) => r.url.pathname.includes('/execute/'));
    expect(posts).toHaveLength(2);
    expect(posts[1].headers.get('idempotency-key')).toBe(posts[0].headers.get('idempotency-key'));
    expect(await balanceOf(s, luis.digital_account)).toBe(before - 7_00);
  });

  it('without retries the lost answer is an error carrying the key to retry with', async () => {
    const intent = await authorized('4.00');
    let first = true;
    const lossy = async (input: string, init: RequestInit): Promise<Response> => {
      const res = await fetch(input, init);
      if (new URL(input).pathname.includes('/execute/') && first) {
        first = false;
        throw new TypeError('fetch failed');
      }
      return res;
    };
    const e = await sdkFor(s, m, { fetch: lossy }).paymentIntents.execute(intent, { payer: intent.payer! }).catch((x: unknown) => x) as MpandcoError;
    expect(e).toMatchObject({ name: 'MpandcoError', status: 0, code: 'network_error', idempotencyKey: expect.any(String) });
    const retried = await sdk.paymentIntents.execute(intent, { payer: intent.payer! }, { idempotencyKey: e.idempotencyKey });
    expect(responseOf(retried)?.replayed).toBe(true);
  });

  it('the retry after a token renewal (401) sends the same key', async () => {
    const intent = await authorized('5.00');
    s.clock.advance(HOUR_MS + 1000);
    try {
      log.length = 0;
      await sdk.paymentIntents.execute(intent, { payer: intent.payer! });
      const posts = log.filter((r) => r.url.pathname.includes('/execute/'));
      expect(posts.map((r) => r.status)).toEqual([401, 200]);
      expect(posts[1].headers.get('idempotency-key')).toBe(posts[0].headers.get('idempotency-key'));
    } finally {
      s.clock.advance(-(HOUR_MS + 1000));
    }
  });
});
