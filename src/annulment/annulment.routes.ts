import type { FastifyInstance } from 'fastify';
import type { Ctx } from '../context.ts';
import { idempotent } from '../http/idempotency.ts';
import { authenticateApi, idempotencyScope } from '../oauth/bearer.ts';
import { serializeIntent } from '../payment-intents/payment-intent.serializer.ts';
import { annulSchema } from './annulment.schema.ts';
import { annulIntent, readAnnul } from './annulment.service.ts';

export async function registerAnnulment(app: FastifyInstance, ctx: Ctx): Promise<void> {
  app.post('/api/payment-intent/cancel.json', { schema: annulSchema }, async (request, reply) => {
    const caller = await authenticateApi(ctx, request);
    return idempotent(ctx, request, reply, idempotencyScope(caller), async () => {
      const row = await annulIntent(ctx, caller, readAnnul(request.body));
      return { status: 200, body: await serializeIntent(ctx, ctx.store.db, row, request.locale) };
    });
  });
}
