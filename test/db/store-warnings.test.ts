import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { isStoreUnreachable, openStore, type Store } from '../../src/db/store.ts';
import { randomHex } from '../../src/shared/ids.ts';
import { DIALECT, dropSchema } from '../helpers/env.ts';

// What a store reports that no caller is waiting for goes to its `warn`, and the store goes
// on. PostgreSQL: a connection idle in the pool that dies (a restart, a failover, an idle
// timeout) would otherwise end the process through the pool's unheard 'error' event. SQLite:
// a checkpoint that fails in its thread would otherwise go unseen.

async function until(test: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!test()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('what a store reports on its own', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it(`goes on and says so when ${DIALECT === 'postgres' ? 'a PostgreSQL connection idle in its pool is lost' : 'a SQLite checkpoint fails'}`, async () => {
    const heard: { message: string; err: unknown }[] = [];
    const warn = (message: string, detail: { err: unknown }) => heard.push({ message, err: detail.err });
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpandco-warn-'));
    cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    const schema = `t_${randomHex(6)}_warn`;
    const store: Store = await openStore({ dataDir, databaseUrl: process.env.DATABASE_URL, pgSchema: schema }, 'store.sqlite', warn);
    cleanups.push(async () => {
      await store.close();
      if (DIALECT === 'postgres') await dropSchema(schema);
    });
    const settings = async () => Number((await store.db.selectFrom('settings').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const before = await settings();

    if (DIALECT === 'postgres') {
      // Several connections idle in the pool, then ended from outside, as a restart would.
      await Promise.all(Array.from({ length: 4 }, () => sql`select pg_sleep(0.05)`.execute(store.db)));
      const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await admin.connect();
      let ended = 0;
      try {
        ended = (await admin.query(
          'select pg_terminate_backend(pid) as ok from pg_stat_activity where application_name = $1 and pid <> pg_backend_pid()', [`mpandco ${schema}`])).rows.length;
      } finally {
        await admin.end();
      }
      expect(ended).toBeGreaterThanOrEqual(1);
      // One report for each connection ended, each naming what happened.
      await until(() => heard.length === ended);
      for (const h of heard) {
        expect(h.message).toMatch(/idle PostgreSQL connection was lost/);
        expect(String((h.err as Error).message)).toMatch(/terminat/);
      }
    } else {
      // The checkpoint thread opens the file by its path: put one that is no database there
      // (the store's own connections keep the real one open), with a WAL large enough to start it.
      const moved = `${dataDir}-moved`;
      fs.renameSync(dataDir, moved);
      cleanups.push(() => fs.rmSync(moved, { recursive: true, force: true }));
      fs.mkdirSync(dataDir);
      fs.writeFileSync(path.join(dataDir, 'store.sqlite'), 'not a database at all, '.repeat(200));
      fs.writeFileSync(path.join(dataDir, 'store.sqlite-wal'), Buffer.alloc(5 * 1024 * 1024, 1));
      await until(() => heard.length > 0);
      expect(heard[0]!.message).toMatch(/WAL checkpoint failed/);
      expect(String((heard[0]!.err as Error).message)).toMatch(/not a database/);
    }

    // And the store goes on: a write and a read after it, with nothing more to report.
    const reports = heard.length;
    await store.tx((tx) => tx.insertInto('settings').values({ key: `warn.${randomHex(4)}`, value: 'x' }).execute());
    expect(await settings()).toBe(before + 1);
    expect(heard).toHaveLength(reports);
  });

  it(`${DIALECT === 'postgres' ? 'never hands out again a connection whose backend was ended under a query' : 'serves the next statement at once after one that failed'}`, async () => {
    const heard: string[] = [];
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpandco-warn-'));
    cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    const schema = `t_${randomHex(6)}_lost`;
    const store: Store = await openStore({ dataDir, databaseUrl: process.env.DATABASE_URL, pgSchema: schema }, 'store.sqlite', (m) => heard.push(m));
    cleanups.push(async () => {
      await store.close();
      if (DIALECT === 'postgres') await dropSchema(schema);
    });
    const settings = () => store.db.selectFrom('settings').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    await settings();

    if (DIALECT === 'postgres') {
      // The query's error (57P01) reaches the caller before the socket's end does: the
      // connection still looks queryable then, and the pool would give it to the next caller.
      const tag = randomHex(6);
      const sleeping = sql`select pg_sleep(10), ${tag}::text as tag`.execute(store.db).then(() => null, (e: unknown) => e);
      const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await admin.connect();
      try {
        let ended = 0;
        for (let i = 0; i < 100 && ended === 0; i++) {
          await new Promise((r) => setTimeout(r, 20));
          ended = (await admin.query(
            "select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1 and query like 'select pg_sleep(10), %'",
            [`mpandco ${schema}`])).rows.length;
        }
        expect(ended).toBe(1);
      } finally {
        await admin.end();
      }
      const err = await sleeping;
      expect((err as { code?: string }).code).toBe('57P01');
      // At once, before the socket's end is heard: the next query gets a working connection.
      await expect(settings()).resolves.toMatchObject({ n: expect.anything() });

      // Lost between two statements of a transaction, the connection checked out: its 'error'
      // event is heard (unheard, it would end the process), the transaction fails, nothing of
      // it stays, and the next transaction gets a working connection.
      const key = `lost.${randomHex(4)}`;
      const failed = await store.tx(async (tx) => {
        await tx.insertInto('settings').values({ key, value: 'x' }).execute();
        const pid = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(tx)).rows[0]!.pid;
        const other = new pg.Client({ connectionString: process.env.DATABASE_URL });
        await other.connect();
        try {
          await other.query('select pg_terminate_backend($1)', [pid]);
        } finally {
          await other.end();
        }
        await new Promise((r) => setTimeout(r, 300));
        await tx.insertInto('settings').values({ key: `${key}.2`, value: 'x' }).execute();
      }).then(() => null, (e: unknown) => e);
      expect(isStoreUnreachable(failed)).toBe(true);
      expect(await store.db.selectFrom('settings').select('key').where('key', 'like', `${key}%`).execute()).toEqual([]);
      await store.tx((tx) => tx.insertInto('settings').values({ key, value: 'y' }).execute());
      expect(await store.db.selectFrom('settings').select('value').where('key', '=', key).execute()).toEqual([{ value: 'y' }]);
    } else {
      const err = await sql`select * from no_such_table`.execute(store.db).then(() => null, (e: unknown) => e);
      expect(String((err as Error).message)).toMatch(/no such table/);
      await expect(settings()).resolves.toMatchObject({ n: expect.anything() });
    }
    expect(heard).toEqual([]);
  });
  it(`${DIALECT === 'postgres' ? 'takes a connection refused when its pool opens one for the database out of reach' : 'never takes a SQLite error for the database out of reach'}`, async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpandco-warn-'));
    cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    if (DIALECT !== 'postgres') {
      const store = await openStore({ dataDir, pgSchema: 'unused' }, 'store.sqlite', () => {});
      cleanups.push(() => store.close());
      const err = await sql`select * from no_such_table`.execute(store.db).then(() => null, (e: unknown) => e);
      expect(String((err as Error).message)).toMatch(/no such table/);
      expect(isStoreUnreachable(err)).toBe(false);
      return;
    }
    // The store reaches PostgreSQL through a relay that then stops: its connections end and
    // the next one it opens is refused, as when the server is down.
    const target = new URL(process.env.DATABASE_URL!);
    const sockets = new Set<net.Socket>();
    const relay = net.createServer((inbound) => {
      const outbound = net.connect(Number(target.port || 5432), target.hostname);
      for (const sock of [inbound, outbound]) {
        sockets.add(sock);
        sock.on('error', () => {});
        sock.on('close', () => sockets.delete(sock));
      }
      inbound.pipe(outbound).pipe(inbound);
    });
    await new Promise<void>((r) => relay.listen(0, '127.0.0.1', r));
    const port = (relay.address() as net.AddressInfo).port;
    const url = new URL(target.href);
    url.hostname = '127.0.0.1';
    url.port = String(port);
    const schema = `t_${randomHex(6)}_refused`;
    const heard: string[] = [];
    const store: Store = await openStore({ dataDir, databaseUrl: url.href, pgSchema: schema }, 'store.sqlite', (m) => heard.push(m));
    cleanups.push(async () => {
      await store.close();
      await dropSchema(schema);
    });
    await store.db.selectFrom('settings').select('key').limit(1).execute();

    await new Promise<void>((r) => {
      relay.close(() => r());
      for (const sock of sockets) sock.destroy();
    });
    // Every idle connection's loss is heard first, so the next query has to open one.
    await until(() => heard.length > 0 && sockets.size === 0);
    await new Promise((r) => setTimeout(r, 100));
    const err = await store.db.selectFrom('settings').select('key').limit(1).execute().then(() => null, (e: unknown) => e);
    expect((err as { code?: string }).code).toBe('ECONNREFUSED');
    expect(isStoreUnreachable(err)).toBe(true);
    // The same error raised by anything but the store is not the database.
    expect(isStoreUnreachable(Object.assign(new Error((err as Error).message), { code: 'ECONNREFUSED' }))).toBe(false);
  });
});
