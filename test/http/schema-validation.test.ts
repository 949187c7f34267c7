import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer, type TestServer } from '../helpers/env.ts';
import { get, postJson } from '../helpers/http.ts';
import { createUrl, merchantWithToken, saleDoc, type Merchant } from '../payment-intents/fixtures.ts';

// The route schemas check each request's shape before any service runs; what they refuse
// comes back as the contract's 400 tree over the whole form, and nothing is written.

describe('request shapes checked by the route schemas', () => {
  let s: TestServer;
  let m: Merchant;
  const intents = async () => Number((await s.ctx.store.db.selectFrom('payment_intents')
    .select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  beforeAll(async () => {
    s = await testServer();
    m = await merchantWithToken(s);
  });
  afterAll(async () => s.close());

  it('an object where a value belongs, or a string where a list belongs: 400 tree, nothing created', async () => {
    const before = await intents();
    const r = await postJson(createUrl(s), { paymentintent: { intent: { a: 1 }, redirectUrls: { returnUrl: 'https://x.example/ok' }, transactions: 'nope' } }, m.auth);
    expect(r.status).toBe(400);
    expect(r.body).toEqual({
      code: 400, message: 'Validation Failed',
      errors: {
        children: {
          intent: { errors: ['Este valor no es válido.'] },
          redirectUrls: { children: { returnUrl: {}, cancelUrl: {} } },
          transactions: { errors: ['Este valor no es válido.'], children: [] },
          recipient: {},
        },
      },
    });
    expect(await intents()).toBe(before);
  });

  it('a list of transactions names the entry and field at fault, in English on request', async () => {
    const doc = saleDoc('10.00');
    (doc.paymentintent.transactions[0] as Record<string, unknown>).description = 'x'.repeat(3000);
    (doc.paymentintent.transactions[0] as Record<string, unknown>).items = [{ name: ['a'], price: '1' }];
    const r = await postJson(createUrl(s), doc, { ...m.auth, 'accept-language': 'en' });
    expect(r.status).toBe(400);
    const t0 = r.body.errors.children.transactions.children[0].children;
    expect(t0.description.errors).toEqual(['This value is too long.']);
    expect(t0.items.children[0].children.name.errors).toEqual(['This value is not valid.']);
    expect(t0.amount.children.total).toEqual({});
  });

  it('a repeated query parameter is a bad request, never a 500', async () => {
    const r = await get(`${s.baseUrl}/api/payment-intent/show.json?id=a&id=b`, m.auth);
    expect(r.status).toBe(400);
    expect(r.body.errors.errors).toEqual(['Solicitud inválida.']);
  });

  it('a well-formed request still reaches the rules of its form (their own messages)', async () => {
    const r = await postJson(createUrl(s), { paymentintent: { intent: 'sale' } }, m.auth);
    expect(r.status).toBe(400);
    expect(r.body.errors.children.redirectUrls.children.returnUrl.errors[0]).toMatch(/retorno/);
  });
});
