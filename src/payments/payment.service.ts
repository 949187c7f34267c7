import type { Ctx } from '../context.ts';
import { paginate, type PageRequest, type Paginator } from '../http/paginator.ts';
import { apiDate } from '../shared/clock.ts';
import { NotFoundError } from '../shared/errors.ts';
import { defineMessages } from '../shared/i18n.ts';
import { formatMinor } from '../shared/money.ts';
import { countPaymentsOf, findPaymentOf, listPaymentsOf, type PaymentRow } from './payment.repository.ts';

export const paymentMsg = defineMessages({
  'payment.not_found': { es: 'El pago no existe.', en: 'The payment does not exist.' },
});

/** The payments resource of api.md; amount_total is a string with 2 decimals. */
export function serializePayment(p: PaymentRow) {
  return {
    id: p.id,
    created_at: apiDate(Number(p.created_at)),
    ref: p.ref,
    amount_total: formatMinor(Number(p.amount_minor)),
    status: Number(p.status),
    type: Number(p.type),
    recipient: p.recipient_handle,
    user: { id: p.payer_user_id, _data: { fullname: p.payer_phone ?? p.payer_name } },
    digital_account_source: {
      id: p.source_id, created_at: apiDate(Number(p.source_created_at)), name: p.source_name,
    },
  };
}

export type PaymentResource = ReturnType<typeof serializePayment>;

export async function findPayment(ctx: Ctx, userId: string, id: string | undefined): Promise<PaymentResource> {
  const row = id ? await findPaymentOf(ctx.store.db, userId, id) : undefined;
  if (!row) throw new NotFoundError('payment.not_found');
  return serializePayment(row);
}

export async function listPayments(ctx: Ctx, userId: string, page: PageRequest): Promise<Paginator<PaymentResource>> {
  const [total, rows] = await Promise.all([
    countPaymentsOf(ctx.store.db, userId),
    listPaymentsOf(ctx.store.db, userId, page.offset, page.maxPerPage),
  ]);
  return paginate(`${ctx.config.publicUrl}/api/payment/.json`, page, total, rows.map(serializePayment));
}
