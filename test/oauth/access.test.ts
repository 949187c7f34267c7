import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer, type TestServer } from '../helpers/env.ts';
import { bearer, get, postForm } from '../helpers/http.ts';
import { logoPng } from '../helpers/png.ts';
import { WebClient } from '../helpers/web.ts';
import { createMerchant, createPayer, type MerchantCreds } from '../../src/sandbox/demo.ts';
import { apiDate, HOUR_MS, MINUTE_MS } from '../../src/shared/clock.ts';
import { clientAppsToken, pkcePair, refreshToken } from './support.ts';
import { oauthModel } from '../../src/oauth/oauth.model.ts';

const REDIRECT = 'https://shop.example/oauth/callback';

interface Pair {
  access_token: string;
  refresh_token: string;
}

describe('apps with access to the account (/settings/access)', () => {
  let s: TestServer;
  let shop: MerchantCreds;
  let other: MerchantCreds;

  async function thirdPartyApp(appName: string, homeUrl: string): Promise<MerchantCreds> {
    const m = await createMerchant(s.ctx, { appName, homeUrl });
    await s.ctx.store.autocommit.updateTable('apps').set({ redirect_uris: JSON.stringify([REDIRECT]) }).where('id', '=', m.app_id).execute();
    return m;
  }

  async function signedIn(login: { username: string; password: string }, lang?: 'es' | 'en'): Promise<WebClient> {
    const web = new WebClient(s.baseUrl, lang);
    const r = await web.signIn(login.username, login.password);
    expect(r.status).toBe(303);
    return web;
  }

  /** Approves the app on the real consent page and returns the code and its PKCE verifier. */
  async function approvedCode(web: WebClient, app: MerchantCreds): Promise<{ code: string; verifier: string }> {
    const { verifier, challenge } = pkcePair();
    const params = {
      response_type: 'code', client_id: app.client_id, redirect_uri: REDIRECT, state: 'st-1',
      code_challenge: challenge, code_challenge_method: 'S256', scope: 'API',
    };
    const r = await web.post('/oauth/v2/auth', { ...params, decision: 'approve' }, { csrfFrom: `/oauth/v2/auth?${new URLSearchParams(params)}` });
    expect(r.status).toBe(303);
    const code = new URL(r.location!).searchParams.get('code');
    expect(code).toBeTruthy();
    return { code: code!, verifier };
  }

  function redeem(app: MerchantCreds, code: string, verifier: string) {
    return postForm(`${s.baseUrl}/oauth/v2/token`, {
      grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: REDIRECT,
      client_id: app.client_id, client_secret: app.client_secret,
    });
  }

  async function grant(web: WebClient, app: MerchantCreds): Promise<Pair> {
    const { code, verifier } = await approvedCode(web, app);
    const t = await redeem(app, code, verifier);
    expect(t.status).toBe(200);
    return t.body;
  }

  const profileStatus = async (token: string) => (await get(`${s.baseUrl}/api/user/profile.json`, bearer(token))).status;

  /** The list items of the page, by app id. */
  function items(html: string): Map<string, string> {
    const out = new Map<string, string>();
    for (const part of html.split('<li class="ax-item"').slice(1)) {
      const id = /^ data-app-id="([^"]+)"/.exec(part)?.[1];
      if (id) out.set(id, part.slice(0, part.indexOf('</form>')));
    }
    return out;
  }

  beforeAll(async () => {
    s = await testServer();
    shop = await thirdPartyApp('Tienda Ñandú', 'https://tienda-nandu.example/inicio');
    await s.ctx.store.autocommit.updateTable('apps').set({ logo_png: logoPng() }).where('id', '=', shop.app_id).execute();
    other = await thirdPartyApp('Farmacia La Esquina', 'https://farmacia.example');
  });
  afterAll(async () => s?.close());

  it('sends a visitor who is not signed in to the sign-in page', async () => {
    const web = new WebClient(s.baseUrl);
    const r = await web.get('/settings/access');
    expect(r.status).toBe(303);
    expect(r.location).toBe(`/login?next=${encodeURIComponent('/settings/access')}`);
    const p = await web.post(`/settings/access/${shop.app_id}/revoke`, {}, { noCsrf: true });
    expect(p.status).toBe(303);
    expect(p.location).toMatch(/^\/login\?next=/);
  });

  it('shows the empty state and is linked from the navigation', async () => {
    const payer = await createPayer(s.ctx, 0);
    const web = await signedIn(payer);
    const wallet = await web.get('/wallet');
    expect(wallet.html).toContain('<a href="/settings/access">Aplicaciones conectadas</a>');
    const r = await web.get('/settings/access');
    expect(r.status).toBe(200);
    expect(r.html).toContain('<h1 id="ax-title">Aplicaciones con acceso a tu cuenta</h1>');
    expect(r.html).toContain('Ninguna aplicación tiene acceso a su cuenta.');
    expect(items(r.html).size).toBe(0);
    expect(r.html).not.toContain('/revoke');
  });

  it('lists an approved app with its logo, site, dates and what it may do', async () => {
    const payer = await createPayer(s.ctx, 0);
    const web = await signedIn(payer);
    const grantedAt = s.clock.now();
    const first = await grant(web, shop);
    s.clock.advance(2 * HOUR_MS);
    const rotated = await refreshToken(s.baseUrl, shop, first.refresh_token);
    expect(rotated.status).toBe(200);
    const r = await web.get('/settings/access');
    expect(r.status).toBe(200);
    const list = items(r.html);
    expect([...list.keys()]).toEqual([shop.app_id]);
    const item = list.get(shop.app_id)!;
    expect(item).toContain('<h2>Tienda Ñandú</h2>');
    expect(item).toContain(`src="/p/app-logo/${shop.app_id}.png"`);
    expect(item).toContain('href="https://tienda-nandu.example/inicio"');
    expect(item).toContain('>tienda-nandu.example</a>');
    expect(item).toMatch(new RegExp(`Acceso otorgado</dt><dd>${apiDate(grantedAt)}</dd>`));
    expect(item).toMatch(new RegExp(`Último uso</dt><dd>${apiDate(grantedAt + 2 * HOUR_MS)}</dd>`));
    expect(item).toContain('Ver su perfil y el saldo de sus cuentas digitales.');
    expect(item).toContain('Registrar pagos masivos (dispersiones) con cargo a su cuenta.');
    expect(item).toContain(`action="/settings/access/${shop.app_id}/revoke"`);
    expect(item).toMatch(/<input type="hidden" name="_csrf" value="[^"]+">/);
    expect(item).toContain('>Retirar acceso</button>');
    // An app without a logo shows its initial instead.
    await grant(web, other);
    const both = items((await web.get('/settings/access')).html);
    expect([...both.keys()]).toEqual([other.app_id, shop.app_id]);
    expect(both.get(other.app_id)).not.toContain('/p/app-logo/');
    expect(both.get(other.app_id)).toContain('aria-hidden="true">F</span>');
  });

  it("leaves out the person's own apps, which cannot be revoked here", async () => {
    const owner = await createMerchant(s.ctx, { appName: 'Caja Propia' });
    const own = await clientAppsToken(s.baseUrl, owner);
    expect(own.status).toBe(200);
    const web = await signedIn(owner);
    await grant(web, shop);
    const r = await web.get('/settings/access');
    expect([...items(r.html).keys()]).toEqual([shop.app_id]);
    expect(r.html).not.toContain('Caja Propia');
    const p = await web.post(`/settings/access/${owner.app_id}/revoke`, {}, { csrfFrom: '/settings/access' });
    expect(p.status).toBe(404);
    expect(await profileStatus(own.body.access_token)).toBe(200);
  });

  it("neither shows nor touches another person's grants", async () => {
    const granter = await createPayer(s.ctx, 0);
    const tokens = await grant(await signedIn(granter), shop);
    const stranger = await signedIn(await createPayer(s.ctx, 0));
    const r = await stranger.get('/settings/access');
    expect(items(r.html).size).toBe(0);
    expect(r.html).not.toContain('Tienda Ñandú');
    const p = await stranger.post(`/settings/access/${shop.app_id}/revoke`, {}, { csrfFrom: '/settings/access' });
    expect(p.status).toBe(404);
    expect(await profileStatus(tokens.access_token)).toBe(200);
    expect((await refreshToken(s.baseUrl, shop, tokens.refresh_token)).status).toBe(200);
  });

  it('refuses a revoke without the CSRF token and changes nothing', async () => {
    const payer = await createPayer(s.ctx, 0);
    const web = await signedIn(payer);
    const tokens = await grant(web, shop);
    const r = await web.post(`/settings/access/${shop.app_id}/revoke`, {}, { noCsrf: true });
    expect(r.status).toBe(403);
    const forged = await web.post(`/settings/access/${shop.app_id}/revoke`, { _csrf: 'forged' }, { noCsrf: true });
    expect(forged.status).toBe(403);
    expect(await profileStatus(tokens.access_token)).toBe(200);
    expect([...items((await web.get('/settings/access')).html).keys()]).toEqual([shop.app_id]);
  });

  it('removes access: tokens and pending codes stop working, the list empties, and a repeat is harmless', async () => {
    const payer = await createPayer(s.ctx, 0);
    const web = await signedIn(payer);
    const families = [await grant(web, shop), await grant(web, shop)];
    const pending = await approvedCode(web, shop);
    const kept = await grant(web, other);
    s.clock.advance(MINUTE_MS);
    const revokedAt = s.clock.now();

    const r = await web.post(`/settings/access/${shop.app_id}/revoke`, {}, { csrfFrom: '/settings/access' });
    expect(r.status).toBe(303);
    expect(r.location).toBe(`/settings/access?revoked=${shop.app_id}`);
    const after = await web.get(r.location!);
    expect(after.html).toContain('<p class="notice" role="status" id="access-revoked">Se retiró el acceso de Tienda Ñandú a su cuenta.</p>');
    expect([...items(after.html).keys()]).toEqual([other.app_id]);

    for (const f of families) {
      // A revoked token is 403 on the API (api.md: 401 is kept for "get a new token").
      expect(await profileStatus(f.access_token)).toBe(403);
      const refreshed = await refreshToken(s.baseUrl, shop, f.refresh_token);
      expect(refreshed.status).toBe(400);
      expect(refreshed.body.error).toBe('invalid_grant');
    }
    const late = await redeem(shop, pending.code, pending.verifier);
    expect(late.status).toBe(400);
    expect(late.body.error).toBe('invalid_grant');
    expect(await profileStatus(kept.access_token)).toBe(200);

    const rows = await s.ctx.store.db.selectFrom('oauth_tokens').select('revoked_at')
      .where('app_id', '=', shop.app_id).where('user_id', '=', payer.payer_id).execute();
    expect(rows.length).toBe(4);
    expect(rows.every((x) => Number(x.revoked_at) === revokedAt)).toBe(true);

    s.clock.advance(HOUR_MS);
    const again = await web.post(`/settings/access/${shop.app_id}/revoke`, {}, { csrfFrom: '/settings/access' });
    expect(again.status).toBe(303);
    const rowsAgain = await s.ctx.store.db.selectFrom('oauth_tokens').select('revoked_at')
      .where('app_id', '=', shop.app_id).where('user_id', '=', payer.payer_id).execute();
    expect(rowsAgain.every((x) => Number(x.revoked_at) === revokedAt)).toBe(true);

    await web.post(`/settings/access/${other.app_id}/revoke`, {}, { csrfFrom: '/settings/access' });
    const empty = await web.get('/settings/access');
    expect(items(empty.html).size).toBe(0);
    expect(empty.html).toContain('Ninguna aplicación tiene acceso a su cuenta.');
  });

  it('answers an unknown or foreign app id with a 404 page', async () => {
    const web = await signedIn(await createPayer(s.ctx, 0));
    const foreign = await thirdPartyApp('Sin Permisos', 'https://sin-permisos.example');
    for (const id of ['no-such-app', foreign.app_id, 'x'.repeat(150)]) {
      const r = await web.post(`/settings/access/${id}/revoke`, {}, { csrfFrom: '/settings/access' });
      expect(r.status, id).toBe(404);
      expect(r.html).toContain('No encontrado.');
    }
    const bogusNotice = await web.get(`/settings/access?revoked=${foreign.app_id}`);
    expect(bogusNotice.status).toBe(200);
    expect(bogusNotice.html).not.toContain('access-revoked');
  });

  it('speaks English with Accept-Language and after the language switch', async () => {
    const payer = await createPayer(s.ctx, 0);
    await grant(await signedIn(payer), shop);
    const en = await signedIn(payer, 'en');
    const r = await en.get('/settings/access');
    expect(r.html).toContain('<a href="/settings/access">Connected apps</a>');
    expect(r.html).toContain('Apps with access to your account');
    expect(r.html).toContain('See your profile and the balance of your digital accounts.');
    expect(r.html).toContain('>Remove access</button>');
    expect(r.html).toContain('Access granted');
    const done = await en.post(`/settings/access/${shop.app_id}/revoke`, {}, { csrfFrom: '/settings/access' });
    expect((await en.get(done.location!)).html).toContain('Access for Tienda Ñandú to your account was removed.');
    expect((await en.get('/settings/access')).html).toContain('No app has access to your account.');

    const es = await signedIn(payer);
    expect((await es.get('/settings/access')).html).toContain('Ninguna aplicación tiene acceso a su cuenta.');
    const sw = await es.get(`/lang/en?next=${encodeURIComponent('/settings/access')}`);
    expect(sw.status).toBe(303);
    expect(sw.location).toBe('/settings/access');
    const switched = await es.get('/settings/access');
    expect(switched.html).toContain('No app has access to your account.');
    expect(switched.html).toContain('href="/lang/es?next=%2Fsettings%2Faccess"');
  });

  describe('an exchange already under way when access is removed issues nothing', () => {
    const liveTokens = async (userId: string) => (await s.ctx.store.db.selectFrom('oauth_tokens').select('token_hash')
      .where('app_id', '=', shop.app_id).where('user_id', '=', userId).where('revoked_at', 'is', null).execute()).length;
    const client = async () => {
      const app = await s.ctx.store.db.selectFrom('apps').select(['id', 'secret_version', 'owner_user_id'])
        .where('id', '=', shop.app_id).executeTakeFirstOrThrow();
      return { id: app.id, grants: [], secretVersion: app.secret_version, ownerUserId: app.owner_user_id };
    };
    const newTokens = { accessToken: 'race-access-' + Math.random(), refreshToken: 'race-refresh-' + Math.random() };

    it('a code redeemed just before the removal', async () => {
      const payer = await createPayer(s.ctx, 0);
      const web = await signedIn(payer);
      await grant(web, shop);
      const { code } = await approvedCode(web, shop);
      // The token endpoint's steps, as the library runs them, with the removal in between.
      const model = oauthModel(s.ctx);
      const found = await model.getAuthorizationCode(code);
      expect(found).toBeTruthy();
      expect(await model.revokeAuthorizationCode(found!)).toBe(true);
      const removed = await web.post(`/settings/access/${shop.app_id}/revoke`, {}, { csrfFrom: '/settings/access' });
      expect(removed.status).toBe(303);
      await expect(model.saveToken({ ...newTokens } as never, await client(), found!.user)).rejects.toThrow(/código|code/i);
      expect(await liveTokens(payer.payer_id)).toBe(0);
    });

    it('a refresh token rotated just before the removal', async () => {
      const payer = await createPayer(s.ctx, 0);
      const web = await signedIn(payer);
      const pair = await grant(web, shop);
      const model = oauthModel(s.ctx);
      const found = await model.getRefreshToken(pair.refresh_token);
      expect(found).toBeTruthy();
      expect(await model.revokeToken(found!)).toBe(true);
      const removed = await web.post(`/settings/access/${shop.app_id}/revoke`, {}, { csrfFrom: '/settings/access' });
      expect(removed.status).toBe(303);
      await expect(model.saveToken({ accessToken: 'race-a2', refreshToken: 'race-r2' } as never, await client(), found!.user))
        .rejects.toThrow();
      expect(await liveTokens(payer.payer_id)).toBe(0);
      // Without a removal in between, the same steps issue tokens.
      const again = await grant(web, shop);
      const next = await model.getRefreshToken(again.refresh_token);
      expect(await model.revokeToken(next!)).toBe(true);
      const saved = await model.saveToken({ accessToken: 'race-a3', refreshToken: 'race-r3' } as never, await client(), next!.user);
      expect(saved.accessToken).toBeTruthy();
      expect(await liveTokens(payer.payer_id)).toBeGreaterThan(0);
    });
  });
});
