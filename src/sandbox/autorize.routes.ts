import type { FastifyInstance } from 'fastify';
import type { Ctx } from '../context.ts';
import { approveWithSandboxTester } from './approval.service.ts';
import { serializeIntent } from '../payment-intents/payment-intent.serializer.ts';
import { ForbiddenError, NotFoundError } from '../shared/errors.ts';
import { defineMessages } from '../shared/i18n.ts';
import { safeEqual } from '../shared/ids.ts';
import { doc, text } from '../shared/input.ts';

const m = defineMessages({
  'sandbox.behat_unsupported': {
    es: 'Este sandbox no ejecuta pasos de Behat. Cree los datos de prueba con «npx mpandco sandbox merchant» y «npx mpandco sandbox payer», o registrándose en el sandbox; autorice ventas con autorize.json.',
    en: 'This sandbox does not run Behat steps. Create test data with “npx mpandco sandbox merchant” and “npx mpandco sandbox payer”, or by registering in the sandbox; approve sales with autorize.json.',
  },
});

/** GET /{secret-path}/payment-intent/autorize.json: automatic approval for automated tests. Sandbox only. */
export async function registerSandboxAutorize(app: FastifyInstance, ctx: Ctx): Promise<void> {
  if (ctx.env !== 'sandbox') return;
  const tokenOk = (query: unknown, body?: unknown) => {
    const token = text(doc(query).access_token) ?? text(doc(body).access_token) ?? '';
    if (!safeEqual(token, ctx.secrets.sandboxAutorizeToken)) throw new ForbiddenError('intent.sandbox_forbidden');
  };
  app.get(`/${ctx.secrets.sandboxPath}/payment-intent/autorize.json`, async (request) => {
    tokenOk(request.query);
    const q = doc(request.query);
    const row = await approveWithSandboxTester(
      ctx, text(q.id), q.payer === undefined ? undefined : (text(q.payer) ?? ''), text(q.pin)?.slice(0, 16),
    );
    return serializeIntent(ctx, ctx.store.db, row, request.locale);
  });

  // The PHP SDK's own test suite first posts Behat steps that build fixtures on the original
  // platform's servers; this sandbox has its own ways to make them, and says which.
  app.post(`/${ctx.secrets.sandboxPath}/context/behat-steps.json`, async (request) => {
    tokenOk(request.query, request.body);
    throw new NotFoundError(m['sandbox.behat_unsupported']);
  });
}
