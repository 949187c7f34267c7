import { sql } from 'kysely';
import { forUpdate, isCheckViolation, isUniqueViolation, type Tx } from '../db/store.ts';
import { prepared, preparedWrite } from '../db/prepared.ts';
import { InvariantError } from './invariants.ts';
import { newId } from '../shared/ids.ts';
import { CURRENCY, MAX_BALANCE_MINOR } from '../shared/money.ts';
import { nextRef } from './refs.ts';

// The ledger is append-only: entries and postings are only inserted. A correction is a
// reversing entry. Balances are updated in the same transaction as the postings.

const BOUND = BigInt(MAX_BALANCE_MINOR);

// Hot path of every payment: prepared queries (src/db/prepared.ts), built once per dialect.
// The balance is read as text: exact whatever is stored, where a number could round (SQLite)
// or fail to parse (PostgreSQL) on a store written before the bound existed.
const lockAccounts = prepared((tx, ids: string[]) => forUpdate(tx as Tx, tx.selectFrom('digital_accounts')
  .select(['id', sql<string>`cast(balance_minor as text)`.as('balance'), 'allow_negative', 'currency'])
  .where('id', 'in', ids).orderBy('id')));
const insertEntry = prepared((tx, id: string, ref: string, kind: string, description: string,
  reverses: string | null, createdAt: number) => tx.insertInto('ledger_entries').values({
  id, ref, kind, description, reverses_entry_id: reverses, created_at: createdAt,
}));
const insertPosting = prepared((tx, entryId: string, accountId: string, amountMinor: number, currency: string, createdAt: number) =>
  tx.insertInto('postings').values({ entry_id: entryId, account_id: accountId, amount_minor: amountMinor, currency, created_at: createdAt }));
// The bound again in SQL: the last line of defence, like the CHECK on negative wallets.
const addToBalance = preparedWrite((tx, amountMinor: number, accountId: string) => tx.updateTable('digital_accounts')
  .set((eb) => ({ balance_minor: eb('balance_minor', '+', amountMinor) })).where('id', '=', accountId)
  .where((eb) => eb.between(eb('balance_minor', '+', amountMinor), -MAX_BALANCE_MINOR, MAX_BALANCE_MINOR)));

export interface Posting {
  accountId: string;
  amountMinor: number; // negative debits the account, positive credits it
}

export interface EntryInput {
  kind: string;
  description: string;
  postings: Posting[];
  refPrefix?: 'P' | 'MP' | 'R' | 'T';
  reversesEntryId?: string;
  nowMs: number;
}

export interface Entry {
  id: string;
  ref: string;
  balances: Map<string, number>;
}

/**
 * Balances after the entry, keyed by account, for accounts the caller asks about. Every
 * balance must stay within ±MAX_BALANCE_MINOR: an entry that would take one out is refused
 * whole ('balance_within_bound'), in the same transaction, under the accounts' locks.
 */
export async function postEntry(tx: Tx, input: EntryInput): Promise<Entry> {
  for (const p of input.postings) {
    if (!Number.isSafeInteger(p.amountMinor)) throw new InvariantError('amount_is_exact', 'amount is not a safe integer');
  }
  const merged = mergePostings(input.postings);
  const sum = merged.reduce((s, p) => s + p.amount, 0n);
  if (sum !== 0n) throw new InvariantError('debits_equal_credits', `postings sum to ${sum}`);
  if (merged.length === 0) throw new InvariantError('entry_has_postings', 'an entry needs postings');

  // Fixed lock order (by id) so that concurrent entries cannot deadlock.
  const ids = merged.map((p) => p.accountId).sort();
  const accounts = await lockAccounts(tx, ids);
  if (accounts.length !== ids.length) throw new InvariantError('posting_account_exists', 'unknown account in postings');
  const byId = new Map(accounts.map((a) => [a.id, a]));
  const balances = new Map<string, number>();
  for (const p of merged) {
    const a = byId.get(p.accountId)!;
    if (a.currency !== CURRENCY) throw new InvariantError('single_currency', `account ${a.id} holds ${a.currency}`);
    const next = exact(a.balance, a.id) + p.amount;
    if (next < 0n && !a.allow_negative) {
      throw new InvariantError('balance_must_not_go_negative', `account ${a.id} would hold ${next}`);
    }
    if (next > BOUND || next < -BOUND) throw new InvariantError('balance_within_bound', `account ${a.id} would hold ${next}`);
    balances.set(p.accountId, Number(next));
  }

  const id = newId();
  const ref = await nextRef(tx, input.refPrefix ?? 'T', input.nowMs);
  try {
    await insertEntry(tx, id, ref, input.kind, input.description.slice(0, 500), input.reversesEntryId ?? null, input.nowMs);
  } catch (e) {
    if (input.reversesEntryId && isUniqueViolation(e)) {
      throw new InvariantError('reverse_at_most_once', `entry ${input.reversesEntryId} is already reversed`);
    }
    throw e;
  }
  // Within the bound, every merged amount is at most twice it: an exact number.
  for (const p of merged) await insertPosting(tx, id, p.accountId, Number(p.amount), CURRENCY, input.nowMs);
  for (const p of merged) {
    let changed: number;
    try {
      changed = await addToBalance(tx, Number(p.amount), p.accountId);
    } catch (e) {
      // The CHECK constraint is the last line of defence if a lock was ever missed.
      if (isCheckViolation(e)) throw new InvariantError('balance_must_not_go_negative', `account ${p.accountId}`);
      throw e;
    }
    if (changed !== 1) throw new InvariantError('balance_within_bound', `account ${p.accountId}`);
  }
  return { id, ref, balances };
}

/** Posts the exact opposite of an entry. A second reversal of the same entry fails. */
export async function reverseEntry(
  tx: Tx,
  entryId: string,
  opts: { kind?: string; description: string; nowMs: number; refPrefix?: 'P' | 'R' },
): Promise<Entry> {
  const already = await tx.selectFrom('ledger_entries').select('id').where('reverses_entry_id', '=', entryId).executeTakeFirst();
  if (already) throw new InvariantError('reverse_at_most_once', `entry ${entryId} is already reversed`);
  const postings = await tx.selectFrom('postings').select(['account_id', 'amount_minor']).where('entry_id', '=', entryId).execute();
  if (postings.length === 0) throw new InvariantError('entry_has_postings', `entry ${entryId} has no postings`);
  return postEntry(tx, {
    kind: opts.kind ?? 'reversal',
    description: opts.description,
    refPrefix: opts.refPrefix ?? 'R',
    reversesEntryId: entryId,
    nowMs: opts.nowMs,
    postings: postings.map((p) => ({ accountId: p.account_id, amountMinor: -Number(p.amount_minor) })),
  });
}

function mergePostings(postings: Posting[]): { accountId: string; amount: bigint }[] {
  const sums = new Map<string, bigint>();
  for (const p of postings) sums.set(p.accountId, (sums.get(p.accountId) ?? 0n) + BigInt(p.amountMinor));
  return [...sums].filter(([, v]) => v !== 0n).map(([accountId, amount]) => ({ accountId, amount }));
}

function exact(text: string, accountId: string): bigint {
  if (!/^-?\d+$/.test(String(text))) throw new InvariantError('balance_within_bound', `account ${accountId} holds ${text}`);
  return BigInt(text);
}
