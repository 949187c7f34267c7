import { Ajv } from 'ajv';
import qs from 'qs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALIASES, MpandcoClient, ROUTES, type PaymentIntent } from '../../sdk/src/index.ts';
import { testServer, type TestServer } from '../helpers/env.ts';
import { sale } from './support.ts';

// The SDK speaks every route of the API: each operation of the server's OpenAPI document
// under /api (and the token endpoint) must be reached by some SDK method, with a body and
// a query the operation's schema accepts. A new route without SDK support fails here.

interface Sent {
  method: string;
  path: string;
  query: URLSearchParams;
  body: string;
  headers: Headers;
}

const intent = { id: 'pi_1', pay_tokens: [{ id: 'tok_1', _data: { name: 'V1-Ana' } }] } as PaymentIntent;

/** One call of every public method of every resource. */
const CALLS: Record<string, (c: MpandcoClient) => Promise<unknown>> = {
  'paymentIntents.create': (c) => c.paymentIntents.create(sale('20.00')),
  'paymentIntents.list': (c) => c.paymentIntents.list({ page: 2, maxPerPage: 5 }),
  'paymentIntents.show': (c) => c.paymentIntents.show('pi_1'),
  'paymentIntents.execute': (c) => c.paymentIntents.execute('pi_1', { payer: { payer_info: { id: 'payer_1', _data: { fullname: 'x' } } } }),
  'paymentIntents.annul': (c) => c.paymentIntents.annul('pi_1'),
  'billing.request': (c) => c.billing.request({ ...sale('15.00'), recipient: 'maria' }),
  'billing.pay': (c) => c.billing.pay(intent, { pin: '1234' }),
  'payments.list': (c) => c.payments.list({ page: 1 }),
  'payments.find': (c) => c.payments.find('pay_1'),
  'payouts.registerItem': (c) => c.payouts.registerItem({
    reference: '1', nameAccount: 'Ana', identificationNumber: 'V1', bankAccount: '01340000000000000001', amount: '1.00', phone: '', email: 'a@b.c',
  }, { type: 'DISPERSION' }),
  'payouts.list': (c) => c.payouts.list(),
  'payouts.show': (c) => c.payouts.show('b_1'),
  'payouts.submit': (c) => c.payouts.submit('b_1'),
  'payouts.pending': (c) => c.payouts.pending('DISPERSION'),
  'profile.get': (c) => c.profile.get(),
  'events.list': (c) => c.events.list({ after: 'evt_1', type: 'sale.executed' }),
  'sandbox.authorize': (c) => c.sandbox.authorize('pi_1', { payer: 'maria', pin: '1234' }),
};

const RESOURCES = ['paymentIntents', 'billing', 'payments', 'payouts', 'profile', 'events', 'sandbox'] as const;

async function exerciseAll(): Promise<Sent[]> {
  const sent: Sent[] = [];
  const fake = async (input: string, init: RequestInit): Promise<Response> => {
    const u = new URL(input);
    sent.push({ method: init.method ?? 'GET', path: u.pathname, query: u.searchParams, body: String(init.body ?? ''), headers: new Headers(init.headers) });
    const body = u.pathname === ROUTES.token.path
      ? { access_token: 'a', expires_in: 3600, token_type: 'bearer', scope: 'API', refresh_token: 'r' }
      : { links: { first: { href: '' }, self: { href: '' }, last: { href: '' } }, meta: {}, data: [] };
    return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
  };
  const client = new MpandcoClient({ baseUrl: 'http://sdk.test', clientId: 'c', clientSecret: 's', fetch: fake });
  for (const call of Object.values(CALLS)) await call(client);
  return sent;
}

describe('SDK: every route of the OpenAPI document', () => {
  let s: TestServer;
  let doc: any;
  let sent: Sent[];
  beforeAll(async () => {
    s = await testServer();
    doc = await (await fetch(`${s.baseUrl}/docs/openapi.json`)).json();
    sent = await exerciseAll();
  });
  afterAll(async () => s.close());

  it('the test calls every public method of every resource', () => {
    const client = new MpandcoClient({ accessToken: 't' });
    const methods = RESOURCES.flatMap((r) => Object.getOwnPropertyNames(Object.getPrototypeOf(client[r]))
      .filter((n) => n !== 'constructor').map((n) => `${r}.${n}`));
    expect(Object.keys(CALLS).sort()).toEqual(methods.sort());
  });

  it('each /api operation and the token endpoint is reached by an SDK method', () => {
    const reached = new Set(sent.map((x) => `${x.method} ${x.path}`));
    const operations = Object.entries<Record<string, unknown>>(doc.paths)
      .filter(([path]) => path.startsWith('/api/') || path === ROUTES.token.path)
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    expect(operations.length).toBeGreaterThanOrEqual(16);
    const missing = operations.filter((op) => !reached.has(op) && !reached.has(ALIASES[op]));
    expect(missing, 'routes the SDK does not call').toEqual([]);
    // The route table says what the SDK calls, no more, and the server serves all of it.
    for (const r of Object.values(ROUTES)) expect(reached.has(`${r.method} ${r.path}`), `${r.method} ${r.path}`).toBe(true);
    const unserved = [...reached].filter((op) => op.split(' ')[1].startsWith('/api/') && !operations.includes(op));
    expect(unserved, 'routes the server does not document').toEqual([]);
  });

  it('sends bodies and queries each operation accepts, form-encoded with bracket names, with an Idempotency-Key', () => {
    const ajv = new Ajv({ strict: false });
    for (const x of sent.filter((y) => y.path.startsWith('/api/'))) {
      const op = doc.paths[x.path][x.method.toLowerCase()];
      const declared = new Set((op.parameters ?? []).filter((p: any) => p.in === 'query').map((p: any) => p.name));
      for (const name of x.query.keys()) expect(declared.has(name), `${x.method} ${x.path} ?${name}`).toBe(true);
      expect(x.headers.get('authorization')).toBe('Bearer a');
      if (x.method !== 'POST') continue;
      expect(x.headers.get('content-type')).toBe('application/x-www-form-urlencoded');
      expect(x.headers.get('idempotency-key'), `${x.path} key`).toMatch(/^\S{16,}$/);
      const schema = op.requestBody?.content['application/json']?.schema;
      const form = qs.parse(x.body, { depth: 10 });
      if (schema) expect(ajv.validate(schema, form), `${x.path}: ${ajv.errorsText()}`).toBe(true);
    }
    const create = sent.find((x) => x.path === ROUTES.createIntent.path && x.method === 'POST')!;
    expect(create.body).toContain(`${encodeURIComponent('paymentintent[transactions][0][amount][total]')}=20.00`);
    const pay = new URLSearchParams(sent.find((x) => x.path === ROUTES.executeRequest.path)!.body);
    expect(Object.fromEntries(pay)).toEqual({
      'payment_execution[paymentIntent]': 'pi_1', 'payment_execution[payToken]': 'tok_1', 'payment_execution[pin]': '1234',
    });
    const token = new URLSearchParams(sent.find((x) => x.path === ROUTES.token.path)!.body);
    expect(Object.fromEntries(token)).toEqual({ grant_type: 'urn:client_apps', client_id: 'c', client_secret: 's' });
  });
});
