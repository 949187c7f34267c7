import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertDigitalAccount } from '../../src/accounts/accounts.service.ts';
import { postEntry } from '../../src/ledger/ledger.ts';
import { verifyLedger } from '../../src/ledger/verify.ts';
import { InvariantError } from '../../src/ledger/invariants.ts';
import { randomCode } from '../../src/shared/ids.ts';
import { MAX_BALANCE_MINOR } from '../../src/shared/money.ts';
import { DIALECT, testEnv, type TestEnv } from '../helpers/env.ts';

// Balances near the bound, where a JS number or a REAL would round: every one must stay the
// exact sum of its postings, and the entry that would take one past the bound is refused whole.

const B = BigInt(MAX_BALANCE_MINOR);

let te: TestEnv;
beforeAll(async () => {
  te = await testEnv();
});
afterAll(async () => te?.close());

async function account(system = false): Promise<string> {
  return te.ctx.store.tx((tx) => insertDigitalAccount(tx, {
    userId: null, handle: `${system ? '@' : ''}b_${randomCode(10).toLowerCase()}`, name: 'bound', nowMs: te.clock.now(), system,
  }));
}

/** Stored balance and the sum of its postings, both read as exact text. */
async function exactState(id: string): Promise<{ stored: bigint; summed: bigint }> {
  const row = await te.ctx.store.db.selectFrom('digital_accounts')
    .select([
      sql<string>`cast(balance_minor as text)`.as('stored'),
      sql<string | null>`(select cast(sum(amount_minor) as text) from postings where account_id = digital_accounts.id)`.as('summed'),
    ])
    .where('id', '=', id).executeTakeFirstOrThrow();
  return { stored: BigInt(row.stored), summed: BigInt(row.summed ?? 0) };
}

const post = (from: string, to: string, amount: number) => te.ctx.store.tx((tx) => postEntry(tx, {
  kind: 'transfer', description: 'bound', refPrefix: 'T', nowMs: te.clock.now(),
  postings: [{ accountId: from, amountMinor: -amount }, { accountId: to, amountMinor: amount }],
}));

// Large amounts, biased to the edges of the bound.
const amountArb = fc.oneof(
  fc.constantFrom(MAX_BALANCE_MINOR, MAX_BALANCE_MINOR - 1, 1, 2 ** 53 - MAX_BALANCE_MINOR * 8),
  fc.integer({ min: 1, max: MAX_BALANCE_MINOR }),
  fc.integer({ min: MAX_BALANCE_MINOR - 1_000, max: MAX_BALANCE_MINOR + 1_000 }),
);
const opArb = fc.record({ from: fc.nat(3), to: fc.nat(3), amount: amountArb });

describe(`balance bound and exact balances (${DIALECT})`, () => {
  it('random large entries: each balance is the exact sum of its postings, and an entry past the bound is refused whole', async () => {
    let refusedPastBound = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 14 }), async (ops) => {
        // Two system accounts (may run negative) and two wallets.
        const ids = [await account(true), await account(true), await account(), await account()];
        const model = new Map<string, bigint>(ids.map((id) => [id, 0n]));
        const isSystem = (id: string) => ids.indexOf(id) < 2;
        for (const op of ops) {
          const from = ids[op.from];
          const to = ids[op.to === op.from ? (op.to + 1) % ids.length : op.to];
          const a = BigInt(op.amount);
          const nextFrom = model.get(from)! - a;
          const nextTo = model.get(to)! + a;
          const expected = nextFrom < 0n && !isSystem(from)
            ? 'balance_must_not_go_negative'
            : nextFrom < -B || nextTo > B ? 'balance_within_bound' : 'ok';
          const outcome = await post(from, to, op.amount).then(() => 'ok', (e: unknown) => {
            if (!(e instanceof InvariantError)) throw e;
            return e.invariant;
          });
          expect(outcome).toBe(expected);
          if (outcome === 'ok') {
            model.set(from, nextFrom);
            model.set(to, nextTo);
          }
          if (outcome === 'balance_within_bound') refusedPastBound++;
        }
        for (const id of ids) {
          const { stored, summed } = await exactState(id);
          expect(stored).toBe(model.get(id));
          expect(summed).toBe(stored);
        }
      }),
      { numRuns: 30 },
    );
    expect(refusedPastBound).toBeGreaterThan(0);
    expect((await verifyLedger(te.ctx.store.db)).violations).toEqual([]);
  });

  it('an account at the bound takes nothing more, either way; the one céntimo that would pass it moves nothing', async () => {
    const [sys, sys2, wallet, other] = [await account(true), await account(true), await account(), await account()];
    await post(sys, wallet, MAX_BALANCE_MINOR);
    const before = await verifyLedger(te.ctx.store.db);
    // A system account may run negative, down to the bound and no further.
    const below = await post(sys, other, 1).catch((e) => e);
    expect(below).toBeInstanceOf(InvariantError);
    expect(below.invariant).toBe('balance_within_bound');
    await post(sys2, other, 1);
    const above = await post(other, wallet, 1).catch((e) => e);
    expect(above).toBeInstanceOf(InvariantError);
    expect(above.invariant).toBe('balance_within_bound');
    expect(await exactState(wallet)).toEqual({ stored: B, summed: B });
    expect(await exactState(sys)).toEqual({ stored: -B, summed: -B });
    expect(await exactState(other)).toEqual({ stored: 1n, summed: 1n });
    const after = await verifyLedger(te.ctx.store.db);
    expect(after.entries).toBe(before.entries + 1);
    expect(after.violations).toEqual([]);
  });

  it('verify sees a one-céntimo gap planted in SQL, also past 2^53 where a JS number cannot', async () => {
    const [sys, wallet] = [await account(true), await account()];
    await post(sys, wallet, MAX_BALANCE_MINOR - 1);
    expect((await verifyLedger(te.ctx.store.db)).ok).toBe(true);

    await sql`update digital_accounts set balance_minor = balance_minor + 1 where id = ${wallet}`.execute(te.ctx.store.autocommit);
    const gap = await verifyLedger(te.ctx.store.db);
    expect(gap.ok).toBe(false);
    expect(gap.violations).toContainEqual({
      invariant: 'balance_matches_postings',
      detail: expect.stringMatching(new RegExp(`holds ${MAX_BALANCE_MINOR} but its postings sum to ${MAX_BALANCE_MINOR - 1}$`)),
    });
    await sql`update digital_accounts set balance_minor = balance_minor - 1 where id = ${wallet}`.execute(te.ctx.store.autocommit);
    expect((await verifyLedger(te.ctx.store.db)).ok).toBe(true);

    // The case: 9500000000000000 stored, postings summing to 9500000000000001. Both
    // round to the same double; verify must still name the gap (and the bound).
    const [s2, w2] = [await account(true), await account()];
    const entry = `e_${randomCode(8)}`;
    await sql`insert into ledger_entries (id, ref, kind, description, created_at) values (${entry}, ${entry}, 'planted', 'planted', 0)`.execute(te.ctx.store.autocommit);
    await sql.raw(`insert into postings (entry_id, account_id, amount_minor, currency, created_at) values
      ('${entry}', '${s2}', -9500000000000001, 'VES', 0), ('${entry}', '${w2}', 9500000000000001, 'VES', 0)`).execute(te.ctx.store.autocommit);
    await sql.raw(`update digital_accounts set balance_minor = 9500000000000000 where id = '${w2}'`).execute(te.ctx.store.autocommit);
    await sql.raw(`update digital_accounts set balance_minor = -9500000000000001 where id = '${s2}'`).execute(te.ctx.store.autocommit);
    const report = await verifyLedger(te.ctx.store.db);
    const details = report.violations.map((v) => `${v.invariant}: ${v.detail}`);
    expect(details).toContainEqual(expect.stringMatching(/^balance_matches_postings: .* holds 9500000000000000 but its postings sum to 9500000000000001$/));
    expect(details).toContainEqual(expect.stringMatching(/^balance_within_bound: .* is at 9500000000000001/));
  });

  it('the store binds integers exactly: a céntimo added past 2^53 is not rounded away', async () => {
    const id = await account(true);
    await sql.raw(`update digital_accounts set balance_minor = 9500000000000000 where id = '${id}'`).execute(te.ctx.store.autocommit);
    await te.ctx.store.autocommit.updateTable('digital_accounts').set((eb) => ({ balance_minor: eb('balance_minor', '+', 1) }))
      .where('id', '=', id).execute();
    const row = await te.ctx.store.db.selectFrom('digital_accounts').select(sql<string>`cast(balance_minor as text)`.as('b'))
      .where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.b).toBe('9500000000000001');
  });
});
