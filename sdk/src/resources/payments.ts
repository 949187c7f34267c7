import type { RequestOptions } from '../client.js';
import { query } from '../form.js';
import { ROUTES } from '../routes.js';
import type { PageParams, Paginator, Payment, Profile as ProfileDoc } from '../types.js';
import { idOf, type Caller, type IdOf } from './common.js';

/** Payments: the movements the account sent or received. */
export class Payments {
  constructor(private readonly client: Caller) {}

  /** `GET /api/payment/.json`: newest first. */
  list(params: PageParams = {}, options?: RequestOptions): Promise<Paginator<Payment>> {
    return this.client.request({ route: ROUTES.listPayments, query: query({ ...params }), options });
  }

  /** `GET /api/payment/find.json?id=`: a payment by its id (`related_resources.sale.id` of an executed intent). */
  find(payment: IdOf, options?: RequestOptions): Promise<Payment> {
    return this.client.request({ route: ROUTES.findPayment, query: query({ id: idOf(payment) }), options });
  }
}

export class Profile {
  constructor(private readonly client: Caller) {}

  /** `GET /api/user/profile.json`: the calling account, with its digital accounts and balances. */
  get(options?: RequestOptions): Promise<ProfileDoc> {
    return this.client.request({ route: ROUTES.profile, options });
  }
}
