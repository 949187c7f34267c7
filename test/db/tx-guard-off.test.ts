import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { randomHex } from '../../src/shared/ids.ts';
import { dropSchema, DIALECT } from '../helpers/env.ts';

// The guard costs every promise of the process (docs/scaling.md), so production runs
// without it. The mistake it catches must still end in an error, not a wait for ever: the
// root handle inside a transaction gives up after MPANDCO_CONNECTION_WAIT_MS, the
// transaction rolls back, and the store goes on.

const schemas: string[] = [];
afterAll(async () => {
  if (DIALECT === 'postgres') for (const s of schemas) await dropSchema(s);
});

function run(env: Record<string, string | undefined>) {
  const schema = `t_${randomHex(6)}_guard`;
  schemas.push(schema);
  const out = spawnSync(process.execPath, ['--import', 'tsx', 'test/db/root-in-tx.fixture.ts'], {
    // One PostgreSQL connection: the transaction holds it, so the root query must wait for it.
    env: { ...process.env, MPANDCO_PG_POOL: '1', FIXTURE_SCHEMA: schema, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(out.status, out.stderr).toBe(0);
  return JSON.parse(out.stdout.trim().split('\n').pop() ?? '') as {
    txGuardOn: boolean; error: { name: string; code?: string; message: string } | null; waitedMs: number;
    written: { value: string }[]; after: { value: string }[];
  };
}

describe('the transaction guard, on and off', () => {
  it('is off under NODE_ENV=production: the root query inside a transaction fails after the connection wait, and nothing is written', () => {
    const r = run({ NODE_ENV: 'production', MPANDCO_TX_GUARD: undefined, MPANDCO_CONNECTION_WAIT_MS: '400' });
    expect(r.txGuardOn).toBe(false);
    expect(r.error).not.toBeNull();
    expect(r.error?.name).not.toBe('RootHandleInTransactionError');
    // SQLite's one connection, or PostgreSQL's pool of one: the same error either way.
    expect(r.error?.name).toBe('ConnectionWaitError');
    expect(r.error?.code).toBe('CONNECTION_WAIT');
    expect(r.waitedMs).toBeGreaterThanOrEqual(390);
    expect(r.waitedMs).toBeLessThan(10_000);
    expect(r.written).toEqual([]);
    expect(r.after).toEqual([{ value: '2' }]);
  }, 70_000);

  it('MPANDCO_TX_GUARD=1 turns it on in production: the same mistake is refused at once', () => {
    const r = run({ NODE_ENV: 'production', MPANDCO_TX_GUARD: '1', MPANDCO_CONNECTION_WAIT_MS: '5000' });
    expect(r.txGuardOn).toBe(true);
    expect(r.error?.name).toBe('RootHandleInTransactionError');
    expect(r.waitedMs).toBeLessThan(4_000);
    expect(r.written).toEqual([]);
    expect(r.after).toEqual([{ value: '2' }]);
  }, 70_000);

  it('is on by default outside production, and MPANDCO_TX_GUARD=0 turns it off', () => {
    expect(run({ NODE_ENV: 'test', MPANDCO_TX_GUARD: undefined, MPANDCO_CONNECTION_WAIT_MS: '5000' }).error?.name).toBe('RootHandleInTransactionError');
    const off = run({ NODE_ENV: 'test', MPANDCO_TX_GUARD: '0', MPANDCO_CONNECTION_WAIT_MS: '400' });
    expect(off.txGuardOn).toBe(false);
    expect(off.error?.name).not.toBe('RootHandleInTransactionError');
    expect(off.written).toEqual([]);
  }, 70_000);
});
