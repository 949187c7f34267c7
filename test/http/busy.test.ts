import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionWaitError } from '../../src/db/store.ts';
import { idempotent } from '../../src/http/idempotency.ts';
import { authenticateApi, idempotencyScope } from '../../src/oauth/bearer.ts';
import { registerItem } from '../../src/payouts/payout.service.ts';
import { testServer, type TestServer } from '../helpers/env.ts';
import { postForm } from '../helpers/http.ts';
import { merchantWithToken, type Merchant } from '../payment-intents/fixtures.ts';

// A query that found no free database connection within MPANDCO_CONNECTION_WAIT_MS (the
// store is overloaded, or, with the transaction guard off, a transaction waits for itself)
// is a 503 with Retry-After in the documented error format, not a 500; with an
// Idempotency-Key whose work never committed, the retry runs.

let busyFirst = true;
let s: TestServer;
let m: Merchant;
beforeAll(async () => {
  s = await testServer({
    extend(app, ctx) {
      app.post('/test/busy-then-register', async (request, reply) => {
        const caller = await authenticateApi(ctx, request);
        return idempotent(ctx, request, reply, idempotencyScope(caller), async () => {
          if (busyFirst) {
            busyFirst = false;
            throw new ConnectionWaitError(10_000);
          }
          return { status: 200, body: await registerItem(ctx, caller, 'DISPERSION', request.body) };
        });
      });
    },
  });
  m = await merchantWithToken(s);
});
afterAll(async () => s.close());

const item = {
  multi_payment_item: {
    reference: 'busy-1', nameAccount: 'Ana Pérez', identificationNumber: 'V12345678', bankAccount: '01020000000000000001', amount: '10.00',
  },
};

describe('no database connection in time', () => {
  it('answers 503 with Retry-After, in Spanish first and in English; the keyed retry then runs once', async () => {
    const headers = { ...m.auth, 'idempotency-key': 'busy-1' };
    const busy = await postForm(`${s.baseUrl}/test/busy-then-register`, item, headers);
    expect(busy.status).toBe(503);
    expect(busy.headers.get('retry-after')).toBe('1');
    expect(busy.body).toEqual({ code: 503, message: 'El servicio está ocupado. Intente de nuevo en un momento.' });

    const retry = await postForm(`${s.baseUrl}/test/busy-then-register`, item, { ...headers, 'accept-language': 'en' });
    expect(retry.status).toBe(200);
    expect(retry.body.status).toBe('APPROVED');
    const replay = await postForm(`${s.baseUrl}/test/busy-then-register`, item, headers);
    expect(replay.headers.get('idempotency-replayed')).toBe('true');
    expect(replay.body.ref).toBe(retry.body.ref);
  });

  it('in English when asked', async () => {
    busyFirst = true;
    const busy = await postForm(`${s.baseUrl}/test/busy-then-register`, item, { ...m.auth, 'accept-language': 'en' });
    expect(busy.status).toBe(503);
    expect(busy.body).toEqual({ code: 503, message: 'The service is busy. Please try again in a moment.' });
  });
});
