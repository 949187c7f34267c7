import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { testServer, type TestServer } from '../helpers/env.ts';
import { get } from '../helpers/http.ts';
import { merchantWithToken, type Merchant } from '../billing/fixtures.ts';
import { RequestLogWriter, WRITER_DEFAULTS, type CapturedCall } from '../../src/request-log/request-log.writer.ts';
import { flushLog, logRows } from './fixtures.ts';

// The log's buffer: bounded, written in multi-row INSERTs, flushed on close, and a store that
// refuses the write costs the caller nothing.

describe('request log writer', () => {
  let s: TestServer;
  let m: Merchant;
  beforeAll(async () => {
    s = await testServer();
    m = await merchantWithToken(s);
  });
  afterAll(async () => s?.close());

  const call = (i: number): CapturedCall => ({
    at: s.clock.now(), method: 'GET', url: `/api/payment-intent/show.json?id=w-${i}`, status: 404, durationMs: 1, requestId: `r-${i}`,
    authorization: `Bearer ${m.token}`, kind: 'api', body: undefined, response: '{"code":404,"message":"No encontrado."}',
  });

  it('keeps at most maxBuffered calls between flushes and writes them in order, in INSERTs of a few rows', async () => {
    const w = new RequestLogWriter(s.ctx, { ...WRITER_DEFAULTS, maxBuffered: 5, insertRows: 2 });
    for (let i = 0; i < 8; i++) w.record(call(i));
    await w.flush();
    const rows = await logRows(s, m.app_id);
    expect(rows.map((r) => r.request_id)).toEqual(['r-0', 'r-1', 'r-2', 'r-3', 'r-4']);
    await w.close();
    w.record(call(9));
    await w.flush();
    expect(await logRows(s, m.app_id)).toHaveLength(5);
  });

  it('writes in a flush the calls recorded before it was asked for; later ones wait for a flush of their own', async () => {
    const before = (await logRows(s, m.app_id)).length;
    const w = new RequestLogWriter(s.ctx, { ...WRITER_DEFAULTS, flushMs: 60_000, insertRows: 2 });
    for (let i = 20; i < 25; i++) w.record(call(i));
    const first = w.flush();
    for (let i = 25; i < 28; i++) w.record(call(i));
    await first;
    const afterFirst = (await logRows(s, m.app_id)).slice(before).map((r) => r.request_id);
    expect(afterFirst).toEqual(['r-20', 'r-21', 'r-22', 'r-23', 'r-24']);
    await w.close();
    const all = (await logRows(s, m.app_id)).slice(before).map((r) => r.request_id);
    expect(all).toEqual(['r-20', 'r-21', 'r-22', 'r-23', 'r-24', 'r-25', 'r-26', 'r-27']);
  });

  it('asks for a new flush once per flushRows calls while one waits for the store, not at every call', async () => {
    const w = new RequestLogWriter(s.ctx, { ...WRITER_DEFAULTS, flushMs: 60_000, flushRows: 3 });
    const proto = RequestLogWriter.prototype as unknown as { write(batch: CapturedCall[]): Promise<void> };
    const write = proto.write;
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const batches: string[][] = [];
    const spy = vi.spyOn(proto, 'write').mockImplementation(async function (this: unknown, batch: CapturedCall[]) {
      batches.push(batch.map((c) => c.requestId));
      if (batches.length === 1) await gate; // the store is slow to take the first flush
      return write.call(this, batch);
    });
    const tick = () => new Promise((r) => setTimeout(r, 5));
    try {
      for (let i = 40; i < 50; i++) {
        w.record(call(i));
        await tick(); // a flush asked for starts on its timer
      }
      release();
      await w.close();
    } finally {
      spy.mockRestore();
    }
    expect(batches).toEqual([['r-40', 'r-41', 'r-42'], ['r-43', 'r-44', 'r-45'], ['r-46', 'r-47', 'r-48'], ['r-49']]);
  });

  it('answers every call even when the store refuses the log, and logs again once it accepts', async () => {
    await sql`alter table request_log rename to request_log_away`.execute(s.ctx.store.autocommit);
    try {
      const r = await get(`${s.baseUrl}/api/payment-intent/show.json?id=lost`, m.auth);
      expect(r.status).toBe(404);
      await expect(flushLog(s)).resolves.toBeUndefined();
    } finally {
      await sql`alter table request_log_away rename to request_log`.execute(s.ctx.store.autocommit);
    }
    const r = await get(`${s.baseUrl}/api/payment-intent/show.json?id=kept`, m.auth);
    expect(r.status).toBe(404);
    const rows = await logRows(s, m.app_id);
    expect(rows.map((x) => x.query).slice(-1)).toEqual(['id=kept']);
    expect(rows.some((x) => x.query === 'id=lost')).toBe(false);
  });

  it('writes what is buffered when the server closes', async () => {
    const other = await testServer();
    try {
      const o = await merchantWithToken(other);
      expect((await get(`${other.baseUrl}/api/payment-intent/show.json?id=at-close`, o.auth)).status).toBe(404);
      await other.app.close();
      const rows = await other.ctx.store.db.selectFrom('request_log').select('query').where('app_id', '=', o.app_id).execute();
      expect(rows).toEqual([{ query: 'id=at-close' }]);
    } finally {
      await other.close();
    }
  });
});
