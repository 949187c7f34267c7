import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Ctx } from '../context.ts';
import { readPage } from '../http/paginator.ts';
import { authenticateApi } from '../oauth/bearer.ts';
import { doc, text } from '../shared/input.ts';
import { findPaymentSchema, listPaymentsSchema } from './payment.schema.ts';
import { findPayment, listPayments, type Viewer } from './payment.service.ts';

export const viewerOf = (ctx: Ctx, request: FastifyRequest, userId: string): Viewer =>
  ({ userId, locale: request.locale, nowMs: ctx.clock.now() });

export async function registerPayments(app: FastifyInstance, ctx: Ctx): Promise<void> {
  app.get('/api/payment/.json', { schema: listPaymentsSchema }, async (request) => {
    const caller = await authenticateApi(ctx, request);
    return listPayments(ctx, viewerOf(ctx, request, caller.user.id), readPage(request.query));
  });

  app.get('/api/payment/find.json', { schema: findPaymentSchema }, async (request) => {
    const caller = await authenticateApi(ctx, request);
    return findPayment(ctx, viewerOf(ctx, request, caller.user.id), text(doc(request.query).id));
  });
}
