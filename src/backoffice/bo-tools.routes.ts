import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Ctx } from '../context.ts';
import { AUDIT_ACTIONS, listAudit, type Actor } from '../audit/audit.service.ts';
import { ValidationError } from '../shared/errors.ts';
import { doc, intOf, text } from '../shared/input.ts';
import { lookup } from './lookup.service.ts';
import { lastVerification, ledgerTotals, runVerification } from './ledger-admin.service.ts';
import { checkCodesRequest, issueOperatorCodes, recentCodes } from './operators.service.ts';
import { DEFAULT_LATE_AFTER_MS, formatAge, queueBacklog } from './queues.service.ts';
import { emptyForm, formView } from '../onboarding/form-view.ts';
import { boPage } from './bo-page.ts';
import { setFlash, takeFlash } from '../web/flash.ts';

const WEB = { config: { web: true } } as const;
const AUDIT_PAGE = 50;
const actorOf = (request: FastifyRequest): Actor => ({ operatorId: request.operator!.id, via: 'web' });
const query = (request: FastifyRequest) => request.query as Record<string, unknown>;

export async function registerBoTools(op: FastifyInstance, ctx: Ctx): Promise<void> {
  const post = { config: { web: true }, preHandler: op.csrfProtection } as const;

  op.get('/codes', WEB, async (request, reply) => {
    const flash = takeFlash(ctx, request, reply, 'codes', '/backoffice/codes');
    const issued = flash?.codes ? flash.codes.split(' ') : undefined;
    return boPage(request, reply, 'bo-codes', { issued, type: flash?.type, recent: await recentCodes(ctx.store.db), errors: emptyForm(), values: {} });
  });

  op.post('/codes', post, async (request, reply) => {
    const body = doc(request.body);
    try {
      const { type, count } = checkCodesRequest(body.type, body.count);
      const issued = await ctx.store.tx((tx) => issueOperatorCodes(tx, actorOf(request), type, count, ctx.clock.now()));
      // Shown once on the page after the redirect (and listed below it): a reload issues nothing.
      setFlash(ctx, reply, 'codes', '/backoffice/codes', { codes: issued.join(' '), type });
      return reply.redirect('/backoffice/codes', 303);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      return boPage(request, reply, 'bo-codes', {
        recent: await recentCodes(ctx.store.db), errors: formView(e.tree, request.locale), values: body,
      }, 400);
    }
  });

  op.get('/lookup', WEB, async (request, reply) => {
    const q = text(query(request).q);
    return boPage(request, reply, 'bo-lookup', { q: q ?? '', result: q ? await lookup(ctx.store.db, q) : undefined });
  });

  op.get('/ledger', WEB, async (request, reply) => {
    const [totals, last] = await Promise.all([ledgerTotals(ctx.store.db), lastVerification(ctx.store.db)]);
    return boPage(request, reply, 'bo-ledger', { totals, last });
  });

  op.post('/ledger/verify', post, async (request, reply) => {
    await runVerification(ctx.store, actorOf(request), ctx.clock.now());
    return reply.redirect('/backoffice/ledger', 303);
  });

  // What each background loop has due and how long the oldest item has waited (also: mpandco queues).
  op.get('/queues', WEB, async (request, reply) => {
    const queues = await queueBacklog(ctx.store.db, ctx.clock.now());
    return boPage(request, reply, 'bo-queues', { queues, age: formatAge, lateMin: DEFAULT_LATE_AFTER_MS / 60_000 });
  });

  op.get('/audit', WEB, async (request, reply) => {
    const q = query(request);
    const action = (AUDIT_ACTIONS as readonly unknown[]).includes(q.action) ? (q.action as string) : undefined;
    const target = text(q.target)?.slice(0, 200);
    const pageNo = Math.min(Math.max(intOf(q.page) ?? 1, 1), 100_000);
    const { rows, total } = await listAudit(ctx.store.db, { action, targetId: target, limit: AUDIT_PAGE, offset: (pageNo - 1) * AUDIT_PAGE });
    return boPage(request, reply, 'bo-audit', {
      rows, total, action, target, page: pageNo, pages: Math.max(1, Math.ceil(total / AUDIT_PAGE)), actions: AUDIT_ACTIONS,
    });
  });
}
