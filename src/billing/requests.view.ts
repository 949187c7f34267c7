import { hueOf, monogramOf } from '../checkout/checkout.view.ts';
import { displayHost } from '../checkout/checkout.urls.ts';
import type { IntentState } from '../db/schema.ts';
import { effectiveState } from '../payment-intents/payment-intent.state.ts';
import { parseTransactions } from '../payment-intents/payment-intent.types.ts';
import type { RequestWithMerchant } from './requests.repository.ts';

// What the wallet shows of a payment request: plain data, amounts in minor units.

export interface RequestView {
  id: string;
  merchant: { appId: string; appName: string; legalName: string; host: string; hasLogo: boolean; monogram: string; hue: number };
  transactions: {
    description: string;
    invoiceNumber: string | null;
    items: { name: string; quantity: number; priceMinor: number; lineMinor: number | null }[];
  }[];
  totalMinor: number;
  itemsMinor: number;
  shippingMinor: number;
  taxMinor: number;
  state: IntentState;
  createdAt: number;
  expiresAt: number | null;
}

export function requestView(r: RequestWithMerchant, nowMs: number): RequestView {
  return {
    id: r.id,
    merchant: {
      appId: r.app_id, appName: r.app_name, legalName: r.business_name ?? r.full_name, host: displayHost(r.home_url),
      hasLogo: Number(r.has_logo) === 1, monogram: monogramOf(r.app_name), hue: hueOf(r.app_name),
    },
    transactions: parseTransactions(r.transactions_json).map((x) => ({
      description: x.description,
      invoiceNumber: x.invoiceNumber,
      items: (x.items ?? []).map((i) => {
        const line = i.priceMinor * i.quantity;
        return { name: i.name, quantity: i.quantity, priceMinor: i.priceMinor, lineMinor: Number.isSafeInteger(line) ? line : null };
      }),
    })),
    totalMinor: Number(r.total_minor),
    itemsMinor: Number(r.items_minor),
    shippingMinor: Number(r.shipping_minor),
    taxMinor: Number(r.tax_minor),
    state: effectiveState(r, nowMs),
    createdAt: Number(r.created_at),
    expiresAt: r.expires_at === null ? null : Number(r.expires_at),
  };
}

