import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Ctx } from '../context.ts';
import { walletsOf } from '../accounts/accounts.service.ts';
import { ValidationError } from '../shared/errors.ts';
import { doc, text } from '../shared/input.ts';
import { page } from '../web/render.ts';
import { emptyForm, formView, type FormView } from '../onboarding/form-view.ts';
import { APP_FORM_ORDER, type AppFormInput } from './app-form.ts';
import { listOwnedApps } from './apps.repository.ts';
import { goliveNoticesHtml } from '../golive/golive.routes.ts';
import { createApp, replaceLogo, requestDistribution, rotateAppSecret } from './apps.settings.service.ts';
import { appId, renderApp, requireBusiness, secretPath } from './apps.page.ts';
import { DONE_NOTICES, registerAppEdits } from './apps-edit.routes.ts';
import { setFlash, takeFlash } from '../web/flash.ts';

async function renderNew(ctx: Ctx, request: FastifyRequest, reply: FastifyReply, values: Partial<AppFormInput>, form: FormView, status = 200) {
  const accounts = await walletsOf(ctx.store.db, request.pageUser!.id);
  return page(request, reply, 'apps-new', { accounts, values, form }, status);
}

function readAppForm(body: Record<string, unknown>): AppFormInput {
  const s = (k: string, max: number) => (typeof body[k] === 'string' ? (body[k] as string).slice(0, max) : '');
  return {
    name: s('name', 200), description: s('description', 2000), homeUrl: s('homeUrl', 1000),
    receivingAccount: s('receivingAccount', 100), redirectUris: s('redirectUris', 8000),
  };
}

export async function registerApps(app: FastifyInstance, ctx: Ctx): Promise<void> {
  const web = { config: { web: true }, preHandler: requireBusiness };
  const post = { config: { web: true }, preHandler: [requireBusiness, app.csrfProtection] };

  app.get('/settings', web, async (_request, reply) => reply.redirect('/settings/apps', 303));

  app.get('/settings/apps', web, async (request, reply) => {
    const apps = await listOwnedApps(ctx.store.db, request.pageUser!.id);
    const welcome = Boolean((request.query as Record<string, unknown>).welcome);
    return page(request, reply, 'apps-list', { apps, welcome, goliveNotices: await goliveNoticesHtml(request) });
  });

  app.get('/settings/apps/new', web, async (request, reply) => renderNew(ctx, request, reply, {}, emptyForm()));

  app.post('/settings/apps/new', post, async (request, reply) => {
    const input = readAppForm(doc(request.body));
    try {
      const { appId: id, clientSecret } = await createApp(ctx, request.pageUser!.id, input, request.uploads?.get('logo'));
      // The secret is stored hashed: the page after the redirect shows it this once.
      setFlash(ctx, reply, 'secret', secretPath(id), { app: id, secret: clientSecret, notice: 'apps.created' });
      return reply.redirect(secretPath(id), 303);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      return renderNew(ctx, request, reply, input, formView(e.tree, request.locale, APP_FORM_ORDER), 400);
    }
  });

  app.get('/settings/apps/:id', web, async (request, reply) => {
    const q = request.query as Record<string, unknown>;
    const flash = takeFlash(ctx, request, reply, 'secret', secretPath(appId(request)));
    if (flash && flash.app === appId(request)) return renderApp(ctx, request, reply, flash.app, { secret: flash.secret, notice: flash.notice });
    const done = typeof q.done === 'string' && DONE_NOTICES.has(q.done) ? `apps.done_${q.done}` : undefined;
    const notice = q.dist === 'authorized' ? 'apps.dist_added_sandbox' : q.dist === 'pending' ? 'apps.dist_added_production'
      : q.logo === 'saved' ? 'apps.logo_saved' : done;
    return renderApp(ctx, request, reply, appId(request), { notice });
  });

  app.post('/settings/apps/:id/secret', post, async (request, reply) => {
    const secret = await rotateAppSecret(ctx, request.pageUser!.id, appId(request));
    setFlash(ctx, reply, 'secret', secretPath(appId(request)), { app: appId(request), secret, notice: 'apps.rotated' });
    return reply.redirect(secretPath(appId(request)), 303);
  });

  app.post('/settings/apps/:id/distributions', post, async (request, reply) => {
    const handle = text(doc(request.body).handle) ?? '';
    try {
      const status = await requestDistribution(ctx, request.pageUser!.id, appId(request), handle);
      return reply.redirect(`/settings/apps/${encodeURIComponent(appId(request))}?dist=${status}#distributions`, 303);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      const distForm = formView(e.tree, request.locale, ['handle']);
      return renderApp(ctx, request, reply, appId(request), { distForm, distValue: handle.slice(0, 64) }, 400);
    }
  });

  app.post('/settings/apps/:id/logo', post, async (request, reply) => {
    try {
      await replaceLogo(ctx, request.pageUser!.id, appId(request), request.uploads?.get('logo'));
      return reply.redirect(`/settings/apps/${encodeURIComponent(appId(request))}?logo=saved`, 303);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      return renderApp(ctx, request, reply, appId(request), { logoForm: formView(e.tree, request.locale, ['logo']) }, 400);
    }
  });

  await registerAppEdits(app, ctx);
}
