import type { FastifyInstance } from 'fastify';
import type { Ctx } from '../context.ts';
import { readPage } from '../http/paginator.ts';
import { authenticateApi } from '../oauth/bearer.ts';
import { doc, text } from '../shared/input.ts';
import { findPayment, listPayments } from './payment.service.ts';

export async function registerPayments(app: FastifyInstance, ctx: Ctx): Promise<void> {
  app.get('/api/payment/.json', async (request) => {
    const caller = await authenticateApi(ctx, request);
    return listPayments(ctx, caller.user.id, readPage(request.query));
  });

  app.get('/api/payment/find.json', async (request) => {
    const caller = await authenticateApi(ctx, request);
    return findPayment(ctx, caller.user.id, text(doc(request.query).id));
  });
}
