import type { RequestOptions } from '../client.js';
import { query } from '../form.js';
import { ROUTES } from '../routes.js';
import type { BillingRequestInput, PageParams, Paginator, Payer, PaymentIntent, PaymentIntentInput } from '../types.js';
import { idOf, type Caller, type IdOf } from './common.js';

/** Payment intents: the payment button (sales) and what every intent shares. */
export class PaymentIntents {
  constructor(private readonly client: Caller) {}

  /** `POST /api/payment-intent/.json`: a sale (payment button) or a request (billing API), in state `created`. */
  create(params: PaymentIntentInput, options?: RequestOptions): Promise<PaymentIntent> {
    return this.client.request({ route: ROUTES.createIntent, body: { paymentintent: params }, options });
  }

  /** `GET /api/payment-intent/.json`: the account's intents, newest first. */
  list(params: PageParams = {}, options?: RequestOptions): Promise<Paginator<PaymentIntent>> {
    return this.client.request({ route: ROUTES.listIntents, query: query({ ...params }), options });
  }

  /** `GET /api/payment-intent/show.json?id=`: one intent of the account. */
  show(intent: IdOf, options?: RequestOptions): Promise<PaymentIntent> {
    return this.client.request({ route: ROUTES.showIntent, query: query({ id: idOf(intent) }), options });
  }

  /**
   * `POST /api/payment-intent/execute/sale.json`: charges an authorized sale. `payer` is the
   * `payerId` the return URL received, or the intent's `payer` object.
   */
  execute(intent: IdOf, params: { payer: string | Payer }, options?: RequestOptions): Promise<PaymentIntent> {
    const id = idOf(intent);
    return this.client.request({
      route: ROUTES.executeSale, query: query({ id }), body: { payment_execution: { paymentIntent: id, payer: params.payer } }, options,
    });
  }

  /**
   * `POST /api/payment-intent/cancel.json`: annuls an executed sale or request within 24 hours
   * of its execution; every movement is reversed.
   */
  annul(intent: IdOf, options?: RequestOptions): Promise<PaymentIntent> {
    return this.client.request({ route: ROUTES.annul, body: { cancel_payment_intent: { paymentIntent: idOf(intent) } }, options });
  }
}

/** Billing requests: the merchant asks a known payer, who pays at the cashier with a PIN or in the wallet. */
export class Billing {
  constructor(private readonly client: Caller) {}

  /** `POST /api/payment-intent/request.json`: a request to `recipient` (username, phone or identity document). */
  request(params: BillingRequestInput, options?: RequestOptions): Promise<PaymentIntent> {
    return this.client.request({ route: ROUTES.createRequest, body: { paymentintent: { intent: 'request', ...params } }, options });
  }

  /**
   * `POST /api/payment-intent/execute/request.json`: the customer pays at the cashier with one
   * of the request's `pay_tokens` and their 4-digit operations PIN. Without `payToken`, the
   * intent's first pay token (pass the intent itself).
   */
  pay(intent: IdOf | PaymentIntent, params: { pin: string; payToken?: string }, options?: RequestOptions): Promise<PaymentIntent> {
    const id = idOf(intent);
    const payToken = params.payToken ?? (typeof intent === 'object' && 'pay_tokens' in intent ? intent.pay_tokens?.[0]?.id : undefined);
    if (!payToken) throw new TypeError('billing.pay: give payToken, or the intent with its pay_tokens');
    return this.client.request({
      route: ROUTES.executeRequest, query: query({ id }), body: { payment_execution: { paymentIntent: id, payToken, pin: params.pin } }, options,
    });
  }
}
