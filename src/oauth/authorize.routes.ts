import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Ctx } from '../context.ts';
import { consentDoc } from './token.schema.ts';
import { ValidationError } from '../shared/errors.ts';
import { doc, hostOf, isAbsoluteHttpUrl, text } from '../shared/input.ts';
import { page } from '../web/render.ts';
import {
  approveAuthorization, authorizationUrl, checkAuthorization, denyAuthorization, type AuthorizationRequest,
} from './authorize.service.ts';

function consentPage(ctx: Ctx, request: FastifyRequest, reply: FastifyReply, req: AuthorizationRequest) {
  const { client } = req;
  return page(request, reply, 'oauth-consent', {
    app: {
      id: client.id, name: client.name, description: client.description,
      homeUrl: isAbsoluteHttpUrl(client.home_url) ? client.home_url : null,
      homeHost: hostOf(client.home_url), hasLogo: client.has_logo === 1,
    },
    redirectHost: hostOf(req.redirectUri),
    idleDays: Math.max(1, Math.round(ctx.config.refreshTokenIdleSec / 86400)),
    fields: {
      response_type: 'code', client_id: client.client_id, redirect_uri: req.redirectUri, state: req.state ?? '',
      code_challenge: req.codeChallenge, code_challenge_method: 'S256', scope: req.scope,
    },
  });
}

/** The consent page of the authorization-code grant: GET shows it, POST records the decision. */
export async function registerAuthorize(app: FastifyInstance, ctx: Ctx): Promise<void> {
  app.get('/oauth/v2/auth', { config: { web: true }, schema: consentDoc }, async (request, reply) => {
    const check = await checkAuthorization(ctx, doc(request.query));
    if (!check.ok) return reply.redirect(check.location, 303);
    if (!request.pageUser) return reply.redirect(`/login?next=${encodeURIComponent(request.url)}`, 303);
    return consentPage(ctx, request, reply, check.req);
  });

  app.post('/oauth/v2/auth', {
    config: { web: true, rateLimit: { max: 60, timeWindow: '1 minute' } },
    preHandler: app.csrfProtection,
  }, async (request, reply) => {
    const body = doc(request.body);
    const check = await checkAuthorization(ctx, body);
    if (!check.ok) return reply.redirect(check.location, 303);
    if (!request.pageUser) {
      return reply.redirect(`/login?next=${encodeURIComponent(authorizationUrl(check.req))}`, 303);
    }
    const decision = text(body.decision);
    if (decision === 'deny') return reply.redirect(denyAuthorization(check.req), 303);
    if (decision !== 'approve') throw ValidationError.global('oauth.consent.bad_decision');
    return reply.redirect(await approveAuthorization(ctx, check.req, request.pageUser.id), 303);
  });
}
