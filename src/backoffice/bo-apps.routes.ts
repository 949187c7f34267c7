import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Ctx } from '../context.ts';
import type { Actor } from '../audit/audit.service.ts';
import { listAudit } from '../audit/audit.service.ts';
import type { Tx } from '../db/store.ts';
import { NotFoundError, ValidationError } from '../shared/errors.ts';
import { doc, text } from '../shared/input.ts';
import { t } from '../shared/i18n.ts';
import {
  activateApp, changeAppStatus, checkReason, decideDistribution, refuseGolive, setBilling,
} from './app-admin.service.ts';
import {
  APP_FILTERS, GOLIVE_FILTERS, appDetail, listApps, listDistributionRequests, listGoliveRequests,
  type AppFilter, type GoliveFilter,
} from './backoffice.repository.ts';
import { formView, type FormView } from '../onboarding/form-view.ts';
import { boPage } from './bo-page.ts';
import { appRequestsOf, decideAppRequest, pendingAppRequests } from './app-requests.admin.ts';

const WEB = { config: { web: true } } as const;
const actorOf = (request: FastifyRequest): Actor => ({ operatorId: request.operator!.id, via: 'web' });
const pick = <T extends string>(v: unknown, allowed: readonly T[], fallback: T): T =>
  (allowed as readonly unknown[]).includes(v) ? (v as T) : fallback;

/** A choice posted by a button; anything else is a bad request that changes nothing. */
function choice<T extends string>(v: unknown, allowed: readonly T[]): T {
  if (!(allowed as readonly unknown[]).includes(v)) throw ValidationError.global('common.invalid');
  return v as T;
}

async function renderApp(
  ctx: Ctx, request: FastifyRequest, reply: FastifyReply, appId: string,
  failed?: { form: string; errors: FormView; values: Record<string, unknown> }, status = 200,
) {
  const detail = await appDetail(ctx.store.db, appId);
  if (!detail) throw new NotFoundError('bo.app_not_found');
  const [audit, appRequests] = await Promise.all([
    listAudit(ctx.store.db, { targetId: appId, limit: 50, offset: 0 }), appRequestsOf(ctx.store.db, appId),
  ]);
  const done = text((request.query as Record<string, unknown>).done);
  return boPage(request, reply, 'bo-app', {
    ...detail, audit: audit.rows, appRequests, failed, production: ctx.env === 'production',
    done: done && /^[a-z_.]{1,40}$/.test(done) ? t(request.locale, 'bo.done', { action: t(request.locale, `bo.action.${done}`) }) : undefined,
  }, status);
}

type Handler = (tx: Tx, actor: Actor, appId: string, body: Record<string, unknown>, nowMs: number) => Promise<string>;

/** One POST per decision: run it with its audit row in one transaction, then back to the app. */
function action(ctx: Ctx, form: string, run: Handler) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const { id } = request.params as { id: string };
    const body = doc(request.body);
    let done: string;
    try {
      done = await ctx.store.tx((tx) => run(tx, actorOf(request), id, body, ctx.clock.now()));
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      return renderApp(ctx, request, reply, id, { form, errors: formView(e.tree, request.locale), values: body }, 400);
    }
    return reply.redirect(`/backoffice/apps/${encodeURIComponent(id)}?done=${done}`, 303);
  };
}

const reasonOf = (body: Record<string, unknown>, required: boolean) =>
  checkReason(typeof body.reason === 'string' ? body.reason : undefined, required);

export async function registerBoApps(op: FastifyInstance, ctx: Ctx): Promise<void> {
  const post = { config: { web: true }, preHandler: op.csrfProtection } as const;

  op.get('/apps', WEB, async (request, reply) => {
    const filter = pick<AppFilter>((request.query as Record<string, unknown>).filter, APP_FILTERS, 'all');
    return boPage(request, reply, 'bo-apps', { filter, filters: APP_FILTERS, apps: await listApps(ctx.store.db, filter) });
  });

  op.get('/golive', WEB, async (request, reply) => {
    const status = pick<GoliveFilter>((request.query as Record<string, unknown>).status, GOLIVE_FILTERS, 'pending');
    return boPage(request, reply, 'bo-golive', { status, filters: GOLIVE_FILTERS, requests: await listGoliveRequests(ctx.store.db, status) });
  });

  op.get('/distributions', WEB, async (request, reply) => {
    const all = (request.query as Record<string, unknown>).all === '1';
    return boPage(request, reply, 'bo-distributions', { all, rows: await listDistributionRequests(ctx.store.db, all ? 'all' : 'pending') });
  });

  op.get('/apps/:id', WEB, async (request, reply) => renderApp(ctx, request, reply, (request.params as { id: string }).id));

  op.post('/apps/:id/activate', post, action(ctx, 'activate', async (tx, actor, id, body, now) => {
    await activateApp(tx, actor, id, reasonOf(body, false), now, ctx.env === 'production');
    return 'golive.activate';
  }));

  op.post('/apps/:id/refuse', post, action(ctx, 'refuse', async (tx, actor, id, body, now) => {
    await refuseGolive(tx, actor, id, reasonOf(body, true)!, now);
    return 'golive.refuse';
  }));

  op.post('/apps/:id/billing', post, action(ctx, 'billing', async (tx, actor, id, body, now) => {
    const enabled = choice(body.enabled, ['1', '0'] as const) === '1';
    await setBilling(tx, actor, id, enabled, reasonOf(body, false), now);
    return enabled ? 'billing.grant' : 'billing.withdraw';
  }));

  op.post('/apps/:id/distribution', post, action(ctx, 'distribution', async (tx, actor, id, body, now) => {
    const decision = choice(body.decision, ['authorized', 'refused'] as const);
    await decideDistribution(tx, actor, id, text(body.handle) ?? '', decision, reasonOf(body, false), now);
    return decision === 'authorized' ? 'distribution.authorize' : 'distribution.refuse';
  }));

  op.get('/requests', WEB, async (request, reply) => boPage(request, reply, 'bo-requests', { rows: await pendingAppRequests(ctx.store.db) }));

  op.post('/apps/:id/requests', post, action(ctx, 'request', async (tx, actor, id, body, now) => {
    const decision = choice(body.decision, ['approved', 'refused'] as const);
    return decideAppRequest(tx, actor, id, text(body.request) ?? '', decision, reasonOf(body, false), now);
  }));

  op.post('/apps/:id/status', post, action(ctx, 'status', async (tx, actor, id, body, now) => {
    const change = choice(body.change, ['suspend', 'reinstate', 'revoke'] as const);
    await changeAppStatus(tx, actor, id, change, reasonOf(body, true)!, now);
    return `app.${change}`;
  }));
}
