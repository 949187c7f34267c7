import { forUpdate, isCheckViolation, isUniqueViolation, type Tx } from '../db/store.ts';
import { prepared } from '../db/prepared.ts';
import { InvariantError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { CURRENCY } from '../shared/money.ts';
import { nextRef } from './refs.ts';

// The ledger is append-only: entries and postings are only inserted. A correction is a
// reversing entry. Balances are updated in the same transaction as the postings.

// Hot path of every payment: prepared queries (src/db/prepared.ts), built once per dialect.
const lockAccounts = prepared((tx, ids: string[]) => forUpdate(tx as Tx, tx.selectFrom('digital_accounts')
  .select(['id', 'balance_minor', 'allow_negative', 'currency']).where('id', 'in', ids).orderBy('id')));
const insertEntry = prepared((tx, id: string, ref: string, kind: string, description: string,
  reverses: string | null, createdAt: number) => tx.insertInto('ledger_entries').values({
  id, ref, kind, description, reverses_entry_id: reverses, created_at: createdAt,
}));
const insertPosting = prepared((tx, entryId: string, accountId: string, amountMinor: number, currency: string, createdAt: number) =>
  tx.insertInto('postings').values({ entry_id: entryId, account_id: accountId, amount_minor: amountMinor, currency, created_at: createdAt }));
const addToBalance = prepared((tx, amountMinor: number, accountId: string) => tx.updateTable('digital_accounts')
  .set((eb) => ({ balance_minor: eb('balance_minor', '+', amountMinor) })).where('id', '=', accountId));

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

/** Balances after the entry, keyed by account, for accounts the caller asks about. */
export async function postEntry(tx: Tx, input: EntryInput): Promise<Entry> {
  const merged = mergePostings(input.postings);
  let sum = 0;
  for (const p of merged) {
    if (!Number.isSafeInteger(p.amountMinor)) throw new InvariantError('debits_equal_credits', 'amount is not a safe integer');
    sum += p.amountMinor;
  }
  if (sum !== 0) throw new InvariantError('debits_equal_credits', `postings sum to ${sum}`);
  if (merged.length === 0) throw new InvariantError('debits_equal_credits', 'an entry needs postings');

  // Fixed lock order (by id) so that concurrent entries cannot deadlock.
  const ids = merged.map((p) => p.accountId).sort();
  const accounts = await lockAccounts(tx, ids);
  if (accounts.length !== ids.length) throw new InvariantError('debits_equal_credits', 'unknown account in postings');
  const byId = new Map(accounts.map((a) => [a.id, a]));
  const balances = new Map<string, number>();
  for (const p of merged) {
    const a = byId.get(p.accountId)!;
    if (a.currency !== CURRENCY) throw new InvariantError('single_currency', `account ${a.id} holds ${a.currency}`);
    const next = Number(a.balance_minor) + p.amountMinor;
    if (next < 0 && !a.allow_negative) {
      throw new InvariantError('balance_must_not_go_negative', `account ${a.id} would hold ${next}`);
    }
    balances.set(p.accountId, next);
  }

  const id = newId();
  const ref = await nextRef(tx, input.refPrefix ?? 'T', input.nowMs);
  try {
    await insertEntry(tx, id, ref, input.kind, input.description.slice(0, 500), input.reversesEntryId ?? null, input.nowMs);
  } catch (e) {
    if (input.reversesEntryId && isUniqueViolation(e)) {
      throw new InvariantError('execute_at_most_once', `entry ${input.reversesEntryId} is already reversed`);
    }
    throw e;
  }
  for (const p of merged) await insertPosting(tx, id, p.accountId, p.amountMinor, CURRENCY, input.nowMs);
  for (const p of merged) {
    try {
      await addToBalance(tx, p.amountMinor, p.accountId);
    } catch (e) {
      // The CHECK constraint is the last line of defence if a lock was ever missed.
      if (isCheckViolation(e)) throw new InvariantError('balance_must_not_go_negative', `account ${p.accountId}`);
      throw e;
    }
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
  if (already) throw new InvariantError('execute_at_most_once', `entry ${entryId} is already reversed`);
  const postings = await tx.selectFrom('postings').select(['account_id', 'amount_minor']).where('entry_id', '=', entryId).execute();
  if (postings.length === 0) throw new InvariantError('debits_equal_credits', `entry ${entryId} has no postings`);
  return postEntry(tx, {
    kind: opts.kind ?? 'reversal',
    description: opts.description,
    refPrefix: opts.refPrefix ?? 'R',
    reversesEntryId: entryId,
    nowMs: opts.nowMs,
    postings: postings.map((p) => ({ accountId: p.account_id, amountMinor: -Number(p.amount_minor) })),
  });
}

function mergePostings(postings: Posting[]): Posting[] {
  const sums = new Map<string, number>();
  for (const p of postings) sums.set(p.accountId, (sums.get(p.accountId) ?? 0) + p.amountMinor);
  return [...sums].filter(([, v]) => v !== 0).map(([accountId, amountMinor]) => ({ accountId, amountMinor }));
}
