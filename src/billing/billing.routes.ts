import type { FastifyInstance } from 'fastify';
import type { Ctx } from '../context.ts';
import { idempotent } from '../http/idempotency.ts';
import { authenticateApi, idempotencyScope } from '../oauth/bearer.ts';
import { serializeIntent } from '../payment-intents/payment-intent.serializer.ts';
import { executeRequestSchema } from './billing.schema.ts';
import { readExecuteRequest } from './execute-request.form.ts';
import { executeRequest } from './execute-request.service.ts';
import { registerRequestPages } from './requests.routes.ts';

export async function registerBilling(app: FastifyInstance, ctx: Ctx): Promise<void> {
  app.post('/api/payment-intent/execute/request.json', { schema: executeRequestSchema }, async (request, reply) => {
    const caller = await authenticateApi(ctx, request, 'billing');
    return idempotent(ctx, request, reply, idempotencyScope(caller), async () => {
      const input = readExecuteRequest(request.query, request.body);
      const row = await executeRequest(ctx, caller, input);
      return { status: 200, body: await serializeIntent(ctx, ctx.store.db, row, request.locale) };
    });
  });

  registerRequestPages(app, ctx);
}
