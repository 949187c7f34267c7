import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverDue } from '../../src/callbacks/deliver.ts';
import type { PayerCreds } from '../../src/sandbox/demo.ts';
import { DIALECT, testServer, type TestServer } from '../helpers/env.ts';
import { get } from '../helpers/http.ts';
import { attemptsOf, callbacksOf, createRequest, executeDoc, merchantWithToken, payer, type Merchant } from '../billing/fixtures.ts';
import { MerchantServer } from '../callbacks/merchant-server.ts';

// Whatever a merchant answers is recorded in history_responses. A NUL character in that
// answer could not be stored on PostgreSQL: the attempt was never recorded, the row never
// released, and the merchant was called again every minute for ever.

describe(`merchant answers that a store cannot hold as they are (${DIALECT})`, () => {
  let s: TestServer;
  let m: Merchant;
  let p: PayerCreds;
  const shop = new MerchantServer();
  beforeAll(async () => {
    await shop.start();
    s = await testServer();
    m = await merchantWithToken(s);
    p = await payer(s, 100_00, { pin: '2468' });
  });
  afterAll(async () => {
    await s?.close();
    await shop.close();
  });

  it('records an answer holding NUL characters and delivers once', async () => {
    shop.status = 200;
    shop.body = 'ok\u0000\u0000done';
    const intent = await createRequest(s, m, p.username, { total: '5.00', returnUrl: `${shop.base}/ok` });
    const paid = await executeDoc(s, m, intent.id, intent.pay_tokens[0].id, p.pin);
    expect(paid.status).toBe(200);
    expect(await deliverDue(s.ctx)).toMatchObject({ delivered: 1 });
    expect(shop.hits).toHaveLength(1);
    const [cb] = await callbacksOf(s, intent.id);
    expect(cb.status).toBe('delivered');
    const attempts = await attemptsOf(s, intent.id);
    expect(attempts).toHaveLength(1);
    expect(attempts[0].body).toBe('ok\ufffd\ufffddone');
    const shown = await get(`${s.baseUrl}/api/payment-intent/show.json?id=${intent.id}`, m.auth);
    expect(shown.body.redirect_urls.history_responses).toEqual([
      { uri: `${shop.base}/ok?paymentIntent=${intent.id}&payerId=${p.payer_id}`, method: 'GET', status_code: 200, body: 'ok\ufffd\ufffddone' },
    ]);
    s.clock.advance(5 * 60_000);
    await deliverDue(s.ctx);
    expect(shop.hits).toHaveLength(1);
  });
});
