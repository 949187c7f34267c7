import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Ctx } from '../context.ts';
import { signIn } from '../accounts/accounts.service.ts';
import { listAudit, writeAudit } from '../audit/audit.service.ts';
import { t } from '../shared/i18n.ts';
import { doc, text } from '../shared/input.ts';
import { page, renderWebError, type PageUser } from '../web/render.ts';
import { endSession, sessionUser, startSession } from '../web/session.ts';
import { dashboardCounts } from './backoffice.repository.ts';
import { registerBoApps } from './bo-apps.routes.ts';
import { registerBoTools } from './bo-tools.routes.ts';
import { registerBoWallet } from './bo-wallet.routes.ts';
import { topupTotals } from '../topups/topups.repository.ts';
import { withdrawalTotals } from '../withdrawals/withdrawals.repository.ts';
import { boPage } from './bo-page.ts';
import './backoffice.messages.ts';
import './bo-tools.messages.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in operator on back-office routes (the guard guarantees it there). */
    operator?: PageUser;
  }
}

/**
 * To anyone but a signed-in operator, every back-office URL but /backoffice itself answers
 * exactly like an unknown path would.
 */
function notFound(request: FastifyRequest, reply: FastifyReply) {
  const message = t(request.locale, 'common.not_found');
  if ((request.headers.accept ?? '').includes('text/html')) return renderWebError(request, reply, 404, message);
  return reply.code(404).send({ code: 404, message });
}

/** "METHOD /path" of every back-office route, so tests can walk them all. */
export const BACKOFFICE_ROUTES = new Set<string>();

export async function registerBackoffice(app: FastifyInstance, ctx: Ctx): Promise<void> {
  await app.register(async (bo) => {
    bo.decorateRequest('operator', undefined);
    bo.addHook('onRoute', (route) => {
      for (const m of [route.method].flat()) if (m !== 'HEAD') BACKOFFICE_ROUTES.add(`${m} ${route.url}`);
    });
    const current = async (request: FastifyRequest) => {
      const op = await sessionUser(ctx, request, 'operator');
      return op && op.kind === 'operator' ? op : undefined;
    };

    bo.get('/login', { config: { web: true } }, async (request, reply) => {
      if (await current(request)) return reply.redirect('/backoffice', 303);
      const q = request.query as Record<string, unknown>;
      return page(request, reply, 'bo-login', { notice: q.out ? t(request.locale, 'web.signed_out') : undefined });
    });

    bo.post('/login', {
      config: { web: true, rateLimit: { max: 20, timeWindow: '1 minute' } }, preHandler: bo.csrfProtection,
    }, async (request, reply) => {
      const body = doc(request.body);
      const login = text(body.login) ?? '';
      const password = typeof body.password === 'string' ? body.password : '';
      const result = await signIn(ctx.store.autocommit, login, password, ctx.clock.now(), ['operator']);
      if (!result.ok) {
        const error = result.reason === 'locked'
          ? t(request.locale, 'account.login_locked', { minutes: result.minutes ?? 15 })
          : result.reason === 'disabled' ? t(request.locale, 'account.disabled') : t(request.locale, 'account.login_failed');
        return page(request, reply, 'bo-login', { error, login }, 401);
      }
      const now = ctx.clock.now();
      await ctx.store.tx((tx) => writeAudit(tx, { operatorId: result.user.id, via: 'web' }, {
        action: 'operator.sign_in', targetType: 'user', targetId: result.user.id, details: { ip: request.ip },
      }, now));
      await startSession(ctx, reply, result.user.id, 'operator');
      return reply.redirect('/backoffice', 303);
    });

    await bo.register(async (op) => {
      op.addHook('onRequest', async (request, reply) => {
        const operator = await current(request);
        // The back office's own address leads to its sign-in page; every other URL stays hidden.
        const path = request.url.split('?')[0];
        if (!operator && request.method === 'GET' && (path === '/backoffice' || path === '/backoffice/')) {
          return reply.redirect('/backoffice/login', 303);
        }
        if (!operator) return notFound(request, reply);
        request.operator = operator;
      });
      op.setNotFoundHandler((request, reply) => notFound(request, reply));

      op.get('/', { config: { web: true } }, async (request, reply) => {
        const [counts, recent, topups, withdrawals] = await Promise.all([
          dashboardCounts(ctx.store.db), listAudit(ctx.store.db, { limit: 10, offset: 0 }),
          topupTotals(ctx.store.db), withdrawalTotals(ctx.store.db),
        ]);
        return boPage(request, reply, 'bo-dashboard', { counts, recent: recent.rows, topups, withdrawals });
      });

      op.post('/logout', { config: { web: true }, preHandler: op.csrfProtection }, async (request, reply) => {
        await endSession(ctx, request, reply, 'operator');
        return reply.redirect('/backoffice/login?out=1', 303);
      });

      await registerBoApps(op, ctx);
      await registerBoTools(op, ctx);
      await registerBoWallet(op, ctx);
    });
  }, { prefix: '/backoffice' });
}
