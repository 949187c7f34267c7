import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer, type TestServer } from '../helpers/env.ts';
import { merchantWithToken, type Merchant } from '../payment-intents/fixtures.ts';

// A broken multipart body is the client's mistake: 400, never a 500.

let s: TestServer;
let m: Merchant;
beforeAll(async () => {
  s = await testServer();
  m = await merchantWithToken(s);
});
afterAll(async () => {
  await s?.close();
});

const BROKEN: [string, string][] = [
  ['multipart/form-data', 'paymentintent[intent]=sale'],
  ['multipart/form-data; boundary=', 'garbage'],
  ['multipart/form-data; boundary=x', 'garbage without any boundary'],
  ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="paymentintent[intent]"\r\n\r\nsale'],
];

describe('malformed multipart bodies', () => {
  for (const path of ['/api/payment-intent/.json', '/api/payment-intent/cancel.json', '/oauth/v2/token']) {
    it(`POST ${path} answers 400 and creates nothing`, async () => {
      for (const [type, body] of BROKEN) {
        const r = await fetch(s.baseUrl + path, { method: 'POST', headers: { ...m.auth, 'content-type': type }, body });
        expect(r.status, `${type} ${JSON.stringify(body)}`).toBe(400);
        const json = await r.json();
        expect(json.code ?? json.error).toBeTruthy();
      }
      const n = await s.ctx.store.db.selectFrom('payment_intents').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(Number(n.n)).toBe(0);
    });
  }

  it('a web form posted as broken multipart gets an HTML 400 page', async () => {
    const r = await fetch(`${s.baseUrl}/login`, {
      method: 'POST', headers: { 'content-type': 'multipart/form-data', accept: 'text/html' }, body: 'login=x',
    });
    expect(r.status).toBe(400);
    expect(r.headers.get('content-type')).toMatch(/text\/html/);
  });
});
