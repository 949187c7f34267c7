import { sql } from 'kysely';
import { isCheckViolation, isForeignKeyViolation, isUniqueViolation, type Tx } from '../db/store.ts';
import { defer, takeDeferred } from '../db/tx-deferred.ts';
import { prepared, preparedQuery, preparedWrite, rowsByPosition } from '../db/prepared.ts';
import { WriteBatch } from '../db/write-batch.ts';
import { InvariantError, invariantOfDbError } from './invariants.ts';
import { newId } from '../shared/ids.ts';
import { CURRENCY, MAX_BALANCE_MINOR } from '../shared/money.ts';
import { nextRef } from './refs.ts';

// The ledger is append-only: entries and postings are only inserted. A correction is a
// reversing entry. Balances are updated in the same transaction as the postings (credits
// at its end), so the ledger balances at every COMMIT.

const BOUND = BigInt(MAX_BALANCE_MINOR);

// Hot path of every payment: prepared queries (src/db/prepared.ts), built once per dialect.
// A debit is one guarded UPDATE that locks the account, checks every rule and returns the new
// balance, read as text: exact whatever is stored, where a number could round on a SQLite
// store written before the bound existed (PostgreSQL's bigint cannot hold a fraction).
const debitAccount = preparedQuery((tx, delta: number, accountId: string, currency: string) => tx.updateTable('digital_accounts')
  .set((eb) => ({ balance_minor: eb('balance_minor', '+', delta) }))
  .where('id', '=', accountId).where('currency', '=', currency)
  .where(sql<boolean>`(balance_minor + ${delta} >= 0 or allow_negative <> 0)`)
  .where((eb) => eb.between(eb('balance_minor', '+', delta), -MAX_BALANCE_MINOR, MAX_BALANCE_MINOR))
  .returning(sql<string>`cast(balance_minor as text)`.as('balance')));
// Only when a debit was refused: which rule it broke.
const accountState = prepared((tx, accountId: string) => tx.selectFrom('digital_accounts')
  .select([sql<string>`cast(balance_minor as text)`.as('balance'), 'allow_negative', 'currency']).where('id', '=', accountId));
const insertEntry = preparedQuery((tx, id: string, ref: string, kind: string, description: string,
  reverses: string | null, createdAt: number) => tx.insertInto('ledger_entries').values({
  id, ref, kind, description, reverses_entry_id: reverses, created_at: createdAt,
}));
// An entry's postings in one INSERT, compiled once per number of postings (most entries have two).
const POSTING_COLUMNS = ['entry_id', 'account_id', 'amount_minor', 'currency', 'created_at'] as const;
const insertPostingRows = preparedQuery((tx, values: unknown[]) =>
  tx.insertInto('postings').values(rowsByPosition(POSTING_COLUMNS, values) as never));
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
}

/**
 * Posts a balanced entry. Debited accounts are locked (in id order, so entries cannot
 * deadlock) and checked by the UPDATE that debits them: no wallet below zero, no balance
 * past the bound. Credits cannot break either rule's "below zero" half, so they are
 * deferred to the end of the transaction (src/db/tx-deferred.ts): a shop paid by many
 * payers is locked once per group of payments, just before COMMIT, not once per payment.
 *
 * The debits, the entry and its postings are written together: one statement on
 * PostgreSQL, where a debit that changed nothing fails the batch at its flush(), before
 * the COMMIT. With a batch (src/db/write-batch.ts) they join the caller's other writes,
 * sent at its flush(). A refusal (InvariantError) must end the transaction, or the job's
 * savepoint: on PostgreSQL the entry and its postings are already written when it comes,
 * and only the rollback takes them back. Every caller lets it propagate out of store.tx.
 */
export async function postEntry(tx: Tx, input: EntryInput, batch?: WriteBatch): Promise<Entry> {
  for (const p of input.postings) {
    if (!Number.isSafeInteger(p.amountMinor)) throw new InvariantError('amount_is_exact', 'amount is not a safe integer');
  }
  const merged = mergePostings(input.postings);
  const sum = merged.reduce((s, p) => s + p.amount, 0n);
  if (sum !== 0n) throw new InvariantError('debits_equal_credits', `postings sum to ${sum}`);
  if (merged.length === 0) throw new InvariantError('entry_has_postings', 'an entry needs postings');

  // Debits first, in account-id order (so entries cannot deadlock), each checked under its lock.
  const debits = merged.filter((p) => p.amount < 0n).sort((x, y) => (x.accountId < y.accountId ? -1 : 1));
  const own = batch ?? new WriteBatch(tx);
  for (const p of debits) await debit(tx, p.accountId, p.amount, own);
  const id = newId();
  const ref = await nextRef(tx, input.refPrefix ?? 'T', input.nowMs);
  const reverses = input.reversesEntryId;
  await own.add(insertEntry(tx, id, ref, input.kind, input.description.slice(0, 500), reverses ?? null, input.nowMs), (e) => (
    reverses && isUniqueViolation(e) ? new InvariantError('reverse_at_most_once', `entry ${reverses} is already reversed`) : undefined));
  // Within the bound every merged amount is at most twice it: an exact number.
  const values = merged.flatMap((p) => [id, p.accountId, Number(p.amount), CURRENCY, input.nowMs]);
  await own.add(insertPostingRows(tx, values), postingError);
  if (!batch) await own.flush();
  for (const p of merged) if (p.amount > 0n) defer(tx, p.accountId, p.amount, flushCredits);
  return { id, ref };
}

/** Credited accounts are not read before: the foreign key and the currency trigger speak for them. */
function postingError(e: unknown): Error | undefined {
  if (isForeignKeyViolation(e)) return new InvariantError('posting_account_exists', 'unknown account in postings');
  if (invariantOfDbError(e) === 'posting_currency_matches_account') return new InvariantError('single_currency', 'posting in another currency');
  return undefined;
}

// The CHECK constraint is the last line of defence if a guard was ever missed.
const checkViolation = (accountId: string) => (e: unknown) => (
  isCheckViolation(e) ? new InvariantError('balance_must_not_go_negative', `account ${accountId}`) : undefined);

/**
 * Debits an account (with the credits this transaction deferred for it, which count now,
 * under its lock) in one guarded UPDATE. When the UPDATE changes nothing, one read says
 * which rule refused it. On PostgreSQL the UPDATE joins the batch (one round trip for the
 * whole payment) and is judged at its flush(); on SQLite it runs now, and the new balance
 * it returns is checked to be an exact integer, whatever an older store holds.
 */
async function debit(tx: Tx, accountId: string, amount: bigint, batch: WriteBatch): Promise<void> {
  const deferred = takeDeferred(tx, accountId);
  const delta = deferred + amount;
  // Past twice the bound no balance can take it (and the number would not be exact).
  if (delta > 2n * BOUND || delta < -2n * BOUND) throw new InvariantError('balance_within_bound', `account ${accountId}`);
  const query = debitAccount(tx, Number(delta), accountId, CURRENCY);
  if (batch.fuses) {
    await batch.add(query, checkViolation(accountId), {
      key: `digital_accounts:${accountId}`,
      after: async (changed) => { if (changed !== 1) await refusal(tx, accountId, delta); },
    });
    return;
  }
  let rows: { balance: string }[];
  try {
    rows = (await tx.executeQuery(query)).rows;
  } catch (e) {
    throw checkViolation(accountId)(e) ?? e;
  }
  if (rows.length === 1) {
    exact(rows[0].balance, accountId);
    return;
  }
  await refusal(tx, accountId, delta);
}

/** Why a guarded debit changed nothing: always throws. */
async function refusal(tx: Tx, accountId: string, delta: bigint): Promise<never> {
  const [a] = await accountState(tx, accountId);
  if (!a) throw new InvariantError('posting_account_exists', 'unknown account in postings');
  if (a.currency !== CURRENCY) throw new InvariantError('single_currency', `account ${accountId} holds ${a.currency}`);
  const next = exact(a.balance, accountId) + delta;
  if (next < 0n && !a.allow_negative) throw new InvariantError('balance_must_not_go_negative', `account ${accountId} would hold ${next}`);
  throw new InvariantError('balance_within_bound', `account ${accountId} would hold ${next}`);
}

async function applyDelta(tx: Tx, accountId: string, delta: bigint): Promise<void> {
  if (delta === 0n) return;
  let changed: number;
  try {
    changed = await addToBalance(tx, Number(delta), accountId);
  } catch (e) {
    // The CHECK constraint is the last line of defence if a lock was ever missed.
    if (isCheckViolation(e)) throw new InvariantError('balance_must_not_go_negative', `account ${accountId}`);
    throw e;
  }
  if (changed !== 1) throw new InvariantError('balance_within_bound', `account ${accountId}`);
}

/** The deferred credits of a transaction, applied just before its COMMIT; past the bound, the whole group fails. */
async function flushCredits(tx: object, items: [string, bigint][]): Promise<void> {
  for (const [accountId, amount] of items) await applyDelta(tx as Tx, accountId, amount);
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
