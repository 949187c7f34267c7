import type { FastifyInstance, FastifySchema } from 'fastify';
import type { Ctx } from '../context.ts';
import { tokenSchema } from './token.schema.ts';
import { tokenEndpoint } from './token.service.ts';

export async function registerToken(app: FastifyInstance, ctx: Ctx): Promise<void> {
  const handle = tokenEndpoint(ctx);
  app.post('/oauth/v2/token', { config: { oauth: true }, schema: tokenSchema as FastifySchema }, async (request, reply) => {
    const r = await handle({ authorization: request.headers.authorization, body: request.body, locale: request.locale });
    return reply.code(r.status).headers(r.headers).send(r.body);
  });
}
