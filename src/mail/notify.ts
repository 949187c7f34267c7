import type { Tx } from '../db/store.ts';
import type { WriteBatch } from '../db/write-batch.ts';
import { queueMails, recipientOfRow, recipientsOf, type Recipient, type RecipientRow } from './outbox.ts';

// The e-mails of events other features own, each queued in that event's transaction.

interface PaymentMail {
  amountMinor: number;
  ref: string;
  nowMs: number;
  /** The environment keeps its e-mail (`mailKept`): written as kept, no delivery pass needed. */
  kept?: boolean;
}

/**
 * "Pago enviado" to whoever paid and "Pago recibido" to whoever was paid: one read of both
 * people and one INSERT of both messages.
 */
export async function notifyPayment(tx: Tx, p: PaymentMail & { payerUserId: string; payeeUserId: string }): Promise<void> {
  const people = await recipientsOf(tx, [p.payerUserId, p.payeeUserId]);
  await queuePaymentMails(tx, people.get(p.payerUserId), people.get(p.payeeUserId), p);
}

/** notifyPayment with both people as the payment already read them: only the INSERT. */
export async function notifyPaymentOf(
  tx: Tx, payer: RecipientRow | undefined, payee: RecipientRow | undefined, p: PaymentMail, batch?: WriteBatch,
): Promise<void> {
  await queuePaymentMails(tx, payer && recipientOfRow(payer), payee && recipientOfRow(payee), p, batch);
}

async function queuePaymentMails(
  tx: Tx, payer: Recipient | undefined, payee: Recipient | undefined, p: PaymentMail, batch?: WriteBatch,
): Promise<void> {
  const mails = [
    { to: payer, kind: 'payment_sent' as const, counterpart: payee?.name ?? '' },
    { to: payee, kind: 'payment_received' as const, counterpart: payer?.name ?? '' },
  ].filter((m): m is typeof m & { to: Recipient } => !!m.to?.address)
    .map((m) => ({ to: m.to, kind: m.kind, params: { amountMinor: p.amountMinor, counterpart: m.counterpart, ref: p.ref } }));
  await queueMails(tx, mails, p.nowMs, batch, p.kept);
}
