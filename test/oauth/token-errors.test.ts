import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer, type TestServer } from '../helpers/env.ts';

// The token endpoint speaks RFC 6749 section 5.2 for every refusal, including bodies the
// parser refuses before the OAuth2 server sees them: OAuth client libraries read `error`.

let s: TestServer;
beforeAll(async () => {
  s = await testServer();
});
afterAll(async () => {
  await s?.close();
});

const CASES: [string, string, string][] = [
  ['malformed JSON', 'application/json', '{"grant_type":'],
  ['JSON with __proto__', 'application/json', '{"__proto__":{"grant_type":"urn:client_apps"}}'],
  ['an unsupported content type', 'text/plain', 'grant_type=urn:client_apps'],
  ['broken multipart', 'multipart/form-data', 'grant_type=urn:client_apps'],
  ['brackets beyond the depth limit', 'application/x-www-form-urlencoded', `grant_type${'[a]'.repeat(20)}=x`],
  ['a body over the size limit', 'application/x-www-form-urlencoded', `grant_type=${'x'.repeat(1024 * 1024 + 10)}`],
];

describe('token endpoint errors for refused bodies', () => {
  for (const [what, type, body] of CASES) {
    it(`answers ${what} with an RFC 6749 error`, async () => {
      const r = await fetch(`${s.baseUrl}/oauth/v2/token`, { method: 'POST', headers: { 'content-type': type }, body });
      expect([400, 413]).toContain(r.status);
      const json = await r.json();
      expect(json.error).toBe('invalid_request');
      expect(typeof json.error_description).toBe('string');
      expect(json.error_description.length).toBeGreaterThan(0);
      expect(json.code).toBeUndefined();
      expect(r.headers.get('cache-control')).toBe('no-store');
    });
  }

  it('keeps the API’s own error shape elsewhere', async () => {
    const r = await fetch(`${s.baseUrl}/api/payment-intent/.json`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' });
    expect(r.status).toBe(400);
    expect(await r.json()).toMatchObject({ code: 400, message: 'Validation Failed' });
  });
});
