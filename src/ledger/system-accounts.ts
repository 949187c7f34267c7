import type { Tx, ReadDb } from '../db/store.ts';
import { newId } from '../shared/ids.ts';
import { CURRENCY } from '../shared/money.ts';

// Accounts of the platform itself. Their handles start with '@', which no user handle can.
export const SYSTEM = {
  /** Money that entered from outside (deposits, sandbox test funds). Goes negative by design. */
  funding: '@funding',
  /**
   * The platform's own bank account: confirmed top-ups enter from it, paid withdrawals and
   * (production) settled payouts return to it. Minus its balance is what the bank holds.
   */
  settlement: '@settlement',
  /** Withdrawals held from wallets until an operator marks them paid or failed. */
  withdrawals: '@withdrawals',
  /** Money on its way out to banks (payouts). */
  payouts: '@payouts',
  /** The platform's fee income. */
  fees: '@fees',
} as const;
export type SystemAccount = keyof typeof SYSTEM;

const cache = new WeakMap<object, Map<string, string>>();

export async function ensureSystemAccounts(tx: Tx, nowMs: number): Promise<void> {
  for (const handle of Object.values(SYSTEM)) {
    await tx.insertInto('digital_accounts').values({
      id: newId(), user_id: null, handle, name: handle.slice(1), currency: CURRENCY, balance_minor: 0,
      allow_negative: 1, kind: 'system', created_at: nowMs,
    }).onConflict((oc) => oc.column('handle').doNothing()).execute();
  }
}

/** The id of a system account; cached per database handle since they never change. */
export async function systemAccountId(db: ReadDb, which: SystemAccount, cacheKey: object = db): Promise<string> {
  let m = cache.get(cacheKey);
  if (!m) cache.set(cacheKey, (m = new Map()));
  const hit = m.get(which);
  if (hit) return hit;
  const row = await db.selectFrom('digital_accounts').select('id').where('handle', '=', SYSTEM[which]).executeTakeFirstOrThrow();
  m.set(which, row.id);
  return row.id;
}

/**
 * A system account of one developer in the sandbox (`@funding.<user id>`, `@payouts.<user id>`),
 * made on first use. Test money comes from the developer's own funding account and paid-out
 * money goes back to it, so whoever mints or pays out a lot reaches the balance bound on an
 * account of their own, never on one shared by everybody.
 */
export async function developerAccountId(tx: Tx, which: 'funding' | 'payouts', ownerId: string, nowMs: number): Promise<string> {
  const handle = `${SYSTEM[which]}.${ownerId}`;
  const find = () => tx.selectFrom('digital_accounts').select('id').where('handle', '=', handle).executeTakeFirst();
  const found = await find();
  if (found) return found.id;
  await tx.insertInto('digital_accounts').values({
    id: newId(), user_id: null, handle, name: which, currency: CURRENCY, balance_minor: 0,
    allow_negative: 1, kind: 'system', created_at: nowMs,
  }).onConflict((oc) => oc.column('handle').doNothing()).execute();
  return (await find())!.id;
}
