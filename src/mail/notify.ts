import type { Tx } from '../db/store.ts';
import { queueMails, recipientsOf, type Recipient } from './outbox.ts';

// The e-mails of events other features own, each queued in that event's transaction.

/**
 * "Pago enviado" to whoever paid and "Pago recibido" to whoever was paid: on the payment
 * path, so one read of both people and one INSERT of both messages.
 */
export async function notifyPayment(tx: Tx, p: { payerUserId: string; payeeUserId: string; amountMinor: number; ref: string; nowMs: number }): Promise<void> {
  const people = await recipientsOf(tx, [p.payerUserId, p.payeeUserId]);
  const payer = people.get(p.payerUserId);
  const payee = people.get(p.payeeUserId);
  const mails = [
    { to: payer, kind: 'payment_sent' as const, counterpart: payee?.name ?? '' },
    { to: payee, kind: 'payment_received' as const, counterpart: payer?.name ?? '' },
  ].filter((m): m is typeof m & { to: Recipient } => !!m.to?.address)
    .map((m) => ({ to: m.to, kind: m.kind, params: { amountMinor: p.amountMinor, counterpart: m.counterpart, ref: p.ref } }));
  await queueMails(tx, mails, p.nowMs);
}
