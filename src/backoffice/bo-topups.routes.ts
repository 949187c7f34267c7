import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Ctx } from '../context.ts';
import type { Actor } from '../audit/audit.service.ts';
import type { Tx } from '../db/store.ts';
import { NotFoundError, ValidationError } from '../shared/errors.ts';
import { doc, text } from '../shared/input.ts';
import { emptyForm, formView, type FormView } from '../onboarding/form-view.ts';
import { applyImport, createImport, importView } from '../topups/topup-import.service.ts';
import { receiptOf, topupQueue, topupTotals, TOPUP_STATUSES, type TopupStatus } from '../topups/topups.repository.ts';
import { confirmTopup, decideTopup, refuseTopup } from '../topups/topups.service.ts';
import { checkReason } from './app-admin.service.ts';
import { boPage } from './bo-page.ts';
import { setFlash, takeFlash } from '../web/flash.ts';
import { actorOf, idOf, statusOf, WEB } from './bo-queue.ts';
import './bo-wallet.messages.ts';


/** The top-ups queue: confirmed or refused one by one, or by importing the bank's statement. */
export async function registerBoTopups(op: FastifyInstance, ctx: Ctx): Promise<void> {
  const post = { config: { web: true }, preHandler: op.csrfProtection } as const;


  const renderTopups = async (request: FastifyRequest, reply: FastifyReply, errors: FormView = emptyForm(), status = 200) => {
    const st = statusOf<TopupStatus>(request, TOPUP_STATUSES);
    const flash = takeFlash(ctx, request, reply, 'topups', '/backoffice/topups');
    const [rows, totals] = await Promise.all([topupQueue(ctx.store.db, st), topupTotals(ctx.store.db)]);
    return boPage(request, reply, 'bo-topups', { rows, totals, status: st, statuses: TOPUP_STATUSES, errors, flash }, status);
  };

  /** A decision with its audit row in one transaction, then back to the queue with a notice. */
  const decide = (run: (tx: Tx, actor: Actor, id: string, body: Record<string, unknown>, now: number) => Promise<Record<string, string>>) =>
    async (request: FastifyRequest, reply: FastifyReply) => {
      let notice: Record<string, string> = {};
      try {
        await decideTopup(ctx, async (tx) => {
          notice = await run(tx, actorOf(request), idOf(request), doc(request.body), ctx.clock.now());
        });
      } catch (e) {
        if (!(e instanceof ValidationError)) throw e;
        return renderTopups(request, reply, formView(e.tree, request.locale), 400);
      }
      setFlash(ctx, reply, 'topups', '/backoffice/topups', notice);
      return reply.redirect('/backoffice/topups', 303);
    };

  op.get('/topups', WEB, async (request, reply) => renderTopups(request, reply));

  op.post('/topups/:id/confirm', post, decide(async (tx, actor, id, _body, now) => ({ key: 'bo.topup_confirmed', ref: await confirmTopup(tx, actor, id, now) })));

  op.post('/topups/:id/refuse', post, decide(async (tx, actor, id, body, now) => {
    await refuseTopup(tx, actor, id, checkReason(text(body.reason), true)!, now);
    return { key: 'bo.topup_refused' };
  }));

  op.get('/topups/:id/receipt', WEB, async (request, reply) => {
    const r = await receiptOf(ctx.store.db, idOf(request));
    if (!r) throw new NotFoundError();
    return reply.type(r.content_type).header('cache-control', 'no-store').header('content-security-policy', "default-src 'none'; sandbox").send(r.data);
  });

  op.post('/topups/import', post, async (request, reply) => {
    try {
      const id = await createImport(ctx, actorOf(request), request.uploads?.get('statement'));
      return reply.redirect(`/backoffice/topups/imports/${id}`, 303);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      return renderTopups(request, reply, formView(e.tree, request.locale), 400);
    }
  });

  const renderImport = async (request: FastifyRequest, reply: FastifyReply, errors: FormView = emptyForm(), status = 200) =>
    boPage(request, reply, 'bo-topup-import', { view: await importView(ctx, idOf(request)), errors }, status);

  op.get('/topups/imports/:id', WEB, async (request, reply) => renderImport(request, reply));

  op.post('/topups/imports/:id/apply', post, async (request, reply) => {
    try {
      await applyImport(ctx, actorOf(request), idOf(request));
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      return renderImport(request, reply, formView(e.tree, request.locale), 400);
    }
    return reply.redirect(`/backoffice/topups/imports/${idOf(request)}`, 303);
  });
}
