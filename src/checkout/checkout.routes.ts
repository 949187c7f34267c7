import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Ctx } from '../context.ts';
import { signIn } from '../accounts/accounts.service.ts';
import { t } from '../shared/i18n.ts';
import { doc, text } from '../shared/input.ts';
import { page } from '../web/render.ts';
import { endSession, startSession } from '../web/session.ts';
import { authorizeIntent, cancelIntent, checkoutPage, loadIntent, type StateChange } from './checkout.service.ts';
import { appLogo } from './checkout.repository.ts';
import { listTestPayers } from '../test-mode/test-payers.ts';
import { takeFlash } from '../web/flash.ts';

type IdParams = { id: string };

const pagePath = (id: string) => `/p/express-checkout/${encodeURIComponent(id)}/1`;

/** Renders the approval page (or why it cannot be used) for this visitor. */
async function renderCheckout(
  ctx: Ctx, request: FastifyRequest, reply: FastifyReply, id: string, extra: { error?: string; login?: string } = {},
) {
  const view = await checkoutPage(ctx, id, request.pageUser?.id);
  if (view.kind === 'not_found') {
    return page(request, reply, 'checkout-unavailable', { heading: t(request.locale, 'checkout.not_found') }, 404);
  }
  if (view.kind === 'unavailable') {
    return page(request, reply, 'checkout-unavailable', {
      heading: t(request.locale, 'checkout.unavailable_title'),
      message: t(request.locale, 'checkout.unavailable'),
      merchant: view.merchant,
      backUrl: view.backUrl,
    }, 410);
  }
  // Sandbox: "Aprobar como" one of the merchant's test payers (the form posts to src/sandbox/tools.routes.ts).
  const sandbox = ctx.env === 'sandbox' ? {
    testPayers: await listTestPayers(ctx.store.db, view.ownerUserId),
    asError: takeFlash(ctx, request, reply, 'approve_as', pagePath(view.id))?.error,
  } : {};
  return page(request, reply, 'checkout-page', {
    ...view, ...extra, ...sandbox, action: pagePath(view.id), working: t(request.locale, 'web.working'),
  }, extra.error ? 401 : 200);
}

async function afterChange(ctx: Ctx, request: FastifyRequest, reply: FastifyReply, id: string, result: StateChange) {
  if (result.kind === 'redirect') return reply.redirect(result.location, 303);
  if (result.kind === 'refused') return reply.redirect(pagePath(id), 303);
  return renderCheckout(ctx, request, reply, id);
}

export async function registerCheckout(app: FastifyInstance, ctx: Ctx): Promise<void> {
  const web = { web: true } as const;

  app.get<{ Params: IdParams }>('/p/express-checkout/:id/1', { config: web }, async (request, reply) =>
    renderCheckout(ctx, request, reply, request.params.id));

  // Sign-in on the page itself: a plain form, so it works without JavaScript.
  app.post<{ Params: IdParams }>('/p/express-checkout/:id/1', {
    config: { ...web, rateLimit: { max: 30, timeWindow: '1 minute' } },
    preHandler: app.csrfProtection,
  }, async (request, reply) => {
    const { id } = request.params;
    if (!(await loadIntent(ctx, id))) return renderCheckout(ctx, request, reply, id);
    const body = doc(request.body);
    const login = text(body.login) ?? '';
    const password = typeof body.password === 'string' ? body.password : '';
    const result = await signIn(ctx.store.autocommit, login, password, ctx.clock.now(), ['personal', 'business']);
    if (!result.ok) {
      const error = result.reason === 'locked'
        ? t(request.locale, 'account.login_locked', { minutes: result.minutes ?? 15 })
        : t(request.locale, result.reason === 'disabled' ? 'account.disabled' : 'account.login_failed');
      request.pageUser = undefined;
      return renderCheckout(ctx, request, reply, id, { error, login: login.slice(0, 64) });
    }
    if (request.pageUser) await endSession(ctx, request, reply, 'user');
    await startSession(ctx, reply, result.user.id, 'user');
    return reply.redirect(pagePath(id), 303);
  });

  app.post<{ Params: IdParams }>('/p/express-checkout/:id/1/authorize', {
    config: web, preHandler: app.csrfProtection,
  }, async (request, reply) => {
    const { id } = request.params;
    if (!request.pageUser) return reply.redirect(pagePath(id), 303);
    return afterChange(ctx, request, reply, id, await authorizeIntent(ctx, id, request.pageUser.id));
  });

  app.post<{ Params: IdParams }>('/p/express-checkout/:id/1/cancel', {
    config: web, preHandler: app.csrfProtection,
  }, async (request, reply) => afterChange(ctx, request, reply, request.params.id, await cancelIntent(ctx, request.params.id)));

  app.post<{ Params: IdParams }>('/p/express-checkout/:id/1/signout', {
    config: web, preHandler: app.csrfProtection,
  }, async (request, reply) => {
    await endSession(ctx, request, reply, 'user');
    return reply.redirect(pagePath(request.params.id), 303);
  });

  app.get<{ Params: { file: string } }>('/p/app-logo/:file', { config: web }, async (request, reply) => {
    const m = /^([0-9a-zA-Z-]{1,64})\.png$/.exec(request.params.file);
    const logo = m ? await appLogo(ctx.store.db, m[1]) : undefined;
    if (!logo?.logo_png) {
      return reply.code(404).header('cache-control', 'no-store').type('text/plain; charset=utf-8')
        .send(t(request.locale, 'common.not_found'));
    }
    const etag = `"${createHash('sha256').update(logo.logo_png).digest('base64url').slice(0, 22)}"`;
    reply.header('cache-control', 'public, max-age=300').header('etag', etag).header('x-content-type-options', 'nosniff');
    if (request.headers['if-none-match'] === etag) return reply.code(304).send();
    return reply.type('image/png').send(logo.logo_png);
  });
}
