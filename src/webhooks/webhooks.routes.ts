import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Ctx } from '../context.ts';
import { appId, requireBusiness } from '../apps/apps.page.ts';
import { emptyForm, formView, type FormView } from '../onboarding/form-view.ts';
import { ValidationError } from '../shared/errors.ts';
import { doc, text } from '../shared/input.ts';
import { page } from '../web/render.ts';
import { logPage, resendDelivery, sendTest, type TestInput } from './deliveries.service.ts';
import { removeWebhook, rotateWebhookSecret, saveWebhook, webhookPage, type WebhookInput } from './webhook-settings.service.ts';
import { registerEventsApi } from './events.routes.ts';

// The app owner's pages: the callback log (with Reenviar and Enviar prueba) and the
// webhook's settings. Forms post and redirect; every page works without JavaScript.

const NOTICES: Record<string, string> = {
  resent: 'cblog.resent', test: 'cblog.test_sent', saved: 'webhook.saved', rotated: 'webhook.rotated', removed: 'webhook.removed',
};
const noticeOf = (request: FastifyRequest) => NOTICES[String((request.query as Record<string, unknown>).done ?? '')];
const logPath = (id: string) => `/settings/apps/${encodeURIComponent(id)}/callbacks`;
const webhookPath = (id: string) => `/settings/apps/${encodeURIComponent(id)}/webhook`;

async function renderLog(ctx: Ctx, request: FastifyRequest, reply: FastifyReply, test?: { form: FormView; values: TestInput }, status = 200) {
  const view = await logPage(ctx, request.pageUser!.id, appId(request), request.query);
  return page(request, reply, 'apps-callbacks', {
    ...view, notice: noticeOf(request),
    testForm: test?.form ?? emptyForm(),
    testValues: test?.values ?? { target: 'callback', url: view.testUrl },
  }, status);
}

async function renderWebhook(ctx: Ctx, request: FastifyRequest, reply: FastifyReply, edit?: { form: FormView; values: WebhookInput }, status = 200) {
  const view = await webhookPage(ctx, request.pageUser!.id, appId(request));
  return page(request, reply, 'apps-webhook', {
    ...view, notice: noticeOf(request), form: edit?.form ?? emptyForm(),
    values: edit?.values ?? { url: view.webhook.url ?? '', events: view.webhook.events },
  }, status);
}

const list = (v: unknown): string[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]).map((x) => text(x) ?? '').filter(Boolean).slice(0, 50);

export async function registerWebhooks(app: FastifyInstance, ctx: Ctx): Promise<void> {
  const web = { config: { web: true }, preHandler: requireBusiness };
  const post = { config: { web: true }, preHandler: [requireBusiness, app.csrfProtection] };

  app.get('/settings/apps/:id/callbacks', web, async (request, reply) => renderLog(ctx, request, reply));

  app.post('/settings/apps/:id/callbacks/test', post, async (request, reply) => {
    const body = doc(request.body);
    const values = { target: (text(body.target) ?? 'callback').slice(0, 20), url: (text(body.url) ?? '').slice(0, 1000) };
    try {
      await sendTest(ctx, request.pageUser!.id, appId(request), values);
      return reply.redirect(`${logPath(appId(request))}?done=test`, 303);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      return renderLog(ctx, request, reply, { form: formView(e.tree, request.locale, ['target', 'url']), values }, 400);
    }
  });

  app.post('/settings/apps/:id/callbacks/:delivery/resend', post, async (request, reply) => {
    const delivery = String((request.params as { delivery: string }).delivery);
    await resendDelivery(ctx, request.pageUser!.id, appId(request), delivery);
    return reply.redirect(`${logPath(appId(request))}?done=resent#d-${encodeURIComponent(delivery)}`, 303);
  });

  app.get('/settings/apps/:id/webhook', web, async (request, reply) => renderWebhook(ctx, request, reply));

  app.post('/settings/apps/:id/webhook', post, async (request, reply) => {
    const body = doc(request.body);
    const values = { url: (text(body.url) ?? '').slice(0, 2000), events: list(body.events ?? body['events[]']) };
    try {
      await saveWebhook(ctx, request.pageUser!.id, appId(request), values);
      return reply.redirect(`${webhookPath(appId(request))}?done=saved`, 303);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      return renderWebhook(ctx, request, reply, { form: formView(e.tree, request.locale, ['url', 'events']), values }, 400);
    }
  });

  app.post('/settings/apps/:id/webhook/secret', post, async (request, reply) => {
    await rotateWebhookSecret(ctx, request.pageUser!.id, appId(request));
    return reply.redirect(`${webhookPath(appId(request))}?done=rotated#secret`, 303);
  });

  app.post('/settings/apps/:id/webhook/remove', post, async (request, reply) => {
    await removeWebhook(ctx, request.pageUser!.id, appId(request));
    return reply.redirect(`${webhookPath(appId(request))}?done=removed`, 303);
  });

  await registerEventsApi(app, ctx);
}
