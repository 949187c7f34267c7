import type { Ctx } from '../context.ts';
import { paginate, type PageRequest, type Paginator } from '../http/paginator.ts';
import { apiDate } from '../shared/clock.ts';
import { NotFoundError } from '../shared/errors.ts';
import { defineMessages, type Locale } from '../shared/i18n.ts';
import { formatMinor } from '../shared/money.ts';
import { countPaymentsOf, findPaymentOf, listPaymentsOf, type PaymentRow } from './payment.repository.ts';
import { paymentMethods, paymentSummary, type SummaryInput } from './payment.summary.ts';

export const paymentMsg = defineMessages({
  'payment.not_found': { es: 'El pago no existe.', en: 'The payment does not exist.' },
});

/** Who asks and in which language: the summaries are written from their side. */
export interface Viewer {
  userId: string;
  locale: Locale;
  nowMs: number;
}

export function summaryInput(p: PaymentRow): SummaryInput {
  return {
    type: Number(p.type),
    status: Number(p.status),
    amountMinor: Number(p.amount_minor),
    currency: p.currency,
    createdAtMs: Number(p.created_at),
    payerUserId: p.payer_user_id,
    payerUsername: p.payer_username,
    payerName: p.payer_name,
    recipientUsername: p.recipient_username ?? p.recipient_handle,
    recipientName: p.recipient_business ?? p.recipient_name,
  };
}

/** The payments resource of the documentation; amounts as strings with 2 decimals. */
export function serializePayment(p: PaymentRow, viewer: Viewer) {
  const s = summaryInput(p);
  return {
    id: p.id,
    created_at: apiDate(Number(p.created_at)),
    ref: p.ref,
    amount_environment_operation: formatMinor(s.amountMinor),
    amount_total: formatMinor(s.amountMinor),
    status: s.status,
    type: s.type,
    recipient: p.recipient_handle,
    user: { id: p.payer_user_id, _data: { fullname: p.payer_phone ?? p.payer_name } },
    payment_methods: paymentMethods(s, viewer.locale),
    digital_account_source: {
      id: p.source_id, created_at: apiDate(Number(p.source_created_at)), name: p.source_name,
    },
    _data: paymentSummary(s, viewer.userId, viewer.locale, viewer.nowMs),
  };
}

export type PaymentResource = ReturnType<typeof serializePayment>;

export async function findPayment(ctx: Ctx, viewer: Viewer, id: string | undefined): Promise<PaymentResource> {
  const row = id ? await findPaymentOf(ctx.store.db, viewer.userId, id) : undefined;
  if (!row) throw new NotFoundError('payment.not_found');
  return serializePayment(row, viewer);
}

export async function listPayments(ctx: Ctx, viewer: Viewer, page: PageRequest): Promise<Paginator<PaymentResource>> {
  const [total, rows] = await Promise.all([
    countPaymentsOf(ctx.store.db, viewer.userId),
    listPaymentsOf(ctx.store.db, viewer.userId, page.offset, page.maxPerPage),
  ]);
  return paginate(`${ctx.config.publicUrl}/api/payment/.json`, page, total, rows.map((r) => serializePayment(r, viewer)));
}
