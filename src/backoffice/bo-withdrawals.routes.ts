import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Ctx } from '../context.ts';
import type { Actor } from '../audit/audit.service.ts';
import type { Tx } from '../db/store.ts';
import { NotFoundError, ValidationError } from '../shared/errors.ts';
import { doc, text } from '../shared/input.ts';
import { emptyForm, formView, type FormView } from '../onboarding/form-view.ts';
import { bankFile } from '../withdrawals/bank-file.ts';
import { exportRows, recentExports, withdrawalQueue, withdrawalTotals, WITHDRAWAL_STATUSES, type WithdrawalStatus } from '../withdrawals/withdrawals.repository.ts';
import { exportPending, markFailed, markPaid } from '../withdrawals/withdrawals.service.ts';
import { checkReason } from './app-admin.service.ts';
import { boPage } from './bo-page.ts';
import { setFlash, takeFlash } from '../web/flash.ts';
import { actorOf, idOf, statusOf, WEB } from './bo-queue.ts';
import './bo-wallet.messages.ts';


/** The withdrawals queue: exported as a file for the bank, then marked paid or failed one by one. */
export async function registerBoWithdrawals(op: FastifyInstance, ctx: Ctx): Promise<void> {
  const post = { config: { web: true }, preHandler: op.csrfProtection } as const;

  const renderWithdrawals = async (request: FastifyRequest, reply: FastifyReply, errors: FormView = emptyForm(), status = 200) => {
    const st = statusOf<WithdrawalStatus>(request, WITHDRAWAL_STATUSES);
    const flash = takeFlash(ctx, request, reply, 'withdrawals', '/backoffice/withdrawals');
    const [rows, totals, exports] = await Promise.all([withdrawalQueue(ctx.store.db, st), withdrawalTotals(ctx.store.db), recentExports(ctx.store.db)]);
    return boPage(request, reply, 'bo-withdrawals', { rows, totals, exports, status: st, statuses: WITHDRAWAL_STATUSES, errors, flash }, status);
  };

  const withdrawalStep = (run: (tx: Tx, actor: Actor, id: string, body: Record<string, unknown>, now: number) => Promise<Record<string, string>>, back: string) =>
    async (request: FastifyRequest, reply: FastifyReply) => {
      let notice: Record<string, string>;
      try {
        notice = await ctx.store.tx((tx) => run(tx, actorOf(request), idOf(request), doc(request.body), ctx.clock.now()));
      } catch (e) {
        if (!(e instanceof ValidationError)) throw e;
        return renderWithdrawals(request, reply, formView(e.tree, request.locale), 400);
      }
      setFlash(ctx, reply, 'withdrawals', '/backoffice/withdrawals', notice);
      return reply.redirect(`/backoffice/withdrawals${back}`, 303);
    };

  op.get('/withdrawals', WEB, async (request, reply) => renderWithdrawals(request, reply));

  op.post('/withdrawals/export', post, withdrawalStep(async (tx, actor, _id, _body, now) => {
    const id = await exportPending(tx, actor, now);
    const n = await tx.selectFrom('withdrawal_exports').select('item_count').where('id', '=', id).executeTakeFirstOrThrow();
    return { key: 'bo.exported', n: String(n.item_count), export: id };
  }, '?status=exported'));

  op.get('/withdrawals/exports/:id', WEB, async (request, reply) => {
    const rows = await exportRows(ctx.store.db, idOf(request));
    if (!rows.length) throw new NotFoundError();
    return reply.type('text/csv; charset=utf-8').header('cache-control', 'no-store')
      .header('content-disposition', `attachment; filename="retiros-${idOf(request).slice(0, 8)}.csv"`).send(bankFile(rows));
  });

  op.post('/withdrawals/:id/paid', post, withdrawalStep(async (tx, actor, id, _body, now) => {
    await markPaid(tx, actor, id, now);
    return { key: 'bo.withdrawal_paid' };
  }, '?status=exported'));

  op.post('/withdrawals/:id/failed', post, withdrawalStep(async (tx, actor, id, body, now) => {
    await markFailed(tx, actor, id, checkReason(text(body.reason), true)!, now);
    return { key: 'bo.withdrawal_failed' };
  }, '?status=failed'));
}
