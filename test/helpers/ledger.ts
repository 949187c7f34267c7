import type { Ctx } from '../../src/context.ts';
import { insertDigitalAccount } from '../../src/accounts/accounts.service.ts';
import { addTestFunds } from '../../src/sandbox/funds.ts';
import { randomCode } from '../../src/shared/ids.ts';

/** Wallets without owners, funded from the funding account: enough for ledger-level tests. */
export async function fundedAccounts(ctx: Ctx, balances: number[]): Promise<string[]> {
  const ids: string[] = [];
  for (const b of balances) {
    const id = await ctx.store.tx(async (tx) => {
      const accountId = await insertDigitalAccount(tx, { userId: null, handle: `acct_${randomCode(10).toLowerCase()}`, name: 'test', nowMs: ctx.clock.now() });
      if (b > 0) await addTestFunds(tx, accountId, b, ctx.clock.now());
      return accountId;
    });
    ids.push(id);
  }
  return ids;
}

export async function balanceOf(ctx: Ctx, accountId: string): Promise<number> {
  const row = await ctx.store.db.selectFrom('digital_accounts').select('balance_minor').where('id', '=', accountId).executeTakeFirstOrThrow();
  return Number(row.balance_minor);
}
