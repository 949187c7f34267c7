import { sql } from 'kysely';
import { MAX_BALANCE_MINOR } from '../shared/money.ts';
import { INVARIANTS, type InvariantName } from './invariants.ts';
import { creditedOnce, settlementMatches, withdrawalsHeld } from './bank-checks.ts';
import type { ReadDb } from '../db/store.ts';

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
  /** The invariants checked, by number and name, in the order of INVARIANTS. */
  checked: string[];
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

type Db = ReadDb;
type AccountRow = { handle: string; balance: string | null; total: string | null; allow_negative: number; kind: string; currency: string };
interface Scan { accounts: AccountRow[]; dialect: 'sqlite' | 'postgres' }
type Check = (db: Db, scan: Scan) => Promise<string[]>;

async function scanAccounts(db: Db): Promise<AccountRow[]> {
  return db.selectFrom('digital_accounts as a')
    .leftJoin(
      db.selectFrom('postings').select(['account_id', sql<string>`cast(sum(amount_minor) as text)`.as('total')]).groupBy('account_id').as('s'),
      's.account_id', 'a.id',
    )
    .select(['a.handle', asText('a.balance_minor').as('balance'), 'a.allow_negative', 'a.kind', 'a.currency', 's.total'])
    .execute();
}

const bothExact = (a: AccountRow) => {
  const derived = exact(a.total);
  const stored = exact(a.balance);
  return derived === undefined || stored === undefined ? undefined : { derived, stored };
};

/** What a check can see of each invariant in the data; the database enforces the rest as it is written. */
const CHECKS: Record<InvariantName, Check> = {
  async debits_equal_credits(db, { accounts }) {
    const out = (await db.selectFrom('postings').select(['entry_id', sql<string>`cast(sum(amount_minor) as text)`.as('total')])
      .groupBy('entry_id').having(sql`sum(amount_minor)`, '<>', 0).execute()).map((u) => `entry ${u.entry_id} sums to ${u.total}`);
    const all = accounts.reduce((s, a) => s + (exact(a.total) ?? 0n), 0n);
    if (all !== 0n) out.push(`all balances sum to ${all}`);
    return out;
  },
  async entry_has_postings(db) {
    return (await db.selectFrom('ledger_entries as e').leftJoin('postings as p', 'p.entry_id', 'e.id')
      .select('e.id').where('p.id', 'is', null).execute()).map((e) => `entry ${e.id} has no postings`);
  },
  async posting_account_exists(db) {
    return (await db.selectFrom('postings as p').leftJoin('digital_accounts as a', 'a.id', 'p.account_id')
      .select(['p.id', 'p.account_id']).where('a.id', 'is', null).execute()).map((p) => `posting ${p.id} names unknown account ${p.account_id}`);
  },
  async posting_amount_not_zero(db) {
    return (await db.selectFrom('postings').select('id').where('amount_minor', '=', 0).execute()).map((p) => `posting ${p.id} moves nothing`);
  },
  async posting_currency_matches_account(db) {
    return (await db.selectFrom('postings as p').innerJoin('digital_accounts as a', 'a.id', 'p.account_id')
      .select(['p.id', 'p.currency', 'a.currency as account_currency']).whereRef('p.currency', '<>', 'a.currency').execute())
      .map((p) => `posting ${p.id} in ${p.currency} on an account in ${p.account_currency}`);
  },
  async single_currency(_db, { accounts }) {
    return accounts.filter((a) => a.currency !== 'VES').map((a) => `account ${a.handle} holds ${a.currency}`);
  },
  async amount_is_exact(_db, { accounts }) {
    return accounts.filter((a) => !bothExact(a)).map((a) => `account ${a.handle} holds ${a.balance}, postings sum to ${a.total}: not whole céntimos`);
  },
  async balance_matches_postings(_db, { accounts }) {
    return accounts.flatMap((a) => {
      const v = bothExact(a);
      return v && v.derived !== v.stored ? [`account ${a.handle} holds ${v.stored} but its postings sum to ${v.derived}`] : [];
    });
  },
  async balance_must_not_go_negative(_db, { accounts }) {
    return accounts.flatMap((a) => {
      const v = bothExact(a);
      return v && v.derived < 0n && !a.allow_negative ? [`account ${a.handle} is at ${v.derived}`] : [];
    });
  },
  async balance_within_bound(_db, { accounts }) {
    return accounts.flatMap((a) => {
      const v = bothExact(a);
      return v ? [...new Set([v.stored, v.derived])].filter((x) => x > BOUND || x < -BOUND).map((x) => `account ${a.handle} is at ${x}, past ±${BOUND}`) : [];
    });
  },
  async execute_at_most_once(db) {
    return (await db.selectFrom('payments').select(['intent_id', 'txn_index', sql<number>`count(*)`.as('n')])
      .where('intent_id', 'is not', null).groupBy(['intent_id', 'txn_index']).having(sql`count(*)`, '>', 1).execute())
      .map((p) => `intent ${p.intent_id} paid ${p.n} times`);
  },
  async reverse_at_most_once(db) {
    return (await db.selectFrom('ledger_entries').select(['reverses_entry_id', sql<number>`count(*)`.as('n')])
      .where('reverses_entry_id', 'is not', null).groupBy('reverses_entry_id').having(sql`count(*)`, '>', 1).execute())
      .map((t) => `entry ${t.reverses_entry_id} reversed ${t.n} times`);
  },
  // History cannot be read back; what can be checked is that the guard is in place.
  async ledger_is_append_only(db, { dialect }) {
    const names = dialect === 'postgres'
      ? (await sql<{ name: string }>`select tgname as name from pg_trigger t join pg_class c on c.oid = t.tgrelid
          where c.relnamespace = current_schema()::regnamespace and not t.tgisinternal`.execute(db)).rows.map((r) => r.name)
      : (await sql<{ name: string }>`select name from sqlite_master where type = 'trigger'`.execute(db)).rows.map((r) => r.name);
    const wanted = dialect === 'postgres'
      ? ['ledger_entries_append_only', 'postings_append_only']
      : ['ledger_entries_no_update', 'ledger_entries_no_delete', 'postings_no_update', 'postings_no_delete'];
    return wanted.filter((w) => !names.includes(w)).map((w) => `trigger ${w} is missing`);
  },
  bank_reference_credited_once: (db) => creditedOnce(db),
  settlement_matches_bank: (db, { accounts }) => settlementMatches(db, accounts),
  withdrawals_held: (db, { accounts }) => withdrawalsHeld(db, accounts),
};

/** Recomputes every balance from the postings and checks each numbered invariant in turn. */
export async function verifyLedger(db: Db, dialect?: 'sqlite' | 'postgres'): Promise<VerifyReport> {
  const scan: Scan = { accounts: await scanAccounts(db), dialect: dialect ?? (await dialectOf(db)) };
  const violations: Violation[] = [];
  for (const inv of INVARIANTS) {
    for (const detail of await CHECKS[inv.name](db, scan)) violations.push({ invariant: inv.name, detail });
  }
  let walletTotal = 0n;
  let systemTotal = 0n;
  for (const a of scan.accounts) {
    const derived = exact(a.total) ?? 0n;
    if (a.kind === 'system') systemTotal += derived;
    else walletTotal += derived;
  }
  const counts = await db.selectFrom('postings').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
  const entries = await db.selectFrom('ledger_entries').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
  return {
    ok: violations.length === 0,
    entries: Number(entries.n),
    postings: Number(counts.n),
    accounts: scan.accounts.length,
    walletTotalMinor: String(walletTotal),
    systemTotalMinor: String(systemTotal),
    checked: INVARIANTS.map((i) => `${i.n}. ${i.name}`),
    violations,
  };
}

async function dialectOf(db: Db): Promise<'sqlite' | 'postgres'> {
  try {
    await sql`select sqlite_version()`.execute(db);
    return 'sqlite';
  } catch {
    return 'postgres';
  }
}
