import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Ctx } from '../context.ts';
import { signIn } from '../accounts/accounts.service.ts';
import { t } from '../shared/i18n.ts';
import { doc, text } from '../shared/input.ts';
import { page, STATIC_DIR } from './render.ts';
import { endSession, sessionUser, startSession } from './session.ts';
import { sandboxUrls } from '../context.ts';
import { MAGIC_VALUES } from '../test-mode/magic-values.ts';
import { listTestPayers } from '../test-mode/test-payers.ts';

/** Only local paths may be a destination after sign-in. */
export function safeNext(next: unknown, fallback = '/wallet'): string {
  const s = text(next);
  return s && /^\/(?![/\\])[\x21-\x7e]*$/.test(s) ? s : fallback;
}

export async function requireUser(request: FastifyRequest, reply: import('fastify').FastifyReply) {
  if (!request.pageUser) {
    return reply.redirect(`/login?next=${encodeURIComponent(request.url)}`, 303);
  }
}

export async function registerPages(app: FastifyInstance, ctx: Ctx): Promise<void> {
  await app.register(fastifyStatic, { root: STATIC_DIR, prefix: '/static/', maxAge: 3600_000, decorateReply: false });

  // A callback hook: an API call (no page) passes through without a promise.
  app.addHook('preHandler', (request, _reply, done) => {
    if (!request.routeOptions.config?.web) return done();
    sessionUser(ctx, request, 'user').then((user) => {
      request.pageUser = user;
      done();
    }, done);
  });

  app.get('/', { config: { web: true } }, async (request, reply) => {
    if (ctx.env !== 'sandbox') return page(request, reply, 'home', { codesUrl: null });
    // The sandbox's test payers with their credentials (a signed-in business sees its own too) and its magic values.
    const business = request.pageUser?.kind === 'business' ? request.pageUser.id : undefined;
    return page(request, reply, 'home', {
      codesUrl: sandboxUrls(ctx).codes, testPayers: await listTestPayers(ctx.store.db, business), magicValues: MAGIC_VALUES,
      realNowMs: ctx.clock.now(), business: Boolean(business),
    });
  });

  app.get('/lang/:locale', { config: { web: true } }, async (request, reply) => {
    const { locale } = request.params as { locale: string };
    const chosen = locale === 'en' ? 'en' : 'es';
    reply.setCookie('lang', chosen, { path: '/', maxAge: 365 * 86400, sameSite: 'lax', httpOnly: true });
    // Browsers drop tabs and newlines from a Location, so "/\t/evil" must not pass as local.
    return reply.redirect(safeNext((request.query as Record<string, unknown>).next, '/'), 303);
  });

  app.get('/login', { config: { web: true } }, async (request, reply) => {
    if (request.pageUser) return reply.redirect('/wallet', 303);
    const q = request.query as Record<string, unknown>;
    return page(request, reply, 'login', { next: safeNext(q.next), notice: q.out ? t(request.locale, 'web.signed_out') : undefined });
  });

  app.post('/login', {
    config: { web: true, rateLimit: { max: 30, timeWindow: '1 minute' } },
    preHandler: app.csrfProtection,
  }, async (request, reply) => {
    const body = doc(request.body);
    const login = text(body.login) ?? '';
    const result = await signIn(ctx.store.autocommit, login, typeof body.password === 'string' ? body.password : '', ctx.clock.now(), ['personal', 'business']);
    if (!result.ok) {
      const error = result.reason === 'locked'
        ? t(request.locale, 'account.login_locked', { minutes: result.minutes ?? 15 })
        : result.reason === 'disabled' ? t(request.locale, 'account.disabled') : t(request.locale, 'account.login_failed');
      return page(request, reply, 'login', { error, login, next: safeNext(body.next) }, 401);
    }
    await startSession(ctx, reply, result.user.id, 'user');
    return reply.redirect(safeNext(body.next), 303);
  });

  app.post('/logout', { config: { web: true }, preHandler: app.csrfProtection }, async (request, reply) => {
    await endSession(ctx, request, reply, 'user');
    return reply.redirect('/login?out=1', 303);
  });
}

/** Features that add buttons to the wallet page register a renderer here. */
type WalletAction = (request: FastifyRequest) => Promise<string> | string;
const walletActionRenderers: WalletAction[] = [];
export function addWalletAction(fn: WalletAction): void {
  walletActionRenderers.push(fn);
}
/** The wallet page's extra blocks, in the order features registered them. */
export async function walletActionsHtml(request: FastifyRequest): Promise<string> {
  const parts = await Promise.all(walletActionRenderers.map(async (fn) => fn(request)));
  return parts.join('');
}
