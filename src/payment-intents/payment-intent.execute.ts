import { isUniqueViolation, type Tx } from '../db/store.ts';
import { preparedQuery } from '../db/prepared.ts';
import type { WriteBatch } from '../db/write-batch.ts';
import type { PaymentsTable } from '../db/schema.ts';
import { postEntry, type Posting } from '../ledger/ledger.ts';
import { PAYMENT_STATUS, PAYMENT_TYPE } from '../payments/payment.types.ts';
import { InvariantError } from '../ledger/invariants.ts';
import { newId } from '../shared/ids.ts';
import type { IntentRow } from './payment-intent.repository.ts';
import { parseTransactions, type StoredTransaction } from './payment-intent.types.ts';

// The money movement of an intent, for the intent machine only (intent.machine.ts), which
// holds the intent row's lock, has checked state and payer, and writes the state after.

const PAYMENT_COLUMNS = [
  'id', 'ref', 'intent_id', 'txn_index', 'entry_id', 'type', 'status', 'amount_minor', 'currency', 'description',
  'payer_user_id', 'source_account_id', 'recipient_account_id', 'recipient_user_id', 'created_at', 'updated_at',
] as const;
const insertPayment = preparedQuery((tx, values: unknown[]) => tx.insertInto('payments')
  .values(Object.fromEntries(PAYMENT_COLUMNS.map((c, i) => [c, values[i]])) as unknown as PaymentsTable));

export interface PayerSource {
  userId: string;
  /** The payer's digital account that is debited. */
  accountId: string;
}

export interface ExecutedPayment {
  id: string;
  ref: string;
  txnIndex: number;
  entryId: string;
}

function postingsOf(t: StoredTransaction, sourceAccountId: string): Posting[] {
  const postings: Posting[] = [
    { accountId: sourceAccountId, amountMinor: -t.totalMinor },
    { accountId: t.destinationAccountId, amountMinor: t.totalMinor },
  ];
  for (const d of t.distributions) {
    postings.push({ accountId: t.destinationAccountId, amountMinor: -d.amountMinor });
    postings.push({ accountId: d.accountId, amountMinor: d.amountMinor });
  }
  return postings;
}

/**
 * The first distribution account of the intent that is no longer authorized for its app
 * (an operator may refuse one after the intent was created), else undefined. Checked under
 * the intent's lock, just before the money moves, by sales and requests alike.
 */
export async function revokedDistribution(tx: Tx, intent: IntentRow): Promise<string | undefined> {
  const wanted = new Map<string, string>();
  for (const t of parseTransactions(intent.transactions_json)) for (const d of t.distributions) wanted.set(d.accountId, d.handle);
  if (wanted.size === 0) return undefined;
  const ok = await tx.selectFrom('app_distribution_accounts').select('account_id')
    .where('app_id', '=', intent.app_id).where('account_id', 'in', [...wanted.keys()]).where('status', '=', 'authorized').execute();
  const authorized = new Set(ok.map((r) => r.account_id));
  return [...wanted].find(([id]) => !authorized.has(id))?.[1];
}

/**
 * One ledger entry (ref P...) and one payments row per transaction, added to the caller's
 * batch (src/db/write-batch.ts): written at its flush() on PostgreSQL, at once on SQLite.
 * Throws InvariantError 'balance_must_not_go_negative' when the payer cannot cover it and
 * 'execute_at_most_once' when the intent was already paid (at flush() on PostgreSQL); the
 * caller's transaction must then roll back (store.tx does when the error propagates).
 */
export async function executeIntentPayment(
  tx: Tx, intent: IntentRow, payer: PayerSource, nowMs: number, batch: WriteBatch,
): Promise<ExecutedPayment[]> {
  const type = intent.intent === 'sale' ? PAYMENT_TYPE.sale : PAYMENT_TYPE.request;
  const txns = parseTransactions(intent.transactions_json);
  const done: ExecutedPayment[] = [];
  for (const [txnIndex, t] of txns.entries()) {
    const entry = await postEntry(tx, {
      kind: intent.intent, description: t.description, refPrefix: 'P', nowMs, postings: postingsOf(t, payer.accountId),
    }, batch);
    const id = newId();
    await batch.add(insertPayment(tx, [
      id, entry.ref, intent.id, txnIndex, entry.id, type, PAYMENT_STATUS.completed, t.totalMinor, t.currency, t.description,
      payer.userId, payer.accountId, t.destinationAccountId, intent.owner_user_id, nowMs, nowMs,
    ]), (e) => (isUniqueViolation(e) ? new InvariantError('execute_at_most_once', `intent ${intent.id} transaction ${txnIndex}`) : undefined));
    done.push({ id, ref: entry.ref, txnIndex, entryId: entry.id });
  }
  return done;
}
