import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer, type TestServer } from '../helpers/env.ts';
import { bearer, get, postForm, postJson } from '../helpers/http.ts';
import { WebClient } from '../helpers/web.ts';
import { createMerchant, createPayer, type MerchantCreds } from '../../src/sandbox/demo.ts';
import { DAY_MS } from '../../src/shared/clock.ts';
import { REDACTED, BODY_LIMIT_BYTES } from '../../src/request-log/redact.ts';
import { purgeRequestLog, RETENTION_MS } from '../../src/request-log/request-log.purge.ts';
import { BACKGROUND_WORKERS } from '../../src/workers.ts';
import type { Loop } from '../../src/background/poll-loop.ts';
import { clientAppsToken } from '../oauth/support.ts';
import { saleDoc } from '../payment-intents/fixtures.ts';
import { phpQuery } from '../helpers/http.ts';
import { entryIds, flushLog, logRows, preText } from './fixtures.ts';

// The request log of an app: what a real API call leaves there, what it hides, who may read
// it, how it is searched, and how it is purged.

describe('request log per app', () => {
  let s: TestServer;
  let m: MerchantCreds;
  let web: WebClient;
  let token: string;
  let refresh: string;
  const logUrl = () => `/settings/apps/${m.app_id}/requests`;

  beforeAll(async () => {
    s = await testServer();
    m = await createMerchant(s.ctx);
    web = new WebClient(s.baseUrl);
    await web.signIn(m.username, m.password);
    const t = await clientAppsToken(s.baseUrl, m);
    expect(t.status).toBe(200);
    token = t.body.access_token;
    refresh = t.body.refresh_token;
  });
  afterAll(async () => s?.close());

  it('records the token call and a sale with its Idempotency-Key, and keeps no secret', async () => {
    const created = await postForm(`${s.baseUrl}/api/payment-intent/.json`, phpQuery(saleDoc('12.34')), { ...bearer(token), 'idempotency-key': 'pedido-1042' });
    expect(created.status, created.text).toBe(200);
    const rows = await logRows(s, m.app_id);
    expect(rows.map((r) => [r.method, r.path, r.status])).toEqual([
      ['POST', '/oauth/v2/token', 200],
      ['POST', '/api/payment-intent/.json', 200],
    ]);
    const [tok, sale] = rows;
    expect(JSON.parse(tok.request_body!)).toEqual({ grant_type: 'urn:client_apps', client_id: m.client_id, client_secret: REDACTED });
    expect(JSON.parse(tok.response_body!)).toMatchObject({ access_token: REDACTED, refresh_token: REDACTED, token_type: 'bearer', expires_in: 3600 });
    expect(sale.idempotency_key).toBe('pedido-1042');
    expect(JSON.parse(sale.request_headers)).toMatchObject({ authorization: `Bearer ${REDACTED}`, 'content-type': 'application/x-www-form-urlencoded' });
    expect(JSON.parse(sale.request_body!).paymentintent.transactions[0].amount.total).toBe('12.34');
    expect(JSON.parse(sale.response_body!)).toMatchObject({ id: created.body.id, state: 'created' });
    expect(sale.duration_ms).toBeGreaterThanOrEqual(0);
    expect(sale.request_id).toBe(created.headers.get('x-request-id'));
    const stored = JSON.stringify(rows);
    for (const secret of [m.client_secret, token, refresh]) expect(stored).not.toContain(secret);

    const list = await web.get(logUrl());
    expect(list.status).toBe(200);
    expect(entryIds(list.html)).toEqual([sale.id, tok.id]);
    expect(list.html).toContain('pedido-1042');
    const detail = await web.get(`${logUrl()}/${sale.id}`);
    expect(detail.status).toBe(200);
    expect(JSON.parse(preText(detail.html, 'request-body')!).paymentintent.intent).toBe('sale');
    expect(JSON.parse(preText(detail.html, 'response-body')!).id).toBe(created.body.id);
    expect(detail.html).toContain(`authorization: Bearer ${REDACTED}`);
    expect(detail.html).not.toContain(token);
  });

  it('hides the PIN and pay token of a cashier call, an access_token in the URL and a refresh grant', async () => {
    const pin = await postJson(`${s.baseUrl}/api/payment-intent/execute/request.json?id=nope`, { payment_execution: { payToken: 'wallet-xyz', pin: '7391' } }, bearer(token));
    expect(pin.status).toBeGreaterThanOrEqual(400);
    const shown = await get(`${s.baseUrl}/api/payment-intent/show.json?id=nope&access_token=${encodeURIComponent(token)}`);
    expect(shown.status).toBe(404);
    const refreshed = await postForm(`${s.baseUrl}/oauth/v2/token`, { grant_type: 'refresh_token', refresh_token: refresh, client_id: m.client_id, client_secret: m.client_secret });
    expect(refreshed.status).toBe(200);
    const rows = (await logRows(s, m.app_id)).slice(-3);
    expect(rows.map((r) => r.path)).toEqual(['/api/payment-intent/execute/request.json', '/api/payment-intent/show.json', '/oauth/v2/token']);
    expect(JSON.parse(rows[0].request_body!)).toEqual({ payment_execution: { payToken: REDACTED, pin: REDACTED } });
    expect(rows[0].query).toBe('id=nope');
    expect(rows[1].query).toBe(`id=nope&access_token=${REDACTED}`);
    expect(JSON.parse(rows[2].request_body!)).toMatchObject({ refresh_token: REDACTED, client_secret: REDACTED });
    const stored = JSON.stringify(rows);
    for (const secret of ['7391', 'wallet-xyz', token, refresh, refreshed.body.access_token, refreshed.body.refresh_token, m.client_secret]) {
      expect(stored).not.toContain(secret);
    }
    token = refreshed.body.access_token;
  });

  it('records refusals made before the route runs (schema 400, unknown path), but nothing without an app’s credentials', async () => {
    const before = (await logRows(s, m.app_id)).length;
    const bad = await postJson(`${s.baseUrl}/api/payment-intent/.json`, { paymentintent: { intent: ['x'] } }, bearer(token));
    expect(bad.status).toBe(400);
    const missing = await get(`${s.baseUrl}/api/no-such-thing.json`, bearer(token));
    expect(missing.status).toBe(404);
    // Not this app's: a made-up token, a wrong client secret, no credentials at all.
    await get(`${s.baseUrl}/api/payment-intent/.json`, bearer('made-up-token'));
    await clientAppsToken(s.baseUrl, { client_id: m.client_id, client_secret: 'wrong' });
    await get(`${s.baseUrl}/api/payment-intent/.json`);
    const rows = (await logRows(s, m.app_id)).slice(before);
    expect(rows.map((r) => [r.path, r.status])).toEqual([['/api/payment-intent/.json', 400], ['/api/no-such-thing.json', 404]]);
    expect(await s.ctx.store.db.selectFrom('request_log').select('app_id').where('app_id', '!=', m.app_id).execute()).toEqual([]);
  });

  it('cuts a body past 8 KiB and says so on the detail page', async () => {
    const long = 'x'.repeat(BODY_LIMIT_BYTES + 500);
    const r = await postJson(`${s.baseUrl}/api/payment-intent/.json`, { paymentintent: { intent: 'sale', note: long } }, bearer(token));
    expect(r.status).toBeGreaterThanOrEqual(400);
    const row = (await logRows(s, m.app_id)).at(-1)!;
    expect(row.request_truncated).toBe(1);
    expect(Buffer.byteLength(row.request_body!)).toBeLessThanOrEqual(BODY_LIMIT_BYTES);
    expect(row.response_truncated).toBe(0);
    const detail = await web.get(`${logUrl()}/${row.id}`);
    expect(detail.html).toContain('id="request-truncated"');
    expect(detail.html).toContain('Recortado: se guardan los primeros 8 KB.');
    expect(detail.html).not.toContain('id="response-truncated"');
  });

  it('filters by method, path, status class or code, Idempotency-Key and text, newest first, a page at a time', async () => {
    for (let i = 0; i < 27; i++) await get(`${s.baseUrl}/api/payment-intent/show.json?id=missing-${i}`, bearer(token));
    await postForm(`${s.baseUrl}/api/payment-intent/.json`, phpQuery(saleDoc('5.00')), { ...bearer(token), 'idempotency-key': 'pedido-2001' });
    await flushLog(s);
    const all = await logRows(s, m.app_id);
    const ids = (pred: (r: (typeof all)[number]) => boolean) => all.filter(pred).map((r) => r.id).reverse();

    const gets = await web.get(`${logUrl()}?method=GET&path=show`);
    const allGets = ids((r) => r.method === 'GET' && r.path.includes('show'));
    expect(allGets.length).toBe(28);
    expect(entryIds(gets.html)).toEqual(allGets.slice(0, 25));
    const next = /href="([^"]+)" id="next-page"/.exec(gets.html)?.[1]?.replace(/&amp;/g, '&');
    expect(next).toMatch(/method=GET&path=show&after=/);
    const page2 = await web.get(next!);
    expect(entryIds(page2.html)).toEqual(allGets.slice(25));
    expect(page2.html).not.toContain('id="next-page"');
    expect(page2.html).toContain('id="first-page"');

    expect(entryIds((await web.get(`${logUrl()}?status=2xx&method=POST`)).html)).toEqual(ids((r) => r.status < 300 && r.method === 'POST'));
    expect(entryIds((await web.get(`${logUrl()}?status=4xx`)).html)).toEqual(ids((r) => r.status >= 400 && r.status < 500).slice(0, 25));
    expect(entryIds((await web.get(`${logUrl()}?status=400`)).html)).toEqual(ids((r) => r.status === 400));
    expect(entryIds((await web.get(`${logUrl()}?key=pedido-2001`)).html)).toEqual(ids((r) => r.idempotency_key === 'pedido-2001'));
    // Text: in a body (the amount), in the query string (missing-13), any case, and % is no wildcard.
    expect(entryIds((await web.get(`${logUrl()}?q=MISSING-13`)).html)).toEqual(ids((r) => r.query === 'id=missing-13'));
    const bodyHit = ids((r) => (r.request_body ?? '').includes('"total":"5.00"'));
    expect(bodyHit.length).toBe(1);
    expect(entryIds((await web.get(`${logUrl()}?q=${encodeURIComponent('"total":"5.00"')}`)).html)).toEqual(bodyHit);
    expect(entryIds((await web.get(`${logUrl()}?q=%25`)).html)).toEqual([]);
    // Nonsense filter values are dropped, not an error.
    expect((await web.get(`${logUrl()}?status=abc&method=FOO&after=zzz`)).status).toBe(200);
    // The English page.
    const en = new WebClient(s.baseUrl, 'en');
    await en.signIn(m.username, m.password);
    expect((await en.get(logUrl())).html).toContain('Request log');
  });

  it('is the owner’s alone: another business, a person and another app’s entry get 404', async () => {
    const other = await createMerchant(s.ctx);
    const otherWeb = new WebClient(s.baseUrl);
    await otherWeb.signIn(other.username, other.password);
    const [entry] = await logRows(s, m.app_id);
    expect((await otherWeb.get(logUrl())).status).toBe(404);
    expect((await otherWeb.get(`${logUrl()}/${entry.id}`)).status).toBe(404);
    // Its own app exists, but the entry is not its app's.
    expect((await otherWeb.get(`/settings/apps/${other.app_id}/requests`)).status).toBe(200);
    expect((await otherWeb.get(`/settings/apps/${other.app_id}/requests/${entry.id}`)).status).toBe(404);
    expect((await web.get(`${logUrl()}/999999999`)).status).toBe(404);
    expect((await web.get(`${logUrl()}/abc`)).status).toBe(404);
    const person = await createPayer(s.ctx, 0);
    const personWeb = new WebClient(s.baseUrl);
    await personWeb.signIn(person.username, person.password);
    expect((await personWeb.get(logUrl())).status).toBe(404);
    const anonymous = await new WebClient(s.baseUrl).get(logUrl());
    expect(anonymous.status).toBe(303);
    // The app's page links to its log.
    expect((await web.get(`/settings/apps/${m.app_id}`)).html).toContain(`href="/settings/apps/${m.app_id}/requests" id="request-log-link"`);
  });

  it('purges rows past 7 days in batches, by the platform clock, and keeps at most the cap per app', async () => {
    const old = await logRows(s, m.app_id);
    expect(old.length).toBeGreaterThan(30);
    s.clock.advance(RETENTION_MS + 1);
    for (let i = 0; i < 5; i++) await get(`${s.baseUrl}/api/payment-intent/show.json?id=fresh-${i}`, bearer(token));
    await flushLog(s);

    const r = await purgeRequestLog(s.ctx, { batch: 7 });
    expect(r.expired).toBe(old.length);
    expect(r.batches).toBe(Math.floor(old.length / 7) + 1);
    const left = await logRows(s, m.app_id);
    expect(left.map((x) => x.query)).toEqual([0, 1, 2, 3, 4].map((i) => `id=fresh-${i}`));

    const capped = await purgeRequestLog(s.ctx, { maxRowsPerApp: 2, batch: 2 });
    expect(capped).toMatchObject({ expired: 0, overCap: 3 });
    expect((await logRows(s, m.app_id)).map((x) => x.query)).toEqual(['id=fresh-3', 'id=fresh-4']);

    // The background loop is registered with the others and purges on its first pass.
    s.clock.advance(2 * DAY_MS + RETENTION_MS);
    const workers = BACKGROUND_WORKERS.map((start) => start(s.ctx) as Loop);
    try {
      await Promise.all(workers.map((w) => w.nextPass()));
    } finally {
      await Promise.all(workers.map((w) => w()));
    }
    expect(await logRows(s, m.app_id)).toEqual([]);
  });
});
