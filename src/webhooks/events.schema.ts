import { Type } from 'typebox';
import { eventExample, pageOf } from '../docs/examples.ts';
import { apiSchema, PageQuery, Paginator } from '../http/schema.ts';

export const EventsQuery = Type.Object({
  ...PageQuery.properties,
  type: Type.Optional(Type.String({ maxLength: 64, description: 'Only events of this type (sale.executed, request.paid, ...)', examples: ['sale.executed'] })),
  after: Type.Optional(Type.String({ maxLength: 64, description: 'Only events after this one, oldest first (to catch up from the last event handled)', examples: ['evt_6f1c0a9e2b7d4c3a8e5f1b2c'] })),
}, { additionalProperties: true });

export const Event = Type.Object({
  id: Type.String({ description: 'evt_…; the same id the webhook sent in X-Mpandco-Event' }),
  type: Type.String({ description: 'sale.authorized, sale.executed, sale.annulled, intent.canceled, intent.expired, request.paid, request.declined, payout.batch_settled, payout.item_failed' }),
  created_at: Type.String({ examples: ['2026-11-26 18:26:34'] }),
  environment: Type.String({ description: 'sandbox or production' }),
  data: Type.Unknown({ description: 'The object as it was right after the change: a payment intent, a payout batch or a payout item' }),
}, { examples: [eventExample] });

export const listEventsSchema = apiSchema({
  tags: ['Events'],
  summary: "The app's events (those its webhook chose), newest first; with `after`, those after that event, oldest first",
  description: 'Events are recorded only for the types the app\'s webhook chose (on the app\'s page), whether or not it has an endpoint. '
    + 'Each is the body a webhook delivery POSTs. Events of accounts other than the token\'s never appear.',
  querystring: EventsQuery,
  ok: Paginator(Event, pageOf('/api/event/.json', eventExample)),
});
