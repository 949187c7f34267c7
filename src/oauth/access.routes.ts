import type { FastifyInstance } from 'fastify';
import type { Ctx } from '../context.ts';
import { text } from '../shared/input.ts';
import { page } from '../web/render.ts';
import { requireUser } from '../web/pages.routes.ts';
import { grantedAppName, listAccess, revokeAccess } from './access.service.ts';

/** Settings > apps with access to the account: what each third-party app may do, and withdrawing it. */
export async function registerAccess(app: FastifyInstance, ctx: Ctx): Promise<void> {
  const web = { config: { web: true }, preHandler: requireUser };
  const post = { config: { web: true }, preHandler: [requireUser, app.csrfProtection] };

  app.get('/settings/access', web, async (request, reply) => {
    const userId = request.pageUser!.id;
    const revokedId = text((request.query as Record<string, unknown>).revoked);
    const [grants, revokedName] = await Promise.all([
      listAccess(ctx, userId),
      revokedId ? grantedAppName(ctx, userId, revokedId) : undefined,
    ]);
    return page(request, reply, 'access-list', { grants, revokedName });
  });

  app.post<{ Params: { appId: string } }>('/settings/access/:appId/revoke', post, async (request, reply) => {
    const revoked = await revokeAccess(ctx, request.pageUser!.id, request.params.appId);
    return reply.redirect(`/settings/access?revoked=${encodeURIComponent(revoked.id)}`, 303);
  });
}
