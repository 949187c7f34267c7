import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import type { Ctx } from '../context.ts';
import { API_DOCS } from './schemas.ts';

/**
 * Must run before any route registers: it attaches the documentation schemas as routes
 * appear, and keeps Fastify from validating or serializing with them (the services
 * validate, so that errors come out as the contract's 400 tree).
 */
export async function registerDocs(app: FastifyInstance, ctx: Ctx): Promise<void> {
  app.setValidatorCompiler(() => (data) => ({ value: data }));
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const doc = API_DOCS[`${methods[0]} ${route.url}`];
    if (doc && !route.schema) route.schema = doc;
    else if (!doc && !route.url.startsWith('/docs')) route.schema = { ...(route.schema ?? {}), hide: true };
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: `mPandco API (${ctx.env})`,
        version: '1.0.0',
        description: 'Merchant API: OAuth2 tokens, payment intents (payment button and billing), payments, mass payouts. '
          + 'Every POST accepts application/x-www-form-urlencoded with bracket names, multipart/form-data, or JSON. '
          + 'Messages are Spanish by default, English with Accept-Language: en.',
      },
      servers: [{ url: ctx.config.publicUrl }],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
  app.get('/docs/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
