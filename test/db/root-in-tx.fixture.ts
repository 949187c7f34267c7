// Run by tx-guard-off.test.ts in a process of its own: the guard is decided once, when the
// store module loads, from NODE_ENV and MPANDCO_TX_GUARD. FIXTURE_MODE says what the
// transaction's body does through the root handles: `read` (store.db) or `write`
// (store.autocommit). Prints one JSON line.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '../../src/db/store.ts';
import { txGuardOn } from '../../src/db/tx-guard.ts';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpandco-guard-'));
const schema = process.env.FIXTURE_SCHEMA;
const store = await openStore({ dataDir, databaseUrl: process.env.DATABASE_URL, pgSchema: schema }, 'guard.sqlite');
const key = () => store.db.selectFrom('settings').select('value').where('key', '=', 'guard.off').execute();
await store.tx((tx) => tx.insertInto('settings').values({ key: 'guard.before', value: 'committed' }).execute());

const started = Date.now();
let error: { name: string; code?: string; message: string } | null = null;
let seen: string[] | null = null;
try {
  await store.tx(async (tx) => {
    await tx.insertInto('settings').values({ key: 'guard.off', value: '1' }).execute();
    if (process.env.FIXTURE_MODE === 'write') {
      await store.autocommit.insertInto('settings').values({ key: 'guard.root', value: '1' }).execute();
    } else {
      seen = (await store.db.selectFrom('settings').select('key').where('key', 'like', 'guard.%').orderBy('key').execute()).map((r) => r.key);
    }
    throw new Error('rolled back on purpose');
  });
} catch (e) {
  const err = e as Error & { code?: string };
  if (err.message !== 'rolled back on purpose') error = { name: err.constructor.name, code: err.code, message: err.message };
}
const waitedMs = Date.now() - started;
const written = await key();
const root = await store.db.selectFrom('settings').select('key').where('key', '=', 'guard.root').execute();
// The store still works: a transaction and a root read after the failed one.
await store.tx((tx) => tx.insertInto('settings').values({ key: 'guard.off', value: '2' }).execute());
const after = await key();
await store.close();
fs.rmSync(dataDir, { recursive: true, force: true });
process.stdout.write(`${JSON.stringify({ txGuardOn, error, seen, waitedMs, written, root, after })}\n`);
