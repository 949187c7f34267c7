import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Ctx } from '../context.ts';
import { idempotent } from '../http/idempotency.ts';
import { readPage } from '../http/paginator.ts';
import { authenticateApi, idempotencyScope } from '../oauth/bearer.ts';
import { doc, text } from '../shared/input.ts';
import { executeSale, readExecuteSale } from './execute-sale.service.ts';
import { createIntentSchema, createRequestIntentSchema, executeSaleSchema, listIntentsSchema, showIntentSchema } from './payment-intent.schema.ts';
import { serializeExecutedSale, serializeIntent } from './payment-intent.serializer.ts';
import { createIntent, getOwnIntent, listOwnIntents } from './payment-intent.service.ts';

export async function registerPaymentIntents(app: FastifyInstance, ctx: Ctx): Promise<void> {
  const create = async (request: FastifyRequest, reply: FastifyReply) => {
    const caller = await authenticateApi(ctx, request);
    return idempotent(ctx, request, reply, idempotencyScope(caller), async () => {
      const row = await createIntent(ctx, caller, request.body);
      // Answered at the merchant time it was created at: a new sale needs no further read.
      return { status: 200, body: await serializeIntent(ctx, ctx.store.db, row, request.locale, row.created_at) };
    });
  };
  app.post('/api/payment-intent/.json', { schema: createIntentSchema }, create);
  // The billing page of the documentation names this path for creating a request.
  app.post('/api/payment-intent/request.json', { schema: createRequestIntentSchema }, create);

  app.get('/api/payment-intent/.json', { schema: listIntentsSchema }, async (request) => {
    const caller = await authenticateApi(ctx, request);
    return listOwnIntents(ctx, caller, readPage(request.query), request.locale);
  });

  app.get('/api/payment-intent/show.json', { schema: showIntentSchema }, async (request) => {
    const caller = await authenticateApi(ctx, request);
    const { row, nowMs } = await getOwnIntent(ctx, caller, text(doc(request.query).id));
    return serializeIntent(ctx, ctx.store.db, row, request.locale, nowMs);
  });

  app.post('/api/payment-intent/execute/sale.json', { schema: executeSaleSchema }, async (request, reply) => {
    const caller = await authenticateApi(ctx, request, 'button');
    return idempotent(ctx, request, reply, idempotencyScope(caller), async () => {
      const input = readExecuteSale(request.query, request.body);
      return { status: 200, body: serializeExecutedSale(ctx, await executeSale(ctx, caller, input), request.locale) };
    });
  });
}
