import type { RequestOptions } from '../client.js';
import { query } from '../form.js';
import { ROUTES } from '../routes.js';
import type { PageParams, Paginator, PayoutBatch, PayoutBatchWithItems, PayoutItemInput, PayoutType, RegisteredPayoutItem } from '../types.js';
import { idOf, type Caller, type IdOf } from './common.js';

/** Mass payouts ("dispersion") to Venezuelan bank accounts, in batches. */
export class Payouts {
  constructor(private readonly client: Caller) {}

  /**
   * `POST /api/multipayment/register-item.json?type=`: adds an item to the account's batch of
   * that type that is pending to load (opened when there is none). `DISPERSION` settles in
   * 24 hours, `DISPERSION_INSTANT_INTERBANK` at once.
   */
  registerItem(item: PayoutItemInput, params: { type: PayoutType }, options?: RequestOptions): Promise<RegisteredPayoutItem> {
    return this.client.request({ route: ROUTES.registerPayoutItem, query: query({ type: params.type }), body: { multi_payment_item: item }, options });
  }

  /** `GET /api/multipayment/.json`: the account's batches, newest first. */
  list(params: PageParams = {}, options?: RequestOptions): Promise<Paginator<PayoutBatch>> {
    return this.client.request({ route: ROUTES.listPayoutBatches, query: query({ ...params }), options });
  }

  /** `GET /api/multipayment/show.json?id=`: one batch with its items. */
  show(batch: IdOf, options?: RequestOptions): Promise<PayoutBatchWithItems> {
    return this.client.request({ route: ROUTES.showPayoutBatch, query: query({ id: idOf(batch) }), options });
  }

  /** `POST /api/multipayment/submit.json?id=`: debits the total plus fees once and sends the batch. */
  submit(batch: IdOf, options?: RequestOptions): Promise<PayoutBatchWithItems> {
    return this.client.request({ route: ROUTES.submitPayoutBatch, query: query({ id: idOf(batch) }), options });
  }

  /** The batch of that type still open to new items, if there is one (newest pages first). */
  async pending(type: PayoutType, options?: RequestOptions): Promise<PayoutBatch | undefined> {
    for (let page = 1; ; page++) {
      const p = await this.list({ page, maxPerPage: 100 }, options);
      const found = p.data.find((b) => b.type === type && b.status === 'PENDING_LOAD');
      if (found || !p.links.next) return found;
    }
  }
}
