import type { FastifyInstance } from 'fastify';
import type { Ctx } from '../context.ts';
import { registerAuthorize } from './authorize.routes.ts';
import { registerToken } from './token.routes.ts';

/** The OAuth2 server: the token endpoint and the consent page of the authorization-code grant. */
export async function registerOAuth(app: FastifyInstance, ctx: Ctx): Promise<void> {
  await registerToken(app, ctx);
  await registerAuthorize(app, ctx);
}
