import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asStoreError, ConnectionWaitError } from '../../src/db/store.ts';
import { idempotent } from '../../src/http/idempotency.ts';
import { authenticateApi, idempotencyScope } from '../../src/oauth/bearer.ts';
import { registerItem } from '../../src/payouts/payout.service.ts';
import { DIALECT, testServer, type TestServer } from '../helpers/env.ts';
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
      // The database out of reach, as the driver says it: a query whose backend is ended under
      // it (PostgreSQL only: a real one), a shutdown code, a connection exception, a refused socket.
      app.get('/test/unreachable', async (request) => {
        const kind = (request.query as { kind: string }).kind;
        if (kind === 'terminated') return sql`select pg_sleep(10), ${kind}::text as tag`.execute(ctx.store.db);
        // As the store's driver raises them (marked so by the store), and PostgreSQL's own codes.
        const errors: Record<string, () => Error> = {
          refused: () => asStoreError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })),
          closed: () => asStoreError(new Error('Connection terminated unexpectedly')),
          unqueryable: () => asStoreError(new Error('Client has encountered a connection error and is not queryable')),
          shutdown: () => Object.assign(new Error('the database system is shutting down'), { code: '57P03' }),
          link: () => Object.assign(new Error('connection failure'), { code: '08006' }),
          // The same socket error from an outbound call (not the database), and a plain database error.
          outbound: () => Object.assign(new Error('connect ECONNREFUSED 203.0.113.7:443'), { code: 'ECONNREFUSED' }),
        };
        const err = (errors[kind] ?? (() => Object.assign(new Error('duplicate key'), { code: '23505' })))();
        throw err;
      });
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

describe('the database out of reach (restarting, failing over, a connection ended under a query)', () => {
  it('answers 503 with Retry-After in the documented format, Spanish first; any other database error stays a 500', async () => {
    for (const kind of ['refused', 'closed', 'unqueryable', 'shutdown', 'link']) {
      const r = await fetch(`${s.baseUrl}/test/unreachable?kind=${kind}`);
      expect(r.status, kind).toBe(503);
      expect(r.headers.get('retry-after'), kind).toBe('5');
      expect(await r.json(), kind).toEqual({ code: 503, message: 'El servicio no está disponible en este momento. Intente de nuevo en unos segundos.' });
    }
    const en = await fetch(`${s.baseUrl}/test/unreachable?kind=closed`, { headers: { 'accept-language': 'en' } });
    expect(await en.json()).toEqual({ code: 503, message: 'The service is unavailable at the moment. Please try again in a few seconds.' });
    for (const kind of ['outbound', 'other']) {
      const other = await fetch(`${s.baseUrl}/test/unreachable?kind=${kind}`);
      expect(other.status, kind).toBe(500);
      expect(other.headers.get('retry-after'), kind).toBeNull();
    }
  });

  it(`${DIALECT === 'postgres' ? 'a query whose PostgreSQL backend is ended under it' : 'on SQLite, a query of the store'} answers ${DIALECT === 'postgres' ? '503, and the next call is served' : 'normally (no connection to lose)'}`, async () => {
    if (DIALECT !== 'postgres') {
      // The same route on SQLite, whose store has no server to lose: pg_sleep does not exist, a plain database error (500).
      const r = await fetch(`${s.baseUrl}/test/unreachable?kind=terminated`);
      expect(r.status).toBe(500);
      return;
    }
    const pending = fetch(`${s.baseUrl}/test/unreachable?kind=terminated`);
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    try {
      let ended = 0;
      for (let i = 0; i < 100 && ended === 0; i++) {
        await new Promise((r) => setTimeout(r, 50));
        ended = (await admin.query("select pg_terminate_backend(pid) from pg_stat_activity where query like 'select pg_sleep(10), $1::text as tag%' and pid <> pg_backend_pid()")).rows.length;
      }
      expect(ended).toBe(1);
    } finally {
      await admin.end();
    }
    const r = await pending;
    expect(r.status).toBe(503);
    expect(r.headers.get('retry-after')).toBe('5');
    // The pool opens another connection for the next call.
    const next = await fetch(`${s.baseUrl}/api/payment-intent/show.json?id=nothing`, { headers: m.auth });
    expect(next.status).not.toBe(500);
    expect(next.status).not.toBe(503);
  });
});
