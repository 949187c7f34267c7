import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JSON_MAX_DEPTH } from '../../src/http/body.ts';
import { testServer, type TestServer } from '../helpers/env.ts';
import { postForm, postJson } from '../helpers/http.ts';
import { createSale, merchantWithToken, saleDoc, type Merchant } from '../payment-intents/fixtures.ts';

// Input no client sends must be a 400 on both stores: NUL characters (PostgreSQL's text
// type refuses them, so they used to reach a 500 there) and JSON nested so deep that
// walking it (the Idempotency-Key body hash) exhausted the stack.

let s: TestServer;
let m: Merchant;
beforeAll(async () => {
  s = await testServer();
  m = await merchantWithToken(s);
});
afterAll(async () => {
  await s?.close();
});

const count = async () => Number((await s.ctx.store.db.selectFrom('payment_intents')
  .select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

describe('hostile input', () => {
  it('refuses JSON nested deeper than the limit, with or without an Idempotency-Key', async () => {
    const deep = `{"paymentintent":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    for (const extra of [{}, { 'idempotency-key': 'deep-1' }] as Record<string, string>[]) {
      const r = await fetch(`${s.baseUrl}/api/payment-intent/.json`, {
        method: 'POST', body: deep, headers: { ...m.auth, ...extra, 'content-type': 'application/json' },
      });
      expect(r.status).toBe(400);
      expect(await r.json()).toMatchObject({ code: 400, message: 'Validation Failed' });
    }
    // The same valid sale, with an unknown field nested shallow (accepted) or past the limit (refused).
    const nest = (levels: number) => {
      let nested: unknown = 'x';
      for (let i = 0; i < levels; i++) nested = { a: nested };
      return nested;
    };
    const withExtra = (levels: number) => ({ paymentintent: { ...saleDoc('5').paymentintent, extra: nest(levels) } });
    const tooDeep = await postJson(`${s.baseUrl}/api/payment-intent/.json`, withExtra(JSON_MAX_DEPTH), m.auth);
    expect(tooDeep.status).toBe(400);
    expect(JSON.stringify(tooDeep.body)).toContain('Solicitud inválida.');
    expect(await count()).toBe(0);
    const shallow = await postJson(`${s.baseUrl}/api/payment-intent/.json`, withExtra(3), m.auth);
    expect(shallow.status).toBe(200);
    expect(await count()).toBe(1);
  });

  it('refuses NUL characters in the query, the body and the path, as a 400 and changing nothing', async () => {
    const sale = await createSale(s, m, '10.00');
    expect(sale.status).toBe(200);
    const before = await count();
    const gets = [
      `/api/payment-intent/show.json?id=${sale.body.id}%00`, '/api/payment/find.json?id=%00', '/api/multipayment/show.json?id=%00',
      `/api/payment-intent/.json?page=1%00`,
    ];
    for (const path of gets) {
      const r = await fetch(s.baseUrl + path, { headers: m.auth });
      expect(r.status, path).toBe(400);
    }
    const withNul = saleDoc('10.00');
    withNul.paymentintent.transactions[0].description = 'Pedido\u00007';
    expect((await postJson(`${s.baseUrl}/api/payment-intent/.json`, withNul, m.auth)).status).toBe(400);
    expect((await postForm(`${s.baseUrl}/api/payment-intent/cancel.json`, { cancel_payment_intent: { paymentIntent: '\u0000' } }, m.auth)).status).toBe(400);
    expect((await postJson(`${s.baseUrl}/api/payment-intent/execute/sale.json?id=x`, { ['pay\u0000']: 1 }, m.auth)).status).toBe(400);
    expect(await count()).toBe(before);
    const page = await fetch(`${s.baseUrl}/p/express-checkout/${sale.body.id}%00/1`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(400);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
  });
});
