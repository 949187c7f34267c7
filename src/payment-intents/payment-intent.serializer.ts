import type { Ctx } from '../context.ts';
import { prepared } from '../db/prepared.ts';
import type { ReadDb } from '../db/store.ts';
import { paymentsOfIntents } from '../payments/payment.repository.ts';
import { summaryInput } from '../payments/payment.service.ts';
import { paymentSummary } from '../payments/payment.summary.ts';
import type { Locale } from '../shared/i18n.ts';
import { currencyResource as currency, toApiNumber } from '../shared/money.ts';
import type { IntentRow } from './payment-intent.repository.ts';
import { canAnnul, effectiveState } from './payment-intent.state.ts';
import { merchantNow } from '../test-mode/test-clock.ts';
import { parseTransactions, type StoredTransaction } from './payment-intent.types.ts';
import { PAYMENT_STATUS, PAYMENT_TYPE } from '../payments/payment.types.ts';
import type { ExecutedSale } from './execute-sale.service.ts';

// The PaymentIntent resource exactly as api.md shows it: snake_case keys, JSON numbers
// for amounts, absolute links from the environment's public URL.

type Db = ReadDb;
type Related = { id: string; ref: string; _data: ReturnType<typeof paymentSummary> };

interface Extras {
  payers: Map<string, { id: string; phone: string | null; full_name: string }>;
  payments: Map<string, Map<number, Related>>;
  history: Map<string, { uri: string; method: string; status_code: number | null; body: string }[]>;
  payTokens: Map<string, { id: string; _data: { name: string } }[]>;
}


const payersById = prepared((db, ids: string[]) => db.selectFrom('users').select(['id', 'phone', 'full_name']).where('id', 'in', ids));
const attemptsOfIntents = prepared((db, ids: string[]) => db.selectFrom('callback_attempts')
  .select(['intent_id', 'uri', 'method', 'status_code', 'body']).where('intent_id', 'in', ids).orderBy('id'));

async function loadExtras(db: Db, rows: IntentRow[], locale: Locale, nowMs: number): Promise<Extras> {
  const ids = rows.map((r) => r.id);
  const payerIds = [...new Set(rows.map((r) => r.payer_user_id).filter((x): x is string => !!x))];
  const recipientIds = [...new Set(rows.filter((r) => r.intent === 'request' && r.recipient_user_id).map((r) => r.recipient_user_id!))];
  const extras: Extras = { payers: new Map(), payments: new Map(), history: new Map(), payTokens: new Map() };
  if (ids.length === 0) return extras;
  // Only ask for what can exist: payments once executed or annulled.
  const paidIds = rows.filter((r) => r.state === 'executed' || r.state === 'annulled').map((r) => r.id);
  // Only requests have callbacks (a sale's history is always empty).
  const requestIds = rows.filter((r) => r.intent === 'request').map((r) => r.id);
  const [payers, payments, attempts, wallets] = await Promise.all([
    payerIds.length ? payersById(db, payerIds) : [],
    paidIds.length ? paymentsOfIntents(db, paidIds) : [],
    requestIds.length ? attemptsOfIntents(db, requestIds) : [],
    recipientIds.length
      ? db.selectFrom('digital_accounts as a').innerJoin('users as u', 'u.id', 'a.user_id')
        .select(['a.id', 'a.user_id', 'u.document', 'u.full_name', 'u.business_name'])
        .where('a.user_id', 'in', recipientIds).where('a.kind', '=', 'wallet')
        .orderBy('a.created_at').orderBy('a.id').execute()
      : [],
  ]);
  for (const p of payers) extras.payers.set(p.id, p);
  const owners = new Map(rows.map((r) => [r.id, r.owner_user_id]));
  for (const p of payments) {
    const m = extras.payments.get(p.intent_id!) ?? new Map<number, Related>();
    const _data = paymentSummary(summaryInput(p), owners.get(p.intent_id!) ?? '', locale, nowMs);
    m.set(Number(p.txn_index), { id: p.id, ref: p.ref, _data });
    extras.payments.set(p.intent_id!, m);
  }
  for (const a of attempts) {
    const list = extras.history.get(a.intent_id) ?? [];
    list.push({ uri: a.uri, method: a.method, status_code: a.status_code === null ? null : Number(a.status_code), body: a.body });
    extras.history.set(a.intent_id, list);
  }
  for (const w of wallets) {
    const list = extras.payTokens.get(w.user_id!) ?? [];
    list.push({ id: w.id, _data: { name: `${w.document ?? ''}-${w.business_name ?? w.full_name}` } });
    extras.payTokens.set(w.user_id!, list);
  }
  return extras;
}

function transaction(t: StoredTransaction, index: number, intent: IntentRow, extras: Extras, executed: boolean) {
  const related = extras.payments.get(intent.id)?.get(index);
  return {
    id: t.id,
    amount: {
      currency: currency(t.currency),
      total: toApiNumber(t.totalMinor),
      details: { shipping: toApiNumber(t.shippingMinor), tax: toApiNumber(t.taxMinor), sub_total: toApiNumber(t.subTotalMinor) },
    },
    items: t.items.map((i) => ({
      name: i.name, quantity: i.quantity, currency: currency(i.currency), sku: i.sku, price: toApiNumber(i.priceMinor),
    })),
    description: t.description,
    invoice_number: t.invoiceNumber,
    digital_account_destination: { username: t.destinationHandle },
    ...(related ? { related_resources: { [intent.intent]: related } } : {}),
    // The PHP SDK reads pay tokens per transaction (and fails without them on a request).
    ...(intent.intent === 'request' ? { pay_tokens: extras.payTokens.get(intent.recipient_user_id ?? '') ?? [] } : {}),
    distributions: t.distributions.map((d) => ({
      state: executed ? (intent.state === 'annulled' ? 'canceled' : 'completed') : 'pending',
      digital_account_destination: { username: d.handle },
      amount: toApiNumber(d.amountMinor),
      description: d.description,
    })),
  };
}

function links(ctx: Ctx, row: IntentRow, nowMs: number) {
  const base = ctx.config.publicUrl;
  const id = encodeURIComponent(row.id);
  return {
    self: { href: `${base}/api/payment-intent/show.json?id=${id}`, method: 'GET' },
    execute: { href: `${base}/api/payment-intent/execute/${row.intent}.json?id=${id}`, method: 'POST' },
    ...(row.intent === 'sale' ? { approval_url: { href: `${base}/p/express-checkout/${id}/1`, method: 'GET' } } : {}),
    ...(canAnnul(row, nowMs) ? { cancel: { href: `${base}/api/payment-intent/cancel.json`, method: 'POST' } } : {}),
  };
}

function resource(ctx: Ctx, row: IntentRow, extras: Extras, nowMs: number) {
  const payer = row.payer_user_id ? extras.payers.get(row.payer_user_id) : undefined;
  const executed = row.state === 'executed' || row.state === 'annulled';
  return {
    id: row.id,
    intent: row.intent,
    state: effectiveState(row, nowMs),
    ...(payer ? { payer: { payer_info: { id: payer.id, _data: { fullname: payer.phone ?? payer.full_name } } } } : {}),
    redirect_urls: {
      return_url: row.return_url,
      cancel_url: row.cancel_url,
      history_responses: extras.history.get(row.id) ?? [],
    },
    total: {
      currency: currency(row.currency),
      items: toApiNumber(Number(row.items_minor)),
      shipping: toApiNumber(Number(row.shipping_minor)),
      tax: toApiNumber(Number(row.tax_minor)),
      amount: toApiNumber(Number(row.total_minor)),
    },
    transactions: parseTransactions(row.transactions_json).map((t, i) => transaction(t, i, row, extras, executed)),
    ...(row.intent === 'request' ? { pay_tokens: extras.payTokens.get(row.recipient_user_id ?? '') ?? [] } : {}),
    _links: links(ctx, row, nowMs),
  };
}

export type PaymentIntentResource = ReturnType<typeof resource>;

/**
 * Serializes intents of one merchant, at its time, with a fixed number of queries, whatever
 * their count. `nowMs`, when the caller already knows the merchant's time, saves reading it.
 */
export async function serializeIntents(ctx: Ctx, db: Db, rows: IntentRow[], locale: Locale, nowMs?: number): Promise<PaymentIntentResource[]> {
  const now = nowMs ?? (rows.length ? await merchantNow(ctx, rows[0].owner_user_id, db) : ctx.clock.now());
  const extras = await loadExtras(db, rows, locale, now);
  return rows.map((r) => resource(ctx, r, extras, now));
}

export async function serializeIntent(ctx: Ctx, db: Db, row: IntentRow, locale: Locale, nowMs?: number): Promise<PaymentIntentResource> {
  const [r] = await serializeIntents(ctx, db, [row], locale, nowMs);
  return r;
}

/**
 * The answer to an executed sale from what the execution wrote and read, with no query: the
 * same resource show.json gives right after (a test holds them equal). A sale has no
 * callbacks (only requests do), so its history is empty.
 */
export function serializeExecutedSale(ctx: Ctx, sale: ExecutedSale, locale: Locale): PaymentIntentResource {
  const { row, payer, payee, nowMs } = sale;
  const txns = parseTransactions(row.transactions_json);
  const related = new Map<number, Related>();
  for (const p of sale.payments) {
    const t = txns[p.txnIndex];
    const _data = paymentSummary({
      type: PAYMENT_TYPE.sale, status: PAYMENT_STATUS.completed, amountMinor: t.totalMinor, currency: t.currency, createdAtMs: nowMs,
      payerUserId: payer.id, payerUsername: payer.username, payerName: payer.full_name,
      recipientUsername: payee.username, recipientName: payee.business_name ?? payee.full_name,
    }, row.owner_user_id, locale, nowMs);
    related.set(p.txnIndex, { id: p.id, ref: p.ref, _data });
  }
  const extras: Extras = {
    payers: new Map([[payer.id, { id: payer.id, phone: payer.phone, full_name: payer.full_name }]]),
    payments: new Map([[row.id, related]]),
    history: new Map(),
    payTokens: new Map(),
  };
  return resource(ctx, row, extras, nowMs);
}
