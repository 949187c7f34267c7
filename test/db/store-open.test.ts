import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/db/store.ts';

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
