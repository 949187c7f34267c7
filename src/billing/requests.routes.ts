import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Ctx } from '../context.ts';
import { walletsOf } from '../accounts/accounts.service.ts';
import { NotFoundError } from '../shared/errors.ts';
import { t } from '../shared/i18n.ts';
import { doc, text } from '../shared/input.ts';
import { page, renderFragment } from '../web/render.ts';
import { addWalletAction, requireUser } from '../web/pages.routes.ts';
import { declineRequest, payRequest, RequestRefused } from './pay-request.service.ts';
import { paymentRefsOf, pendingRequestsFor, requestForPayer, type RequestWithMerchant } from './requests.repository.ts';
import { requestView } from './requests.view.ts';

// The payer's side of billing requests: the list on /wallet and a page per request to pay
// it with the PIN or decline it. Plain forms; they work without JavaScript.

interface PageForm {
  fields: Record<string, string[]>;
  global: string[];
}
type Params = { Params: { id: string } };

// Registered once per process (the list is module-wide), not once per environment.
addWalletAction(async (request) => {
  const user = request.pageUser;
  if (!user) return '';
  const now = request.ctx.clock.now();
  const rows = await pendingRequestsFor(request.ctx.store.db, user.id, now);
  if (rows.length === 0) return '';
  return renderFragment(request.locale, 'requests-pending', { requests: rows.map((r) => requestView(r, now)) });
});

async function loadOwn(ctx: Ctx, request: FastifyRequest<Params>): Promise<RequestWithMerchant> {
  const row = await requestForPayer(ctx.store.db, request.pageUser!.id, request.params.id);
  if (!row) throw new NotFoundError('intent.not_found');
  return row;
}

async function render(
  ctx: Ctx, request: FastifyRequest, reply: FastifyReply, row: RequestWithMerchant,
  extra: { form?: PageForm; notice?: string; account?: string } = {}, status = 200,
) {
  const [wallets, refs] = await Promise.all([walletsOf(ctx.store.db, request.pageUser!.id), paymentRefsOf(ctx.store.db, row.id)]);
  const accounts = wallets.filter((w) => w.kind === 'wallet')
    .map((w) => ({ id: w.id, handle: w.handle, balanceMinor: Number(w.balance_minor) }));
  const view = requestView(row, ctx.clock.now());
  const preferred = extra.account ?? accounts.find((a) => a.balanceMinor >= view.totalMinor)?.id ?? accounts[0]?.id;
  return page(request, reply, 'requests-show', {
    request: view, accounts, refs, values: { account: preferred }, form: extra.form ?? { fields: {}, global: [] },
    notice: extra.notice,
  }, status);
}

function refusalForm(request: FastifyRequest, e: RequestRefused): PageForm {
  const msg = t(request.locale, e.refusal.key, e.refusal.params);
  if (e.refusal.field === 'pin') return { fields: { pin: [msg] }, global: [] };
  if (e.refusal.field === 'payToken') return { fields: { account: [msg] }, global: [] };
  return { fields: {}, global: [msg] };
}

export function registerRequestPages(app: FastifyInstance, ctx: Ctx): void {
  const web = { config: { web: true }, preHandler: requireUser };
  const post = { config: { web: true }, preHandler: [requireUser, app.csrfProtection] };

  app.get<Params>('/wallet/requests/:id', web, async (request, reply) => {
    const row = await loadOwn(ctx, request);
    const q = doc(request.query);
    let notice: string | undefined;
    if (q.paid && row.state === 'executed') {
      notice = t(request.locale, 'billing.paid_notice', { ref: (await paymentRefsOf(ctx.store.db, row.id)).join(', ') });
    } else if (q.declined && row.state === 'rejected') notice = t(request.locale, 'billing.declined_notice');
    return render(ctx, request, reply, row, { notice });
  });

  app.post<Params>('/wallet/requests/:id/pay', post, async (request, reply) => {
    const row = await loadOwn(ctx, request);
    const body = doc(request.body);
    const account = (text(body.account) ?? '').slice(0, 64);
    const pin = typeof body.pin === 'string' ? body.pin.slice(0, 16) : '';
    try {
      await payRequest(ctx, row, { accountId: account, pin });
      return reply.redirect(`/wallet/requests/${encodeURIComponent(row.id)}?paid=1`, 303);
    } catch (e) {
      if (!(e instanceof RequestRefused)) throw e;
      const fresh = (await requestForPayer(ctx.store.db, request.pageUser!.id, row.id)) ?? row;
      return render(ctx, request, reply, fresh, { form: refusalForm(request, e), account }, 400);
    }
  });

  app.post<Params>('/wallet/requests/:id/decline', post, async (request, reply) => {
    const row = await loadOwn(ctx, request);
    try {
      await declineRequest(ctx, request.pageUser!.id, row.id);
      return reply.redirect(`/wallet/requests/${encodeURIComponent(row.id)}?declined=1`, 303);
    } catch (e) {
      if (!(e instanceof RequestRefused)) throw e;
      const fresh = (await requestForPayer(ctx.store.db, request.pageUser!.id, row.id)) ?? row;
      return render(ctx, request, reply, fresh, { form: refusalForm(request, e) }, 400);
    }
  });
}
