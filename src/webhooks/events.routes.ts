import type { FastifyInstance } from 'fastify';
import type { Ctx } from '../context.ts';
import { authenticateApi } from '../oauth/bearer.ts';
import { listEventsSchema } from './events.schema.ts';
import { listEvents } from './events.service.ts';

export async function registerEventsApi(app: FastifyInstance, ctx: Ctx): Promise<void> {
  app.get('/api/event/.json', { schema: listEventsSchema }, async (request) => {
    const caller = await authenticateApi(ctx, request);
    return listEvents(ctx, caller, request.query);
  });
}
