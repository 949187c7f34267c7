import type { Ctx } from '../../src/context.ts';
import type { IntentState } from '../../src/db/schema.ts';
import type { StoredTransaction } from '../../src/payment-intents/payment-intent.types.ts';
import { HOUR_MS } from '../../src/shared/clock.ts';
import { newId } from '../../src/shared/ids.ts';
import type { MerchantCreds } from '../../src/sandbox/demo.ts';

export interface IntentOptions {
  intent?: 'sale' | 'request';
  state?: IntentState;
  returnUrl?: string;
  cancelUrl?: string;
  expiresAt?: number | null;
}

/** Inserts a sale the way the API stores one: 2 × Bs. 10,00 + Bs. 2,00 shipping + Bs. 1,50 tax = Bs. 23,50. */
export async function insertSale(ctx: Ctx, m: MerchantCreds, o: IntentOptions = {}): Promise<string> {
  const account = await ctx.store.db.selectFrom('digital_accounts').select('id')
    .where('handle', '=', m.digital_account).executeTakeFirstOrThrow();
  const now = ctx.clock.now();
  const id = newId();
  const txn: StoredTransaction = {
    id: newId(), totalMinor: 23_50, currency: 'VES', shippingMinor: 2_00, taxMinor: 1_50, subTotalMinor: 20_00,
    description: 'Compra en http://shop.test- orden #1042', invoiceNumber: 'order1042',
    destinationAccountId: account.id, destinationHandle: m.digital_account,
    items: [{ name: 'Harina PAN 1kg', quantity: 2, priceMinor: 10_00, sku: null, currency: 'VES' }],
    distributions: [],
  };
  await ctx.store.autocommit.insertInto('payment_intents').values({
    id, app_id: m.app_id, owner_user_id: m.user_id, intent: o.intent ?? 'sale', state: o.state ?? 'created',
    payer_user_id: null, recipient_user_id: null,
    return_url: o.returnUrl ?? 'http://shop.test/checkout/order-received/1042/?utm_nooverride=1',
    cancel_url: o.cancelUrl ?? 'http://shop.test/cart/?cancel_order=true',
    currency: 'VES', total_minor: 23_50, items_minor: 20_00, shipping_minor: 2_00, tax_minor: 1_50,
    transactions_json: JSON.stringify([txn]), created_at: now, authorized_at: null, executed_at: null,
    annulled_at: null, canceled_at: null, expires_at: o.expiresAt === undefined ? now + 72 * HOUR_MS : o.expiresAt,
  }).execute();
  return id;
}

export async function intentRow(ctx: Ctx, id: string) {
  return ctx.store.db.selectFrom('payment_intents').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

export const checkoutPath = (id: string) => `/p/express-checkout/${id}/1`;

/** A tiny valid PNG (1×1, opaque green), enough for the logo route. */
export const TINY_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
