import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOperator } from '../../src/backoffice/operators.service.ts';
import { changeAppStatus } from '../../src/backoffice/app-admin.service.ts';
import { rotateSecret } from '../../src/apps/apps.service.ts';
import { deliverDue } from '../../src/callbacks/deliver.ts';
import { verifyLedger } from '../../src/ledger/verify.ts';
import { AUTH_CACHE_MAX_ENTRIES } from '../../src/oauth/bearer.ts';
import { purgeExpired } from '../../src/oauth/purge.ts';
import { issueTokens } from '../../src/oauth/tokens.ts';
import { expireDue } from '../../src/payment-intents/expiry.worker.ts';
import { settleDue } from '../../src/payouts/payout.service.ts';
import { PUBLISHED_SANDBOX_SECRETS } from '../../src/platform.ts';
import type { PayerCreds } from '../../src/sandbox/demo.ts';
import { addTestFunds } from '../../src/sandbox/funds.ts';
import { HOUR_MS, ManualClock, MINUTE_MS } from '../../src/shared/clock.ts';
import { newId, randomHex, sha256 } from '../../src/shared/ids.ts';
import { BACKGROUND_WORKERS } from '../../src/workers.ts';
import { DIALECT, testServer, type TestServer } from '../helpers/env.ts';
import { bearer, get, postForm, type Res } from '../helpers/http.ts';
import { WebClient } from '../helpers/web.ts';
import {
  balanceOf, createRequest, executeDoc, merchantWithToken, payer, userRow, type Merchant,
} from '../billing/fixtures.ts';
import { MerchantServer } from '../callbacks/merchant-server.ts';
import { callApi, clientAppsToken, CookieJar, refreshToken } from '../oauth/support.ts';

// Several stateless nodes on one store, as `mpandco serve` on several hosts behind a load
// balancer: here two apps in this process on one data dir / schema, on two ports, each with
// its own in-process state (store connection, plugins, caches). Whatever one node does, the
// other must see, and each piece of background work must be done once.

const AUTH_CACHE_MS = 2000;

/** A browser whose cookies go to whichever node the load balancer picks. */
class Browser {
  readonly jar = new CookieJar();
  async get(base: string, p: string) {
    const r = await fetch(base + p, { redirect: 'manual', headers: { accept: 'text/html', ...this.jar.header() } });
    this.jar.store(r);
    return { status: r.status, html: await r.text(), location: r.headers.get('location') };
  }
  async post(base: string, p: string, fields: Record<string, string>) {
    const r = await fetch(base + p, {
      method: 'POST', redirect: 'manual', body: new URLSearchParams(fields),
      headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', ...this.jar.header() },
    });
    this.jar.store(r);
    return { status: r.status, html: await r.text(), location: r.headers.get('location') };
  }
}

describe('two nodes on one store', () => {
  const clock = new ManualClock(Date.UTC(2026, 10, 26, 15, 0, 0));
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpandco-nodes-'));
  const schemaPrefix = `t_${randomHex(6)}`;
  const shop = new MerchantServer();
  const vars = {
    // Secrets from the store, as on hosts that no one configured them on.
    MPANDCO_SANDBOX_PATH: undefined, MPANDCO_SANDBOX_TOKEN: undefined, MPANDCO_SANDBOX_AUTORIZE_TOKEN: undefined,
    MPANDCO_SANDBOX_COOKIE_SECRET: undefined,
    MPANDCO_SANDBOX_PUBLIC_URL: 'http://sandbox.mpandco.test',
    MPANDCO_AUTH_CACHE_MS: String(AUTH_CACHE_MS),
    MPANDCO_REQUEST_EXPIRY_MINUTES: '60',
    MPANDCO_REFRESH_IDLE_TTL: '3600',
  };
  const node = (keep: boolean) => testServer({ dataDir, schemaPrefix, clock, vars, keep });
  let a: TestServer;
  let b: TestServer;
  let m: Merchant;

  beforeAll(async () => {
    await shop.start();
    if (DIALECT === 'postgres') {
      // Two hosts starting together on a fresh store: migrations and secrets are made once.
      [a, b] = await Promise.all([node(false), node(true)]);
    } else {
      // Two SQLite connections in one process: one opens (and migrates) before the other,
      // since SQLite's own busy wait would stop this one event loop both nodes share.
      a = await node(false);
      b = await node(true);
    }
    m = await merchantWithToken(a);
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await shop.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const shopRequest = (s: TestServer, p: PayerCreds, total: string) =>
    createRequest(s, m, p.username, { total, returnUrl: `${shop.base}/ok`, cancelUrl: `${shop.base}/ko` });

  it('has the same secrets on both nodes, from the store, and either node answers the sandbox links', async () => {
    expect(b.ctx.secrets).toEqual(a.ctx.secrets);
    expect(a.ctx.secrets.sandboxPath).not.toBe(PUBLISHED_SANDBOX_SECRETS.path);
    expect(a.ctx.secrets.sandboxToken).not.toBe(PUBLISHED_SANDBOX_SECRETS.codesToken);
    const settings = await a.ctx.store.db.selectFrom('settings').select(['key', 'value']).execute();
    const stored = Object.fromEntries(settings.map((r) => [r.key, r.value]));
    expect(stored['sandbox.path']).toBe(a.ctx.secrets.sandboxPath);
    expect(stored['sandbox.token']).toBe(a.ctx.secrets.sandboxToken);
    expect(stored['cookie.secret']).toBe(a.ctx.secrets.cookieSecret);
    for (const s of [a, b]) {
      const codes = await get(`${s.baseUrl}/${a.ctx.secrets.sandboxPath}/codes.json?access_token=${a.ctx.secrets.sandboxToken}`);
      expect(codes.status).toBe(200);
      expect(codes.body.commercial).toEqual(expect.any(String));
    }
  });

  it('keeps a session signed in on node A on node B, and signing out on B ends it on A', async () => {
    const p = await payer(a, 0, { fullName: 'Carmen Nodos' });
    const browser = new Browser();
    const form = await browser.get(a.baseUrl, '/login');
    const signedIn = await browser.post(a.baseUrl, '/login', { login: p.username, password: p.password, _csrf: WebClient.csrf(form.html) });
    expect(signedIn.status).toBe(303);
    expect(signedIn.location).toBe('/wallet');

    const onB = await browser.get(b.baseUrl, '/wallet');
    expect(onB.status).toBe(200);
    expect(onB.html).toContain('Carmen Nodos');
    expect((await new Browser().get(b.baseUrl, '/wallet')).status).toBe(303); // no cookie, no wallet

    const out = await browser.post(b.baseUrl, '/logout', { _csrf: WebClient.csrf(onB.html) });
    expect(out.location).toBe('/login?out=1');
    const back = await browser.get(a.baseUrl, '/wallet');
    expect(back.status).toBe(303);
    expect(back.location).toMatch(/^\/login/);
  });

  it("takes a form's CSRF token from node A on node B, and still refuses a post without one", async () => {
    const p = await payer(a, 0);
    const browser = new Browser();
    const form = await browser.get(a.baseUrl, '/login');
    const token = WebClient.csrf(form.html);

    const stranger = new Browser(); // the token without the secret cookie it was made from
    expect((await stranger.post(b.baseUrl, '/login', { login: p.username, password: p.password, _csrf: token })).status).toBe(403);
    expect((await browser.post(b.baseUrl, '/login', { login: p.username, password: p.password })).status).toBe(403);

    const posted = await browser.post(b.baseUrl, '/login', { login: p.username, password: p.password, _csrf: token });
    expect(posted.status).toBe(303);
    expect(posted.location).toBe('/wallet');
    expect((await browser.get(a.baseUrl, '/wallet')).status).toBe(200);
  });

  it('counts a rate limit across both nodes: requests split between them hit 429 at the shared limit', async () => {
    clock.advance(MINUTE_MS + 1); // a fresh window for POST /login (30 a minute per client)
    const results: Res[] = [];
    for (let i = 0; i < 30; i++) results.push(await postForm(`${(i % 2 ? b : a).baseUrl}/login`, { login: 'x', password: 'y' }));
    // Refused for want of a CSRF token, after being counted.
    expect(results.map((r) => r.status)).toEqual(Array(30).fill(403));
    expect(results.map((r) => Number(r.headers.get('x-ratelimit-remaining')))).toEqual(Array.from({ length: 30 }, (_, i) => 29 - i));

    const overA = await postForm(`${a.baseUrl}/login`, { login: 'x', password: 'y' });
    const overB = await postForm(`${b.baseUrl}/login`, { login: 'x', password: 'y' });
    expect([overA.status, overB.status]).toEqual([429, 429]);
    expect(Number(overB.headers.get('retry-after'))).toBeGreaterThan(0);
    const row = await a.ctx.store.db.selectFrom('rate_limits').selectAll().where('key', '=', 'POST /login|127.0.0.1').executeTakeFirstOrThrow();
    expect(Number(row.hits)).toBe(32);

    // Another route keeps its own count; and when the window ends, both nodes let the client in again.
    expect((await get(`${b.baseUrl}/login`)).status).toBe(200);
    clock.advance(MINUTE_MS);
    expect((await postForm(`${b.baseUrl}/login`, { login: 'x', password: 'y' })).status).toBe(403);
    const again = await postForm(`${a.baseUrl}/login`, { login: 'x', password: 'y' });
    expect(again.status).toBe(403);
    expect(again.headers.get('x-ratelimit-remaining')).toBe('28');
  });

  it('counts requests reaching both nodes at the same moment once each (one atomic upsert)', async () => {
    clock.advance(MINUTE_MS);
    const burst = await Promise.all(Array.from({ length: 40 }, (_, i) =>
      postForm(`${(i % 2 ? b : a).baseUrl}/login`, { login: 'x', password: 'y' })));
    expect(burst.filter((r) => r.status === 429)).toHaveLength(10);
    const remaining = burst.filter((r) => r.status !== 429).map((r) => Number(r.headers.get('x-ratelimit-remaining')));
    expect(remaining.sort((x, y) => x - y)).toEqual(Array.from({ length: 30 }, (_, i) => i));
    clock.advance(MINUTE_MS);
  });

  it('locks the PIN after five wrong PINs split across the nodes', async () => {
    const p = await payer(a, 100_00, { pin: '2468' });
    const intent = await shopRequest(a, p, '10.00');
    const token = intent.pay_tokens[0].id;
    const answers: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await executeDoc(i % 2 ? b : a, m, intent.id, token, '0000');
      expect(r.status).toBe(400);
      answers.push(r.body.errors.children.pin.errors[0]);
    }
    expect(answers.slice(0, 4)).toEqual(Array(4).fill('El PIN es incorrecto.'));
    expect(answers[4]).toMatch(/bloqueado.*15 minutos/);
    for (const s of [a, b]) {
      const right = await executeDoc(s, m, intent.id, token, '2468');
      expect(right.body.errors.children.pin.errors[0]).toMatch(/bloqueado/);
    }
    expect(await balanceOf(a, p.digital_account)).toBe(100_00);

    clock.advance(15 * MINUTE_MS);
    const paid = await executeDoc(b, m, intent.id, token, '2468');
    expect(paid.status).toBe(200);
    expect(await balanceOf(a, p.digital_account)).toBe(90_00);
    expect((await userRow(a, p.payer_id)).pin_failed_count).toBe(0);
  });

  it('replays an Idempotency-Key sent to node A when the retry reaches node B; the money moves once', async () => {
    const p = await payer(a, 100_00, { pin: '1357' });
    const intent = await shopRequest(a, p, '25.00');
    const key = { 'idempotency-key': `pay-${randomHex(4)}` };
    const merchantBefore = await balanceOf(a, m.digital_account);

    const first = await executeDoc(a, m, intent.id, intent.pay_tokens[0].id, '1357', key);
    expect(first.status).toBe(200);
    expect(first.headers.get('idempotency-replayed')).toBeNull();
    const retry = await executeDoc(b, m, intent.id, intent.pay_tokens[0].id, '1357', key);
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotency-replayed')).toBe('true');
    expect(retry.body).toEqual(first.body);
    const other = await postForm(`${b.baseUrl}/api/payment-intent/execute/request.json?id=${intent.id}`,
      { payment_execution: { payToken: intent.pay_tokens[0].id, pin: '9999' } }, { ...m.auth, ...key });
    expect(other.status).toBe(422); // the same key with another body

    // The same key reaching both nodes at once: one runs, the other is told so or replays it.
    const intent2 = await shopRequest(a, p, '5.00');
    const key2 = { 'idempotency-key': `pay-${randomHex(4)}` };
    const both = await Promise.all([a, b].map((s) => executeDoc(s, m, intent2.id, intent2.pay_tokens[0].id, '1357', key2)));
    const ran = both.filter((r) => r.status === 200 && r.headers.get('idempotency-replayed') === null);
    expect(ran).toHaveLength(1);
    for (const r of both.filter((x) => x !== ran[0])) {
      expect(r.status === 409 || r.headers.get('idempotency-replayed') === 'true').toBe(true);
    }

    expect(await balanceOf(a, p.digital_account)).toBe(70_00);
    expect(await balanceOf(b, m.digital_account)).toBe(merchantBefore + 30_00);
    expect((await verifyLedger(a.ctx.store.db)).violations).toEqual([]);
  });

  describe('the bearer check cached on each node', () => {
    const profile = (s: TestServer, token: string) => get(`${s.baseUrl}/api/user/profile.json`, bearer(token));

    it('keeps answering a token revoked through node A on node B for at most the bound, then 403', async () => {
      const t = await clientAppsToken(a.baseUrl, m);
      expect(t.status).toBe(200);
      const access = t.body.access_token as string;
      expect((await profile(b, access)).status).toBe(200); // node B checks it now and keeps the answer

      // A rotated refresh token presented again ends its whole family (docs/oauth.md), through node A.
      expect((await refreshToken(a.baseUrl, m, t.body.refresh_token)).status).toBe(200);
      expect((await refreshToken(a.baseUrl, m, t.body.refresh_token)).status).toBe(400);
      expect((await profile(a, access)).status).toBe(403); // node A had nothing cached

      expect((await profile(b, access)).status).toBe(200);
      clock.advance(AUTH_CACHE_MS - 1);
      expect((await profile(b, access)).status).toBe(200);
      clock.advance(1);
      const after = await profile(b, access);
      expect(after.status).toBe(403);
      expect(after.text).toContain('El token de acceso no es válido.');
    });

    it('keeps serving an app suspended through node A for at most the bound, then 403 on both', async () => {
      const op = await createOperator(a.ctx, { username: `op${randomHex(3)}`, password: 'Operador-2026!' });
      const access = (await clientAppsToken(a.baseUrl, m)).body.access_token as string;
      expect((await profile(b, access)).status).toBe(200);

      await a.ctx.store.tx((tx) => changeAppStatus(tx, { operatorId: op.id, via: 'web' }, m.app_id, 'suspend', 'Revisión', clock.now()));
      clock.advance(AUTH_CACHE_MS - 1);
      expect((await profile(b, access)).status).toBe(200);
      clock.advance(1);
      expect((await profile(b, access)).status).toBe(403);
      expect((await profile(a, access)).status).toBe(403);

      // Refusals are never cached: reinstated, a new token works on both nodes at once.
      await a.ctx.store.tx((tx) => changeAppStatus(tx, { operatorId: op.id, via: 'web' }, m.app_id, 'reinstate', 'Revisada', clock.now()));
      const fresh = (await clientAppsToken(a.baseUrl, m)).body.access_token as string;
      expect((await profile(b, fresh)).status).toBe(200);
      await reissue();
    });

    it('keeps an active client on the token endpoint for at most the bound: a suspension or a rotated secret through A holds on B after it, a new secret at once', async () => {
      const op = await createOperator(a.ctx, { username: `op${randomHex(3)}`, password: 'Operador-2026!' });
      const own = await merchantWithToken(a); // its own app: the others' secret stays as it is
      expect((await clientAppsToken(b.baseUrl, own)).status).toBe(200); // node B keeps the client now
      await a.ctx.store.tx((tx) => changeAppStatus(tx, { operatorId: op.id, via: 'web' }, own.app_id, 'suspend', 'Revisión', clock.now()));
      clock.advance(AUTH_CACHE_MS - 1);
      const within = await clientAppsToken(b.baseUrl, own);
      expect(within.status).toBe(200);
      // What B issued inside the bound is refused where it is used: the app's status comes with the token's check.
      expect((await profile(a, within.body.access_token)).status).toBe(403);
      clock.advance(1);
      for (const node of [a, b]) {
        const refused = await clientAppsToken(node.baseUrl, own);
        expect(refused.status).toBe(400);
        expect(refused.body.error_description).toMatch(/suspendida/);
      }
      await a.ctx.store.tx((tx) => changeAppStatus(tx, { operatorId: op.id, via: 'web' }, own.app_id, 'reinstate', 'Revisada', clock.now()));
      expect((await clientAppsToken(b.baseUrl, own)).status).toBe(200); // refusals were not kept

      // A secret rotated through node A while B keeps the client with the old one.
      const old = { ...own };
      const rotated = { ...own, client_secret: await a.ctx.store.tx((tx) => rotateSecret(tx, own.app_id, clock.now())) };
      const stale = await clientAppsToken(b.baseUrl, old);
      expect(stale.status).toBe(200); // inside the bound, and its token does not work: it carries the old secret's version
      expect((await profile(a, stale.body.access_token)).status).toBe(403);
      const fresh = await clientAppsToken(b.baseUrl, rotated); // another secret is looked up: the new one works at once
      expect(fresh.status).toBe(200);
      expect((await profile(b, fresh.body.access_token)).status).toBe(200);
      expect((await clientAppsToken(b.baseUrl, old)).status).toBe(400); // B now keeps the new one
      clock.advance(AUTH_CACHE_MS);
      expect((await clientAppsToken(a.baseUrl, old)).status).toBe(400);
    });

    it('never caches a refusal: a user enabled again through node A is served on node B at once', async () => {
      const access = (await clientAppsToken(a.baseUrl, m)).body.access_token as string;
      await a.ctx.store.autocommit.updateTable('users').set({ status: 'disabled' }).where('id', '=', m.user_id).execute();
      expect((await profile(b, access)).status).toBe(403);
      await a.ctx.store.autocommit.updateTable('users').set({ status: 'active' }).where('id', '=', m.user_id).execute();
      expect((await profile(b, access)).status).toBe(200);
    });

    it("honours the token's own expiry exactly, cached or not", async () => {
      const t = await issueTokens(a.ctx.store.autocommit, {
        appId: m.app_id, userId: m.user_id, secretVersion: 1, nowMs: clock.now(), accessTtlSec: 10, refreshIdleSec: 3600,
      });
      clock.advance(10_000 - 1500);
      expect((await profile(b, t.access_token)).status).toBe(200); // cached on B for the next 2 s
      clock.advance(1499);
      expect((await profile(b, t.access_token)).status).toBe(200);
      clock.advance(1); // the token's expiry, inside the cache's bound
      const expired = await profile(b, t.access_token);
      expect(expired.status).toBe(401);
      expect(expired.text).toContain('El token de acceso ha expirado.');
    });

    it(`keeps at most ${AUTH_CACHE_MAX_ENTRIES} tokens per node, dropping the oldest check first`, async () => {
      const now = clock.now();
      const tokens = Array.from({ length: AUTH_CACHE_MAX_ENTRIES + 1 }, (_, i) => `bound-${randomHex(4)}-${i}`);
      for (let i = 0; i < tokens.length; i += 500) {
        await a.ctx.store.autocommit.insertInto('oauth_tokens').values(tokens.slice(i, i + 500).map((t) => ({
          token_hash: sha256(t), kind: 'access' as const, app_id: m.app_id, user_id: m.user_id, scope: 'API', family_id: newId(),
          secret_version: 1, expires_at: now + HOUR_MS, revoked_at: null, used_at: null, created_at: now,
        }))).execute();
      }
      const [first, second] = tokens;
      const last = tokens[tokens.length - 1];
      const check = async (ts: string[]) => expect((await Promise.all(ts.map((t) => callApi(b.ctx, t)))).every((r) => typeof r === 'object')).toBe(true);
      // The first one checked first and the last one last; those between, a hundred at a time.
      await check([first]);
      for (let i = 1; i < tokens.length - 1; i += 100) await check(tokens.slice(i, Math.min(i + 100, tokens.length - 1)));
      await check([last]);
      await a.ctx.store.autocommit.updateTable('oauth_tokens').set({ revoked_at: now })
        .where('token_hash', 'in', [first, second, last].map(sha256)).execute();
      expect(await callApi(b.ctx, first)).toBe(403); // dropped when the last one came in: looked up again
      expect(typeof (await callApi(b.ctx, last))).toBe('object'); // still within the bound
      clock.advance(AUTH_CACHE_MS);
      expect(await callApi(b.ctx, last)).toBe(403);
      expect(await callApi(b.ctx, second)).toBe(403);
    });

    it('answers at once on a node with MPANDCO_AUTH_CACHE_MS=0', async () => {
      const c = await testServer({ dataDir, schemaPrefix, clock, vars: { ...vars, MPANDCO_AUTH_CACHE_MS: '0' }, keep: true });
      try {
        expect(c.ctx.config.authCacheMs).toBe(0);
        const t = await clientAppsToken(a.baseUrl, m);
        expect((await profile(c, t.body.access_token)).status).toBe(200);
        expect((await profile(b, t.body.access_token)).status).toBe(200);
        await refreshToken(a.baseUrl, m, t.body.refresh_token);
        await refreshToken(a.baseUrl, m, t.body.refresh_token); // the family ends
        expect((await profile(c, t.body.access_token)).status).toBe(403);
        expect((await profile(b, t.body.access_token)).status).toBe(200);
      } finally {
        await c.close();
      }
    });
  });

  /** The merchant's token ended with its app's suspension: a new one, as long-lived. */
  async function reissue() {
    const t = await issueTokens(a.ctx.store.autocommit, {
      appId: m.app_id, userId: m.user_id, secretVersion: 1, nowMs: clock.now(), accessTtlSec: 365 * 86_400, refreshIdleSec: 365 * 86_400,
    });
    m.token = t.access_token;
    m.auth = bearer(t.access_token);
  }

  describe('background work on both nodes at once', () => {
    /** Work for every loop: paid requests with callbacks due, an unpaid request, a submitted batch, short tokens. */
    async function dueWork(): Promise<{ callbacks: string[]; unpaid: string; batch: string }> {
      const p = await payer(a, 100_00, { pin: '4321' });
      const callbacks: string[] = [];
      for (let i = 0; i < 3; i++) {
        const r = await shopRequest(i % 2 ? b : a, p, '1.00');
        expect((await executeDoc(i % 2 ? a : b, m, r.id, r.pay_tokens[0].id, '4321')).status).toBe(200);
        callbacks.push(r.id);
      }
      const unpaid = (await shopRequest(b, p, '2.00')).id;
      await a.ctx.store.tx(async (tx) => {
        const acct = await tx.selectFrom('digital_accounts').select('id').where('handle', '=', m.digital_account).executeTakeFirstOrThrow();
        await addTestFunds(tx, acct.id, 200_00, clock.now());
      });
      const item = {
        multi_payment_item: {
          reference: 'Nómina', nameAccount: 'Jose Rivas', identificationNumber: 'j54637469',
          bankAccount: '01340000000000000001', amount: '100.00', phone: '', email: '',
        },
      };
      expect((await postForm(`${a.baseUrl}/api/multipayment/register-item.json?type=DISPERSION`, item, m.auth)).status).toBe(200);
      const list = await get(`${b.baseUrl}/api/multipayment/.json`, m.auth);
      const batch = list.body.data.find((x: { status: string }) => x.status === 'PENDING_LOAD').id as string;
      expect((await postForm(`${b.baseUrl}/api/multipayment/submit.json?id=${batch}`, {}, m.auth)).status).toBe(200);
      await issueTokens(a.ctx.store.autocommit, {
        appId: m.app_id, userId: m.user_id, secretVersion: 1, nowMs: clock.now(), accessTtlSec: 60, refreshIdleSec: 60,
      });
      return { callbacks, unpaid, batch };
    }

    async function settlementsOf(batchId: string): Promise<number> {
      const b0 = await a.ctx.store.db.selectFrom('payout_batches').select('ref').where('id', '=', batchId).executeTakeFirstOrThrow();
      const rows = await a.ctx.store.db.selectFrom('ledger_entries').select('id')
        .where('kind', '=', 'payout_settlement').where('description', '=', `Liquidación ${b0.ref}`).execute();
      return rows.length;
    }

    const stateOf = async (id: string) =>
      (await a.ctx.store.db.selectFrom('payment_intents').select('state').where('id', '=', id).executeTakeFirstOrThrow()).state;
    const hitsFor = (id: string) => shop.hits.filter((h) => h.query.get('paymentIntent') === id).length;
    const purgeable = async () => {
      const cutoff = clock.now() - 3600 * 1000;
      const rows = await a.ctx.store.db.selectFrom('oauth_tokens').select('token_hash').where('expires_at', '<', cutoff).execute();
      return rows.length;
    };

    it('does each piece of work once when each pass runs on both nodes at the same moment', async () => {
      shop.hits.length = 0;
      const work = await dueWork();
      clock.advance(25 * HOUR_MS);
      const tokens = await purgeable();
      expect(tokens).toBeGreaterThan(0);
      // Every paid request so far has its callback due (those of the tests above too).
      const due = (await a.ctx.store.db.selectFrom('callbacks').select('intent_id').where('status', '=', 'pending').execute())
        .flatMap((r) => (r.intent_id ? [r.intent_id] : []));
      expect(due).toEqual(expect.arrayContaining(work.callbacks));

      const twice = <T>(pass: (s: TestServer) => Promise<T>) => Promise.all([a, b, a, b].map(pass));
      const delivered = await twice((s) => deliverDue(s.ctx));
      const expired = await twice((s) => expireDue(s.ctx));
      const settled = await twice((s) => settleDue(s.ctx));
      const purged = await twice((s) => purgeExpired(s.ctx.store.autocommit, clock.now(), s.ctx.config.refreshTokenIdleSec));

      expect(delivered.reduce((n, r) => n + r.delivered, 0)).toBe(due.length);
      for (const id of due) expect(hitsFor(id)).toBe(1);
      const attempts = await a.ctx.store.db.selectFrom('callback_attempts').select('intent_id').where('intent_id', 'in', due).execute();
      expect(attempts).toHaveLength(due.length);
      expect(expired.reduce((n, x) => n + x, 0)).toBe(1);
      expect(await stateOf(work.unpaid)).toBe('canceled');
      expect(settled.reduce((n, x) => n + x, 0)).toBe(1);
      expect(await settlementsOf(work.batch)).toBe(1);
      expect(purged.reduce((n, x) => n + x, 0)).toBe(tokens);
      expect(await purgeable()).toBe(0);
      expect((await verifyLedger(a.ctx.store.db)).violations).toEqual([]);
    });

    it("does each piece of work once with both nodes' poll loops running", async () => {
      shop.hits.length = 0;
      const work = await dueWork();
      clock.advance(25 * HOUR_MS);
      const stops = [a, b].flatMap((s) => BACKGROUND_WORKERS.map((start) => start(s.ctx)));
      try {
        const deadline = Date.now() + 20_000;
        for (;;) {
          const done = work.callbacks.every((id) => hitsFor(id) > 0) && (await stateOf(work.unpaid)) === 'canceled'
            && (await settlementsOf(work.batch)) > 0 && (await purgeable()) === 0;
          if (done) break;
          if (Date.now() > deadline) throw new Error('the background loops did not finish the work in 20 s');
          await new Promise((r) => setTimeout(r, 50));
        }
      } finally {
        await Promise.all(stops.map((stop) => stop()));
      }
      for (const id of work.callbacks) expect(hitsFor(id)).toBe(1);
      const statuses = await a.ctx.store.db.selectFrom('callbacks').select('status').where('intent_id', 'in', work.callbacks).execute();
      expect(statuses.map((s) => s.status)).toEqual(['delivered', 'delivered', 'delivered']);
      expect(await settlementsOf(work.batch)).toBe(1);
      expect((await verifyLedger(a.ctx.store.db)).violations).toEqual([]);
    });
  });
});
