import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyError } from '../../src/callbacks/classify.ts';
import { deliverDue } from '../../src/callbacks/deliver.ts';
import { enqueueCallback } from '../../src/callbacks/outbox.ts';
import { createMerchant, type PayerCreds } from '../../src/sandbox/demo.ts';
import { apiDate } from '../../src/shared/clock.ts';
import { testEnv, testServer, type TestServer } from '../helpers/env.ts';
import { createRequest, executeDoc, payer, type Merchant } from '../billing/fixtures.ts';
import { WebClient } from '../helpers/web.ts';
import { MerchantServer, signatureValid } from './merchant-server.ts';
import { auditOf, merchantSession } from '../webhooks/fixtures.ts';

const half = () => 0.5;

const attemptsOfCallback = (s: { ctx: TestServer['ctx'] }, id: string) =>
  s.ctx.store.db.selectFrom('callback_attempts').selectAll().where('callback_id', '=', id).orderBy('id').execute();
const callbackRow = (s: { ctx: TestServer['ctx'] }, id: string) =>
  s.ctx.store.db.selectFrom('callbacks').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

async function queued(s: { ctx: TestServer['ctx']; clock: TestServer['clock'] }, appId: string, url: string): Promise<string> {
  return s.ctx.store.tx((tx) => enqueueCallback(tx, { intentId: null, appId, url, nowMs: s.clock.now(), test: true }));
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const srv = http.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

describe('callback log: classified attempts, retries, Reenviar and Enviar prueba (sandbox)', () => {
  let s: TestServer;
  let m: Merchant;
  let web: WebClient;
  let p: PayerCreds;
  const shop = new MerchantServer();
  const hang = http.createServer(() => { /* never answers */ });
  beforeAll(async () => {
    await shop.start();
    await new Promise<void>((r) => hang.listen(0, '127.0.0.1', r));
    s = await testServer();
    ({ m, web } = await merchantSession(s));
    p = await payer(s, 500_00, { pin: '2468' });
  });
  afterAll(async () => {
    hang.closeAllConnections();
    await new Promise<void>((r) => hang.close(() => r()));
    await s.close();
    await shop.close();
  });

  it('classifies each failure: HTTP status, refused, timeout, TLS, and the sandbox failing host, each with its next retry', async () => {
    shop.status = 503;
    shop.body = 'mantenimiento';
    const hangPort = (hang.address() as { port: number }).port;
    const ids = {
      http: await queued(s, m.app_id, `${shop.base}/cb?k=http`),
      refused: await queued(s, m.app_id, `http://127.0.0.1:${await closedPort()}/cb`),
      timeout: await queued(s, m.app_id, `http://127.0.0.1:${hangPort}/slow`),
      // An HTTPS handshake with a plain HTTP server fails in TLS.
      tls: await queued(s, m.app_id, `https://127.0.0.1:${new URL(shop.base).port}/cb`),
      magic: await queued(s, m.app_id, 'https://falla.mpandco.test/mpandco/ok'),
    };
    const hitsBefore = shop.hits.length;
    const report = await deliverDue(s.ctx, { random: half, timeoutMs: 500 });
    expect(report).toMatchObject({ retrying: 5, delivered: 0, failed: 0 });
    const now = s.clock.now();
    for (const [kind, id] of Object.entries(ids)) {
      const [a] = await attemptsOfCallback(s, id);
      expect(a.error_kind, kind).toBe(kind === 'magic' ? 'http' : kind);
      expect(Number(a.next_attempt_at), kind).toBe(now + 30_000);
      expect(Number((await callbackRow(s, id)).next_attempt_at)).toBe(now + 30_000);
    }
    const magic = (await attemptsOfCallback(s, ids.magic))[0];
    expect(magic).toMatchObject({ status_code: 503, body: expect.stringContaining('Falla simulada') });
    expect((await attemptsOfCallback(s, ids.http))[0]).toMatchObject({ status_code: 503, body: 'mantenimiento' });
    // The failing host is never called, and no DNS is asked: only the shop's URL was hit.
    expect(shop.hits.length - hitsBefore).toBe(1);

    const page = await web.get(`/settings/apps/${m.app_id}/callbacks`);
    expect(page.status).toBe(200);
    const block = (id: string) => page.html.slice(page.html.indexOf(`id="d-${id}"`), page.html.indexOf('</li>', page.html.indexOf(`id="d-${id}"`)));
    expect(block(ids.refused)).toContain('Conexión rechazada: nada escucha en ese puerto');
    expect(block(ids.timeout)).toContain('Tiempo agotado');
    expect(block(ids.tls)).toContain('TLS: certificado o conexión segura no válidos');
    expect(block(ids.http)).toContain('HTTP 503: se esperaba 2xx');
    expect(block(ids.http)).toContain(`Próximo intento: ${apiDate(now + 30_000)}`);
    expect(block(ids.magic)).toContain('data-test="1"');
    expect(block(ids.magic)).toContain('Falla simulada');

    const en = new WebClient(s.baseUrl, 'en');
    await en.signIn(m.username, m.password);
    const english = await en.get(`/settings/apps/${m.app_id}/callbacks`);
    expect(english.html).toContain('Connection refused: nothing listens on that port');
    expect(english.html).toContain(`Next attempt: ${apiDate(now + 30_000)}`);

    // Leave nothing due for the next tests.
    await s.ctx.store.tx((tx) => tx.updateTable('callbacks').set({ status: 'failed' }).where('id', 'in', Object.values(ids)).execute());
    shop.status = 200;
    shop.body = 'ok';
  });

  it('names the error kind of a network error by its code', () => {
    expect(classifyError({ code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND x.invalid' })).toBe('dns');
    expect(classifyError({ code: 'EAI_AGAIN' })).toBe('dns');
    expect(classifyError({ code: 'ECONNREFUSED' })).toBe('refused');
    expect(classifyError({ code: 'ECONNRESET' })).toBe('reset');
    expect(classifyError({ code: 'CERT_HAS_EXPIRED' })).toBe('tls');
    expect(classifyError({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' })).toBe('tls');
    expect(classifyError({ code: 'ETIMEDOUT' })).toBe('timeout');
  });

  it('Reenviar delivers a delivered callback again, signed, and the re-send is audited', async () => {
    shop.hits.length = 0;
    const intent = await createRequest(s, m, p.username, { total: '3.00', returnUrl: `${shop.base}/mpandco/ok?order=7` });
    expect((await executeDoc(s, m, intent.id, intent.pay_tokens[0].id, p.pin)).status).toBe(200);
    expect(await deliverDue(s.ctx, { random: half })).toMatchObject({ delivered: 1 });
    const cb = await s.ctx.store.db.selectFrom('callbacks').selectAll().where('intent_id', '=', intent.id).executeTakeFirstOrThrow();
    expect(cb.status).toBe('delivered');

    s.clock.advance(60_000);
    const r = await web.post(`/settings/apps/${m.app_id}/callbacks/${cb.id}/resend`, {}, { csrfFrom: `/settings/apps/${m.app_id}/callbacks` });
    expect(r.status).toBe(303);
    expect(r.location).toBe(`/settings/apps/${m.app_id}/callbacks?done=resent#d-${cb.id}`);
    expect(await callbackRow(s, cb.id)).toMatchObject({ status: 'pending', requeue_attempts: 1 });
    expect(await deliverDue(s.ctx, { random: half })).toMatchObject({ delivered: 1 });
    expect(shop.hits).toHaveLength(2);
    expect(shop.hits[1].url).toBe(shop.hits[0].url);
    expect(signatureValid(shop.hits[1].headers['x-mpandco-signature'], await secret(s, m.app_id), shop.hits[1].url)).toBe(true);
    // The signature is made at each attempt: a new timestamp.
    expect(shop.hits[1].headers['x-mpandco-signature']).not.toBe(shop.hits[0].headers['x-mpandco-signature']);
    expect((await attemptsOfCallback(s, cb.id)).map((a) => a.status_code)).toEqual([200, 200]);
    const audit = (await auditOf(s, 'callback.resend')).at(-1)!;
    expect(audit).toMatchObject({ operator_id: m.user_id, target_type: 'app', target_id: m.app_id });
    expect(JSON.parse(audit.details_json)).toMatchObject({ via: 'merchant', kind: 'callback', delivery: cb.id });

    const page = await web.get(`/settings/apps/${m.app_id}/callbacks?done=resent`);
    expect(page.html).toContain('Entrega puesta de nuevo en la cola');
    expect(page.html).toMatch(/Intentos \(2\)/);
  });

  it('Reenviar on a given-up callback retries again for a new window; another business cannot resend it', async () => {
    shop.status = 500;
    const id = await queued(s, m.app_id, `${shop.base}/given-up`);
    for (let i = 0; i < 40 && (await callbackRow(s, id)).status === 'pending'; i++) {
      await deliverDue(s.ctx, { random: half });
      s.clock.advance(2 * 3_600_000 + 60_000);
    }
    expect((await callbackRow(s, id)).status).toBe('failed');
    // A day and more has passed: the session did not survive it.
    await web.signIn(m.username, m.password);
    const page = await web.get(`/settings/apps/${m.app_id}/callbacks?status=failed`);
    expect(page.html).toContain(`id="d-${id}"`);
    expect(page.html).toContain('Sin más reintentos');

    const other = await merchantSession(s);
    const refused = await other.web.post(`/settings/apps/${m.app_id}/callbacks/${id}/resend`, {}, { csrfFrom: '/settings/apps' });
    expect(refused.status).toBe(404);
    expect((await callbackRow(s, id)).status).toBe('failed');

    expect((await web.post(`/settings/apps/${m.app_id}/callbacks/${id}/resend`, {}, { csrfFrom: `/settings/apps/${m.app_id}/callbacks` })).status).toBe(303);
    await deliverDue(s.ctx, { random: half });
    // Failed again, but retried after 30 s: the 24 hours count from the re-send.
    const row = await callbackRow(s, id);
    expect(row.status).toBe('pending');
    expect(Number(row.next_attempt_at)).toBe(s.clock.now() + 30_000);
    shop.status = 200;
    s.clock.advance(31_000);
    expect(await deliverDue(s.ctx, { random: half })).toMatchObject({ delivered: 1 });
  });

  it('Enviar prueba sends a signed test callback, marked as a test, shown in the log and audited', async () => {
    shop.hits.length = 0;
    const bad = await web.post(`/settings/apps/${m.app_id}/callbacks/test`, { target: 'callback', url: 'ftp://nope' }, { csrfFrom: `/settings/apps/${m.app_id}/callbacks` });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('Indique una URL absoluta que empiece por http:// o https://');
    const noHook = await web.post(`/settings/apps/${m.app_id}/callbacks/test`, { target: 'webhook', url: '' }, { csrfFrom: `/settings/apps/${m.app_id}/callbacks` });
    expect(noHook.status).toBe(400);
    expect(noHook.html).toContain('Configure primero el endpoint del webhook.');

    const sent = await web.post(`/settings/apps/${m.app_id}/callbacks/test`, { target: 'callback', url: `${shop.base}/prueba?shop=1` }, { csrfFrom: `/settings/apps/${m.app_id}/callbacks` });
    expect(sent.status).toBe(303);
    expect(await deliverDue(s.ctx, { random: half })).toMatchObject({ delivered: 1 });
    expect(shop.hits).toHaveLength(1);
    const hit = shop.hits[0];
    expect(hit.query.get('shop')).toBe('1');
    expect(hit.query.get('paymentIntent')).toMatch(/^test_[0-9a-f]{16}$/);
    expect(hit.headers['x-mpandco-test']).toBe('1');
    expect(signatureValid(hit.headers['x-mpandco-signature'], await secret(s, m.app_id), hit.url)).toBe(true);
    const test = await s.ctx.store.db.selectFrom('callbacks').selectAll().where('app_id', '=', m.app_id).where('test', '=', 1)
      .orderBy('created_at', 'desc').executeTakeFirstOrThrow();
    expect(test).toMatchObject({ intent_id: null, status: 'delivered' });
    const page = await web.get(`/settings/apps/${m.app_id}/callbacks?done=test`);
    const at = page.html.indexOf(`id="d-${test.id}"`);
    expect(at).toBeGreaterThan(0);
    expect(page.html.slice(at, page.html.indexOf('</li>', at))).toContain('Prueba');
    expect((await auditOf(s, 'callback.test')).at(-1)).toMatchObject({ target_id: m.app_id, operator_id: m.user_id });
  });

  it('pages through the log newest first by keyset, and another business gets a 404', async () => {
    const app2 = await createMerchant(s.ctx);
    const ids: string[] = [];
    for (let i = 0; i < 45; i++) {
      s.clock.advance(1000);
      ids.push(await queued(s, m.app_id, `${shop.base}/page/${i}`));
    }
    await queued(s, app2.app_id, `${shop.base}/other`);
    const seen: string[] = [];
    let path = `/settings/apps/${m.app_id}/callbacks`;
    for (let i = 0; i < 10 && path; i++) {
      const r = await web.get(path);
      seen.push(...[...r.html.matchAll(/<li class="delivery" id="d-([^"]+)"/g)].map((x) => x[1]));
      const next = /href="([^"]+)" id="next-page"/.exec(r.html);
      path = next ? next[1].replaceAll('&amp;', '&') : '';
    }
    expect(seen.slice(0, 45)).toEqual([...ids].reverse());
    expect(new Set(seen).size).toBe(seen.length);
    const stranger = await merchantSession(s);
    expect((await stranger.web.get(`/settings/apps/${m.app_id}/callbacks`)).status).toBe(404);
    await s.ctx.store.tx((tx) => tx.updateTable('callbacks').set({ status: 'failed' }).where('status', '=', 'pending').execute());
  });
});

async function secret(s: { ctx: TestServer['ctx'] }, appId: string): Promise<string> {
  return (await s.ctx.store.db.selectFrom('apps').select('callback_secret').where('id', '=', appId).executeTakeFirstOrThrow()).callback_secret;
}

describe('callback log in production', () => {
  it('a URL the guard refuses is blocked, not called and not retried; a failed lookup is a DNS error; the sandbox failing host is nothing special', async () => {
    const prod = await testEnv({ env: 'production' });
    try {
      const m = await createMerchant(prod.ctx);
      const blocked = await queued(prod, m.app_id, 'http://127.0.0.1:9/cb');
      const dns = await queued(prod, m.app_id, 'https://shop.example.com/cb');
      const magic = await queued(prod, m.app_id, 'https://falla.mpandco.test/ok');
      const resolve = async (host: string) => {
        throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
      };
      expect(await deliverDue(prod.ctx, { random: half, resolve })).toMatchObject({ failed: 1, retrying: 2 });
      expect((await attemptsOfCallback(prod, blocked))[0]).toMatchObject({ error_kind: 'blocked', status_code: null, next_attempt_at: null });
      expect((await callbackRow(prod, blocked)).status).toBe('failed');
      expect((await attemptsOfCallback(prod, dns))[0]).toMatchObject({ error_kind: 'dns', status_code: null });
      // In production the magic host is an ordinary name: looked up, not found, retried.
      expect((await attemptsOfCallback(prod, magic))[0]).toMatchObject({ error_kind: 'dns', status_code: null, body: '' });
    } finally {
      await prod.close();
    }
  });
});
