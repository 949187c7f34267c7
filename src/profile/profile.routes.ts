import type { FastifyInstance } from 'fastify';
import type { Ctx } from '../context.ts';
import { authenticateApi } from '../oauth/bearer.ts';
import { profileSchema } from './profile.schema.ts';
import { profileOf } from './profile.service.ts';

export async function registerProfile(app: FastifyInstance, ctx: Ctx): Promise<void> {
  app.get('/api/user/profile.json', { schema: profileSchema }, async (request) => {
    const caller = await authenticateApi(ctx, request);
    return profileOf(ctx, caller.user.id);
  });
}
