import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tx } from '../../src/db/store.ts';
import { InvariantError } from '../../src/ledger/invariants.ts';
import { postEntry } from '../../src/ledger/ledger.ts';
import { verifyLedger } from '../../src/ledger/verify.ts';
import { MAX_BALANCE_MINOR } from '../../src/shared/money.ts';
import { testEnv, type TestEnv } from '../helpers/env.ts';
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
});
