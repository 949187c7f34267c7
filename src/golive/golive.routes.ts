import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Ctx } from '../context.ts';
import { NotFoundError, ValidationError } from '../shared/errors.ts';
import { doc, isOwnHttpsSite } from '../shared/input.ts';
import { page, renderFragment } from '../web/render.ts';
import { addWalletAction } from '../web/pages.routes.ts';
import { emptyForm, formView, type FormView } from '../onboarding/form-view.ts';
import {
  canRequest, latestRequest, markDecisionsSeen, ownedApp, stageOf, submitGolive, unseenDecisions, type GoliveInput,
} from './golive.service.ts';

// The merchant's going-live page, linked from the app's settings page in production.

/**
 * The operator's decisions the business has not seen yet, as notices for its wallet and app
 * list; opening the app's going-live page marks them seen.
 */
export async function goliveNoticesHtml(request: FastifyRequest): Promise<string> {
  const user = request.pageUser;
  if (!user || user.kind !== 'business' || request.ctx.env !== 'production') return '';
  const decisions = await unseenDecisions(request.ctx.store.db, user.id);
  return decisions.length ? renderFragment(request.locale, 'golive-notices', { decisions }) : '';
}

// Registered once per process (the list is module-wide), not once per environment.
addWalletAction(goliveNoticesHtml);

async function signedInBusiness(request: FastifyRequest, reply: FastifyReply) {
  if (!request.pageUser) return reply.redirect(`/login?next=${encodeURIComponent(request.url)}`, 303);
  if (request.pageUser.kind !== 'business') throw new NotFoundError();
}

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

async function render(
  ctx: Ctx, request: FastifyRequest, reply: FastifyReply, appId: string,
  form: { values?: GoliveInput; errors?: FormView; sent?: boolean } = {}, status = 200,
) {
  const app = await ownedApp(ctx.store.db, request.pageUser!.id, appId);
  if (ctx.env === 'sandbox') return page(request, reply, 'golive-page', { app, sandboxReady: true });
  const [latest, history] = await Promise.all([
    latestRequest(ctx.store.db, appId),
    ctx.store.db.selectFrom('golive_requests').select(['id', 'status', 'reason', 'created_at', 'decided_at'])
      .where('app_id', '=', appId).orderBy('created_at', 'desc').limit(20).execute(),
  ]);
  const stage = stageOf(app, latest);
  await markDecisionsSeen(ctx.store.autocommit, appId, ctx.clock.now());
  return page(request, reply, 'golive-page', {
    app, stage, latest, history, showForm: canRequest(stage), sent: form.sent,
    values: form.values ?? {}, errors: form.errors ?? emptyForm(), httpsHome: isOwnHttpsSite(app.home_url),
  }, status);
}

export async function registerGolive(app: FastifyInstance, ctx: Ctx): Promise<void> {
  app.get('/settings/apps/:id/golive', { config: { web: true }, preHandler: signedInBusiness }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const sent = (request.query as Record<string, unknown>).sent === '1';
    return render(ctx, request, reply, id, { sent });
  });

  app.post('/settings/apps/:id/golive', {
    config: { web: true, rateLimit: { max: 20, timeWindow: '1 minute' } },
    preHandler: [signedInBusiness, app.csrfProtection],
  }, async (request, reply) => {
    const { id } = request.params as { id: string };
    await ownedApp(ctx.store.db, request.pageUser!.id, id);
    if (ctx.env === 'sandbox') throw new NotFoundError();
    const body = doc(request.body);
    const values: GoliveInput = {
      affiliationCode: str(body.affiliationCode), ownSourceCode: body.ownSourceCode === '1' || body.ownSourceCode === 'on',
      sourceDescription: str(body.sourceDescription), hostingProvider: str(body.hostingProvider),
      hostingDescription: str(body.hostingDescription),
    };
    try {
      await ctx.store.tx((tx) => submitGolive(tx, request.pageUser!.id, id, values, ctx.clock.now()));
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      return render(ctx, request, reply, id, { values, errors: formView(e.tree, request.locale) }, 400);
    }
    return reply.redirect(`/settings/apps/${encodeURIComponent(id)}/golive?sent=1`, 303);
  });
}
