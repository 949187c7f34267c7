import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Ctx } from '../context.ts';
import { ValidationError } from '../shared/errors.ts';
import { doc, text } from '../shared/input.ts';
import { page } from '../web/render.ts';
import { emptyForm, formView, type FormView } from '../onboarding/form-view.ts';
import { latestRequests, requestBilling } from './app-requests.service.ts';
import { EDIT_ORDER, removeDistribution, rotateCallbackSecret, updateApp, type EditInput } from './apps.edit.ts';
import { appId, renderApp, requireBusiness } from './apps.page.ts';
import { ownedAppOr404 } from './apps.settings.service.ts';

/** The notices the app's page shows after one of these forms redirects back to it. */
export const DONE_NOTICES = new Set(['saved', 'saved_pending', 'callback_rotated', 'dist_removed', 'billing_requested']);

function readEdit(body: Record<string, unknown>): EditInput {
  const s = (k: string, max: number) => (typeof body[k] === 'string' ? (body[k] as string).slice(0, max) : '');
  return { name: s('name', 200), description: s('description', 2000), homeUrl: s('homeUrl', 1000), redirectUris: s('redirectUris', 8000) };
}

async function renderEdit(ctx: Ctx, request: FastifyRequest, reply: FastifyReply, values: EditInput | undefined, form: FormView, status = 200) {
  const app = await ownedAppOr404(ctx, request.pageUser!.id, appId(request));
  const requests = await latestRequests(ctx.store.db, app.id);
  const shown = values ?? {
    name: app.name, description: app.description, homeUrl: requests.home_url?.status === 'pending' ? JSON.parse(requests.home_url.payload_json).homeUrl : app.home_url,
    redirectUris: (JSON.parse(app.redirect_uris) as string[]).join('\n'),
  };
  return page(request, reply, 'apps-edit', { app, values: shown, form, requests }, status);
}

const back = (reply: FastifyReply, id: string, done: string, anchor = '') =>
  reply.redirect(`/settings/apps/${encodeURIComponent(id)}?done=${done}${anchor}`, 303);

export async function registerAppEdits(app: FastifyInstance, ctx: Ctx): Promise<void> {
  const web = { config: { web: true }, preHandler: requireBusiness };
  const post = { config: { web: true }, preHandler: [requireBusiness, app.csrfProtection] };

  app.get('/settings/apps/:id/edit', web, async (request, reply) => renderEdit(ctx, request, reply, undefined, emptyForm()));

  app.post('/settings/apps/:id/edit', post, async (request, reply) => {
    const input = readEdit(doc(request.body));
    try {
      const { homeUrlPending } = await updateApp(ctx, request.pageUser!.id, appId(request), input, request.uploads?.get('logo'));
      return back(reply, appId(request), homeUrlPending ? 'saved_pending' : 'saved');
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      return renderEdit(ctx, request, reply, input, formView(e.tree, request.locale, EDIT_ORDER), 400);
    }
  });

  app.post('/settings/apps/:id/callback-secret', post, async (request, reply) => {
    await rotateCallbackSecret(ctx, request.pageUser!.id, appId(request));
    return back(reply, appId(request), 'callback_rotated', '#callback');
  });

  app.post('/settings/apps/:id/distributions/remove', post, async (request, reply) => {
    try {
      await removeDistribution(ctx, request.pageUser!.id, appId(request), text(doc(request.body).handle) ?? '');
      return back(reply, appId(request), 'dist_removed', '#distributions');
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      return renderApp(ctx, request, reply, appId(request), { distForm: formView(e.tree, request.locale) }, 400);
    }
  });

  app.post('/settings/apps/:id/billing', post, async (request, reply) => {
    try {
      await requestBilling(ctx, request.pageUser!.id, appId(request));
      return back(reply, appId(request), 'billing_requested', '#permissions');
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      return renderApp(ctx, request, reply, appId(request), { billingForm: formView(e.tree, request.locale) }, 400);
    }
  });
}
