import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tx } from '../../src/db/store.ts';
import { InvariantError } from '../../src/ledger/invariants.ts';
import { postEntry } from '../../src/ledger/ledger.ts';
import { verifyLedger } from '../../src/ledger/verify.ts';
import { MAX_BALANCE_MINOR } from '../../src/shared/money.ts';
import { sql } from 'kysely';
import { REF_BLOCK } from '../../src/db/ref-sequence.migration.ts';
import { DIALECT, testEnv, type TestEnv } from '../helpers/env.ts';
import { balanceOf, fundedAccounts } from '../helpers/ledger.ts';

// Transactions that arrive together share one COMMIT (each in its own savepoint), and the
// credits of the group are applied to balances once, at its end. Calls made in one tick
// land in one group; these tests start them so, then check what each caller was told.

describe('group commit with deferred credits', () => {
  let te: TestEnv;
  beforeAll(async () => {
    te = await testEnv();
  });
  afterAll(async () => te.close());

  const move = (tx: Tx, from: string, to: string, amount: number) => postEntry(tx, {
    kind: 'transfer', description: 'g', refPrefix: 'P', nowMs: te.clock.now(),
    postings: [{ accountId: from, amountMinor: -amount }, { accountId: to, amountMinor: amount }],
  });

  it('many payers paying one shop at once all land; one without the money alone fails; balances exact', async () => {
    const payers = await fundedAccounts(te.ctx, [...Array.from({ length: 24 }, () => 1_000), 50]);
    const [shop] = await fundedAccounts(te.ctx, [0]);
    const results = await Promise.allSettled(payers.map((p) => te.ctx.store.tx((tx) => move(tx, p, shop, 100))));
    const failed = results.filter((r) => r.status === 'rejected');
    expect(failed).toHaveLength(1);
    expect((failed[0] as PromiseRejectedResult).reason).toMatchObject({ invariant: 'balance_must_not_go_negative' });
    expect(await balanceOf(te.ctx, shop)).toBe(24 * 100);
    expect(await balanceOf(te.ctx, payers[24])).toBe(50);
    const refs = new Set(results.filter((r) => r.status === 'fulfilled').map((r) => (r as PromiseFulfilledResult<{ ref: string }>).value.ref));
    expect(refs.size).toBe(24);
    expect((await verifyLedger(te.ctx.store.db)).violations).toEqual([]);
  });

  it('a credit deferred by one job counts for a debit by a later job of the same group', async () => {
    const [payer, shop, supplier] = await fundedAccounts(te.ctx, [1_000, 0, 0]);
    const [first, second] = await Promise.allSettled([
      te.ctx.store.tx((tx) => move(tx, payer, shop, 500)),
      te.ctx.store.tx((tx) => move(tx, shop, supplier, 400)),
    ]);
    expect([first.status, second.status]).toEqual(['fulfilled', 'fulfilled']);
    expect([await balanceOf(te.ctx, shop), await balanceOf(te.ctx, supplier)]).toEqual([100, 400]);
  });

  it('what a job took back returns when that job rolls back, for the next job to use', async () => {
    const [payer, shop, supplier] = await fundedAccounts(te.ctx, [1_000, 0, 0]);
    const results = await Promise.allSettled([
      te.ctx.store.tx((tx) => move(tx, payer, shop, 500)),
      te.ctx.store.tx(async (tx) => {
        await move(tx, shop, supplier, 400);
        throw new Error('the rest of this job failed');
      }),
      te.ctx.store.tx((tx) => move(tx, shop, supplier, 450)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect([await balanceOf(te.ctx, shop), await balanceOf(te.ctx, supplier)]).toEqual([50, 450]);
    expect((await verifyLedger(te.ctx.store.db)).violations).toEqual([]);
  });

  it('credits that together pass the balance bound: the group runs again job by job, and only the last one fails', async () => {
    const [source] = await fundedAccounts(te.ctx, [0]);
    await te.ctx.store.autocommit.updateTable('digital_accounts').set({ allow_negative: 1 }).where('id', '=', source).execute();
    const [shop] = await fundedAccounts(te.ctx, [0]);
    const big = 1_000_000_000_000_00;
    for (let b = 0; b < MAX_BALANCE_MINOR - 50; b += Math.min(big, MAX_BALANCE_MINOR - 50 - b)) {
      await te.ctx.store.tx((tx) => move(tx, source, shop, Math.min(big, MAX_BALANCE_MINOR - 50 - b)));
    }
    const results = await Promise.allSettled([
      te.ctx.store.tx((tx) => move(tx, source, shop, 30)),
      te.ctx.store.tx((tx) => move(tx, source, shop, 30)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected']);
    const reason = (results[1] as PromiseRejectedResult).reason;
    expect(reason).toBeInstanceOf(InvariantError);
    expect(reason.invariant).toBe('balance_within_bound');
    expect(await balanceOf(te.ctx, shop)).toBe(MAX_BALANCE_MINOR - 20);
    expect((await verifyLedger(te.ctx.store.db)).violations).toEqual([]);
  });

  it('references from two stores on one database (two nodes) stay unique; on PostgreSQL each takes its numbers a block at a time', async () => {
    const other = await testEnv({ dataDir: te.dataDir, schemaPrefix: te.childEnv.MPANDCO_PG_SCHEMA_PREFIX, clock: te.clock, keep: true });
    try {
      const payers = await fundedAccounts(te.ctx, Array.from({ length: 100 }, () => 1_000));
      const [shop] = await fundedAccounts(te.ctx, [0]);
      const seq = async () => DIALECT === 'postgres'
        ? BigInt((await sql<{ v: string }>`select last_value::text as v from ref_seq`.execute(te.ctx.store.db)).rows[0].v) : 0n;
      const before = await seq();
      const refs = (await Promise.all(payers.map((p, i) => (i % 2 ? other : te).ctx.store.tx((tx) => move(tx, p, shop, 10))))).map((e) => e.ref);
      expect(new Set(refs).size).toBe(100);
      for (const r of refs) expect(r).toMatch(/^P\d{6}\d{7,}$/);
      if (DIALECT === 'postgres') {
        // One nextval per block of REF_BLOCK numbers, not one per reference.
        const blocks = Number((await seq()) - before) / REF_BLOCK;
        expect(blocks).toBeGreaterThan(0);
        expect(blocks).toBeLessThanOrEqual(20);
      }
      expect(await balanceOf(te.ctx, shop)).toBe(100 * 10);
      expect((await verifyLedger(te.ctx.store.db)).violations).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it('a payer paying in two groups at once, in opposite orders: the deadlock sends a payment to a later group, and all land', async () => {
    // Small groups, so that one burst makes several groups at once, each holding its payers' rows.
    process.env.MPANDCO_PG_GROUP = '3';
    const small = await testEnv({ dataDir: te.dataDir, schemaPrefix: te.childEnv.MPANDCO_PG_SCHEMA_PREFIX, clock: te.clock, keep: true });
    delete process.env.MPANDCO_PG_GROUP;
    try {
      const [a, b, c] = await fundedAccounts(te.ctx, [1_000, 1_000, 1_000]);
      const [shop] = await fundedAccounts(te.ctx, [0]);
      const order = [a, b, c, c, b, a, b, c, a, a, c, b];
      const results = await Promise.allSettled(order.map((p) => small.ctx.store.tx((tx) => move(tx, p, shop, 10))));
      expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
      expect(await balanceOf(te.ctx, shop)).toBe(order.length * 10);
      expect([await balanceOf(te.ctx, a), await balanceOf(te.ctx, b), await balanceOf(te.ctx, c)]).toEqual([960, 960, 960]);
      expect((await verifyLedger(te.ctx.store.db)).violations).toEqual([]);
    } finally {
      await small.close();
    }
  });
});
