import { spawn } from 'node:child_process';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postEntry, reverseEntry } from '../../src/ledger/ledger.ts';
import { verifyLedger } from '../../src/ledger/verify.ts';
import { InvariantError } from '../../src/ledger/invariants.ts';
import { testEnv, type TestEnv, DIALECT } from '../helpers/env.ts';
import { fundedAccounts } from '../helpers/ledger.ts';
import { runCli } from '../helpers/cli.ts';

type Op = { kind: 'transfer'; from: number; to: number; amount: number } | { kind: 'reverse'; pick: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('transfer' as const), from: fc.nat(5), to: fc.nat(5), amount: fc.integer({ min: 1, max: 4_000 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reverse' as const), pick: fc.nat(1000) }) },
);

/** Sums what every acknowledged entry did to each account: the model the store must match. */
async function postingsByAccount(te: TestEnv, entryIds: string[]): Promise<Map<string, number>> {
  const sums = new Map<string, number>();
  for (let i = 0; i < entryIds.length; i += 200) {
    const rows = await te.ctx.store.db.selectFrom('postings').select(['account_id', 'amount_minor'])
      .where('entry_id', 'in', entryIds.slice(i, i + 200)).execute();
    for (const r of rows) sums.set(r.account_id, (sums.get(r.account_id) ?? 0) + Number(r.amount_minor));
  }
  return sums;
}

describe(`ledger invariants under random concurrent load (${DIALECT})`, () => {
  let te: TestEnv;
  beforeAll(async () => {
    te = await testEnv();
  });
  afterAll(async () => te.close());

  it('random transfers and reversals, in concurrent batches, keep every invariant', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(opArb, { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 6 }), async (batches) => {
        const initial = [5_000, 3_000, 0, 10_000, 1, 2_500];
        const accounts = await fundedAccounts(te.ctx, initial);
        const acked: string[] = [];
        const before = new Map<string, number>(accounts.map((a, i) => [a, initial[i]]));
        for (const batch of batches) {
          // Each batch runs at once: on PostgreSQL over several pool connections.
          const results = await Promise.allSettled(batch.map((op) => te.ctx.store.tx(async (tx) => {
            if (op.kind === 'reverse') {
              if (!acked.length) return undefined;
              const target = acked[op.pick % acked.length];
              return reverseEntry(tx, target, { description: 'rev', nowMs: te.clock.now() });
            }
            const from = accounts[op.from];
            const to = accounts[op.to === op.from ? (op.to + 1) % accounts.length : op.to];
            return postEntry(tx, {
              kind: 'transfer', description: 'p', refPrefix: 'T', nowMs: te.clock.now(),
              postings: [{ accountId: from, amountMinor: -op.amount }, { accountId: to, amountMinor: op.amount }],
            });
          })));
          for (const r of results) {
            if (r.status === 'fulfilled' && r.value) acked.push(r.value.id);
            if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(InvariantError);
          }
        }
        const moved = await postingsByAccount(te, acked);
        const stored = await te.ctx.store.db.selectFrom('digital_accounts').select(['id', 'balance_minor']).where('id', 'in', accounts).execute();
        for (const row of stored) {
          const expected = (before.get(row.id) ?? 0) + (moved.get(row.id) ?? 0);
          expect(Number(row.balance_minor)).toBe(expected);
          expect(Number(row.balance_minor)).toBeGreaterThanOrEqual(0);
        }
        const report = await verifyLedger(te.ctx.store.db);
        expect(report.violations).toEqual([]);
      }),
      { numRuns: 25 },
    );
  });

  it('several OS processes on one store never lose an acknowledged entry; `mpandco ledger verify` agrees', async () => {
    const accounts = await fundedAccounts(te.ctx, [50_000, 20_000, 5_000, 0]);
    const runWorker = (seed: number) => new Promise<string[]>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'test/invariants/ledger-worker.ts', accounts.join(','), '60', String(seed)], {
        env: te.childEnv, stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (err += d));
      child.on('close', (code) => (code === 0 ? resolve(out.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l).ack)) : reject(new Error(err))));
    });
    const acks = (await Promise.all([runWorker(1), runWorker(2), runWorker(3)])).flat();
    expect(acks.length).toBeGreaterThan(30);
    const found = await te.ctx.store.db.selectFrom('ledger_entries').select(['id', 'ref']).where('id', 'in', acks).execute();
    expect(found.length).toBe(acks.length);
    // References from three processes at once: every one distinct, in the documented form.
    expect(new Set(found.map((e) => e.ref)).size).toBe(found.length);
    for (const e of found) expect(e.ref).toMatch(/^[TR]\d{6}\d{7,}$/);
    const report = await verifyLedger(te.ctx.store.db);
    expect(report.violations).toEqual([]);
    const cli = await runCli(['ledger', 'verify', '--env', 'sandbox', '--json'], te.childEnv);
    expect(cli.code, `${cli.stdout}\n${cli.stderr}`).toBe(0);
    expect(JSON.parse(cli.stdout)[0].ok).toBe(true);
  });
});
