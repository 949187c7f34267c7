import type { FormErrors, Shape } from '../shared/form.ts';
import { asList, doc, intOf, isAbsoluteHttpUrl, text, type Doc } from '../shared/input.ts';
import { CURRENCY, MAX_MINOR, parseMoney, formatMinor } from '../shared/money.ts';
import './payment-intent.messages.ts';

// Reads the create document (root key `paymentintent`) into plain values plus field
// errors. No database here: lookups of accounts and users happen in the service.

export const LIMITS = { transactions: 10, items: 100, distributions: 10 } as const;
const LEN = { description: 500, invoice: 127, name: 255, sku: 127, handle: 64, url: 2048, login: 64 } as const;

type Path = (string | number)[];

export interface ParsedItem { name: string; quantity: number; priceMinor: number; sku: string | null; currency: string }
export interface ParsedDistribution { handle: string; amountMinor: number; description: string }
export interface ParsedTransaction {
  totalMinor: number;
  currency: string;
  shippingMinor: number;
  taxMinor: number;
  subTotalMinor: number;
  description: string;
  invoiceNumber: string | null;
  destinationHandle: string | null;
  items: ParsedItem[];
  distributions: ParsedDistribution[];
}
export interface ParsedIntent {
  intent?: 'sale' | 'request';
  returnUrl: string;
  cancelUrl: string;
  transactions: ParsedTransaction[];
  recipient?: string;
}

export interface UrlRules {
  /** Production: https only, on the app's own domain. */
  production: boolean;
  homeUrl: string;
}

const ITEM_SHAPE = { name: null, price: null, quantity: null, sku: null, currency: null };
const DISTRIBUTION_SHAPE = { digitalAccountDestination: null, amount: null, description: null };

function moneyField(errors: FormErrors, path: Path, v: unknown, rule: 'positive' | 'non_negative'): number | undefined {
  const r = parseMoney(typeof v === 'string' ? v.trim() : v);
  if (!r.ok) {
    errors.add(path, `money.${r.reason}`);
    return undefined;
  }
  if (rule === 'positive' && r.minor <= 0) errors.add(path, 'money.must_be_positive');
  else if (rule === 'non_negative' && r.minor < 0) errors.add(path, 'money.must_not_be_negative');
  else return r.minor;
  return undefined;
}

function optionalMoney(errors: FormErrors, path: Path, v: unknown): number | undefined {
  return text(v) === undefined ? undefined : moneyField(errors, path, v, 'non_negative');
}

function textField(errors: FormErrors, path: Path, v: unknown, max: number, requiredKey?: string): string | undefined {
  const s = text(v);
  if (s === undefined) {
    if (requiredKey) errors.add(path, requiredKey);
    return undefined;
  }
  if (s.length > max) {
    errors.add(path, 'common.too_long');
    return undefined;
  }
  return s;
}

function currencyField(errors: FormErrors, path: Path, v: unknown): string {
  const c = text(v)?.toUpperCase();
  if (c !== undefined && c !== CURRENCY) errors.add(path, 'intent.currency_unsupported');
  return CURRENCY;
}

/** A bounded list; its shape has one entry per submitted element. */
function listField(errors: FormErrors, path: Path, v: unknown, max: number): Doc[] {
  if (text(v) === undefined && !Array.isArray(v) && !(typeof v === 'object' && v !== null)) return [];
  const list = asList(v);
  if (!list) {
    errors.add(path, 'common.invalid');
    return [];
  }
  if (list.length > max) {
    errors.add(path, 'intent.too_many', { max });
    return [];
  }
  return list.map(doc);
}

function parseItem(errors: FormErrors, path: Path, d: Doc): ParsedItem {
  const name = textField(errors, [...path, 'name'], d.name, LEN.name, 'intent.item_name_required') ?? '';
  const priceMinor = moneyField(errors, [...path, 'price'], d.price, 'non_negative') ?? 0;
  let quantity = 1;
  if (text(d.quantity) !== undefined) {
    const q = intOf(d.quantity);
    if (q === undefined || q < 1 || q > 1_000_000) errors.add([...path, 'quantity'], 'intent.quantity_invalid');
    else quantity = q;
  }
  if (priceMinor * quantity > MAX_MINOR) errors.add([...path, 'price'], 'money.too_large');
  const sku = textField(errors, [...path, 'sku'], d.sku, LEN.sku) ?? null;
  const currency = currencyField(errors, [...path, 'currency'], d.currency);
  return { name, quantity, priceMinor, sku, currency };
}

function parseDistribution(errors: FormErrors, path: Path, d: Doc): ParsedDistribution {
  const handle = textField(errors, [...path, 'digitalAccountDestination'], d.digitalAccountDestination, LEN.handle, 'intent.handle_required');
  const amountMinor = moneyField(errors, [...path, 'amount'], d.amount, 'positive') ?? 0;
  const description = textField(errors, [...path, 'description'], d.description, LEN.description) ?? '';
  return { handle: (handle ?? '').toLowerCase(), amountMinor, description };
}

function parseTransaction(errors: FormErrors, path: Path, d: Doc): { txn: ParsedTransaction; shape: Shape } {
  const amount = doc(d.amount);
  const details = doc(amount.details);
  const totalMinor = moneyField(errors, [...path, 'amount', 'total'], amount.total, 'positive') ?? 0;
  const currency = currencyField(errors, [...path, 'amount', 'currency'], amount.currency);
  const shippingMinor = optionalMoney(errors, [...path, 'amount', 'details', 'shipping'], details.shipping) ?? 0;
  const taxMinor = optionalMoney(errors, [...path, 'amount', 'details', 'tax'], details.tax) ?? 0;
  const subTotalGiven = optionalMoney(errors, [...path, 'amount', 'details', 'subTotal'], details.subTotal);
  const description = textField(errors, [...path, 'description'], d.description, LEN.description, 'intent.description_required') ?? '';
  const invoiceNumber = textField(errors, [...path, 'invoiceNumber'], d.invoiceNumber, LEN.invoice) ?? null;
  const destination = textField(errors, [...path, 'digitalAccountDestination'], d.digitalAccountDestination, LEN.handle);
  const itemDocs = listField(errors, [...path, 'items'], d.items, LIMITS.items);
  const items = itemDocs.map((x, i) => parseItem(errors, [...path, 'items', i], x));
  const distDocs = listField(errors, [...path, 'distributions'], d.distributions, LIMITS.distributions);
  const distributions = distDocs.map((x, i) => parseDistribution(errors, [...path, 'distributions', i], x));
  const distSum = distributions.reduce((s, x) => s + x.amountMinor, 0);
  if (totalMinor > 0 && distSum > totalMinor) {
    errors.add([...path, 'distributions'], 'intent.distributions_exceed_total', {
      sum: formatMinor(distSum), total: formatMinor(totalMinor),
    });
  }
  // Informational sub-total: when absent, the items' sum, else what the total leaves after shipping and tax.
  const itemsSum = items.reduce((s, x) => s + x.priceMinor * x.quantity, 0);
  const subTotalMinor = subTotalGiven ?? (items.length ? itemsSum : Math.max(0, totalMinor - shippingMinor - taxMinor));
  const shape: Shape = {
    amount: { total: null, currency: null, details: { shipping: null, tax: null, subTotal: null } },
    description: null,
    invoiceNumber: null,
    digitalAccountDestination: null,
    items: itemDocs.map(() => ({ ...ITEM_SHAPE })),
    distributions: distDocs.map(() => ({ ...DISTRIBUTION_SHAPE })),
  };
  return {
    txn: {
      totalMinor, currency, shippingMinor, taxMinor, subTotalMinor: Math.min(subTotalMinor, MAX_MINOR), description,
      invoiceNumber, destinationHandle: destination?.toLowerCase() ?? null, items, distributions,
    },
    shape,
  };
}

/** The registrable domain the app declared: its home-page host without a leading "www.". */
function homeHost(homeUrl: string): string | undefined {
  const u = isAbsoluteHttpUrl(homeUrl);
  return u ? u.hostname.toLowerCase().replace(/\.$/, '').replace(/^www\./, '') : undefined;
}

function urlField(errors: FormErrors, path: Path, v: unknown, requiredKey: string, rules: UrlRules): string {
  const s = textField(errors, path, v, LEN.url, requiredKey);
  if (s === undefined) return '';
  const u = isAbsoluteHttpUrl(s);
  if (!u || !u.hostname) {
    errors.add(path, 'intent.url_invalid');
    return '';
  }
  if (!rules.production) return s;
  if (u.protocol !== 'https:') errors.add(path, 'intent.url_https_required');
  const home = homeHost(rules.homeUrl);
  const host = u.hostname.toLowerCase().replace(/\.$/, '');
  if (!home || (host !== home && !host.endsWith(`.${home}`))) {
    errors.add(path, 'intent.url_foreign_host', { host: home ?? rules.homeUrl });
  }
  return s;
}

/** Parses the whole form; every problem becomes a field error, and the shape mirrors what was sent. */
export function parseIntentForm(body: unknown, errors: FormErrors, rules: UrlRules): { parsed: ParsedIntent; shape: Shape } {
  const root = doc(doc(body).paymentintent);
  const intentText = text(root.intent)?.toLowerCase();
  const intent = intentText === 'sale' || intentText === 'request' ? intentText : undefined;
  if (!intent) errors.add(['intent'], intentText === undefined ? 'common.required' : 'intent.intent_invalid');
  const urls = doc(root.redirectUrls);
  const returnUrl = urlField(errors, ['redirectUrls', 'returnUrl'], urls.returnUrl, 'intent.return_url_required', rules);
  const cancelUrl = urlField(errors, ['redirectUrls', 'cancelUrl'], urls.cancelUrl, 'intent.cancel_url_required', rules);
  const txnDocs = listField(errors, ['transactions'], root.transactions, LIMITS.transactions);
  if (txnDocs.length === 0 && !errors.has(['transactions'])) errors.add(['transactions'], 'intent.transactions_required');
  const parsedTxns = txnDocs.map((d, i) => parseTransaction(errors, ['transactions', i], d));
  const transactions = parsedTxns.map((p) => p.txn);
  const sum = transactions.reduce((s, x) => s + x.totalMinor, 0);
  if (sum > MAX_MINOR) errors.add(['transactions'], 'money.too_large');
  let recipient: string | undefined;
  if (intent === 'request') recipient = textField(errors, ['recipient'], root.recipient, LEN.login, 'intent.recipient_required');
  const shape: Shape = {
    intent: null,
    redirectUrls: { returnUrl: null, cancelUrl: null },
    transactions: parsedTxns.map((p) => p.shape),
    recipient: null,
  };
  return { parsed: { intent, returnUrl, cancelUrl, transactions, recipient }, shape };
}
