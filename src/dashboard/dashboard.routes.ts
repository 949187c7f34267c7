import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Ctx } from '../context.ts';
import { requireBusiness } from '../apps/apps.page.ts';
import { emptyForm, formView, type FormView } from '../onboarding/form-view.ts';
import { ValidationError } from '../shared/errors.ts';
import { doc } from '../shared/input.ts';
import { page } from '../web/render.ts';
import { readFilter } from './dashboard.filter.ts';
import { chartsView, listView, payoutsView } from './dashboard.pages.ts';
import { resolveFilter } from './dashboard.service.ts';
import { annulFromDashboard, intentDetail } from './detail.service.ts';
import { csvChunks } from './export.csv.ts';
import { batchDetail, submitFromDashboard } from './payouts.service.ts';
import './dashboard.messages.ts';

// The business's own payments, on pages: list, search, totals, export, charts, detail with
// "Anular", payouts. Everything is scoped to the signed-in account.

const idOf = (request: FastifyRequest) => String((request.params as { id: string }).id);
const secretOf = (request: FastifyRequest) => {
  const v = doc(request.body).confirm;
  return typeof v === 'string' ? v.slice(0, 200) : '';
};
const flag = (request: FastifyRequest, name: string) => (request.query as Record<string, unknown>)[name] === '1';

async function renderDetail(ctx: Ctx, request: FastifyRequest, reply: FastifyReply, form: FormView = emptyForm(), status = 200) {
  const detail = await intentDetail(ctx, request.pageUser!.id, idOf(request), request.locale);
  return page(request, reply, 'dashboard-detail', { ...detail, form, annulled: flag(request, 'annulled') }, status);
}

async function renderBatch(ctx: Ctx, request: FastifyRequest, reply: FastifyReply, form: FormView = emptyForm(), status = 200) {
  const detail = await batchDetail(ctx, request.pageUser!.id, idOf(request));
  return page(request, reply, 'dashboard-payout', { ...detail, form, submitted: flag(request, 'submitted') }, status);
}

type Render = (ctx: Ctx, request: FastifyRequest, reply: FastifyReply, form?: FormView, status?: number) => Promise<FastifyReply>;

export async function registerDashboard(app: FastifyInstance, ctx: Ctx): Promise<void> {
  /** A button confirmed with the PIN or password: done, back to its page (post/redirect/get); refused, the page with why. */
  const confirmed = (render: Render, run: (request: FastifyRequest) => Promise<string>) =>
    async (request: FastifyRequest, reply: FastifyReply) => {
      try {
        return reply.redirect(await run(request), 303);
      } catch (e) {
        if (!(e instanceof ValidationError)) throw e;
        return render(ctx, request, reply, formView(e.tree, request.locale, ['confirm']), 400);
      }
    };

  const web = { config: { web: true }, preHandler: requireBusiness };
  const post = { config: { web: true, rateLimit: { max: 30, timeWindow: '1 minute' } }, preHandler: [requireBusiness, app.csrfProtection] };

  app.get('/dashboard', web, async (request, reply) =>
    page(request, reply, 'dashboard-list', await listView(ctx, request.pageUser!.id, request.query)));

  app.get('/dashboard/export.csv', web, async (request, reply) => {
    const resolved = await resolveFilter(ctx, request.pageUser!.id, readFilter(request.query));
    const day = new Date(ctx.clock.now() - 4 * 3600_000).toISOString().slice(0, 10);
    return reply.type('text/csv; charset=utf-8').header('cache-control', 'no-store')
      .header('content-disposition', `attachment; filename="pagos-${day}.csv"`)
      .send(Readable.from(csvChunks(ctx, resolved, request.locale)));
  });

  app.get('/dashboard/charts', web, async (request, reply) =>
    page(request, reply, 'dashboard-charts', await chartsView(ctx, request.pageUser!.id, request.locale)));

  app.get('/dashboard/payments/:id', web, async (request, reply) => renderDetail(ctx, request, reply));

  app.post('/dashboard/payments/:id/annul', post, confirmed(renderDetail, async (request) => {
    const row = await annulFromDashboard(ctx, request.pageUser!, idOf(request), secretOf(request), request.ip);
    return `/dashboard/payments/${encodeURIComponent(row.id)}?annulled=1`;
  }));

  app.get('/dashboard/payouts', web, async (request, reply) =>
    page(request, reply, 'dashboard-payouts', await payoutsView(ctx, request.pageUser!.id, request.query)));

  app.get('/dashboard/payouts/:id', web, async (request, reply) => renderBatch(ctx, request, reply));

  app.post('/dashboard/payouts/:id/submit', post, confirmed(renderBatch, async (request) => {
    const batch = await submitFromDashboard(ctx, request.pageUser!, idOf(request), secretOf(request), request.ip);
    return `/dashboard/payouts/${encodeURIComponent(batch.id)}?submitted=1`;
  }));
}
