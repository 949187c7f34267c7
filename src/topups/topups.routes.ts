import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Ctx } from '../context.ts';
import { bankOf, BANKS } from '../payouts/banks.ts';
import { ValidationError } from '../shared/errors.ts';
import { doc } from '../shared/input.ts';
import { emptyForm, formView, type FormView } from '../onboarding/form-view.ts';
import { addWalletAction, requireUser } from '../web/pages.routes.ts';
import { page, renderFragment } from '../web/render.ts';
import { TOPUP_ORDER, todayInCaracas, type TopupInput } from './topup.form.ts';
import { topupsOf } from './topups.repository.ts';
import { declareTopup } from './topups.service.ts';
import './topups.messages.ts';

const BANK_OPTIONS = Object.entries(BANKS).map(([code, name]) => ({ value: code, label: `${code} ${name}` }));

function readTopup(body: Record<string, unknown>): TopupInput {
  const s = (k: string, max: number) => (typeof body[k] === 'string' ? (body[k] as string).slice(0, max) : '');
  return { method: s('method', 20), bank: s('bank', 8), reference: s('reference', 40), amount: s('amount', 40), paidOn: s('paidOn', 20) };
}

// Registered once per process (the list is module-wide): the wallet's "Recargar" button and pending top-ups.
addWalletAction(async (request) => {
  const mine = await topupsOf(request.ctx.store.db, request.pageUser!.id, 50);
  const pending = mine.filter((x) => x.status === 'pending');
  return renderFragment(request.locale, 'topup-wallet-action', {
    pending: pending.length, pendingMinor: pending.reduce((s, x) => s + Number(x.amount_minor), 0),
  });
});

export async function registerTopups(app: FastifyInstance, ctx: Ctx): Promise<void> {
  const web = { config: { web: true }, preHandler: requireUser };
  const post = { config: { web: true, rateLimit: { max: 20, timeWindow: '1 minute' } }, preHandler: [requireUser, app.csrfProtection] };
  const bank = ctx.config.wallet.bank;
  const platform = { ...bank, bankName: bankOf(bank.accountNumber)?.name ?? bank.accountNumber.slice(0, 4), bankCode: bank.accountNumber.slice(0, 4) };

  const render = async (request: FastifyRequest, reply: FastifyReply, values: Partial<TopupInput>, form: FormView, status = 200) => page(request, reply, 'topup', {
    platform, banks: BANK_OPTIONS, values, form, mine: await topupsOf(ctx.store.db, request.pageUser!.id),
    sent: status === 200 && Boolean((request.query as Record<string, unknown>).sent),
  }, status);

  app.get('/wallet/topup', web, async (request, reply) =>
    render(request, reply, { method: 'transfer', paidOn: todayInCaracas(ctx.clock.now()) }, emptyForm()));

  app.post('/wallet/topup', post, async (request, reply) => {
    const input = readTopup(doc(request.body));
    try {
      await declareTopup(ctx, request.pageUser!.id, input, request.uploads?.get('receipt'));
      return reply.redirect('/wallet/topup?sent=1', 303);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      return render(request, reply, input, formView(e.tree, request.locale, TOPUP_ORDER), 400);
    }
  });
}
