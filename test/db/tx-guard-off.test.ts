import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { randomHex } from '../../src/shared/ids.ts';
import { dropSchema, DIALECT } from '../helpers/env.ts';

// The guard costs every promise of the process (docs/scaling.md), so production runs
// without it. The mistake it catches must still end well. A root read inside a transaction
// reads what is committed, at once (SQLite's reader connection; a free PostgreSQL pool
// connection). A root write inside a transaction waits for the connection its own
// transaction holds: it gives up after MPANDCO_CONNECTION_WAIT_MS, the transaction rolls
// back, and the store goes on.

const schemas: string[] = [];
afterAll(async () => {
  if (DIALECT === 'postgres') for (const s of schemas) await dropSchema(s);
});

interface Outcome {
  txGuardOn: boolean; error: { name: string; code?: string; message: string } | null; seen: string[] | null; waitedMs: number;
  written: { value: string }[]; root: { key: string }[]; after: { value: string }[];
}

function run(mode: 'read' | 'write', env: Record<string, string | undefined>): Outcome {
  const schema = `t_${randomHex(6)}_guard`;
  schemas.push(schema);
  const out = spawnSync(process.execPath, ['--import', 'tsx', 'test/db/root-in-tx.fixture.ts'], {
    // PostgreSQL: one pool connection when writing (the transaction holds it, so the root
    // write must wait for it), two when reading (the read takes the other).
    env: { ...process.env, MPANDCO_PG_POOL: mode === 'write' ? '1' : '2', FIXTURE_SCHEMA: schema, FIXTURE_MODE: mode, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(out.status, out.stderr).toBe(0);
  return JSON.parse(out.stdout.trim().split('\n').pop() ?? '') as Outcome;
}

describe('the transaction guard, on and off', () => {
  it('is off under NODE_ENV=production: a root read inside a transaction sees only what is committed, at once', () => {
    const r = run('read', { NODE_ENV: 'production', MPANDCO_TX_GUARD: undefined, MPANDCO_CONNECTION_WAIT_MS: '5000' });
    expect(r.txGuardOn).toBe(false);
    expect(r.error).toBeNull();
    expect(r.seen).toEqual(['guard.before']);
    expect(r.waitedMs).toBeLessThan(4_000);
    expect(r.written).toEqual([]);
    expect(r.after).toEqual([{ value: '2' }]);
  }, 70_000);

  it('is off under NODE_ENV=production: a root write inside a transaction fails after the connection wait, and nothing is written', () => {
    const r = run('write', { NODE_ENV: 'production', MPANDCO_TX_GUARD: undefined, MPANDCO_CONNECTION_WAIT_MS: '400' });
    expect(r.txGuardOn).toBe(false);
    // SQLite's one writing connection, or PostgreSQL's pool of one: the same error either way.
    expect(r.error?.name).toBe('ConnectionWaitError');
    expect(r.error?.code).toBe('CONNECTION_WAIT');
    expect(r.waitedMs).toBeGreaterThanOrEqual(390);
    expect(r.waitedMs).toBeLessThan(10_000);
    expect(r.written).toEqual([]);
    expect(r.root).toEqual([]);
    expect(r.after).toEqual([{ value: '2' }]);
  }, 70_000);

  it('MPANDCO_TX_GUARD=1 turns it on in production: the same mistakes are refused at once', () => {
    for (const mode of ['read', 'write'] as const) {
      const r = run(mode, { NODE_ENV: 'production', MPANDCO_TX_GUARD: '1', MPANDCO_CONNECTION_WAIT_MS: '5000' });
      expect(r.txGuardOn).toBe(true);
      expect(r.error?.name).toBe('RootHandleInTransactionError');
      expect(r.waitedMs).toBeLessThan(4_000);
      expect(r.written).toEqual([]);
      expect(r.root).toEqual([]);
      expect(r.after).toEqual([{ value: '2' }]);
    }
  }, 70_000);

  it('is on by default outside production, and MPANDCO_TX_GUARD=0 turns it off', () => {
    expect(run('write', { NODE_ENV: 'test', MPANDCO_TX_GUARD: undefined, MPANDCO_CONNECTION_WAIT_MS: '5000' }).error?.name)
      .toBe('RootHandleInTransactionError');
    const off = run('write', { NODE_ENV: 'test', MPANDCO_TX_GUARD: '0', MPANDCO_CONNECTION_WAIT_MS: '400' });
    expect(off.txGuardOn).toBe(false);
    expect(off.error?.name).toBe('ConnectionWaitError');
    expect(off.written).toEqual([]);
  }, 70_000);
});
