import type { Ctx } from '../context.ts';
import { writeAudit } from '../audit/audit.service.ts';
import { firstWallet } from '../accounts/accounts.service.ts';
import { SETTLEMENT_MS, submitBatch } from '../payouts/payout.service.ts';
import { NotFoundError } from '../shared/errors.ts';
import type { PageUser } from '../web/render.ts';
import { confirmIdentity } from './confirm.ts';
import { ownBatchWithItems } from './payouts.repository.ts';

export async function batchDetail(ctx: Ctx, ownerId: string, id: string) {
  const found = await ownBatchWithItems(ctx.store.db, ownerId, id);
  if (!found) throw new NotFoundError();
  const { batch } = found;
  const settlesAt = batch.submitted_at === null ? null : Number(batch.submitted_at) + SETTLEMENT_MS[batch.type];
  return { ...found, settlesAt };
}

/**
 * "Enviar lote" on the page: after the PIN or password, the API's own submission runs for
 * the account, debiting where the API would (the app's receiving account when the app is
 * the account's own, else the account's first wallet), with the audit record in its transaction.
 */
export async function submitFromDashboard(ctx: Ctx, user: PageUser, id: string, secret: string, ip: string) {
  const { batch } = await batchDetail(ctx, user.id, id);
  const via = await confirmIdentity(ctx, user, secret);
  const receivingAccountId = batch.app_owner === user.id ? batch.receiving_account_id : (await firstWallet(ctx.store.db, user.id))?.id ?? '';
  const caller = { user: { id: user.id, username: user.username, kind: user.kind }, receivingAccountId };
  return submitBatch(ctx, caller, batch.id, (tx, b) => writeAudit(tx, { operatorId: user.id, via: 'merchant' }, {
    action: 'payout.submit', targetType: 'payout', targetId: b.id,
    details: { ref: b.ref, total: Number(b.total_minor), fee: Number(b.fee_minor), confirmedWith: via, ip },
  }, Number(b.submitted_at ?? ctx.clock.now())));
}
