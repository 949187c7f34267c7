import type { Tx } from '../db/store.ts';
import { mailUser } from './outbox.ts';

// The e-mails of events other features own, each queued in that event's transaction.

const displayName = async (tx: Tx, userId: string) => {
  const u = await tx.selectFrom('users').select(['full_name', 'business_name']).where('id', '=', userId).executeTakeFirst();
  return u ? (u.business_name ?? u.full_name) : '';
};

/** "Pago enviado" to whoever paid and "Pago recibido" to whoever was paid. */
export async function notifyPayment(tx: Tx, p: { payerUserId: string; payeeUserId: string; amountMinor: number; ref: string; nowMs: number }): Promise<void> {
  const payer = await displayName(tx, p.payerUserId);
  const payee = await displayName(tx, p.payeeUserId);
  await mailUser(tx, p.payerUserId, 'payment_sent', { amountMinor: p.amountMinor, counterpart: payee, ref: p.ref }, p.nowMs);
  await mailUser(tx, p.payeeUserId, 'payment_received', { amountMinor: p.amountMinor, counterpart: payer, ref: p.ref }, p.nowMs);
}
