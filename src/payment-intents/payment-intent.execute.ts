import { isUniqueViolation, type Tx } from '../db/store.ts';
import { postEntry, type Posting } from '../ledger/ledger.ts';
import { PAYMENT_STATUS, PAYMENT_TYPE } from '../payments/payment.types.ts';
import { InvariantError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { setIntentState, type IntentRow } from './payment-intent.repository.ts';
import { parseTransactions, type StoredTransaction } from './payment-intent.types.ts';

// The money movement of an intent, shared by sales (execute/sale.json) and requests
// (execute/request.json, wallet payment). The caller holds the intent row's lock and
// has checked state, payer and PIN; this only moves the money, exactly once.

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
 * One ledger entry (ref P...) and one payments row per transaction, then state `executed`.
 * Throws InvariantError 'balance_must_not_go_negative' when the payer cannot cover it and
 * 'execute_at_most_once' when the intent was already paid; the caller's transaction must
 * then roll back (store.tx does when the error propagates).
 */
export async function executeIntentPayment(
  tx: Tx, intent: IntentRow, payer: PayerSource, nowMs: number,
): Promise<ExecutedPayment[]> {
  const type = intent.intent === 'sale' ? PAYMENT_TYPE.sale : PAYMENT_TYPE.request;
  const txns = parseTransactions(intent.transactions_json);
  const done: ExecutedPayment[] = [];
  for (const [txnIndex, t] of txns.entries()) {
    const entry = await postEntry(tx, {
      kind: intent.intent, description: t.description, refPrefix: 'P', nowMs, postings: postingsOf(t, payer.accountId),
    });
    const id = newId();
    try {
      await tx.insertInto('payments').values({
        id, ref: entry.ref, intent_id: intent.id, txn_index: txnIndex, entry_id: entry.id, type,
        status: PAYMENT_STATUS.completed, amount_minor: t.totalMinor, currency: t.currency, description: t.description,
        payer_user_id: payer.userId, source_account_id: payer.accountId, recipient_account_id: t.destinationAccountId,
        recipient_user_id: intent.owner_user_id, created_at: nowMs, updated_at: nowMs,
      }).execute();
    } catch (e) {
      if (isUniqueViolation(e)) throw new InvariantError('execute_at_most_once', `intent ${intent.id} transaction ${txnIndex}`);
      throw e;
    }
    done.push({ id, ref: entry.ref, txnIndex, entryId: entry.id });
  }
  const moved = await setIntentState(tx, intent.id, ['created', 'approved'], {
    state: 'executed', executed_at: nowMs, payer_user_id: payer.userId,
  });
  if (!moved) throw new InvariantError('execute_at_most_once', `intent ${intent.id} is no longer waiting`);
  return done;
}
