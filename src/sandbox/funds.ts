import type { Tx } from '../db/store.ts';
import { postEntry } from '../ledger/ledger.ts';
import { systemAccountId } from '../ledger/system-accounts.ts';

/** Sandbox test money: a balanced entry from the funding account. Never offered in production. */
export async function addTestFunds(tx: Tx, accountId: string, amountMinor: number, nowMs: number, description = 'Fondos de prueba (sandbox)') {
  if (!Number.isSafeInteger(amountMinor) || amountMinor <= 0) throw new RangeError('test funds must be a positive amount');
  const funding = await systemAccountId(tx, 'funding');
  return postEntry(tx, {
    kind: 'test_funds',
    description,
    refPrefix: 'P',
    nowMs,
    postings: [{ accountId: funding, amountMinor: -amountMinor }, { accountId, amountMinor }],
  });
}
