import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MpandcoError, verifyCallback, type MpandcoClient } from '../../sdk/src/index.ts';
import { deliverDue } from '../../src/callbacks/deliver.ts';
import type { MerchantCreds, PayerCreds } from '../../src/sandbox/demo.ts';
import { MerchantServer } from '../callbacks/merchant-server.ts';
import { testServer, type TestServer } from '../helpers/env.ts';
import { balanceOf, merchant, payer, sdkFor } from './support.ts';

const request = (recipient: string, returnUrl: string, total = '15.00') => ({
  redirectUrls: { returnUrl, cancelUrl: 'http://pos.example/cancel' },
  transactions: [{ amount: { total }, description: 'Factura 77', invoiceNumber: 'F77', items: [{ name: 'Café molido 500 g', price: total }] }],
  recipient,
});

describe('SDK: a billing request paid at the cashier with the PIN', () => {
  let s: TestServer;
  let m: MerchantCreds;
  let ana: PayerCreds;
  let sdk: MpandcoClient;
  const shop = new MerchantServer();
  beforeAll(async () => {
    await shop.start();
    s = await testServer();
    m = await merchant(s);
    ana = await payer(s, 100_00, '4321');
    sdk = sdkFor(s, m);
  });
  afterAll(async () => {
    await s.close();
    await shop.close();
  });

  it('requests, pays with the pay token and PIN, and the signed callback verifies', async () => {
    const created = await sdk.billing.request(request(ana.username, `${shop.base}/mpandco/ok?order=77`));
    expect(created).toMatchObject({ intent: 'request', state: 'created', payer: { payer_info: { id: ana.payer_id } } });
    expect(created.pay_tokens).toHaveLength(1);
    expect(created._links.execute.href).toContain('/api/payment-intent/execute/request.json');

    const paid = await sdk.billing.pay(created, { pin: '4321' });
    expect(paid.state).toBe('executed');
    expect(paid.transactions[0].related_resources?.request?.ref).toMatch(/^P\d{13}$/);
    expect(await balanceOf(s, ana.digital_account)).toBe(100_00 - 15_00);

    // The platform calls the return URL; the shop checks the signature with the SDK.
    shop.hits.length = 0;
    expect(await deliverDue(s.ctx)).toMatchObject({ delivered: 1 });
    const hit = shop.hits[0];
    const secret = (await s.ctx.store.db.selectFrom('apps').select('callback_secret').where('id', '=', m.app_id)
      .executeTakeFirstOrThrow()).callback_secret;
    const signature = String(hit.headers['x-mpandco-signature']);
    const now = s.clock.now();
    expect(await verifyCallback({ url: hit.url, signature, secret, now })).toEqual({
      paymentIntent: created.id, payerId: ana.payer_id, timestamp: Math.floor(now / 1000),
    });
    // Another URL (a forged query), another secret, or ten minutes later: refused.
    await expect(verifyCallback({ url: hit.url.replace('order=77', 'order=78'), signature, secret, now })).rejects.toMatchObject({ reason: 'mismatch' });
    await expect(verifyCallback({ url: hit.url, signature, secret: `${secret}x`, now })).rejects.toMatchObject({ reason: 'mismatch' });
    await expect(verifyCallback({ url: hit.url, signature, secret, now: now + 10 * 60_000 })).rejects.toMatchObject({ reason: 'too_old' });
    expect((await sdk.paymentIntents.show(created.id)).redirect_urls.history_responses[0]).toMatchObject({ status_code: 200, body: 'ok' });
  });

  it('a wrong PIN is a 400 whose tree names the PIN; the request can still be paid', async () => {
    const created = await sdk.billing.request(request(ana.phone, 'http://pos.example/ok', '2.00'));
    const e = await sdk.billing.pay(created.id, { payToken: created.pay_tokens![0].id, pin: '9999' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(MpandcoError);
    const err = e as MpandcoError;
    expect(err).toMatchObject({ status: 400, code: 'validation_failed' });
    expect([...err.fieldErrors('pin'), ...err.globalErrors].join(' ')).toMatch(/PIN/i);
    expect((await sdk.billing.pay(created, { pin: '4321' })).state).toBe('executed');
  });

  it('annuls a paid request: the payer gets the money back', async () => {
    const created = await sdk.billing.request(request(ana.document, 'http://pos.example/ok', '3.00'));
    const before = await balanceOf(s, ana.digital_account);
    await sdk.billing.pay(created, { pin: '4321' });
    const annulled = await sdk.paymentIntents.annul(created.id);
    expect(annulled.state).toBe('annulled');
    expect(await balanceOf(s, ana.digital_account)).toBe(before);
  });
});
