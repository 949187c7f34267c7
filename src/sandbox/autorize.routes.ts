import type { FastifyInstance } from 'fastify';
import type { Ctx } from '../context.ts';
import { approveWithSandboxTester } from '../payment-intents/sandbox-approval.service.ts';
import { serializeIntent } from '../payment-intents/payment-intent.serializer.ts';
import { ForbiddenError } from '../shared/errors.ts';
import { safeEqual } from '../shared/ids.ts';
import { doc, text } from '../shared/input.ts';

/** GET /{secret-path}/payment-intent/autorize.json: automatic approval for automated tests. Sandbox only. */
export async function registerSandboxAutorize(app: FastifyInstance, ctx: Ctx): Promise<void> {
  if (ctx.env !== 'sandbox') return;
  app.get(`/${ctx.secrets.sandboxPath}/payment-intent/autorize.json`, async (request) => {
    const q = doc(request.query);
    const token = typeof q.access_token === 'string' ? q.access_token : '';
    if (!safeEqual(token, ctx.secrets.sandboxToken)) throw new ForbiddenError('intent.sandbox_forbidden');
    const row = await approveWithSandboxTester(
      ctx, text(q.id), q.payer === undefined ? undefined : (text(q.payer) ?? ''), text(q.pin)?.slice(0, 16),
    );
    return serializeIntent(ctx, ctx.store.db, row);
  });
}
