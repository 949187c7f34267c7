import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverDue } from '../../src/callbacks/deliver.ts';
import { enqueueCallback } from '../../src/callbacks/outbox.ts';
import { createMerchant, type MerchantCreds } from '../../src/sandbox/demo.ts';
import { newId } from '../../src/shared/ids.ts';
import { testServer, type TestServer } from '../helpers/env.ts';
import { attemptsOf, callbacksOf } from '../billing/fixtures.ts';
import { MerchantServer } from './merchant-server.ts';

async function executedIntent(s: TestServer, m: MerchantCreds, returnUrl: string): Promise<string> {
  const id = newId();
  const now = s.clock.now();
  await s.ctx.store.autocommit.insertInto('payment_intents').values({
    id, app_id: m.app_id, owner_user_id: m.user_id, intent: 'request', state: 'executed', payer_user_id: null,
    recipient_user_id: null, return_url: returnUrl, cancel_url: returnUrl, currency: 'VES', total_minor: 100,
    items_minor: 100, shipping_minor: 0, tax_minor: 0, transactions_json: '[]', created_at: now, authorized_at: null,
    executed_at: now, annulled_at: null, canceled_at: null, expires_at: null,
  }).execute();
  return id;
}

describe('production callbacks', () => {
  let s: TestServer;
  let m: MerchantCreds;
  const shop = new MerchantServer();
  beforeAll(async () => {
    await shop.start();
    s = await testServer({ env: 'production' });
    m = await createMerchant(s.ctx, { homeUrl: 'https://localhost' });
  });
  afterAll(async () => {
    await s.close();
    await shop.close();
  });

  it('refuses http:// and a host resolving to 127.0.0.1: the attempt is recorded and the row fails at once', async () => {
    const plain = await executedIntent(s, m, `${shop.base}/ok`);
    const loopback = await executedIntent(s, m, 'https://localhost/ok');
    await s.ctx.store.tx(async (tx) => {
      await enqueueCallback(tx, { intentId: plain, appId: m.app_id, url: `${shop.base}/ok?paymentIntent=${plain}`, nowMs: s.clock.now() });
      await enqueueCallback(tx, { intentId: loopback, appId: m.app_id, url: `https://localhost/ok?paymentIntent=${loopback}`, nowMs: s.clock.now() });
    });
    expect(await deliverDue(s.ctx)).toMatchObject({ failed: 2, delivered: 0, retrying: 0 });
    expect(shop.hits).toHaveLength(0);

    const [a] = await attemptsOf(s, plain);
    expect(a).toMatchObject({ status_code: null, method: 'GET', error: expect.stringMatching(/https/) });
    const [b] = await attemptsOf(s, loopback);
    expect(b).toMatchObject({ status_code: null, error: expect.stringMatching(/localhost resolves to (127\.0\.0\.1|::1)/) });
    expect((await callbacksOf(s, plain))[0].status).toBe('failed');
    expect((await callbacksOf(s, loopback))[0].status).toBe('failed');

    s.clock.advance(3_600_000);
    expect(await deliverDue(s.ctx)).toMatchObject({ failed: 0, delivered: 0, retrying: 0 });
  });
});
