import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Ctx } from '../context.ts';
import { requireBusiness } from '../apps/apps.page.ts';
import { isRedirectable, withQuery } from '../checkout/checkout.urls.ts';
import { translateTree } from '../http/errors.ts';
import { ValidationError } from '../shared/errors.ts';
import { t } from '../shared/i18n.ts';
import { doc, text } from '../shared/input.ts';
import { HOUR_MS, DAY_MS } from '../shared/clock.ts';
import { MAGIC_VALUES } from '../test-mode/magic-values.ts';
import { listTestPayers } from '../test-mode/test-payers.ts';
import { setFlash } from '../web/flash.ts';
import { requireUser } from '../web/pages.routes.ts';
import { page } from '../web/render.ts';
import { approveWithSandboxTester } from './approval.service.ts';
import { advanceClock, clockState, resetClock } from './clock.service.ts';
import { createPayer } from './demo.ts';
import { unlockPin, unlockTestPayerPin } from './pin.service.ts';
import './tools.messages.ts';

// The sandbox's developer tools on pages: a business's test clock and test payers
// (/settings/sandbox, and the clock on each app's page), "Desbloquear PIN" for a person on
// their wallet, and "Aprobar como" on the checkout page. Production registers none of them.

const TOOLS = '/settings/sandbox';
const BACK = /^\/settings\/(sandbox|apps\/[0-9a-zA-Z-]{1,64})$/;
const TEST_PAYER_FUNDS_MINOR = 1_000_00;

/** Where a clock form returns: its own page (the tools page or an app's), never elsewhere. */
const backOf = (body: Record<string, unknown>) => {
  const back = text(body.back) ?? TOOLS;
  return BACK.test(back) ? back : TOOLS;
};

const firstMessage = (e: ValidationError, locale: 'es' | 'en') => {
  const tree = translateTree(e.tree, locale);
  const children = Object.values(tree.children ?? {}) as { errors?: string[] }[];
  return [...(tree.errors ?? []), ...children.flatMap((c) => c.errors ?? [])][0] ?? '';
};

async function renderTools(ctx: Ctx, request: FastifyRequest, reply: FastifyReply, extra: { notice?: string; error?: string } = {}, status = 200) {
  const owner = request.pageUser!.id;
  const [testClock, testPayers] = await Promise.all([clockState(ctx, owner), listTestPayers(ctx.store.db, owner)]);
  return page(request, reply, 'sandbox-tools', {
    testClock, testPayers, magicValues: MAGIC_VALUES, clockBack: TOOLS, realNowMs: ctx.clock.now(), ...extra,
  }, status);
}

function doneNotice(request: FastifyRequest): string | undefined {
  const q = request.query as Record<string, unknown>;
  const who = (text(q.u) ?? '').slice(0, 64);
  switch (q.done) {
    case 'clock': return t(request.locale, 'sandbox.clock_advanced', { offset: (text(q.by) ?? '').slice(0, 20) });
    case 'reset': return t(request.locale, 'sandbox.clock_was_reset');
    case 'payer': return t(request.locale, 'sandbox.payer_created', { username: who });
    case 'unlock': return t(request.locale, 'sandbox.pin_unlocked_of', { username: who });
    default: return undefined;
  }
}

export async function registerSandboxTools(app: FastifyInstance, ctx: Ctx): Promise<void> {
  if (ctx.env !== 'sandbox') return;
  const web = { config: { web: true }, preHandler: requireBusiness };
  const post = { config: { web: true }, preHandler: [requireBusiness, app.csrfProtection] };
  const merchant = (request: FastifyRequest) => ({ operatorId: request.pageUser!.id, via: 'merchant' as const });

  app.get(TOOLS, web, async (request, reply) => renderTools(ctx, request, reply, { notice: doneNotice(request) }));

  app.post(`${TOOLS}/clock`, post, async (request, reply) => {
    const body = doc(request.body);
    const amount = text(body.amount) ?? '';
    const unitMs = body.unit === 'd' ? DAY_MS : HOUR_MS;
    try {
      if (!/^\d{1,5}$/.test(amount) || Number(amount) < 1) throw ValidationError.global('sandbox.clock_amount_invalid');
      const state = await advanceClock(ctx, request.pageUser!.id, Number(amount) * unitMs, merchant(request));
      const back = backOf(body);
      return reply.redirect(back === TOOLS ? `${TOOLS}?done=clock&by=${encodeURIComponent(state.offset)}` : `${back}#test-clock`, 303);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      return renderTools(ctx, request, reply, { error: firstMessage(e, request.locale) }, 400);
    }
  });

  app.post(`${TOOLS}/clock/reset`, post, async (request, reply) => {
    await resetClock(ctx, request.pageUser!.id, merchant(request));
    const back = backOf(doc(request.body));
    return reply.redirect(back === TOOLS ? `${TOOLS}?done=reset` : `${back}#test-clock`, 303);
  });

  app.post(`${TOOLS}/payers`, { ...post, config: { web: true, rateLimit: { max: 20, timeWindow: '1 minute' } } }, async (request, reply) => {
    const p = await createPayer(ctx, TEST_PAYER_FUNDS_MINOR, { testPayerOf: request.pageUser!.id });
    return reply.redirect(`${TOOLS}?done=payer&u=${encodeURIComponent(p.username)}#test-payers`, 303);
  });

  app.post<{ Params: { id: string } }>(`${TOOLS}/payers/:id/unlock-pin`, post, async (request, reply) => {
    const username = await unlockTestPayerPin(ctx, request.pageUser!.id, request.params.id.slice(0, 64));
    return reply.redirect(`${TOOLS}?done=unlock&u=${encodeURIComponent(username)}#test-payers`, 303);
  });

  // A person's own PIN, from their wallet.
  app.post('/wallet/unlock-pin', { config: { web: true }, preHandler: [requireUser, app.csrfProtection] }, async (request, reply) => {
    const user = request.pageUser!;
    await unlockPin(ctx, user.id, { operatorId: user.id, via: user.kind === 'business' ? 'merchant' : 'person' });
    return reply.redirect('/wallet?pin=unlocked', 303);
  });

  // "Aprobar como" on the checkout page: a test payer (or the automatic test buyer) approves the sale.
  app.post<{ Params: { id: string } }>('/p/express-checkout/:id/1/approve-as', {
    config: { web: true, rateLimit: { max: 30, timeWindow: '1 minute' } }, preHandler: app.csrfProtection,
  }, async (request, reply) => {
    const id = request.params.id.slice(0, 64);
    const checkoutPath = `/p/express-checkout/${encodeURIComponent(id)}/1`;
    const as = (text(doc(request.body).as) ?? '').toLowerCase().slice(0, 64);
    try {
      const owner = await ctx.store.db.selectFrom('payment_intents').select('owner_user_id').where('id', '=', id).executeTakeFirst();
      const chosen = as && owner ? (await listTestPayers(ctx.store.db, owner.owner_user_id)).find((p) => p.username === as) : undefined;
      if (as && !chosen) throw ValidationError.global('intent.sandbox_payer_unknown');
      const row = await approveWithSandboxTester(ctx, id, chosen?.username, chosen?.pin);
      if (!isRedirectable(row.return_url)) return reply.redirect(checkoutPath, 303);
      return reply.redirect(withQuery(row.return_url, { paymentIntent: row.id, payerId: row.payer_user_id ?? '' }), 303);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      setFlash(ctx, reply, 'approve_as', checkoutPath, { error: t(request.locale, 'sandbox.approve_as_failed', { reason: firstMessage(e, request.locale) }) });
      return reply.redirect(checkoutPath, 303);
    }
  });
}
