import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer, type TestServer, DIALECT } from '../helpers/env.ts';
import { get } from '../helpers/http.ts';

describe('health and error model', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await testServer();
  });
  afterAll(async () => s.close());

  it('answers /health with the store that backs it', async () => {
    const r = await get(`${s.baseUrl}/health`);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ status: 'ok', env: 'sandbox', store: DIALECT });
    expect(r.headers.get('x-request-id')).toMatch(/[0-9a-f-]{36}/);
  });

  it('answers a wrong method with 405 and Allow', async () => {
    const r = await fetch(`${s.baseUrl}/health`, { method: 'DELETE' });
    expect(r.status).toBe(405);
    expect(r.headers.get('allow')).toContain('GET');
    expect(await r.json()).toMatchObject({ code: 405 });
  });

  it('answers an unknown path with the 404 document', async () => {
    const r = await get(`${s.baseUrl}/api/nothing-here.json`);
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({ code: 404 });
  });

  it('sends the security headers on pages and API answers', async () => {
    for (const path of ['/', '/health', '/api/nothing.json']) {
      const r = await get(`${s.baseUrl}${path}`, { accept: 'text/html' });
      expect(r.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(r.headers.get('content-security-policy')).not.toContain('form-action');
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      expect(r.headers.get('x-frame-options')).toBe('DENY');
      expect(r.headers.get('referrer-policy')).toBe('no-referrer');
    }
  });
});
