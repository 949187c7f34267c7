import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MpandcoClient, MpandcoError, type PaymentIntentInput } from '../../sdk/src/index.ts';
import type { MerchantCreds } from '../../src/sandbox/demo.ts';
import { testServer, type TestServer } from '../helpers/env.ts';
import { merchant, sale, sdkFor } from './support.ts';

const fail = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a refusal'); }, (e: unknown) => e as MpandcoError);

describe('SDK: errors', () => {
  let s: TestServer;
  let m: MerchantCreds;
  beforeAll(async () => {
    s = await testServer();
    m = await merchant(s);
  });
  afterAll(async () => s.close());

  it('a 400 carries the API tree: global errors, and each field by its path in the request', async () => {
    const bad: PaymentIntentInput = {
      intent: 'sale',
      redirectUrls: { returnUrl: '', cancelUrl: 'https://shop.example/ko' },
      transactions: [{ amount: { total: '1.005' }, description: 'x' }, { amount: { total: '0' }, description: '' }],
    };
    const e = await fail(sdkFor(s, m, { locale: 'en' }).paymentIntents.create(bad));
    expect(e).toBeInstanceOf(MpandcoError);
    expect(e).toMatchObject({ status: 400, code: 'validation_failed', method: 'POST', path: '/api/payment-intent/.json' });
    expect(e.errors?.children).toBeDefined();
    expect(e.fieldErrors('redirectUrls', 'returnUrl')).toHaveLength(1);
    expect(e.fieldErrors('redirectUrls', 'cancelUrl')).toEqual([]);
    expect(e.fieldErrors('transactions', 0, 'amount', 'total')[0]).toMatch(/decimals/);
    expect(e.fieldErrors('transactions', 1, 'description')).toHaveLength(1);
    expect(e.allErrors.some((x) => x.startsWith('transactions.0.amount.total: '))).toBe(true);
    expect(e.message).toContain('redirectUrls.returnUrl');
    // The body is the API's, untouched.
    expect(e.body).toMatchObject({ code: 400, message: 'Validation Failed' });
  });

  it('a wrong state is a global error, in Spanish by default', async () => {
    const sdk = sdkFor(s, m);
    const created = await sdk.paymentIntents.create(sale('1.00'));
    const e = await fail(sdk.paymentIntents.execute(created, { payer: m.user_id }));
    expect(e.status).toBe(400);
    expect(e.globalErrors.join(' ')).toMatch(/autorizado/);
  });

  it('404, network failures and wrong keys have codes of their own', async () => {
    const sdk = sdkFor(s, m);
    expect(await fail(sdk.paymentIntents.show('no-such-intent'))).toMatchObject({ status: 404, code: 'not_found' });
    expect(await fail(sdk.payments.find('no-such-payment'))).toMatchObject({ status: 404, code: 'not_found' });
    const nowhere = new MpandcoClient({ baseUrl: 'http://127.0.0.1:9', clientId: 'x', clientSecret: 'y', maxRetries: 0 });
    expect(await fail(nowhere.profile.get())).toMatchObject({ status: 0, code: 'network_error' });
    const wrong = new MpandcoClient({ baseUrl: s.baseUrl, clientId: m.client_id, clientSecret: 'wrong' });
    const e = await fail(wrong.profile.get());
    expect(e).toMatchObject({ status: 400, code: 'invalid_client', path: '/oauth/v2/token' });
    expect(e.message).toBeTruthy();
  });

  it('without a payer the cashier call is refused before it leaves', async () => {
    const sdk = sdkFor(s, m);
    expect(() => sdk.billing.pay('some-id', { pin: '1234' })).toThrow(TypeError);
  });
});
