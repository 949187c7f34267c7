import type { FastifyInstance } from 'fastify';
import type { Ctx } from '../context.ts';
import { registerToken } from './token.routes.ts';

/** The OAuth2 server: the token endpoint. */
export async function registerOAuth(app: FastifyInstance, ctx: Ctx): Promise<void> {
  await registerToken(app, ctx);
}
