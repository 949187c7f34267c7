import type { RequestOptions } from '../client.js';
import { query } from '../form.js';
import type { PaymentIntent } from '../types.js';
import { idOf, type Caller, type IdOf } from './common.js';

/** The secrets of the sandbox helpers that a developer's own sandbox (`npm start`) answers. */
export const PUBLISHED_SANDBOX = { path: 'bc38875a09308a2', autorizeToken: '83a2a1f9105f810757355a843e5579d8' } as const;

export interface AuthorizeParams {
  /** Approve as this sandbox person (username or payer id) instead of the sandbox's own tester. */
  payer?: string;
  /** That person's operations PIN: their consent. */
  pin?: string;
  /** The sandbox's secret path and `autorize.json` token, printed by the server at start. */
  path?: string;
  token?: string;
}

/** Helpers only the sandbox serves; production answers them 404. */
export class Sandbox {
  constructor(private readonly client: Caller) {}

  /**
   * Approves a sale as if a customer had clicked "Autorizar" on the checkout page
   * (`GET /{path}/payment-intent/autorize.json`). The intent comes back `authorized`, with its
   * `payer`, ready for `paymentIntents.execute`.
   */
  authorize(intent: IdOf, params: AuthorizeParams = {}, options?: RequestOptions): Promise<PaymentIntent> {
    const path = params.path ?? PUBLISHED_SANDBOX.path;
    return this.client.request({
      route: { method: 'GET', path: `/${encodeURIComponent(path)}/payment-intent/autorize.json` },
      query: query({ access_token: params.token ?? PUBLISHED_SANDBOX.autorizeToken, id: idOf(intent), payer: params.payer, pin: params.pin }),
      anonymous: true, options,
    });
  }
}
