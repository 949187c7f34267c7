import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer, type TestServer } from '../helpers/env.ts';
import { get } from '../helpers/http.ts';

describe('API documentation', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await testServer();
  });
  afterAll(async () => s.close());

  it('serves an OpenAPI 3 document built from the route schemas', async () => {
    const r = await get(`${s.baseUrl}/docs/openapi.json`);
    expect(r.status).toBe(200);
    expect(r.body.openapi).toMatch(/^3\./);
    // Only routes that are registered appear; the health route is hidden.
    expect(Object.keys(r.body.paths)).not.toContain('/health');
    for (const p of Object.keys(r.body.paths)) expect(p.startsWith('/api/') || p.startsWith('/oauth/')).toBe(true);
    expect(Object.keys(r.body.paths)).toEqual(expect.arrayContaining([
      '/oauth/v2/token', '/api/payment-intent/.json', '/api/payment-intent/show.json',
      '/api/payment-intent/execute/sale.json', '/api/payment/find.json', '/api/user/profile.json',
    ]));
    const create = r.body.paths['/api/payment-intent/.json'].post;
    expect(create.requestBody.content['application/json'].schema.properties.paymentintent.required).toContain('intent');
    expect(create.security).toEqual([{ bearer: [] }]);
  });

  // A route without a schema is hidden from the document, so this fails for it too.
  it('documents every /api route the app serves, each method, with request, answer and a valid example', async () => {
    const doc = (await get(`${s.baseUrl}/docs/openapi.json`)).body;
    const served = [...s.app.printRoutes({ commonPrefix: false }).matchAll(/(api\/\S+) \(([^)]+)\)/g)]
      .flatMap(([, path, methods]) => methods.split(', ').filter((x) => x !== 'HEAD').map((x) => [x.toLowerCase(), `/${path}`]));
    expect(served.length).toBeGreaterThanOrEqual(15);
    const ajv = new Ajv({ strict: false });
    for (const [method, path] of served) {
      const op = doc.paths[path]?.[method];
      expect(op, `${method} ${path}`).toMatchObject({ summary: expect.any(String), tags: expect.any(Array), security: [{ bearer: [] }] });
      // The answer: a schema with an example that the schema accepts (examples cannot drift).
      const { schema: ok, example } = op.responses['200'].content['application/json'];
      expect(example, `${method} ${path} example`).toBeDefined();
      expect(ajv.validate(ok, example), `${method} ${path}: ${ajv.errorsText()}`).toBe(true);
      expect(op.responses['400'], `${method} ${path} 400`).toBeDefined();
      // The request: a body, or query parameters, for every route that takes input.
      if (method === 'post') expect(op.requestBody ?? op.parameters, `${method} ${path} request`).toBeDefined();
    }
  });

  it('serves the interactive page', async () => {
    const r = await get(`${s.baseUrl}/docs`, { accept: 'text/html' });
    const page = r.status === 302 ? await get(`${s.baseUrl}${r.headers.get('location')}`) : r;
    expect(page.status).toBe(200);
    expect(page.text).toContain('swagger');
  });
});
