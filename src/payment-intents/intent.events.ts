import type { EventType } from '../callbacks/events.ts';
import { apiDate } from '../shared/clock.ts';
import { toApiNumber } from '../shared/money.ts';
import type { IntentRow } from './payment-intent.repository.ts';
import { parseTransactions } from './payment-intent.types.ts';

// The `data` of an intent's event: the intent as it is right after the change, in the API's
// own words (the PaymentIntent resource's keys), built from the row in hand without a query.

export interface PaidTransaction {
  id: string;
  ref: string;
  txnIndex: number;
}

const when = (ms: number | null) => (ms === null ? null : apiDate(Number(ms)));

export function intentEventData(row: IntentRow, payments: readonly PaidTransaction[] = []) {
  const paid = new Map(payments.map((p) => [p.txnIndex, p]));
  return {
    id: row.id,
    intent: row.intent,
    state: row.state,
    ...(row.payer_user_id ? { payer: { payer_info: { id: row.payer_user_id } } } : {}),
    redirect_urls: { return_url: row.return_url, cancel_url: row.cancel_url },
    total: {
      currency: { id: row.currency },
      items: toApiNumber(Number(row.items_minor)),
      shipping: toApiNumber(Number(row.shipping_minor)),
      tax: toApiNumber(Number(row.tax_minor)),
      amount: toApiNumber(Number(row.total_minor)),
    },
    transactions: parseTransactions(row.transactions_json).map((t, i) => {
      const p = paid.get(i);
      return {
        id: t.id,
        amount: { currency: { id: t.currency }, total: toApiNumber(t.totalMinor) },
        description: t.description,
        invoice_number: t.invoiceNumber,
        ...(p ? { related_resources: { [row.intent]: { id: p.id, ref: p.ref } } } : {}),
      };
    }),
    created_at: when(row.created_at),
    authorized_at: when(row.authorized_at),
    executed_at: when(row.executed_at),
    annulled_at: when(row.annulled_at),
    canceled_at: when(row.canceled_at),
  };
}

/** The event an intent's step causes, if any (an annulled request has none of its own). */
export function intentEventType(row: Pick<IntentRow, 'intent'>, step: 'authorize' | 'cancel' | 'expire' | 'execute' | 'reject' | 'annul'): EventType | undefined {
  switch (step) {
    case 'authorize': return 'sale.authorized';
    case 'cancel': return 'intent.canceled';
    case 'expire': return 'intent.expired';
    case 'execute': return row.intent === 'sale' ? 'sale.executed' : 'request.paid';
    case 'reject': return 'request.declined';
    case 'annul': return row.intent === 'sale' ? 'sale.annulled' : undefined;
  }
}
