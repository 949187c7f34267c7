import { Type } from 'typebox';
import { apiSchema, Form, Scalar } from '../http/schema.ts';
import { PaymentIntent } from '../payment-intents/payment-intent.schema.ts';

export const AnnulBody = Form('cancel_payment_intent', Type.Object({ paymentIntent: Scalar({ description: 'The executed intent' }) }, { additionalProperties: true }));

export const annulSchema = apiSchema({
  tags: ['Payment intents'], summary: 'Annul an executed intent within 24 hours of its execution (every movement reversed)',
  idempotent: true, body: AnnulBody, ok: PaymentIntent,
});
