import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer, type TestServer } from '../helpers/env.ts';
import { get, phpQuery, postForm } from '../helpers/http.ts';
import { approveAs, fundedMerchant, payer, saleDoc, type Merchant } from '../payment-intents/fixtures.ts';

// The original documentation (jeac-corp/mpandco-api) writes paths and headers in ways the
// original server accepted: `.json` optional, `show?id=` in its _links, `request.json` to
// create a request, `Authorization: token`, and a payout item sent as `curl -X GET -d '{json}'`.

describe('paths and headers as the documentation writes them', () => {
  let s: TestServer;
  let m: Merchant;
  const url = (p: string) => `${s.baseUrl}${p}`;
  beforeAll(async () => {
    s = await testServer();
    m = await fundedMerchant(s, 1_000_00);
  });
  afterAll(async () => s.close());

  it('every API path answers without .json, as the documented _links (show?id=, execute/sale?id=)', async () => {
    const created = await postForm(url('/api/payment-intent/'), phpQuery(saleDoc('12.00')), m.auth);
    expect(created.status).toBe(200);
    const id = created.body.id;
    expect((await get(url(`/api/payment-intent/show?id=${id}`), m.auth)).body.id).toBe(id);
    expect((await get(url('/api/payment-intent/'), m.auth)).body.data[0].id).toBe(id);
    expect((await get(url('/api/user/profile'), m.auth)).body.username).toBe(m.username);

    const buyer = await payer(s, 50_00);
    await approveAs(s, id, buyer.payer_id);
    const executed = await postForm(url(`/api/payment-intent/execute/sale?id=${id}`), { payment_execution: { paymentIntent: id, payer: buyer.payer_id } }, m.auth);
    expect(executed.status).toBe(200);
    const paymentId = executed.body.transactions[0].related_resources.sale.id;
    expect((await get(url(`/api/payment/find?id=${paymentId}`), m.auth)).body.id).toBe(paymentId);
    expect((await get(url('/api/payment/'), m.auth)).body.data[0].id).toBe(paymentId);
    const annulled = await postForm(url('/api/payment-intent/cancel'), { cancel_payment_intent: { paymentIntent: id } }, m.auth);
    expect(annulled.body.state).toBe('annulled');
  });

  it('a wrong method on a path without .json is still 405 with Allow', async () => {
    const r = await fetch(url('/api/payment-intent/show?id=x'), { method: 'DELETE', headers: m.auth });
    expect(r.status).toBe(405);
    expect(r.headers.get('allow')).toContain('GET');
  });

  it('POST api/payment-intent/request.json creates an intent as .json does', async () => {
    const buyer = await payer(s, 0);
    const doc = { paymentintent: { ...saleDoc('9.00').paymentintent, intent: 'request', recipient: buyer.username } };
    const r = await postForm(url('/api/payment-intent/request.json'), phpQuery(doc), m.auth);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ intent: 'request', state: 'created', payer: { payer_info: { id: buyer.payer_id } } });
    expect((await get(url(`/api/payment-intent/show.json?id=${r.body.id}`), m.auth)).status).toBe(200);
  });

  it('Authorization: token <t> means the same as Bearer; an unknown token is 403 either way', async () => {
    const ok = await get(url('/api/user/profile.json'), { authorization: `token ${m.token}` });
    expect(ok.status).toBe(200);
    expect(ok.body.username).toBe(m.username);
    expect((await get(url('/api/user/profile.json'), { authorization: 'token nope' })).status).toBe(403);
    expect((await get(url('/api/user/profile.json'), { authorization: `Basic ${m.token}` })).status).toBe(401);
  });

  const item = { multi_payment_item: { reference: '0001', nameAccount: 'Witty Growth', identificationNumber: 'j54637469', bankAccount: '01340000000000000000', amount: '20' } };

  it("register-item as the documentation's curl sends it: GET with a JSON body labelled url-encoded", async () => {
    // fetch() forbids a body on a GET: a raw request sends it as curl does.
    const raw = await rawRequest(s.baseUrl, 'GET', '/api/multipayment/register-item.json?type=DISPERSION', JSON.stringify(item), {
      authorization: `Bearer ${m.token}`, 'content-type': 'application/x-www-form-urlencoded',
    });
    expect(raw.status).toBe(200);
    expect(JSON.parse(raw.body)).toEqual({ ref: expect.stringMatching(/^MP\d+$/), identification_number: 'j54637469', status: 'APPROVED' });
  });

  it('the same JSON posted as url-encoded is read as JSON; an unknown bank is the documented 400', async () => {
    const r = await postForm(url('/api/multipayment/register-item.json?type=DISPERSION'), JSON.stringify(item), m.auth);
    expect(r.status).toBe(200);
    const bad = { multi_payment_item: { ...item.multi_payment_item, bankAccount: '09990000000000000000' } };
    const raw = await rawRequest(s.baseUrl, 'GET', '/api/multipayment/register-item.json?type=DISPERSION', JSON.stringify(bad), {
      authorization: `Bearer ${m.token}`, 'content-type': 'application/x-www-form-urlencoded',
    });
    expect(raw.status).toBe(400);
    expect(JSON.parse(raw.body).errors.errors).toEqual(['No se ha encontrado un banco para el numero de cuenta ingresado']);
  });

  it('a GET body is bounded like any other, and without a token nothing is registered', async () => {
    const huge = await rawRequest(s.baseUrl, 'GET', '/api/multipayment/register-item.json?type=DISPERSION', 'a='.padEnd(1024 * 1024 + 1, 'x'), {
      authorization: `Bearer ${m.token}`, 'content-type': 'application/x-www-form-urlencoded',
    });
    expect(huge.status).toBe(413);
    const anon = await rawRequest(s.baseUrl, 'GET', '/api/multipayment/register-item.json?type=DISPERSION', JSON.stringify(item), {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(anon.status).toBe(401);
  });
});

/** An HTTP request with any method and body, as curl sends it (fetch forbids a GET body). */
async function rawRequest(base: string, method: string, path: string, body: string, headers: Record<string, string>) {
  const http = await import('node:http');
  const u = new URL(base);
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.request({
      host: u.hostname, port: u.port, method, path,
      headers: { ...headers, 'content-length': Buffer.byteLength(body), connection: 'close' },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { text += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}
