import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/db/store.ts';
import { randomHex } from '../../src/shared/ids.ts';
import { DIALECT } from '../helpers/env.ts';

// A store closes every connection it opened: on close, the reader that served no read
// included (Kysely closes a driver only once it has been used), and when its migrations fail
// (it is not handed out). No descriptor of its file stays open in the process.

/** The open file descriptors of this process that point at `file` or its WAL and shared memory. */
function openFds(file: string): string[] {
  const dir = '/proc/self/fd';
  return fs.readdirSync(dir).flatMap((fd) => {
    try {
      const target = fs.readlinkSync(path.join(dir, fd));
      return target.startsWith(file) ? [target] : [];
    } catch {
      return []; // the descriptor readdir itself used, gone by now
    }
  });
}

describe('opening a store', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  function dataDir(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpandco-open-'));
    dirs.push(dir);
    return dir;
  }

  it('closes its PostgreSQL connections when the migrations fail (on SQLite, its files: the next test)', async () => {
    if (DIALECT !== 'postgres') {
      // Nothing of PostgreSQL's to open: the SQLite store refuses the same kind of file below.
      const dir = dataDir();
      const pre = new Database(path.join(dir, 'store.sqlite'));
      pre.exec('create table users (x integer)');
      pre.close();
      await expect(openStore({ dataDir: dir }, 'store.sqlite')).rejects.toThrow(/users/);
      return;
    }
    const schema = `t_${randomHex(6)}_open`;
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    try {
      // A table of the first migration already there, with other columns and no record of any migration.
      await admin.query(`create schema "${schema}"`);
      await admin.query(`create table "${schema}".users (x integer)`);
      const ours = async () => Number((await admin.query(
        'select count(*) as n from pg_stat_activity where application_name = $1', [`mpandco ${schema}`])).rows[0].n);
      // A backend leaves pg_stat_activity a moment after its client says goodbye.
      const noneLeft = async () => {
        for (let i = 0; i < 100 && (await ours()) > 0; i++) await new Promise((r) => setTimeout(r, 50));
        return ours();
      };
      await expect(openStore({ dataDir: dataDir(), databaseUrl: process.env.DATABASE_URL, pgSchema: schema }, 'store.sqlite')).rejects.toThrow(/users/);
      expect(await noneLeft()).toBe(0);
      // And an open store's connections are named so, and closed with it.
      await admin.query(`drop schema "${schema}" cascade`);
      const store = await openStore({ dataDir: dataDir(), databaseUrl: process.env.DATABASE_URL, pgSchema: schema }, 'store.sqlite');
      await Promise.all([1, 2, 3].map(() => sql`select pg_sleep(0.05)`.execute(store.db)));
      expect(await ours()).toBeGreaterThanOrEqual(2);
      await store.close();
      expect(await noneLeft()).toBe(0);
    } finally {
      await admin.query(`drop schema if exists "${schema}" cascade`);
      await admin.end();
    }
  });

  it.runIf(process.platform === 'linux')('closes its SQLite connections when the migrations fail', async () => {
    const dir = dataDir();
    const file = path.join(dir, 'store.sqlite');
    // A table of the first migration already there, with other columns and no record of
    // any migration: creating it again fails.
    const pre = new Database(file);
    pre.exec('create table users (x integer)');
    pre.close();
    expect(openFds(file)).toEqual([]);

    await expect(openStore({ dataDir: dir }, 'store.sqlite')).rejects.toThrow(/users/);
    expect(openFds(file)).toEqual([]);
  });

  it.runIf(process.platform === 'linux')('closes them all on close, a reader that served no read included', async () => {
    const dir = dataDir();
    const file = path.join(dir, 'store.sqlite');
    const store = await openStore({ dataDir: dir }, 'store.sqlite');
    expect(openFds(file).length).toBeGreaterThan(0);
    await store.close();
    expect(openFds(file)).toEqual([]);
  });
});
