import { sql } from 'kysely';
import { SYSTEM } from './system-accounts.ts';
import type { ReadDb } from '../db/store.ts';

// Checks of `ledger verify` that hold the ledger against the records of money entering and
// leaving by bank: top-ups, withdrawals and payout batches. Sums are exact (text, BigInt).

type Db = ReadDb;
type Scanned = { handle: string; total: string | null };

const big = (text: string | null | undefined) => (text && /^-?\d+$/.test(String(text)) ? BigInt(text) : 0n);
const postingsOf = (accounts: Scanned[], handle: string) => big(accounts.find((a) => a.handle === handle)?.total);
const sumText = (column: string) => sql<string | null>`cast(sum(${sql.ref(column)}) as text)`;

export async function creditedOnce(db: Db): Promise<string[]> {
  const twice = await db.selectFrom('topups').select(['reference', sql<number>`count(*)`.as('n')])
    .where('status', '=', 'confirmed').groupBy('reference').having(sql`count(*)`, '>', 1).execute();
  const unposted = await db.selectFrom('topups').select('id').where('status', '=', 'confirmed').where('entry_id', 'is', null).execute();
  return [
    ...twice.map((r) => `bank reference ${r.reference} credited ${r.n} times`),
    ...unposted.map((r) => `top-up ${r.id} is confirmed without a ledger entry`),
  ];
}

/**
 * Minus the settlement account's balance is the money in the platform's bank: confirmed
 * top-ups, less paid withdrawals, less the payout batches settled through it (the sandbox
 * settles payouts into each developer's own account instead, so those do not count).
 */
export async function settlementMatches(db: Db, accounts: Scanned[]): Promise<string[]> {
  const [topups, paid, payouts] = await Promise.all([
    db.selectFrom('topups').select(sumText('amount_minor').as('s')).where('status', '=', 'confirmed').executeTakeFirstOrThrow(),
    db.selectFrom('withdrawals').select(sumText('amount_minor').as('s')).where('status', '=', 'paid').executeTakeFirstOrThrow(),
    db.selectFrom('payout_batches as b').select(sumText('b.total_minor').as('s')).where('b.status', '=', 'SETTLED')
      .where((eb) => eb.exists(eb.selectFrom('postings as p').innerJoin('digital_accounts as a', 'a.id', 'p.account_id').select('p.id')
        .whereRef('p.entry_id', '=', 'b.settled_entry_id').where('a.handle', '=', SYSTEM.settlement)))
      .executeTakeFirstOrThrow(),
  ]);
  const held = -postingsOf(accounts, SYSTEM.settlement);
  const expected = big(topups.s) - big(paid.s) - big(payouts.s);
  return held === expected ? [] : [
    `${SYSTEM.settlement} holds ${held} for the bank, but confirmed top-ups ${big(topups.s)} minus paid withdrawals ${big(paid.s)} and payouts ${big(payouts.s)} make ${expected}`,
  ];
}

export async function withdrawalsHeld(db: Db, accounts: Scanned[]): Promise<string[]> {
  const open = await db.selectFrom('withdrawals').select(sumText('amount_minor').as('s'))
    .where('status', 'in', ['pending', 'exported']).executeTakeFirstOrThrow();
  const held = postingsOf(accounts, SYSTEM.withdrawals);
  return held === big(open.s) ? [] : [`${SYSTEM.withdrawals} holds ${held}, but the withdrawals not yet paid or failed add up to ${big(open.s)}`];
}
