import { Type } from 'typebox';
import { apiSchema, Currency, Form, IdQuery, List, MoneyIn, Nullable, PageQuery, Paginator, Scalar } from '../http/schema.ts';
import { intentExample, pageOf } from '../docs/examples.ts';
import { PaymentSummary } from '../payments/payment.schema.ts';

// The payment intent's contract: what clients send (camelCase, loosely typed, as the PHP
// SDK, the WooCommerce plugin and curl -F send it) and what they read back (snake_case).

const Item = Type.Object({
  name: Scalar({ examples: ['Harina PAN 1kg'] }), price: MoneyIn, quantity: Type.Optional(Scalar({ examples: ['2'] })),
  sku: Type.Optional(Scalar()), currency: Type.Optional(Scalar({ examples: ['VES'] })),
}, { additionalProperties: true });

const Distribution = Type.Object({
  digitalAccountDestination: Scalar({ description: 'A digital account authorized for distributions on this app' }),
  amount: MoneyIn, description: Scalar(),
}, { additionalProperties: true });

const TransactionIn = Type.Object({
  amount: Type.Object({
    total: MoneyIn,
    currency: Type.Optional(Scalar({ description: 'VES (default)' })),
    details: Type.Optional(Type.Object({
      shipping: Type.Optional(MoneyIn), tax: Type.Optional(MoneyIn), subTotal: Type.Optional(MoneyIn),
    }, { additionalProperties: true })),
  }, { additionalProperties: true }),
  description: Scalar({ examples: ['Orden 1042'] }),
  invoiceNumber: Type.Optional(Scalar({ examples: ['F00015'] })),
  digitalAccountDestination: Type.Optional(Scalar({ description: "One of the merchant's digital accounts; default: the app's receiving account" })),
  items: Type.Optional(List(Item)),
  distributions: Type.Optional(List(Distribution, 'After execution, this part of the funds moves on to that account')),
}, { additionalProperties: true });

export const CreateIntentBody = Form('paymentintent', Type.Object({
  intent: Scalar({ description: 'sale (payment button) or request (billing API)', examples: ['sale'] }),
  redirectUrls: Type.Object({
    returnUrl: Scalar({ examples: ['https://shop.example/ok?cart=9'] }),
    cancelUrl: Scalar({ examples: ['https://shop.example/ko?cart=9'] }),
  }, { additionalProperties: true }),
  transactions: List(TransactionIn),
  recipient: Type.Optional(Scalar({ description: 'request only: the payer by username, phone (584120000010) or document (V19123456)' })),
}, { additionalProperties: true }));

const Link = (method: string) => Type.Object({ href: Type.String(), method: Type.Literal(method) });
const Related = Type.Object({ id: Type.String(), ref: Type.String(), _data: PaymentSummary });
const PayToken = Type.Object({ id: Type.String(), _data: Type.Object({ name: Type.String() }) });

const Transaction = Type.Object({
  id: Type.String(),
  amount: Type.Object({
    currency: Currency, total: Type.Number(),
    details: Type.Object({ shipping: Type.Number(), tax: Type.Number(), sub_total: Type.Number() }),
  }),
  items: Type.Array(Type.Object({
    name: Type.String(), quantity: Type.Integer(), currency: Currency, sku: Nullable(Type.String()), price: Type.Number(),
  })),
  description: Type.String(),
  invoice_number: Nullable(Type.String()),
  digital_account_destination: Type.Object({ username: Type.String() }),
  related_resources: Type.Optional(Type.Object({ sale: Type.Optional(Related), request: Type.Optional(Related) })),
  pay_tokens: Type.Optional(Type.Array(PayToken)),
  distributions: Type.Array(Type.Object({
    state: Type.String(), digital_account_destination: Type.Object({ username: Type.String() }),
    amount: Type.Number(), description: Type.String(),
  })),
});

export const PaymentIntent = Type.Object({
  id: Type.String(),
  intent: Type.String({ enum: ['sale', 'request'] }),
  state: Type.String({ enum: ['created', 'authorized', 'executed', 'annulled', 'canceled', 'rejected'] }),
  payer: Type.Optional(Type.Object({ payer_info: Type.Object({ id: Type.String(), _data: Type.Object({ fullname: Type.String() }) }) })),
  redirect_urls: Type.Object({
    return_url: Type.String(), cancel_url: Type.String(),
    history_responses: Type.Array(Type.Object({
      uri: Type.String(), method: Type.String(), status_code: Nullable(Type.Integer()), body: Type.String(),
    })),
  }),
  total: Type.Object({ currency: Currency, items: Type.Number(), shipping: Type.Number(), tax: Type.Number(), amount: Type.Number() }),
  transactions: Type.Array(Transaction),
  pay_tokens: Type.Optional(Type.Array(PayToken)),
  _links: Type.Object({
    self: Link('GET'), execute: Link('POST'), approval_url: Type.Optional(Link('GET')), cancel: Type.Optional(Link('POST')),
  }),
}, { examples: [intentExample] });

const tags = ['Payment intents'];

export const createIntentSchema = apiSchema({
  tags, summary: 'Create a payment intent (sale: payment button; request: billing API)', idempotent: true,
  body: CreateIntentBody, ok: PaymentIntent,
});
export const createRequestIntentSchema = apiSchema({
  tags, summary: 'Create a payment intent: the path the billing documentation names, same as POST /api/payment-intent/.json',
  idempotent: true, body: CreateIntentBody, ok: PaymentIntent,
});
export const listIntentsSchema = apiSchema({ tags, summary: "The account's intents, newest first", querystring: PageQuery, ok: Paginator(PaymentIntent, pageOf('/api/payment-intent/.json', intentExample)) });
export const showIntentSchema = apiSchema({ tags, summary: 'One intent of the calling account', querystring: IdQuery, ok: PaymentIntent });

export const ExecuteSaleBody = Form('payment_execution', Type.Object({
  paymentIntent: Type.Optional(Scalar({ description: 'The intent id, when the query has no ?id=' })),
  payer: Type.Optional(Type.Union([
    Scalar({ description: "The payer's id (payerId of the return URL)" }),
    Type.Object({ payer_info: Type.Object({ id: Scalar() }, { additionalProperties: true }) }, { additionalProperties: true }),
  ])),
}, { additionalProperties: true }));

export const executeSaleSchema = apiSchema({
  tags, summary: 'Execute an authorized sale: debit the payer, credit the merchant, run the distributions', idempotent: true,
  querystring: IdQuery, body: ExecuteSaleBody, ok: PaymentIntent,
});
