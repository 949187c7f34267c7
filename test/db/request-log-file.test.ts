import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { requestLogSqliteDdl } from '../../src/db/request-log.migration.ts';
import { openStore, requestLogFile } from '../../src/db/store.ts';

// On SQLite the request log lives in a file of its own beside the store's, attached to each
// connection: its rows never go through the money's WAL. These open SQLite stores of their
// own, whatever store the suite runs on.

const ROW = {
  created_at: 1, method: 'GET', path: '/api/payment-intent/show.json', query: '', status: 200, duration_ms: 1,
  idempotency_key: null, request_id: 'r', request_headers: '{}', request_body: null, request_truncated: 0,
  response_body: '{}', response_truncated: 0,
};

function tables(file: string): unknown[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare("select name from sqlite_master where type = 'table' and name = 'request_log'").all();
  } finally {
    db.close();
  }
}

function rowsOf(file: string): { id: number; app_id: string }[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare('select id, app_id from request_log order by id').all() as { id: number; app_id: string }[];
  } finally {
    db.close();
  }
}

describe('the request log on SQLite', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });
  function dataDir(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpandco-logfile-'));
    dirs.push(dir);
    return dir;
  }

  it('is written to its own file, not to the store’s, and read back through the store', async () => {
    const dir = dataDir();
    const store = await openStore({ dataDir: dir }, 'store.sqlite');
    try {
      await store.tx((tx) => tx.insertInto('request_log').values({ ...ROW, app_id: 'app-1' }).execute());
      expect((await store.db.selectFrom('request_log').select('app_id').execute()).map((r) => r.app_id)).toEqual(['app-1']);
    } finally {
      await store.close();
    }
    const logFile = requestLogFile(path.join(dir, 'store.sqlite'));
    expect(logFile).toBe(path.join(dir, 'store-requests.sqlite'));
    expect(tables(path.join(dir, 'store.sqlite'))).toEqual([]);
    expect(rowsOf(logFile).map((r) => r.app_id)).toEqual(['app-1']);
  });

  it('takes the rows an older store kept in its own file, with their ids, and goes on counting after them', async () => {
    const dir = dataDir();
    const file = path.join(dir, 'store.sqlite');
    await (await openStore({ dataDir: dir }, 'store.sqlite')).close();
    // The store as the build before kept it: the log in its main file, the move not yet made.
    fs.rmSync(requestLogFile(file));
    const old = new Database(file);
    for (const ddl of requestLogSqliteDdl('main')) old.exec(ddl);
    const insert = old.prepare(`insert into request_log (id, app_id, created_at, method, path, query, status, duration_ms,
      request_id, request_headers, request_truncated, response_truncated) values (?, ?, 1, 'GET', '/api/x', '', 200, 1, 'r', '{}', 0, 0)`);
    for (const id of [5, 6, 7]) insert.run(id, `old-${id}`);
    old.prepare("delete from mpandco_migrations where name = '0061_request_log_own_file'").run();
    old.close();

    const store = await openStore({ dataDir: dir }, 'store.sqlite');
    try {
      await store.tx((tx) => tx.insertInto('request_log').values({ ...ROW, app_id: 'new' }).execute());
    } finally {
      await store.close();
    }
    expect(tables(file)).toEqual([]);
    expect(rowsOf(requestLogFile(file))).toEqual([
      { id: 5, app_id: 'old-5' }, { id: 6, app_id: 'old-6' }, { id: 7, app_id: 'old-7' }, { id: 8, app_id: 'new' },
    ]);
  });

  const openFds = (file: string) => fs.readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return fs.readlinkSync(path.join('/proc/self/fd', fd)).startsWith(file);
    } catch {
      return false;
    }
  });

  it.runIf(process.platform === 'linux')('closes the log’s file with the store', async () => {
    const dir = dataDir();
    const logFile = requestLogFile(path.join(dir, 'store.sqlite'));
    const open = () => openFds(logFile);
    const store = await openStore({ dataDir: dir }, 'store.sqlite');
    await store.db.selectFrom('request_log').select('id').execute();
    expect(open().length).toBeGreaterThan(0);
    await store.close();
    expect(open()).toEqual([]);
  });

  it.runIf(process.platform === 'linux')('refuses to open, and keeps no file open, when the log’s file cannot be opened', async () => {
    const dir = dataDir();
    const file = path.join(dir, 'store.sqlite');
    fs.mkdirSync(requestLogFile(file));
    await expect(openStore({ dataDir: dir }, 'store.sqlite')).rejects.toThrow(/unable to open/);
    expect(openFds(file)).toEqual([]);
  });
});
