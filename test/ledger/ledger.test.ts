import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postEntry, reverseEntry } from '../../src/ledger/ledger.ts';
import { verifyLedger } from '../../src/ledger/verify.ts';
import { InvariantError } from '../../src/ledger/invariants.ts';
import { testEnv, type TestEnv } from '../helpers/env.ts';
import { balanceOf, fundedAccounts } from '../helpers/ledger.ts';

describe('ledger', () => {
  let te: TestEnv;
  beforeAll(async () => {
    te = await testEnv();
  });
  afterAll(async () => te.close());

  const post = (postings: { accountId: string; amountMinor: number }[]) =>
    te.ctx.store.tx((tx) => postEntry(tx, { kind: 'transfer', description: 't', postings, refPrefix: 'P', nowMs: te.clock.now() }));

  it('moves money with balanced postings and gives a human reference', async () => {
    const [a, b] = await fundedAccounts(te.ctx, [10_000, 0]);
    const entry = await post([{ accountId: a, amountMinor: -2_550 }, { accountId: b, amountMinor: 2_550 }]);
    expect(entry.ref).toMatch(/^P261126\d{7}$/);
    expect(await balanceOf(te.ctx, a)).toBe(7_450);
    expect(await balanceOf(te.ctx, b)).toBe(2_550);
    expect((await verifyLedger(te.ctx.store.db)).ok).toBe(true);
  });

  it('refuses postings that do not sum to zero: debits_equal_credits', async () => {
    const [a, b] = await fundedAccounts(te.ctx, [1_000, 0]);
    const err = await post([{ accountId: a, amountMinor: -100 }, { accountId: b, amountMinor: 99 }]).catch((e) => e);
    expect(err).toBeInstanceOf(InvariantError);
    expect(err.invariant).toBe('debits_equal_credits');
    expect(await balanceOf(te.ctx, a)).toBe(1_000);
  });

  it('refuses to overdraw a wallet and changes nothing: balance_must_not_go_negative', async () => {
    const [a, b] = await fundedAccounts(te.ctx, [500, 0]);
    const before = await verifyLedger(te.ctx.store.db);
    const err = await post([{ accountId: a, amountMinor: -501 }, { accountId: b, amountMinor: 501 }]).catch((e) => e);
    expect(err.invariant).toBe('balance_must_not_go_negative');
    expect(await balanceOf(te.ctx, a)).toBe(500);
    expect((await verifyLedger(te.ctx.store.db)).entries).toBe(before.entries);
  });

  it('reverses an entry once: reverse_at_most_once', async () => {
    const [a, b] = await fundedAccounts(te.ctx, [1_000, 0]);
    const entry = await post([{ accountId: a, amountMinor: -300 }, { accountId: b, amountMinor: 300 }]);
    const rev = await te.ctx.store.tx((tx) => reverseEntry(tx, entry.id, { description: 'undo', nowMs: te.clock.now() }));
    expect(rev.ref).toMatch(/^R/);
    expect(await balanceOf(te.ctx, a)).toBe(1_000);
    const again = await te.ctx.store.tx((tx) => reverseEntry(tx, entry.id, { description: 'undo', nowMs: te.clock.now() })).catch((e) => e);
    expect(again.invariant).toBe('reverse_at_most_once');
    expect(await balanceOf(te.ctx, b)).toBe(0);
  });

  it('refuses a reversal that would overdraw the account that received the money', async () => {
    const [a, b, c] = await fundedAccounts(te.ctx, [1_000, 0, 0]);
    const entry = await post([{ accountId: a, amountMinor: -400 }, { accountId: b, amountMinor: 400 }]);
    await post([{ accountId: b, amountMinor: -400 }, { accountId: c, amountMinor: 400 }]);
    const err = await te.ctx.store.tx((tx) => reverseEntry(tx, entry.id, { description: 'undo', nowMs: te.clock.now() })).catch((e) => e);
    expect(err.invariant).toBe('balance_must_not_go_negative');
    expect(await balanceOf(te.ctx, a)).toBe(600);
  });

  it('verify names each violation it finds when the stored state is tampered with', async () => {
    const [a] = await fundedAccounts(te.ctx, [1_000]);
    await te.ctx.store.autocommit.updateTable('digital_accounts').set({ balance_minor: 999 }).where('id', '=', a).execute();
    const report = await verifyLedger(te.ctx.store.db);
    expect(report.ok).toBe(false);
    expect(report.violations.map((v) => v.invariant)).toContain('balance_matches_postings');
    await te.ctx.store.autocommit.updateTable('digital_accounts').set({ balance_minor: 1_000 }).where('id', '=', a).execute();
    expect((await verifyLedger(te.ctx.store.db)).ok).toBe(true);
  });

  it('transactions committed together stay independent: a failing one rolls back alone', async () => {
    const [a, b] = await fundedAccounts(te.ctx, [1_000, 0]);
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) =>
      post([{ accountId: a, amountMinor: -(i % 2 ? 100 : 5_000) }, { accountId: b, amountMinor: i % 2 ? 100 : 5_000 }])));
    const ok = results.filter((r) => r.status === 'fulfilled').length;
    expect(ok).toBe(10);
    expect(await balanceOf(te.ctx, a)).toBe(0);
    expect(await balanceOf(te.ctx, b)).toBe(1_000);
    const refs = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.ref] : []));
    expect(new Set(refs).size).toBe(10);
    expect((await verifyLedger(te.ctx.store.db)).ok).toBe(true);
  });
});
