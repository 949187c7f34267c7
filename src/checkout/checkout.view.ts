import { parseTransactions } from '../payment-intents/payment-intent.types.ts';
import type { PageIntent } from './checkout.repository.ts';
import { displayHost } from './checkout.urls.ts';

// What the approval page shows of an intent: plain data, amounts in minor units.

export interface MerchantView {
  appId: string;
  appName: string;
  legalName: string;
  host: string;
  hasLogo: boolean;
  monogram: string;
  hue: number;
}

export interface LineView {
  name: string;
  quantity: number;
  priceMinor: number;
  /** null when price × quantity would leave the safe integer range. */
  lineMinor: number | null;
}

export interface TransactionView {
  description: string;
  invoiceNumber: string | null;
  items: LineView[];
}

export interface OrderView {
  transactions: TransactionView[];
  itemsMinor: number;
  shippingMinor: number;
  taxMinor: number;
  totalMinor: number;
}

/** Up to two initials of the app's name, for apps without a logo. */
export function monogramOf(name: string): string {
  const words = name.trim().split(/[\s._-]+/).filter((w) => /[\p{L}\p{N}]/u.test(w));
  const initials = words.slice(0, 2).map((w) => Array.from(w.replace(/^[^\p{L}\p{N}]+/u, ''))[0] ?? '');
  const out = initials.join('').toLocaleUpperCase('es');
  return out || '?';
}

/** A stable colour per name, so a merchant's monogram always looks the same. */
export function hueOf(name: string): number {
  let h = 0;
  for (const ch of name) h = (h * 31 + (ch.codePointAt(0) ?? 0)) % 360;
  return h;
}

export function merchantView(i: Pick<PageIntent, 'app_id' | 'app_name' | 'business_name' | 'full_name' | 'home_url' | 'has_logo'>): MerchantView {
  return {
    appId: i.app_id,
    appName: i.app_name,
    legalName: i.business_name ?? i.full_name,
    host: displayHost(i.home_url),
    hasLogo: Number(i.has_logo) === 1,
    monogram: monogramOf(i.app_name),
    hue: hueOf(i.app_name),
  };
}

export function orderView(i: PageIntent): OrderView {
  const transactions = parseTransactions(i.transactions_json).map((t) => ({
    description: t.description,
    invoiceNumber: t.invoiceNumber,
    items: (t.items ?? []).map((it) => {
      const line = it.priceMinor * it.quantity;
      return { name: it.name, quantity: it.quantity, priceMinor: it.priceMinor, lineMinor: Number.isSafeInteger(line) ? line : null };
    }),
  }));
  return {
    transactions,
    itemsMinor: Number(i.items_minor),
    shippingMinor: Number(i.shipping_minor),
    taxMinor: Number(i.tax_minor),
    totalMinor: Number(i.total_minor),
  };
}
