import { apiDate, DAY_MS, HOUR_MS, MINUTE_MS } from '../shared/clock.ts';
import { defineMessages, t, type Locale } from '../shared/i18n.ts';
import { formatMinor, toApiNumber } from '../shared/money.ts';
import { PAYMENT_STATUS, PAYMENT_TYPE } from './payment.types.ts';

// The human summary (`_data`) the original platform attached to a payment, which the
// WooCommerce plugin prints on its order pages: labels seen from the account asking.

const m = defineMessages({
  'summary.status_completed': { es: 'Completado', en: 'Completed' },
  'summary.status_pending': { es: 'Pendiente por recibir', en: 'Pending receipt' },
  'summary.status_reversed': { es: 'Reversado', en: 'Reversed' },
  'summary.label_sale_in': { es: 'Pago recibido de {who}', en: 'Payment received from {who}' },
  'summary.label_sale_out': { es: 'Pago enviado a {who}', en: 'Payment sent to {who}' },
  'summary.label_request_in': { es: 'Solicitud enviada a {who}', en: 'Request sent to {who}' },
  'summary.label_request_out': { es: 'Solicitud pagada a {who}', en: 'Request paid to {who}' },
  'summary.received': { es: 'Recibido: {amount}', en: 'Received: {amount}' },
  'summary.debited': { es: 'Debitado: {amount}', en: 'Debited: {amount}' },
  'summary.requested': { es: 'Monto solicitado {amount}', en: 'Amount requested {amount}' },
  'summary.account_requester': { es: 'Cuenta del solicitante', en: 'Requesting account' },
  'summary.account_sender': { es: 'Cuenta remitente', en: 'Sending account' },
  'summary.account_credited': { es: 'Cuenta abonada', en: 'Credited account' },
  'summary.title_sale_in': { es: 'Pago recibido', en: 'Payment received' },
  'summary.title_sale_out': { es: 'Dinero enviado', en: 'Money sent' },
  'summary.title_request_in': { es: 'Solicitud de pago enviada', en: 'Payment request sent' },
  'summary.title_request_out': { es: 'Solicitud de pago pagada', en: 'Payment request paid' },
  'summary.ago_now': { es: 'hace menos de un minuto', en: 'less than a minute ago' },
  'summary.ago_minutes': { es: 'hace {n} minutos', en: '{n} minutes ago' },
  'summary.ago_minute': { es: 'hace 1 minuto', en: '1 minute ago' },
  'summary.ago_hours': { es: 'hace {n} horas', en: '{n} hours ago' },
  'summary.ago_hour': { es: 'hace 1 hora', en: '1 hour ago' },
  'summary.ago_days': { es: 'hace {n} días', en: '{n} days ago' },
  'summary.ago_day': { es: 'hace 1 día', en: '1 day ago' },
  'summary.method_name': { es: 'mPandco a mPandco', en: 'mPandco a mPandco' },
  'summary.method_description': { es: 'Pago con el saldo de la cuenta mPandco.', en: 'Payment from the mPandco account balance.' },
  'summary.mode_name': { es: 'Saldo mPandco', en: 'mPandco balance' },
  'summary.item_amount': { es: 'Monto a enviar', en: 'Amount to send' },
});

const STATUS: Record<number, { key: string; color: string }> = {
  [PAYMENT_STATUS.completed]: { key: m['summary.status_completed'], color: '#388E3C' },
  [PAYMENT_STATUS.approved]: { key: m['summary.status_pending'], color: '#FFA000' },
  [PAYMENT_STATUS.canceled]: { key: m['summary.status_reversed'], color: '#D32F2F' },
};

/** What a summary needs of a payment. */
export interface SummaryInput {
  type: number;
  status: number;
  amountMinor: number;
  currency: string;
  createdAtMs: number;
  payerUserId: string;
  payerUsername: string;
  payerName: string;
  recipientUsername: string | null;
  recipientName: string | null;
}

/** "hace 5 minutos": how long ago, in words. */
export function timeAgo(ms: number, nowMs: number, locale: Locale): string {
  const d = Math.max(0, nowMs - ms);
  const count = (n: number, one: string, many: string) => (n === 1 ? t(locale, one) : t(locale, many, { n }));
  if (d < MINUTE_MS) return t(locale, m['summary.ago_now']);
  if (d < HOUR_MS) return count(Math.floor(d / MINUTE_MS), m['summary.ago_minute'], m['summary.ago_minutes']);
  if (d < DAY_MS) return count(Math.floor(d / HOUR_MS), m['summary.ago_hour'], m['summary.ago_hours']);
  return count(Math.floor(d / DAY_MS), m['summary.ago_day'], m['summary.ago_days']);
}

/** "1.234,50 VES" in Spanish, "1,234.50 VES" in English. */
function amountText(minor: number, currency: string, locale: Locale): string {
  const [w, c] = formatMinor(minor).split('.');
  const grouped = w.replace(/\B(?=(\d{3})+(?!\d))/g, locale === 'es' ? '.' : ',');
  return `${grouped}${locale === 'es' ? ',' : '.'}${c} ${currency}`;
}

/** The `_data` of a payment as seen by `viewerUserId` (its payer or its receiver). */
export function paymentSummary(p: SummaryInput, viewerUserId: string, locale: Locale, nowMs: number) {
  const outgoing = p.payerUserId === viewerUserId;
  const kind = `${p.type === PAYMENT_TYPE.request ? 'request' : 'sale'}_${outgoing ? 'out' : 'in'}`;
  const other = outgoing ? (p.recipientUsername ?? p.recipientName ?? '') : p.payerUsername;
  const amount = amountText(p.amountMinor, p.currency, locale);
  const status = STATUS[p.status] ?? STATUS[PAYMENT_STATUS.completed];
  const isRequestIn = kind === 'request_in';
  return {
    summary_1: t(locale, outgoing ? m['summary.debited'] : m['summary.received'], { amount }),
    summary_2: isRequestIn ? t(locale, m['summary.requested'], { amount }) : amount,
    summary_3: t(locale, isRequestIn ? m['summary.account_requester'] : outgoing ? m['summary.account_sender'] : m['summary.account_credited']),
    summary_4: t(locale, isRequestIn || !outgoing ? m['summary.account_sender'] : m['summary.account_credited']),
    summary_5: t(locale, `summary.title_${kind}`),
    summary_status_color: status.color,
    username: other,
    user_from: p.payerName,
    // The fee this operation charged the account asking: the platform charges none on payments.
    amount: 0,
    status: t(locale, status.key),
    type_payment_label: t(locale, `summary.label_${kind}`, { who: other }),
    summary_amount: { summary_1: formatMinor(p.amountMinor), summary_2: formatMinor(p.amountMinor) },
    created_at: timeAgo(p.createdAtMs, nowMs, locale),
    external_platform: 'mPandco',
    external_id: null,
  };
}

// The single operation method of a payment between two mPandco accounts, with a fixed id.
const METHOD_ID = '8d1f1c52-5b0e-4a53-9a3c-6d0a8f2e7b10';
const METHOD_SINCE = apiDate(Date.UTC(2026, 0, 1, 4, 0, 0));

/** `payment_methods` of the documentation's payment: one method, one item. */
export function paymentMethods(p: SummaryInput, locale: Locale) {
  const created = apiDate(p.createdAtMs);
  const amount = toApiNumber(p.amountMinor);
  return [{
    created_at: created,
    operation_method: {
      id: METHOD_ID,
      created_at: METHOD_SINCE,
      name: t(locale, m['summary.method_name']),
      description: t(locale, m['summary.method_description']),
      icon: 'mp-mpandco-mpandco',
      item_order: 1000,
      mode_operation: { id: 'balance_mpandco', created_at: METHOD_SINCE, name: t(locale, m['summary.mode_name']) },
      childs: [],
      mode_form: 'SENDING',
      external_platform: 'MPANDCO',
    },
    amount_environment_operation: amount,
    amount_total: amount,
    item_operations: [{ created_at: created, description: t(locale, m['summary.item_amount']), amount }],
  }];
}
