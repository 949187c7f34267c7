import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqlite } from '../../src/db/store.ts';
import { SqliteCheckpointer } from '../../src/db/sqlite-checkpointer.ts';

const SOURCES = path.resolve(import.meta.dirname, '../../src/db');

// SQLite's checkpoints run in a thread of their own, off the connection that commits. The
// thread copies the WAL back into the database while the writer goes on, and once everything
// is copied the writer starts the WAL over instead of growing it.

describe('SQLite checkpoints in a thread of their own', () => {
  const dirs: string[] = [];
  const open: { close(): unknown }[] = [];
  afterEach(async () => {
    for (const o of open.splice(0)) await o.close();
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  function database() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpandco-ckpt-'));
    dirs.push(dir);
    const file = path.join(dir, 'store.sqlite');
    const db = openSqlite(file);
    open.push(db);
    db.exec('create table t (id integer primary key, body text not null)');
    return { file, db };
  }
  const insert = (db: Database.Database, n: number, from: number) => db.transaction(() => {
    const stmt = db.prepare('insert into t (id, body) values (?, ?)');
    for (let i = from; i < from + n; i++) stmt.run(i, 'x'.repeat(500));
  })();

  it('copies every committed frame into the database, and the writer then starts the WAL over', async () => {
    const { file, db } = database();
    insert(db, 200, 0);
    const walBefore = fs.statSync(`${file}-wal`).size;
    const c = new SqliteCheckpointer(file, { everyMs: 60_000, startBytes: 0 });
    open.push(c);
    const first = await c.tick();
    expect(first).toBeDefined();
    expect(first!.busy).toBe(0);
    expect(first!.log).toBeGreaterThan(10);
    expect(first!.checkpointed).toBe(first!.log);

    // The next commit writes from the WAL's start: the second checkpoint sees only its frames.
    insert(db, 5, 200);
    const second = await c.tick();
    expect(second!.log).toBeGreaterThan(0);
    expect(second!.log).toBeLessThan(first!.log);
    expect(second!.checkpointed).toBe(second!.log);
    expect(fs.statSync(`${file}-wal`).size).toBeLessThanOrEqual(walBefore);

    // Every row is there, read by a connection that never saw the writer's cache.
    const reader = new Database(file, { readonly: true });
    open.push(reader);
    expect(reader.prepare('select count(*) as n, sum(id) as s from t').get()).toEqual({ n: 205, s: (204 * 205) / 2 });
  });

  it('leaves alone a WAL that has not changed, and a small one until it reaches the size that starts the thread', async () => {
    const { file, db } = database();
    insert(db, 50, 0);
    const idle = new SqliteCheckpointer(file, { everyMs: 60_000, startBytes: 1024 * 1024 * 1024 });
    open.push(idle);
    expect(await idle.tick()).toBeUndefined();
    expect(idle.runs).toBe(0);

    const c = new SqliteCheckpointer(file, { everyMs: 60_000, startBytes: 0 });
    open.push(c);
    expect(await c.tick()).toBeDefined();
    expect(await c.tick()).toBeUndefined();
    expect(c.runs).toBe(1);
    insert(db, 1, 50);
    expect(await c.tick()).toBeDefined();
    expect(c.runs).toBe(2);
  });

  it('copies only what no reader still needs, and neither waits for the writer nor makes it wait', async () => {
    const { file, db } = database();
    insert(db, 100, 0);
    // A reader in the middle of a read transaction pins the WAL as it was.
    const reader = new Database(file);
    open.push(reader);
    reader.exec('begin');
    expect(reader.prepare('select count(*) as n from t').get()).toEqual({ n: 100 });
    insert(db, 100, 100);
    const c = new SqliteCheckpointer(file, { everyMs: 60_000, startBytes: 0 });
    open.push(c);
    const pinned = await c.checkpoint();
    expect(pinned!.checkpointed).toBeLessThan(pinned!.log);
    // The writer commits while the reader still holds its snapshot.
    insert(db, 1, 200);
    expect(reader.prepare('select count(*) as n from t').get()).toEqual({ n: 100 });
    reader.exec('commit');
    const after = await c.checkpoint();
    expect(after!.checkpointed).toBe(after!.log);
    expect(db.prepare('select count(*) as n from t').get()).toEqual({ n: 201 });
  });

  it('closes its thread and its connection: nothing more runs after close', async () => {
    const { file, db } = database();
    insert(db, 20, 0);
    const c = new SqliteCheckpointer(file, { everyMs: 60_000, startBytes: 0 });
    expect(await c.tick()).toBeDefined();
    await c.close();
    insert(db, 1, 20);
    expect(await c.tick()).toBeUndefined();
    expect(await c.checkpoint()).toBeUndefined();
    expect(c.runs).toBe(1);
  });

  it('reports a failed checkpoint (a thread that cannot open its file, a file that is no database), once a minute at most', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpandco-ckpt-'));
    dirs.push(dir);
    const heard: Error[] = [];
    // The directory does not exist: the thread's connection cannot open, and the thread ends.
    const lost = new SqliteCheckpointer(path.join(dir, 'gone', 'store.sqlite'), { everyMs: 60_000, startBytes: 0 }, (e) => heard.push(e));
    open.push(lost);
    expect(await lost.checkpoint()).toBeUndefined();
    expect(lost.failures).toBe(1);
    expect(heard.map((e) => e.message)).toEqual([expect.stringMatching(/directory does not exist/)]);
    // Started again at the next checkpoint, it fails again: counted, not reported again within the minute.
    expect(await lost.checkpoint()).toBeUndefined();
    expect(lost.failures).toBe(2);
    expect(heard).toHaveLength(1);

    // The file opens, but the checkpoint itself fails.
    const junk = path.join(dir, 'junk.sqlite');
    fs.writeFileSync(junk, 'not a database at all, '.repeat(100));
    const said: Error[] = [];
    const bad = new SqliteCheckpointer(junk, { everyMs: 60_000, startBytes: 0 }, (e) => said.push(e));
    open.push(bad);
    expect(await bad.checkpoint()).toBeUndefined();
    expect(bad.failures).toBe(1);
    expect(said.map((e) => e.message)).toEqual([expect.stringMatching(/not a database/)]);
  });

  it('lets a process that waited for a checkpoint and closed it end normally', () => {
    const { file, db } = database();
    insert(db, 50, 0);
    // The thread is unreferenced between checkpoints: awaiting one, or close(), must still hold the process open.
    const script = path.join(path.dirname(file), 'run.mts');
    fs.writeFileSync(script, [
      `import { SqliteCheckpointer } from ${JSON.stringify(path.join(SOURCES, 'sqlite-checkpointer.ts'))};`,
      `const c = new SqliteCheckpointer(${JSON.stringify(file)}, { everyMs: 60_000, startBytes: 0 });`,
      'const r = await c.checkpoint();',
      // Then, with the thread idle, close().
      'await new Promise((resolve) => setTimeout(resolve, 100));',
      'await c.close();',
      'process.stdout.write(JSON.stringify(r));',
    ].join('\n'));
    const run = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', timeout: 30_000 });
    expect(run.status).toBe(0);
    const r = JSON.parse(run.stdout);
    expect(r.log).toBeGreaterThan(0);
    expect(r.checkpointed).toBe(r.log);
  });
});
