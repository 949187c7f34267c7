import type { FastifyInstance } from 'fastify';
import type { Ctx } from '../context.ts';
import { isSandbox } from '../context.ts';
import { ForbiddenError } from '../shared/errors.ts';
import { safeEqual } from '../shared/ids.ts';
import { issueCodes } from '../onboarding/codes.service.ts';
import '../onboarding/onboarding.messages.ts';

/**
 * The sandbox's codes link: every call mints a fresh pair of single-use affiliation codes.
 * Never registered in production, so there it is an ordinary 404.
 */
export async function registerSandboxCodes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  if (!isSandbox(ctx)) return;
  app.get(`/${ctx.secrets.sandboxPath}/codes.json`, {
    config: { rateLimit: { max: 120, timeWindow: '1 minute' } },
  }, async (request, reply) => {
    const token = (request.query as Record<string, unknown>).access_token;
    if (typeof token !== 'string' || !safeEqual(token, ctx.secrets.sandboxToken)) {
      throw new ForbiddenError('onboarding.sandbox_token_invalid');
    }
    const now = ctx.clock.now();
    const [regular, commercial] = await ctx.store.tx(async (tx) => [
      (await issueCodes(tx, 'regular', 1, null, now))[0],
      (await issueCodes(tx, 'commercial', 1, null, now))[0],
    ]);
    reply.header('cache-control', 'no-store');
    return { regular, commercial };
  });
}
