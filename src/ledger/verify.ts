import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { InvariantName } from '../shared/errors.ts';

export interface Violation {
  invariant: InvariantName;
  detail: string;
}

export interface VerifyReport {
  ok: boolean;
  entries: number;
  postings: number;
  accounts: number;
  /** Sum of all wallet balances held by people and businesses. */
  walletTotalMinor: number;
  /** Sum of all system balances (money that came in from or went out to the outside world). */
  systemTotalMinor: number;
  violations: Violation[];
}

/** Recomputes every balance from the postings and checks each named invariant. */
export async function verifyLedger(db: Kysely<DB>): Promise<VerifyReport> {
  const violations: Violation[] = [];

  const unbalanced = await db.selectFrom('postings')
    .select(['entry_id', sql<number>`sum(amount_minor)`.as('total')])
    .groupBy('entry_id')
    .having(sql`sum(amount_minor)`, '<>', 0)
    .execute();
  for (const u of unbalanced) violations.push({ invariant: 'debits_equal_credits', detail: `entry ${u.entry_id} sums to ${u.total}` });

  const empty = await db.selectFrom('ledger_entries as e')
    .leftJoin('postings as p', 'p.entry_id', 'e.id')
    .select('e.id').where('p.id', 'is', null).execute();
  for (const e of empty) violations.push({ invariant: 'debits_equal_credits', detail: `entry ${e.id} has no postings` });

  const accounts = await db.selectFrom('digital_accounts as a')
    .leftJoin(
      db.selectFrom('postings').select(['account_id', sql<number>`sum(amount_minor)`.as('total')]).groupBy('account_id').as('s'),
      's.account_id', 'a.id',
    )
    .select(['a.id', 'a.handle', 'a.balance_minor', 'a.allow_negative', 'a.kind', 's.total'])
    .execute();
  let walletTotalMinor = 0;
  let systemTotalMinor = 0;
  for (const a of accounts) {
    const derived = Number(a.total ?? 0);
    const stored = Number(a.balance_minor);
    if (derived !== stored) {
      violations.push({ invariant: 'balance_matches_postings', detail: `account ${a.handle} holds ${stored} but its postings sum to ${derived}` });
    }
    if (derived < 0 && !a.allow_negative) {
      violations.push({ invariant: 'balance_must_not_go_negative', detail: `account ${a.handle} is at ${derived}` });
    }
    if (a.kind === 'system') systemTotalMinor += derived;
    else walletTotalMinor += derived;
  }

  const twice = await db.selectFrom('ledger_entries')
    .select(['reverses_entry_id', sql<number>`count(*)`.as('n')])
    .where('reverses_entry_id', 'is not', null)
    .groupBy('reverses_entry_id')
    .having(sql`count(*)`, '>', 1)
    .execute();
  for (const t of twice) violations.push({ invariant: 'execute_at_most_once', detail: `entry ${t.reverses_entry_id} reversed ${t.n} times` });

  const paidTwice = await db.selectFrom('payments')
    .select(['intent_id', 'txn_index', sql<number>`count(*)`.as('n')])
    .where('intent_id', 'is not', null)
    .groupBy(['intent_id', 'txn_index'])
    .having(sql`count(*)`, '>', 1)
    .execute();
  for (const p of paidTwice) violations.push({ invariant: 'execute_at_most_once', detail: `intent ${p.intent_id} paid ${p.n} times` });

  const counts = await db.selectFrom('postings').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
  const entries = await db.selectFrom('ledger_entries').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
  if (walletTotalMinor + systemTotalMinor !== 0) {
    violations.push({ invariant: 'debits_equal_credits', detail: `all balances sum to ${walletTotalMinor + systemTotalMinor}` });
  }
  return {
    ok: violations.length === 0,
    entries: Number(entries.n),
    postings: Number(counts.n),
    accounts: accounts.length,
    walletTotalMinor,
    systemTotalMinor,
    violations,
  };
}
