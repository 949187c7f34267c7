import type { Ctx } from '../context.ts';
import { walletsOf } from '../accounts/accounts.service.ts';
import { NotFoundError } from '../shared/errors.ts';
import { currencyResource, toApiNumber } from '../shared/money.ts';

/** The calling account as GET /api/user/profile.json shows it; balances as JSON numbers. */
export async function profileOf(ctx: Ctx, userId: string) {
  const db = ctx.store.db;
  const user = await db.selectFrom('users')
    .select(['id', 'username', 'full_name', 'business_name', 'document', 'phone', 'email', 'kind', 'created_at'])
    .where('id', '=', userId).executeTakeFirst();
  if (!user) throw new NotFoundError();
  const wallets = (await walletsOf(db, userId)).filter((w) => w.kind === 'wallet');
  return {
    id: user.id,
    username: user.username,
    full_name: user.full_name,
    business_name: user.business_name,
    identity_document: user.document,
    phone: user.phone,
    email: user.email,
    type: user.kind,
    digital_accounts: wallets.map((w) => ({
      id: w.id,
      username: w.handle,
      name: w.name,
      currency: currencyResource(w.currency),
      balance: toApiNumber(Number(w.balance_minor)),
    })),
  };
}
