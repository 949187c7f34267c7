import { get, phpQuery, postForm, type Res } from '../helpers/http.ts';

// The requests of the PHP SDK (jeac-corp/mpandco-php-sdk), rebuilt field for field from
// its source, so a test can send exactly what the SDK sends. Guzzle `form_params` is PHP's
// http_build_query: phpQuery() renders the same bracket names.

export interface SdkTransaction {
  total: string;
  currency?: string;
  details?: { shipping?: number | string; tax?: number | string; subTotal?: number | string };
  description: string;
  invoiceNumber?: string;
  digitalAccountDestination?: string;
  items: { name: string; price: string; quantity?: number; sku?: string; currency?: string }[];
  distributions?: { digitalAccountDestination: string; amount: number | string; description: string }[];
}

export interface SdkIntent {
  intent: 'sale' | 'request';
  returnUrl: string;
  cancelUrl: string;
  transactions: SdkTransaction[];
  recipient?: string;
}

/** RoutePaymentIntent::generate (lib/Mpandco/Rest/Routes/RoutePaymentIntent.php, lines 38-110). */
export function sdkGenerateBody(pi: SdkIntent): Record<string, unknown> {
  const data: Record<string, any> = { paymentintent: { intent: pi.intent } };
  data.paymentintent.redirectUrls = { returnUrl: pi.returnUrl, cancelUrl: pi.cancelUrl };
  data.paymentintent.transactions = [];
  for (const tr of pi.transactions) {
    const t: Record<string, any> = { amount: { total: tr.total } };
    if (tr.currency) t.amount.currency = tr.currency;
    if (tr.details) {
      // Only details that are not the integer 0 are sent (`!== 0`).
      t.amount.details = {};
      if (tr.details.shipping !== 0 && tr.details.shipping !== undefined) t.amount.details.shipping = tr.details.shipping;
      if (tr.details.tax !== 0 && tr.details.tax !== undefined) t.amount.details.tax = tr.details.tax;
      if (tr.details.subTotal !== 0 && tr.details.subTotal !== undefined) t.amount.details.subTotal = tr.details.subTotal;
    }
    t.description = tr.description;
    if (tr.invoiceNumber) t.invoiceNumber = tr.invoiceNumber;
    t.items = [];
    if (tr.digitalAccountDestination) t.digitalAccountDestination = tr.digitalAccountDestination;
    for (const item of tr.items) {
      const i: Record<string, unknown> = { name: item.name, price: item.price };
      if (item.quantity) i.quantity = item.quantity;
      if (item.sku) i.sku = item.sku;
      if (item.currency) i.currency = item.currency;
      t.items.push(i);
    }
    if (tr.distributions?.length) t.distributions = tr.distributions.map((d) => ({ ...d }));
    data.paymentintent.transactions.push(t);
  }
  if (pi.recipient) data.paymentintent.recipient = pi.recipient;
  return data;
}

/** An SDK session: the urn:client_apps token (league/oauth2-client, grant ClientApps), Bearer on every call. */
export class SdkClient {
  token = '';
  constructor(private base: string, private clientId: string, private clientSecret: string) {}

  /** lib/Mpandco/Auth/Grant/ClientApps.php: grant `urn:client_apps`, url-encoded, no other parameter. */
  async authenticate(): Promise<Res> {
    const r = await postForm(`${this.base}/oauth/v2/token`, {
      grant_type: 'urn:client_apps', client_id: this.clientId, client_secret: this.clientSecret,
    });
    this.token = r.body.access_token;
    return r;
  }

  /** OAuth2Service.php line 62: `Authorization: Bearer <token>`. */
  private get auth() {
    return { authorization: `Bearer ${this.token}` };
  }

  generate(pi: SdkIntent): Promise<Res> {
    return postForm(`${this.base}/api/payment-intent/.json`, phpQuery(sdkGenerateBody(pi)), this.auth);
  }

  /** RoutePaymentIntent::get, line 125: GET api/payment-intent/show.json with query id. */
  get(id: string): Promise<Res> {
    return get(`${this.base}/api/payment-intent/show.json?id=${encodeURIComponent(id)}`, this.auth);
  }

  /** RoutePaymentIntent::executeSale, lines 137-150: posts to `_links.execute.href`; payer as given. */
  executeSale(intent: any, payer: unknown): Promise<Res> {
    const data = { payment_execution: { paymentIntent: intent.id, payer } };
    return postForm(intent._links.execute.href, phpQuery(data), this.auth);
  }

  /**
   * RoutePaymentIntent::executeRequest, lines 161-183: one entry per transaction with its id
   * and `getPayTokenToUse()` (Transaction.php line 298: the only token of that transaction).
   */
  executeRequest(intent: any, pin: string): Promise<Res> {
    const transactions = intent.transactions.map((t: any) => {
      if (!Array.isArray(t.pay_tokens)) throw new Error('Transaction::getPayTokenToUse(): payTokens is null');
      if (t.pay_tokens.length > 1) throw new Error('PayTokenRequiredException');
      return { id: t.id, payToken: t.pay_tokens[0].id };
    });
    const data = { payment_execution: { transactions, pin } };
    return postForm(intent._links.execute.href, phpQuery(data), this.auth);
  }

  /** RoutePaymentIntent::cancel, lines 192-203: posts to `_links.cancel.href`. */
  cancel(intent: any): Promise<Res> {
    const data = { cancel_payment_intent: { paymentIntent: intent.id } };
    return postForm(intent._links.cancel.href, phpQuery(data), this.auth);
  }

  /** ModelRoute::createPaginator: a GET without query. */
  paginator(path: 'api/payment-intent/.json' | 'api/payment/.json'): Promise<Res> {
    return get(`${this.base}/${path}`, this.auth);
  }
}

/** RouteSandbox.php: its published token and path for autorize.json. */
export const SDK_SANDBOX = {
  token: '83a2a1f9105f810757355a843e5579d8',
  autorize: 'bc38875a09308a2/payment-intent/autorize.json',
  behat: 'bc38875a09308a2/context/behat-steps.json',
};

/** RouteSandbox::paymentIntentAutorize: GET with query access_token and id; the JSON body decoded. */
export function sdkAutorize(base: string, id: string): Promise<Res> {
  return get(`${base}/${SDK_SANDBOX.autorize}?${phpQuery({ access_token: SDK_SANDBOX.token, id })}`);
}
