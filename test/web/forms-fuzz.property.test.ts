import fc from 'fast-check';
import qs from 'qs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../src/ledger/verify.ts';
import { addTestFunds } from '../../src/sandbox/funds.ts';
import { DIALECT, testServer, type TestServer } from '../helpers/env.ts';
import { WebClient } from '../helpers/web.ts';
import { createRequest, merchantWithToken, payer, type Merchant } from '../billing/fixtures.ts';
import { createSale } from '../payment-intents/fixtures.ts';

// Random form bodies (strings, bracket arrays and objects, unicode, long values, missing
// fields) posted with a valid CSRF token and a signed-in session to every state-changing
// form: never a 500, always an HTML page or a redirect, and the ledger verifies.

let s: TestServer;
let m: Merchant;
let web: WebClient;
let cookieHeader = '';
let csrf = '';
let forms: string[] = [];
let values: string[] = [];

beforeAll(async () => {
  s = await testServer();
  m = await merchantWithToken(s);
  const p = await payer(s, 500_00);
  const sale = (await createSale(s, m, '10.00')).body;
  const other = await merchantWithToken(s);
  const request = await createRequest(s, other, m.username);
  await s.ctx.store.tx(async (tx) => {
    const w = await tx.selectFrom('digital_accounts').select('id').where('handle', '=', m.digital_account).executeTakeFirstOrThrow();
    await addTestFunds(tx, w.id, 300_00, s.clock.now());
  });
  // The merchant signs in: a business account sees the app settings forms and can pay requests addressed to it.
  web = new WebClient(s.baseUrl);
  await web.signIn(m.username, m.password);
  const page = await web.get('/wallet/send');
  csrf = WebClient.csrf(page.html);
  cookieHeader = (web as unknown as { cookieHeader(): string }).cookieHeader();
  forms = [
    '/wallet/send/review', '/wallet/send', '/wallet/test-funds', `/wallet/requests/${request.id}/pay`, `/wallet/requests/${request.id}/decline`,
    '/settings/apps/new', `/settings/apps/${m.app_id}/distributions`, `/settings/apps/${m.app_id}/logo`,
    `/p/express-checkout/${sale.id}/1/authorize`, `/p/express-checkout/${sale.id}/1/cancel`, '/oauth/v2/auth', '/register/personal',
    `/settings/access/${m.app_id}/revoke`, `/settings/access/${other.app_id}/revoke`,
    `/settings/apps/${m.app_id}/edit`, `/settings/apps/${m.app_id}/distributions/remove`, `/settings/apps/${m.app_id}/billing`,
    `/dashboard/payments/${sale.id}/annul`, `/dashboard/payments/${request.id}/annul`,
  ];
  values = [m.username, p.username, p.phone, p.document, m.pin, p.pin, m.app_id, sale.id, request.id, m.client_id, m.digital_account];
});
afterAll(async () => {
  await s?.close();
});

const NAMES = ['login', 'password', 'next', 'username', 'fullName', 'businessName', 'document', 'phone', 'email', 'pin',
  'affiliationCode', 'recipient', 'amount', 'note', 'nonce', 'account', 'name', 'description', 'homeUrl', 'receivingAccount',
  'redirectUris', 'handle', 'decision', 'client_id', 'redirect_uri', 'state', 'code_challenge', 'code_challenge_method',
  'response_type', 'scope', 'logo', 'confirm', '__proto__', 'constructor'];
const ODD = ['', ' ', '0', '-1', '1e5', '20.505', '10,50', '99999999999999999999', '9007199254740993', 'NaN', '١٢', '<b>x</b>',
  '"><script>alert(1)</script>', 'javascript:alert(1)', '//evil.example', '/\t/evil.example', 'https://evil.example', 'approve', 'deny',
  'S256', 'code', 'API', 'x'.repeat(5000), '\ud800', '💸'];

const leaf = fc.oneof(
  fc.constantFrom(...ODD),
  fc.constant(null).map(() => values[Math.floor(Math.random() * values.length)] ?? ''),
  fc.string({ unit: 'binary', maxLength: 30 }).map((x) => x.replace(/\u0000/g, '')),
);
const fieldValue = fc.oneof(
  { weight: 5, arbitrary: leaf },
  { weight: 1, arbitrary: fc.array(leaf, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.constantFrom('a', '0', '1', 'x'), leaf, { maxKeys: 3 }) },
);
const bodyArb = fc.dictionary(fc.constantFrom(...NAMES), fieldValue, { maxKeys: 8 });

describe(`web form fuzzing (${DIALECT})`, () => {
  it('random form bodies never reach a 500 and leave the ledger balanced', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), bodyArb, fc.boolean(), async (pick, fields, multipart) => {
        const path = forms[pick % forms.length];
        const flat = qs.stringify({ ...fields, _csrf: csrf }, { arrayFormat: 'indices' });
        let body: string | FormData = flat;
        const headers: Record<string, string> = { cookie: cookieHeader, accept: 'text/html' };
        if (multipart) {
          const form = new FormData();
          for (const [k, v] of new URLSearchParams(flat)) form.append(k, v);
          body = form;
        } else headers['content-type'] = 'application/x-www-form-urlencoded';
        const r = await fetch(s.baseUrl + path, { method: 'POST', body, headers, redirect: 'manual' });
        const text = await r.text();
        expect(r.status, `${path} ${flat.slice(0, 200)} -> ${text.slice(0, 200)}`).toBeLessThan(500);
        if (r.status >= 300 && r.status < 400) {
          expect(r.headers.get('location')).toBeTruthy();
        } else {
          expect(r.headers.get('content-type')).toMatch(/text\/html/);
          expect(text).not.toContain('<script>alert(1)</script>');
        }
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 150) },
    );
    expect((await verifyLedger(s.ctx.store.db)).violations).toEqual([]);
  });
});
