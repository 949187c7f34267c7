import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { InvariantName } from '../shared/errors.ts';
import { MAX_BALANCE_MINOR } from '../shared/money.ts';

export interface Violation {
  invariant: InvariantName;
  detail: string;
}

export interface VerifyReport {
  ok: boolean;
  entries: number;
  postings: number;
  accounts: number;
  /** Sum of all wallet balances held by people and businesses, in céntimos, exact (a decimal string). */
  walletTotalMinor: string;
  /** Sum of all system balances (money that came in from or went out to the outside world), likewise. */
  systemTotalMinor: string;
  violations: Violation[];
}

const BOUND = BigInt(MAX_BALANCE_MINOR);

// Every amount is read as text and summed as a BigInt (or compared in SQL): a JS number
// would round past 2^53 and hide a one-céntimo gap, and PostgreSQL's bigint parser would
// refuse to read such a value at all.
const asText = (column: string) => sql<string | null>`cast(${sql.ref(column)} as text)`;

function exact(text: string | null | undefined): bigint | undefined {
  if (text === null || text === undefined) return 0n;
  return /^-?\d+$/.test(String(text)) ? BigInt(text) : undefined;
}

/** Recomputes every balance from the postings and checks each named invariant. */
export async function verifyLedger(db: Kysely<DB>): Promise<VerifyReport> {
  const violations: Violation[] = [];

  const unbalanced = await db.selectFrom('postings')
    .select(['entry_id', sql<string>`cast(sum(amount_minor) as text)`.as('total')])
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
      db.selectFrom('postings').select(['account_id', sql<string>`cast(sum(amount_minor) as text)`.as('total')]).groupBy('account_id').as('s'),
      's.account_id', 'a.id',
    )
    .select(['a.id', 'a.handle', asText('a.balance_minor').as('balance'), 'a.allow_negative', 'a.kind', 's.total'])
    .execute();
  let walletTotal = 0n;
  let systemTotal = 0n;
  for (const a of accounts) {
    const derived = exact(a.total);
    const stored = exact(a.balance);
    if (derived === undefined || stored === undefined) {
      violations.push({ invariant: 'balance_matches_postings', detail: `account ${a.handle} holds ${a.balance}, postings sum to ${a.total}: not whole céntimos` });
      continue;
    }
    if (derived !== stored) {
      violations.push({ invariant: 'balance_matches_postings', detail: `account ${a.handle} holds ${stored} but its postings sum to ${derived}` });
    }
    if (derived < 0n && !a.allow_negative) {
      violations.push({ invariant: 'balance_must_not_go_negative', detail: `account ${a.handle} is at ${derived}` });
    }
    for (const v of new Set([stored, derived])) {
      if (v > BOUND || v < -BOUND) violations.push({ invariant: 'balance_within_bound', detail: `account ${a.handle} is at ${v}, past ±${BOUND}` });
    }
    if (a.kind === 'system') systemTotal += derived;
    else walletTotal += derived;
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
  if (walletTotal + systemTotal !== 0n) {
    violations.push({ invariant: 'debits_equal_credits', detail: `all balances sum to ${walletTotal + systemTotal}` });
  }
  return {
    ok: violations.length === 0,
    entries: Number(entries.n),
    postings: Number(counts.n),
    accounts: accounts.length,
    walletTotalMinor: String(walletTotal),
    systemTotalMinor: String(systemTotal),
    violations,
  };
}
