// The ledger's rules, numbered, one name each. The name is used in code (InvariantError),
// in the database's own refusals (triggers and constraints say it), in `ledger verify`'s
// report and in the tests, which iterate this list.

export const INVARIANTS = [
  { n: 1, name: 'debits_equal_credits', rule: "An entry's postings sum to zero; so do all balances together.", db: 'deferred trigger (PostgreSQL)' },
  { n: 2, name: 'entry_has_postings', rule: 'An entry moves money: it has postings.', db: null },
  { n: 3, name: 'posting_account_exists', rule: 'A posting names an existing digital account.', db: 'foreign key' },
  { n: 4, name: 'posting_amount_not_zero', rule: 'A posting moves a non-zero amount.', db: 'CHECK (PostgreSQL), trigger (SQLite)' },
  { n: 5, name: 'posting_currency_matches_account', rule: "A posting is in its account's currency.", db: 'trigger' },
  { n: 6, name: 'single_currency', rule: 'The platform moves VES only.', db: null },
  { n: 7, name: 'amount_is_exact', rule: 'Amounts are whole céntimos, exact as JS numbers.', db: null },
  { n: 8, name: 'balance_matches_postings', rule: "An account's balance is the sum of its postings.", db: null },
  { n: 9, name: 'balance_must_not_go_negative', rule: 'No wallet goes below zero (system accounts may).', db: 'CHECK' },
  { n: 10, name: 'balance_within_bound', rule: 'No balance passes ±Bs. 10.000.000.000.000,00.', db: 'guarded UPDATE' },
  { n: 11, name: 'execute_at_most_once', rule: 'A transaction of a payment intent is paid at most once.', db: 'UNIQUE (intent_id, txn_index)' },
  { n: 12, name: 'reverse_at_most_once', rule: 'An entry is reversed at most once.', db: 'UNIQUE (reverses_entry_id)' },
  { n: 13, name: 'ledger_is_append_only', rule: 'Entries and postings are never updated or deleted.', db: 'triggers' },
  { n: 14, name: 'bank_reference_credited_once', rule: 'A bank reference tops up a wallet at most once.', db: 'partial UNIQUE index on confirmed top-ups' },
  { n: 15, name: 'settlement_matches_bank', rule: 'The bank-settlement account equals confirmed top-ups minus paid withdrawals and payouts.', db: null },
  { n: 16, name: 'withdrawals_held', rule: 'The withdrawals account holds exactly the withdrawals not yet paid or failed.', db: null },
] as const;

export type InvariantName = (typeof INVARIANTS)[number]['name'];

/** A write that would break an invariant, refused before (or as) it reaches the store. */
export class InvariantError extends Error {
  constructor(
    readonly invariant: InvariantName,
    detail: string,
  ) {
    super(`${invariant}: ${detail}`);
  }
}

/** The database's own refusal of a ledger write, as the invariant it names; else undefined. */
export function invariantOfDbError(e: unknown): InvariantName | undefined {
  const message = String((e as { message?: string })?.message ?? '');
  return INVARIANTS.find((i) => message.includes(i.name))?.name;
}

/**
 * The one mapping from a broken money invariant to what the person is told (a message
 * key), for every service that moves money. Others are not the caller's doing: undefined.
 */
export function moneyRefusal(e: unknown): string | undefined {
  if (!(e instanceof InvariantError)) return undefined;
  if (e.invariant === 'balance_must_not_go_negative') return 'ledger.insufficient_funds';
  if (e.invariant === 'balance_within_bound') return 'ledger.balance_limit';
  return undefined;
}
