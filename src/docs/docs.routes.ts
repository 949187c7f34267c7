import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import type { Ctx } from '../context.ts';
import { compileValidator } from '../http/validation.ts';

/**
 * Must run before any route registers. Each API route carries its schema (`*.schema.ts`):
 * Ajv checks requests against it (errors become the contract's 400 tree), its 200 answer is
 * written by fast-json-stringify, and this document is generated from it. Routes without a
 * schema (pages, helpers) are left out of the document.
 */
export async function registerDocs(app: FastifyInstance, ctx: Ctx): Promise<void> {
  app.setValidatorCompiler(compileValidator);
  app.addHook('onRoute', (route) => {
    if (!route.schema) route.schema = { hide: true };
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: `mPandco API (${ctx.env})`,
        version: '1.0.0',
        description: 'Merchant API: OAuth2 tokens, payment intents (payment button and billing), payments, mass payouts. '
          + 'Every POST accepts application/x-www-form-urlencoded with bracket names, multipart/form-data, or JSON. '
          + 'Messages are Spanish by default, English with Accept-Language: en. '
          + 'Step-by-step guides with curl: [/docs/guia](/docs/guia) (español), [/docs/guide](/docs/guide) (English).',
      },
      servers: [{ url: ctx.config.publicUrl }],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
  app.get('/docs/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
