import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postEntry } from '../../src/ledger/ledger.ts';
import { INVARIANTS, invariantOfDbError, type InvariantName } from '../../src/ledger/invariants.ts';
import { verifyLedger } from '../../src/ledger/verify.ts';
import { DIALECT, testEnv, type TestEnv } from '../helpers/env.ts';
import { fundedAccounts } from '../helpers/ledger.ts';

// The ledger's rules held by the database itself: each forbidden write, tried straight in
// SQL as a bug or a person at a SQL prompt would, is refused and names its invariant.

describe('the database refuses what the ledger forbids', () => {
  let te: TestEnv;
  let entryId: string;
  let postingId: number;
  let accountId: string;
  beforeAll(async () => {
    te = await testEnv();
    const [a, b] = await fundedAccounts(te.ctx, [1_000, 0]);
    accountId = b;
    const entry = await te.ctx.store.tx((tx) => postEntry(tx, {
      kind: 'transfer', description: 't', refPrefix: 'T', nowMs: te.clock.now(),
      postings: [{ accountId: a, amountMinor: -250 }, { accountId: b, amountMinor: 250 }],
    }));
    entryId = entry.id;
    postingId = Number((await te.ctx.store.db.selectFrom('postings').select('id').where('entry_id', '=', entryId).executeTakeFirstOrThrow()).id);
  });
  afterAll(async () => te.close());

  const db = () => te.ctx.store.db;
  // Writes straight in SQL go through the handle that can write (the root reader refuses them).
  const writer = () => te.ctx.store.autocommit;
  const refusal = async (run: () => Promise<unknown>): Promise<InvariantName | 'accepted' | undefined> => {
    try {
      await run();
      return 'accepted';
    } catch (e) {
      return invariantOfDbError(e);
    }
  };
  const insertPosting = (amount: number, currency = 'VES') => sql`insert into postings (entry_id, account_id, amount_minor, currency, created_at)
    values (${entryId}, ${accountId}, ${amount}, ${currency}, ${te.clock.now()})`.execute(writer());

  const cases: [string, InvariantName, () => Promise<unknown>][] = [
    ['update a posting', 'ledger_is_append_only', () => sql`update postings set amount_minor = amount_minor + 1 where id = ${postingId}`.execute(writer())],
    ['delete a posting', 'ledger_is_append_only', () => sql`delete from postings where id = ${postingId}`.execute(writer())],
    ['update an entry', 'ledger_is_append_only', () => sql`update ledger_entries set description = 'rewritten' where id = ${entryId}`.execute(writer())],
    ['delete an entry', 'ledger_is_append_only', () => sql`delete from ledger_entries where id = ${entryId}`.execute(writer())],
    ['insert a zero posting', 'posting_amount_not_zero', () => insertPosting(0)],
    ['insert a posting in another currency', 'posting_currency_matches_account', () => insertPosting(5, 'USD')],
  ];

  for (const [what, invariant, run] of cases) {
    it(`${what}: refused, ${invariant}`, async () => {
      expect(await refusal(run)).toBe(invariant);
      expect((await verifyLedger(db())).ok).toBe(true);
    });
  }

  it('an entry that does not sum to zero: PostgreSQL refuses it at COMMIT; SQLite (no deferred checks) has verify name it', async () => {
    const outcome = await refusal(() => te.ctx.store.tx(async (tx) => {
      await sql`insert into ledger_entries (id, ref, kind, description, created_at) values ('unbalanced', 'T-unbalanced', 'transfer', 'x', 1)`.execute(tx);
      await sql`insert into postings (entry_id, account_id, amount_minor, currency, created_at) values ('unbalanced', ${accountId}, 100, 'VES', 1)`.execute(tx);
    }));
    const stored = await db().selectFrom('ledger_entries').select('id').where('id', '=', 'unbalanced').execute();
    if (DIALECT === 'postgres') {
      expect(outcome).toBe('debits_equal_credits');
      expect(stored).toEqual([]);
      return;
    }
    expect(outcome).toBe('accepted');
    const report = await verifyLedger(db());
    expect(report.violations.filter((v) => v.invariant === 'debits_equal_credits').map((v) => v.detail)).toContain('entry unbalanced sums to 100');
    // The planted entry stays (append-only); this file's last test expects it on SQLite.
  });

  it('ledger verify checks every numbered invariant, and names a one-céntimo gap and a missing guard', async () => {
    const clean = await verifyLedger(db());
    // On SQLite the unbalanced entry planted above is still there; on PostgreSQL it never was.
    if (DIALECT === 'postgres') expect(clean.ok).toBe(true);
    const before = new Set(clean.violations.map((v) => v.detail));
    expect(clean.checked).toEqual(INVARIANTS.map((i) => `${i.n}. ${i.name}`));
    await sql`update digital_accounts set balance_minor = balance_minor + 1 where id = ${accountId}`.execute(writer());
    const trigger = DIALECT === 'postgres' ? 'drop trigger postings_append_only on postings' : 'drop trigger postings_no_update';
    await sql.raw(trigger).execute(writer());
    const broken = await verifyLedger(db());
    expect(broken.ok).toBe(false);
    const named = new Set(broken.violations.filter((v) => !before.has(v.detail)).map((v) => v.invariant));
    expect(named.has('balance_matches_postings')).toBe(true);
    expect(named.has('ledger_is_append_only')).toBe(true);
    expect([...named].sort()).toEqual(['balance_matches_postings', 'ledger_is_append_only']);
  });
});
