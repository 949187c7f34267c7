import fc from 'fast-check';
import qs from 'qs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../src/ledger/verify.ts';
import { addTestFunds } from '../../src/sandbox/funds.ts';
import { DIALECT, testServer, type TestServer } from '../helpers/env.ts';
import { bearer } from '../helpers/http.ts';
import { createRequest, merchantWithToken, payer, walletIdOf, type Merchant } from '../billing/fixtures.ts';
import { approveAs, createSale } from '../payment-intents/fixtures.ts';

// Random documents, in the three encodings, against every POST of the API with a valid
// token, and odd query strings against every GET: never a 500, always the contract's error
// shapes, and the ledger verifies afterwards. Real intents, wallets and PINs are in the pool
// of values, so some random documents reach the money paths for real.

let s: TestServer;
let m: Merchant;
let pool: string[] = [];

beforeAll(async () => {
  s = await testServer();
  m = await merchantWithToken(s);
  const merchantWallet = await walletIdOf(s, m.digital_account);
  await s.ctx.store.tx((tx) => addTestFunds(tx, merchantWallet, 500_00, s.clock.now()));
  const p = await payer(s, 1_000_00);
  const sale = (await createSale(s, m, '12.50')).body;
  const approved = (await createSale(s, m, '7.25')).body;
  await approveAs(s, approved.id, p.payer_id);
  const request = await createRequest(s, m, p.username);
  const payToken = await walletIdOf(s, p.digital_account);
  pool = [sale.id, approved.id, request.id, p.payer_id, payToken, p.pin, p.username,
    m.digital_account, m.client_id, m.client_secret, request.transactions[0].id];
  const txn = (total: string) => ({
    amount: { total, currency: 'VES', details: { shipping: '1.00', tax: '0.50', subTotal: '10.00' } }, description: 'Pedido 7',
    invoiceNumber: 'F7', digitalAccountDestination: m.digital_account, items: [{ name: 'Café', quantity: '2', price: '5.00', sku: 'C1' }],
  });
  const urls = { returnUrl: 'https://shop.example/ok', cancelUrl: 'https://shop.example/ko' };
  Object.assign(TEMPLATES, {
    '/api/payment-intent/.json': () => ({
      paymentintent: Math.random() < 0.5
        ? { intent: 'sale', redirectUrls: urls, transactions: [txn('11.50')], recipient: '' }
        : { intent: 'request', redirectUrls: urls, transactions: [txn('11.50'), txn('2.00')], recipient: p.username },
    }),
    '/api/payment-intent/execute/sale.json': () => ({ payment_execution: { paymentIntent: approved.id, payer: p.payer_id } }),
    '/api/payment-intent/execute/request.json': () => (Math.random() < 0.5
      ? { payment_execution: { paymentIntent: request.id, payToken, pin: p.pin } }
      : { payment_execution: { paymentIntent: request.id, transactions: [{ id: request.transactions[0].id, payToken }], pin: p.pin } }),
    '/api/payment-intent/cancel.json': () => ({ cancel_payment_intent: { paymentIntent: Math.random() < 0.5 ? approved.id : request.id } }),
    '/api/multipayment/register-item.json': () => ({
      multi_payment_item: {
        reference: 'N1', nameAccount: 'Ana Pérez', identificationNumber: 'V12345678', bankAccount: '01340000000000000001',
        amount: '3.25', phone: '584120000010', email: 'ana@example.com',
      },
    }),
    '/oauth/v2/token': () => ({ grant_type: 'urn:client_apps', client_id: m.client_id, client_secret: m.client_secret }),
  });
});
afterAll(async () => {
  await s?.close();
});

const FIELDS = [
  'paymentintent', 'intent', 'redirectUrls', 'returnUrl', 'cancelUrl', 'transactions', 'amount', 'total', 'currency', 'details',
  'shipping', 'tax', 'subTotal', 'description', 'invoiceNumber', 'digitalAccountDestination', 'items', 'name', 'price', 'quantity',
  'sku', 'distributions', 'recipient', 'payment_execution', 'paymentIntent', 'payer', 'payToken', 'pin', 'id',
  'cancel_payment_intent', 'multi_payment_item', 'multi_payment', 'reference', 'nameAccount', 'identificationNumber',
  'bankAccount', 'phone', 'email', 'grant_type', 'client_id', 'client_secret', 'refresh_token', 'code', 'redirect_uri',
  'code_verifier', 'scope', '0', '1', '99999', '__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString',
];
const ODD = ['', ' ', '0', '-1', '1e5', '1E-2', '20.505', '20,50', '0.001', '99999999999999999999', '9007199254740993',
  'NaN', 'Infinity', '0x10', ' 12 ', '١٢', 'sale', 'request', 'SALE', 'DISPERSION', 'urn:client_apps', 'refresh_token',
  'authorization_code', 'password', 'VES', 'USD', 'https://shop.example/ok', 'javascript:alert(1)', 'http://[::1', '//x',
  '01020000000000000001', '99990000000000000001', 'V12345678', '584120000010', '<script>x</script>', '%00', '\u0000',
  '\ud800', 'x'.repeat(3000)];

const leaf = (): fc.Arbitrary<unknown> => fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...ODD) },
  { weight: 3, arbitrary: fc.constant(null).map(() => pool[Math.floor(Math.random() * pool.length)] ?? '') },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 24 }) },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
);

const { tree } = fc.letrec<{ tree: unknown; node: unknown }>((tie) => ({
  tree: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf(), tie('node')),
  node: fc.oneof(
    fc.dictionary(fc.oneof(fc.constantFrom(...FIELDS), fc.string({ maxLength: 6 })), tie('tree'), { maxKeys: 5 }),
    fc.array(tie('tree'), { maxLength: 4 }),
  ),
}));

/** A document under one of the contract's root keys, or anything at all. */
const randomDocArb = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...FIELDS.slice(0, 45)), tree).map(([k, v]) => ({ [k]: v })) },
  { weight: 1, arbitrary: tree },
);

/** Every leaf path of a document. */
function leafPaths(v: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (v === null || typeof v !== 'object') return [at];
  return Object.entries(v).flatMap(([k, x]) => leafPaths(x, [...at, Array.isArray(v) ? Number(k) : k]));
}

/** A valid document of the endpoint with some leaves replaced by random values or removed. */
function mutated(template: () => unknown) {
  return fc.array(fc.tuple(fc.nat(), fc.option(tree, { freq: 4 })), { minLength: 0, maxLength: 3 }).map((changes) => {
    const doc = structuredClone(template()) as Record<string, unknown>;
    const paths = leafPaths(doc);
    for (const [pick, value] of changes) {
      const path = paths[pick % paths.length];
      let node = doc as Record<string | number, unknown>;
      for (const k of path.slice(0, -1)) node = node[k] as Record<string | number, unknown>;
      if (typeof node !== 'object' || node === null) continue;
      if (value === null) delete node[path[path.length - 1]];
      else node[path[path.length - 1]] = value;
    }
    return doc;
  });
}

const TEMPLATES: Record<string, () => unknown> = {};
const documentArb = (path: string) => (TEMPLATES[path]
  ? fc.oneof({ weight: 3, arbitrary: mutated(TEMPLATES[path]) }, { weight: 1, arbitrary: randomDocArb })
  : randomDocArb);

type Encoding = 'json' | 'form' | 'multipart' | 'none' | 'text';
const encodingArb = fc.constantFrom<Encoding>('json', 'json', 'form', 'form', 'multipart', 'none', 'text');

function encode(doc: unknown, enc: Encoding): { body?: string | FormData; headers: Record<string, string> } {
  if (enc === 'json') return { body: JSON.stringify(doc) ?? 'null', headers: { 'content-type': 'application/json' } };
  const flat = qs.stringify(typeof doc === 'object' && doc !== null ? doc : { value: doc }, { arrayFormat: 'indices' });
  if (enc === 'form') return { body: flat, headers: { 'content-type': 'application/x-www-form-urlencoded' } };
  if (enc === 'multipart') {
    const form = new FormData();
    for (const [k, v] of new URLSearchParams(flat)) form.append(k, v);
    return { body: form, headers: {} };
  }
  if (enc === 'text') return { body: flat, headers: { 'content-type': 'text/plain' } };
  return { headers: {} };
}

const QUERY = fc.oneof(
  fc.constant(''),
  fc.constantFrom('?id[]=x', '?id[a]=b', '?id=a&id=b', '?type=DISPERSION', '?type=DISPERSION_INSTANT_INTERBANK', '?type[]=DISPERSION',
    '?page=-1&maxPerPage=abc', '?page=1e5', '?maxPerPage=100000000000000000000', '?%=1', '?id=%E0%A4%A', `?id=${'x'.repeat(4000)}`),
  fc.constant(null).map(() => `?id=${encodeURIComponent(pool[Math.floor(Math.random() * pool.length)] ?? '')}`),
);

/** The query a valid call of the path carries, most of the time; odd ones otherwise. */
const VALID_QUERY: Record<string, string> = { '/api/multipayment/register-item.json': '?type=DISPERSION' };
const queryArb = (path: string) => fc.oneof({ weight: 2, arbitrary: fc.constant(VALID_QUERY[path] ?? '') }, { weight: 1, arbitrary: QUERY });

const POSTS = [
  '/api/payment-intent/.json', '/api/payment-intent/execute/sale.json', '/api/payment-intent/execute/request.json',
  '/api/payment-intent/cancel.json', '/api/multipayment/register-item.json', '/api/multipayment/submit.json', '/oauth/v2/token',
];
const GETS = [
  '/api/payment-intent/.json', '/api/payment-intent/show.json', '/api/payment/.json', '/api/payment/find.json',
  '/api/user/profile.json', '/api/multipayment/.json', '/api/multipayment/show.json', '/sbx/payment-intent/autorize.json',
  '/sbx/codes.json', '/p/express-checkout/x/1',
];

/** The contract's error shapes: the 400 tree, {error, error_description}, or {code, message}. */
function checkShape(path: string, status: number, text: string): void {
  expect(status, `${path} -> ${status} ${text.slice(0, 300)}`).toBeLessThan(500);
  if (status < 400 || path.startsWith('/p/')) return;
  const body = JSON.parse(text);
  if (path === '/oauth/v2/token' || status === 401) {
    expect(typeof body.error).toBe('string');
    expect(typeof body.error_description).toBe('string');
  } else if (status === 400) {
    expect(body).toMatchObject({ code: 400, message: 'Validation Failed' });
    expect(typeof body.errors).toBe('object');
  } else {
    expect(body.code).toBe(status);
    expect(typeof body.message).toBe('string');
  }
}

/** First (not replayed) successes per path: money paths may succeed at most once per intent. */
const firstOk = new Map<string, number>();
const AT_MOST = { '/api/payment-intent/execute/sale.json': 1, '/api/payment-intent/execute/request.json': 1, '/api/payment-intent/cancel.json': 2 };

describe(`API fuzzing (${DIALECT})`, () => {
  for (const path of POSTS) {
    it(`POST ${path}: random documents never reach a 500 and leave the ledger balanced`, async () => {
      await fc.assert(
        fc.asyncProperty(documentArb(path), encodingArb, queryArb(path), fc.option(fc.string({ maxLength: 300 })), async (doc, enc, query, key) => {
          const { body, headers } = encode(doc, enc);
          const idem: Record<string, string> = key !== null && /^[\x20-\x7e]*$/.test(key) ? { 'idempotency-key': key } : {};
          const r = await fetch(`${s.baseUrl}${path}${query}`, {
            method: 'POST', body, redirect: 'manual', headers: { ...bearer(m.token), ...headers, ...idem },
          });
          checkShape(path, r.status, await r.text());
          if (r.status === 200 && !r.headers.get('idempotency-replayed')) firstOk.set(path, (firstOk.get(path) ?? 0) + 1);
        }),
        { numRuns: Number(process.env.FUZZ_RUNS ?? 120) },
      );
      const report = await verifyLedger(s.ctx.store.db);
      expect(report.violations).toEqual([]);
      const limit = AT_MOST[path as keyof typeof AT_MOST];
      if (limit !== undefined) expect(firstOk.get(path) ?? 0).toBeLessThanOrEqual(limit);
      else if (TEMPLATES[path]) expect(firstOk.get(path) ?? 0).toBeGreaterThan(0);
    });
  }

  it('GET routes with odd query strings never reach a 500', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...GETS), QUERY, fc.string({ unit: 'binary', maxLength: 20 }), async (path, query, extra) => {
        const sep = query ? '&' : '?';
        const r = await fetch(`${s.baseUrl}${path}${query}${sep}x=${encodeURIComponent(extra)}`, { headers: bearer(m.token), redirect: 'manual' });
        checkShape(path, r.status, await r.text());
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 200) },
    );
  });
});
