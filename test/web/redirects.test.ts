import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer, type TestServer } from '../helpers/env.ts';
import { WebClient } from '../helpers/web.ts';
import { payer } from '../payment-intents/fixtures.ts';

// Every "next" destination must stay on this site, as a browser reads the Location header:
// WHATWG URL parsing drops tabs and newlines, so "/\t/evil.example" is "//evil.example".

let s: TestServer;
beforeAll(async () => {
  s = await testServer();
});
afterAll(async () => {
  await s?.close();
});

const HOSTILE = ['/%09/evil.example', '/%0a/evil.example', '/%0d%0a/evil.example', '//evil.example', '/\\evil.example',
  'https://evil.example', '/%09%09/evil.example/x'];

const landsOnSite = (location: string | null) => {
  expect(location).not.toBeNull();
  expect(new URL(location!, s.baseUrl).origin).toBe(s.baseUrl);
};

describe('open redirects', () => {
  it('the language switch only goes back to a local page', async () => {
    for (const next of HOSTILE) {
      const r = await fetch(`${s.baseUrl}/lang/en?next=${next}`, { redirect: 'manual' });
      expect(r.status).toBe(303);
      landsOnSite(r.headers.get('location'));
    }
    const ok = await fetch(`${s.baseUrl}/lang/en?next=${encodeURIComponent('/wallet/send?x=1')}`, { redirect: 'manual' });
    expect(ok.headers.get('location')).toBe('/wallet/send?x=1');
  });

  it('sign-in only continues to a local page', async () => {
    const p = await payer(s, 0);
    for (const next of HOSTILE) {
      const web = new WebClient(s.baseUrl);
      const r = await web.post('/login', { login: p.username, password: p.password, next: decodeURIComponent(next) }, { csrfFrom: '/login' });
      expect(r.status).toBe(303);
      landsOnSite(r.location);
    }
  });
});
