import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import rateLimit from '@fastify/rate-limit';
import { sql } from 'kysely';
import type { Ctx } from './context.ts';
import { canonicalApiUrl } from './http/api-paths.ts';
import { registerBodyParsers, BODY_LIMIT_BYTES } from './http/body.ts';
import { answerClientError, HTTP_TIMEOUTS, serverTimeouts } from './http/connections.ts';
import { registerErrorHandling } from './http/errors.ts';
import { securityHeaders } from './http/security-headers.ts';
import { rateLimitStore } from './http/rate-limit.ts';
import { localeFromHeader, type Locale } from './shared/i18n.ts';
import { renderWebError } from './web/render.ts';
import { registerPages } from './web/pages.routes.ts';
import { FEATURES } from './features.ts';
import { registerDocs } from './docs/docs.routes.ts';

export interface AppOptions {
  logger?: boolean | object;
  https?: { key: Buffer; cert: Buffer };
}

/** The Fastify app of one environment. Sandbox and production each get their own. */
export async function buildApp(ctx: Ctx, opts: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger === undefined ? false : (opts.logger as never),
    ...(opts.https ? { https: { ...opts.https, ...serverTimeouts } } : { http: serverTimeouts }),
    keepAliveTimeout: HTTP_TIMEOUTS.keepAliveMs,
    requestTimeout: HTTP_TIMEOUTS.requestMs,
    clientErrorHandler: answerClientError,
    trustProxy: ctx.config.trustProxy,
    bodyLimit: BODY_LIMIT_BYTES,
    requestIdHeader: 'x-request-id',
    genReqId: () => crypto.randomUUID(),
    routerOptions: { ignoreTrailingSlash: false, maxParamLength: 200 },
    rewriteUrl: (req) => canonicalApiUrl(req.url ?? '/'),
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });

  app.decorateRequest('ctx', { getter: () => ctx });
  app.decorateRequest('locale', 'es' as Locale);
  await app.register(cookie, { secret: ctx.secrets.cookieSecret });
  const headers = securityHeaders(ctx.config.publicUrl.startsWith('https:'));
  // After the cookie plugin, so that the language cookie is already parsed.
  // Hooks that do no I/O take a callback: no promise per request.
  app.addHook('onRequest', (request, reply, done) => {
    const cookieLang = request.cookies?.lang;
    request.locale = cookieLang === 'en' || cookieLang === 'es' ? cookieLang : localeFromHeader(request.headers['accept-language']);
    reply.headers(headers);
    reply.header('x-request-id', request.id);
    done();
  });
  await app.register(csrf, {
    cookieKey: '_csrf_secret',
    cookieOpts: { path: '/', httpOnly: true, sameSite: 'lax', signed: true, secure: ctx.config.publicUrl.startsWith('https:') },
  });
  // Counted in the store, so that every node behind a load balancer counts against one limit.
  await app.register(rateLimit, { global: false, store: rateLimitStore(ctx) });
  await registerBodyParsers(app);
  registerErrorHandling(app, renderWebError);

  await registerDocs(app, ctx);

  app.get('/health', async (_request, reply) => {
    try {
      await sql`select 1`.execute(ctx.store.db);
      return { status: 'ok', env: ctx.env, store: ctx.store.dialect };
    } catch {
      return reply.code(503).send({ status: 'unavailable', env: ctx.env, store: ctx.store.dialect });
    }
  });

  await registerPages(app, ctx);
  for (const feature of FEATURES) await feature(app, ctx);
  return app;
}
