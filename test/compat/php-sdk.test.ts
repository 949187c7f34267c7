import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMerchant, type MerchantCreds, type PayerCreds } from '../../src/sandbox/demo.ts';
import { testServer, type TestServer } from '../helpers/env.ts';
import { get, phpQuery, postForm } from '../helpers/http.ts';
import { payer, VES } from '../payment-intents/fixtures.ts';
import { SDK_SANDBOX, sdkAutorize, SdkClient, type SdkIntent } from './sdk-client.ts';

// The PHP SDK's own flows (tests/Mpandco/Rest/Routes/RoutePaymentIntentTest.php) against a
// local sandbox that keeps the SDK's published secrets, as `npm start` does.

const num = expect.any(Number);
const str = expect.any(String);
const link = (method: string) => ({ href: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\//), method });

/** Every field the SDK's JMS mappings read (lib/Mpandco/Resources/config/serializer/*.yml). */
function expectSdkReadable(pi: any) {
  expect(pi).toMatchObject({
    id: str, intent: expect.stringMatching(/^(sale|request)$/), state: str,
    redirect_urls: { return_url: str, cancel_url: str, history_responses: expect.any(Array) },
    total: { currency: VES, items: num, shipping: num, tax: num, amount: num },
    _links: { self: link('GET'), execute: link('POST') },
  });
  for (const h of pi.redirect_urls.history_responses) expect(h).toMatchObject({ uri: str, method: 'GET', body: str });
  for (const t of pi.transactions) {
    expect(t).toMatchObject({
      id: str, description: str,
      amount: { currency: VES, total: num, details: { shipping: num, tax: num, sub_total: num } },
      digital_account_destination: { username: str },
      distributions: expect.any(Array),
    });
    expect('invoice_number' in t).toBe(true);
    for (const i of t.items) expect(i).toMatchObject({ name: str, quantity: num, currency: VES, price: num });
    for (const d of t.distributions) {
      expect(d).toMatchObject({ state: str, digital_account_destination: { username: str }, amount: num, description: str });
    }
  }
}

/** The SDK test's sale: total "20", one item "telefono" at 7.5, "Compra por eBay". */
const sdkSale = (): SdkIntent => ({
  intent: 'sale',
  cancelUrl: 'http://localhost:5000/payments/ExecutePayment.php?success=true&carId=200',
  returnUrl: 'http://localhost:5000/payments/ExecutePayment.php?success=false&carId=200',
  transactions: [{ total: '20', description: 'Compra por eBay', items: [{ name: 'telefono', price: '7.5' }] }],
});

describe('PHP SDK: its own request shapes against a local sandbox', () => {
  let s: TestServer;
  let m: MerchantCreds;
  let sdk: SdkClient;
  let customer: PayerCreds;
  beforeAll(async () => {
    // No configured secrets: a loopback sandbox answers the published ones.
    s = await testServer({ vars: { MPANDCO_SANDBOX_PATH: undefined, MPANDCO_SANDBOX_TOKEN: undefined } });
    m = await createMerchant(s.ctx);
    customer = await payer(s, 500_00, { phone: '584125550001', pin: '1111', fullName: 'Camilo Sexto' });
    sdk = new SdkClient(s.baseUrl, m.client_id, m.client_secret);
    const t = await sdk.authenticate();
    expect(t.status).toBe(200);
    expect(t.body).toMatchObject({ token_type: 'bearer', expires_in: 3600, scope: 'API', refresh_token: str });
  });
  afterAll(async () => s.close());

  it('generate, get, autorize.json, executeSale with the payer object, cancel (testExecuteSale, testCancel)', async () => {
    const created = await sdk.generate(sdkSale());
    expect(created.status).toBe(200);
    expectSdkReadable(created.body);
    expect(created.body.state).toBe('created');
    expect(created.body._links.approval_url).toEqual(link('GET'));

    const shown = await sdk.get(created.body.id);
    expect(shown.status).toBe(200);
    expect(shown.body.transactions[0].items[0]).toMatchObject({ name: 'telefono', price: 7.5, quantity: 1 });

    // RouteSandbox::paymentIntentAutorize with the SDK's own token.
    const approved = await sdkAutorize(s.baseUrl, created.body.id);
    expect(approved.status).toBe(200);
    // ModelPaymentIntent::STATE_AUTHORIZED: RedirectUrls.php line 159 adds payerId only in this state.
    expect(approved.body.state).toBe('authorized');
    expect(approved.body.payer).toEqual({ payer_info: { id: str, _data: { fullname: str } } });

    // RoutePaymentIntentTest.php line 234: executeSale($pi, $response["payer"]), the whole object.
    const executed = await sdk.executeSale(created.body, approved.body.payer);
    expect(executed.status).toBe(200);
    expectSdkReadable(executed.body);
    expect(executed.body.state).toBe('executed');
    expect(executed.body.transactions[0].related_resources.sale).toMatchObject({ id: str, ref: expect.stringMatching(/^P\d{13}$/) });
    expect(executed.body._links.cancel).toEqual(link('POST'));

    const annulled = await sdk.cancel(executed.body);
    expect(annulled.status).toBe(200);
    expect(annulled.body.state).toBe('annulled');
  });

  it('the plain payer id still executes, and a payer object naming someone else is refused', async () => {
    const a = (await sdk.generate(sdkSale())).body;
    const b = (await sdk.generate(sdkSale())).body;
    const pa = (await sdkAutorize(s.baseUrl, a.id)).body.payer;
    const pb = (await sdkAutorize(s.baseUrl, b.id)).body.payer;
    expect((await sdk.executeSale(a, pa.payer_info.id)).body.state).toBe('executed');
    const wrong = await sdk.executeSale(b, { payer_info: { id: customer.payer_id, _data: { fullname: 'x' } } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors.children.payer.errors[0]).toEqual(str);
    expect((await sdk.executeSale(b, pb)).status).toBe(200);
  });

  it('generate a request, executeRequest with the pay token of each transaction, cancel (testExecuteRequest)', async () => {
    const request: SdkIntent = { ...sdkSale(), intent: 'request', recipient: '04125550001' };
    const created = await sdk.generate(request);
    expect(created.status).toBe(200);
    expectSdkReadable(created.body);
    expect(created.body._links.approval_url).toBeUndefined();
    // Api.Payment.Transaction.yml maps payTokens on each transaction; the root list stays.
    const tokens = created.body.transactions[0].pay_tokens;
    expect(tokens).toEqual([{ id: str, _data: { name: expect.stringMatching(/^V\d+-Camilo Sexto$/) } }]);
    expect(created.body.pay_tokens).toEqual(tokens);
    expect(created.body.payer.payer_info.id).toBe(customer.payer_id);

    const executed = await sdk.executeRequest(created.body, '1111');
    expect(executed.status).toBe(200);
    expect(executed.body.state).toBe('executed');
    expect(executed.body.transactions[0].related_resources.request).toMatchObject({ id: str, ref: str, _data: { status: 'Completado' } });

    const annulled = await sdk.cancel(executed.body);
    expect(annulled.body.state).toBe('annulled');
    expect(annulled.body.transactions[0].related_resources.request._data).toMatchObject({
      status: 'Reversado', summary_status_color: '#D32F2F', type_payment_label: `Solicitud enviada a ${customer.username}`,
    });
  });

  it('the paginators read links and meta, and data as intents and payments (testPaginator)', async () => {
    for (const path of ['api/payment-intent/.json', 'api/payment/.json'] as const) {
      const r = await sdk.paginator(path);
      expect(r.status).toBe(200);
      expect(r.body.links).toMatchObject({ first: { href: str }, self: { href: str }, last: { href: str } });
      expect(r.body.meta).toEqual({ currentPage: 1, maxPerPage: num, totalPages: num, totalResults: num });
      expect(r.body.data[0].id).toEqual(str);
    }
    const intents = (await sdk.paginator('api/payment-intent/.json')).body.data;
    for (const pi of intents) expectSdkReadable(pi);
  });

  it('behat-steps.json answers a clear 404, and only with the SDK token', async () => {
    const steps = { steps: ['Given check requirement for execution'] };
    const r = await postForm(`${s.baseUrl}/${SDK_SANDBOX.behat}`, phpQuery({ access_token: SDK_SANDBOX.token, ...steps }));
    expect(r.status).toBe(404);
    expect(r.body).toEqual({ code: 404, message: expect.stringContaining('npx mpandco sandbox merchant') });
    const wrong = await postForm(`${s.baseUrl}/${SDK_SANDBOX.behat}`, phpQuery({ access_token: 'nope', ...steps }));
    expect(wrong.status).toBe(403);
  });

  it("the manual's codes link answers with its own token, not the SDK's", async () => {
    const manual = await get(`${s.baseUrl}/bc38875a09308a2/codes.json?access_token=f21d867c420680a2e4b90e761a9e751f`);
    expect(manual.status).toBe(200);
    expect(manual.body).toEqual({ regular: expect.stringMatching(/^.{8}$/), commercial: expect.stringMatching(/^.{8}$/) });
    expect((await get(`${s.baseUrl}/bc38875a09308a2/codes.json?access_token=${SDK_SANDBOX.token}`)).status).toBe(403);
    const created = (await sdk.generate(sdkSale())).body;
    const viaManualToken = await get(`${s.baseUrl}/${SDK_SANDBOX.autorize}?access_token=f21d867c420680a2e4b90e761a9e751f&id=${created.id}`);
    expect(viaManualToken.status).toBe(403);
  });
});

describe('sandbox secrets of a sandbox others can reach', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await testServer({
      vars: { MPANDCO_SANDBOX_PATH: undefined, MPANDCO_SANDBOX_TOKEN: undefined, MPANDCO_SANDBOX_PUBLIC_URL: 'https://test.example.com' },
    });
  });
  afterAll(async () => s.close());

  it('keeps random secrets of its own: the published ones are unknown', async () => {
    expect(s.ctx.secrets.sandboxPath).not.toBe('bc38875a09308a2');
    expect(s.ctx.secrets.sandboxToken).not.toBe('f21d867c420680a2e4b90e761a9e751f');
    expect((await get(`${s.baseUrl}/bc38875a09308a2/codes.json?access_token=f21d867c420680a2e4b90e761a9e751f`)).status).toBe(404);
    const own = await get(`${s.baseUrl}/${s.ctx.secrets.sandboxPath}/codes.json?access_token=${s.ctx.secrets.sandboxToken}`);
    expect(own.status).toBe(200);
  });
});
