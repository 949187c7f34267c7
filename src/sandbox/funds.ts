import type { Tx } from '../db/store.ts';
import { postEntry } from '../ledger/ledger.ts';
import { developerAccountId } from '../ledger/system-accounts.ts';

/**
 * Sandbox test money: a balanced entry from the funding account of the developer it is for,
 * `fundedBy` (the merchant whose sale the test payer approves) or else the account's owner.
 * Never offered in production.
 */
export async function addTestFunds(
  tx: Tx, accountId: string, amountMinor: number, nowMs: number, description = 'Fondos de prueba (sandbox)', fundedBy?: string,
) {
  if (!Number.isSafeInteger(amountMinor) || amountMinor <= 0) throw new RangeError('test funds must be a positive amount');
  const owner = fundedBy ?? (await tx.selectFrom('digital_accounts').select('user_id').where('id', '=', accountId).executeTakeFirst())?.user_id;
  // An account of nobody (tests, system use) is its own developer.
  const funding = await developerAccountId(tx, 'funding', owner ?? accountId, nowMs);
  return postEntry(tx, {
    kind: 'test_funds',
    description,
    refPrefix: 'P',
    nowMs,
    postings: [{ accountId: funding, amountMinor: -amountMinor }, { accountId, amountMinor }],
  });
}
