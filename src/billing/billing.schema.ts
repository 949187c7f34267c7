import { Type } from 'typebox';
import { apiSchema, Form, IdQuery, List, Scalar } from '../http/schema.ts';
import { PaymentIntent } from '../payment-intents/payment-intent.schema.ts';

export const ExecuteRequestBody = Form('payment_execution', Type.Object({
  paymentIntent: Type.Optional(Scalar({ description: 'The intent id, when the query has no ?id=' })),
  payToken: Type.Optional(Scalar({ description: "The pay token the customer picked (documentation's shape)" })),
  pin: Scalar({ description: "The customer's 4-digit operations PIN", examples: ['1111'] }),
  transactions: Type.Optional(List(Type.Object({ id: Type.Optional(Scalar()), payToken: Type.Optional(Scalar()) }, { additionalProperties: true }),
    "The PHP SDK's shape: each transaction's id and pay token")),
}, { additionalProperties: true }));

export const executeRequestSchema = apiSchema({
  tags: ['Payment intents'], summary: "Execute a billing request with the customer's pay token and PIN", idempotent: true,
  querystring: IdQuery, body: ExecuteRequestBody, ok: PaymentIntent,
});
