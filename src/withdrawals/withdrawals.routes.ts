import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Ctx } from '../context.ts';
import { walletsOf } from '../accounts/accounts.service.ts';
import { ValidationError } from '../shared/errors.ts';
import { doc, text } from '../shared/input.ts';
import { emptyForm, formView, type FormView } from '../onboarding/form-view.ts';
import { newConfirmationNonce } from '../wallet/transfer.service.ts';
import { requireUser } from '../web/pages.routes.ts';
import { page } from '../web/render.ts';
import { WITHDRAW_ORDER, type WithdrawInput } from './withdrawal.form.ts';
import { withdrawalsOf } from './withdrawals.repository.ts';
import { requestWithdrawal, usedToday } from './withdrawals.service.ts';
import './withdrawals.messages.ts';

function readWithdraw(body: Record<string, unknown>): WithdrawInput {
  const s = (k: string, max: number) => (typeof body[k] === 'string' ? (body[k] as string).slice(0, max) : '');
  return { bankAccount: s('bankAccount', 40), holderDocument: s('holderDocument', 20), amount: s('amount', 40) };
}

export async function registerWithdrawals(app: FastifyInstance, ctx: Ctx): Promise<void> {
  const web = { config: { web: true }, preHandler: requireUser };
  const post = { config: { web: true, rateLimit: { max: 20, timeWindow: '1 minute' } }, preHandler: [requireUser, app.csrfProtection] };

  const render = async (request: FastifyRequest, reply: FastifyReply, values: Partial<WithdrawInput>, form: FormView, nonce: string, status = 200) => {
    const userId = request.pageUser!.id;
    const [[account], user, mine, today] = await Promise.all([
      walletsOf(ctx.store.db, userId),
      ctx.store.db.selectFrom('users').select('document').where('id', '=', userId).executeTakeFirstOrThrow(),
      withdrawalsOf(ctx.store.db, userId),
      usedToday(ctx.store.db, userId, ctx.clock.now()),
    ]);
    const done = status === 200 ? mine.find((w) => w.id === text((request.query as Record<string, unknown>).done)) : undefined;
    return page(request, reply, 'withdraw', {
      account, document: user.document ?? '', mine, today, settings: ctx.config.wallet, values, form, nonce, done,
    }, status);
  };

  app.get('/wallet/withdraw', web, async (request, reply) => render(request, reply, {}, emptyForm(), newConfirmationNonce(ctx.clock.now())));

  app.post('/wallet/withdraw', post, async (request, reply) => {
    const body = doc(request.body);
    const input = readWithdraw(body);
    const nonce = text(body.nonce) ?? '';
    const pin = typeof body.pin === 'string' ? body.pin.slice(0, 16) : '';
    try {
      const id = await requestWithdrawal(ctx, request.pageUser!.id, input, pin, nonce);
      return reply.redirect(`/wallet/withdraw?done=${id}`, 303);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      // The same form again keeps its nonce: sent twice, it still withdraws once.
      return render(request, reply, input, formView(e.tree, request.locale, WITHDRAW_ORDER), nonce, 400);
    }
  });
}
