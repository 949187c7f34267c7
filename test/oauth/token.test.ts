import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer, type TestServer } from '../helpers/env.ts';
import { get, postForm, postJson, postMultipart } from '../helpers/http.ts';
import { createMerchant, type MerchantCreds } from '../../src/sandbox/demo.ts';
import { sha256 } from '../../src/shared/ids.ts';
import { basic, callApi, clientAppsToken } from './support.ts';

describe('POST /oauth/v2/token with urn:client_apps', () => {
  let s: TestServer;
  let m: MerchantCreds;
  const url = () => `${s.baseUrl}/oauth/v2/token`;
  const tokenCount = async () => Number((await s.ctx.store.db.selectFrom('oauth_tokens')
    .select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    s = await testServer();
    m = await createMerchant(s.ctx);
  });
  afterAll(async () => s.close());

  it('answers the WooCommerce request with a bearer pair acting for the owning business', async () => {
    const r = await clientAppsToken(s.baseUrl, m);
    expect(r.status).toBe(200);
    expect(Object.keys(r.body).sort()).toEqual(['access_token', 'expires_in', 'refresh_token', 'scope', 'token_type']);
    expect(r.body).toMatchObject({ expires_in: 3600, token_type: 'bearer', scope: 'API' });
    expect(r.body.access_token).not.toBe(r.body.refresh_token);
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect(r.headers.get('pragma')).toBe('no-cache');

    const caller = await callApi(s.ctx, r.body.access_token);
    expect(caller).toMatchObject({ app: { id: m.app_id }, user: { id: m.user_id, kind: 'business' } });

    // Only hashes are stored.
    const rows = await s.ctx.store.db.selectFrom('oauth_tokens').select(['token_hash', 'kind'])
      .where('app_id', '=', m.app_id).execute();
    const hashes = rows.map((x) => x.token_hash);
    expect(hashes).toContain(sha256(r.body.access_token));
    expect(hashes).toContain(sha256(r.body.refresh_token));
    expect(hashes).not.toContain(r.body.access_token);
  });

  it('accepts the credentials through HTTP Basic', async () => {
    const r = await postForm(url(), 'grant_type=urn%3Aclient_apps', { authorization: basic(m) });
    expect(r.status).toBe(200);
    expect(await callApi(s.ctx, r.body.access_token)).toMatchObject({ app: { id: m.app_id } });
  });

  it('accepts JSON and multipart bodies', async () => {
    const j = await postJson(url(), { grant_type: 'urn:client_apps', client_id: m.client_id, client_secret: m.client_secret });
    expect(j.status).toBe(200);
    expect(j.body.token_type).toBe('bearer');
    const f = await postMultipart(url(), [
      ['grant_type', 'urn:client_apps'], ['client_id', m.client_id], ['client_secret', m.client_secret],
    ]);
    expect(f.status).toBe(200);
    expect(await callApi(s.ctx, f.body.access_token)).toMatchObject({ user: { id: m.user_id } });
  });

  it('refuses a wrong secret with invalid_client in Spanish, or English on request, and stores nothing', async () => {
    const before = await tokenCount();
    const es = await clientAppsToken(s.baseUrl, { client_id: m.client_id, client_secret: `${m.client_secret}x` });
    expect(es.status).toBe(400);
    expect(es.body).toEqual({ error: 'invalid_client', error_description: 'Credenciales de cliente inválidas (client_id o client_secret).' });
    expect(es.headers.get('cache-control')).toBe('no-store');
    const en = await clientAppsToken(s.baseUrl, { client_id: m.client_id, client_secret: 'nope' }, { 'accept-language': 'en' });
    expect(en.body).toEqual({ error: 'invalid_client', error_description: 'Invalid client credentials (client_id or client_secret).' });
    const unknown = await clientAppsToken(s.baseUrl, { client_id: '123456_unknown', client_secret: m.client_secret });
    expect(unknown.body.error).toBe('invalid_client');
    expect(await tokenCount()).toBe(before);
  });

  it('answers 401 with WWW-Authenticate when wrong Basic credentials were used', async () => {
    const r = await postForm(url(), 'grant_type=urn:client_apps', { authorization: basic({ ...m, client_secret: 'wrong' }) });
    expect(r.status).toBe(401);
    expect(r.body.error).toBe('invalid_client');
    expect(r.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
  });

  it('asks for credentials when none are given', async () => {
    const r = await postForm(url(), 'grant_type=urn:client_apps');
    expect(r.status).toBe(400);
    expect(r.body.error).toBe('invalid_client');
    expect(r.body.error_description).toContain('client_id');
  });

  it('does not offer the password grant nor anything else', async () => {
    for (const grant of ['password', 'client_credentials', 'implicit', 'urn:ietf:params:oauth:grant-type:device_code']) {
      const r = await postForm(url(), { grant_type: grant, client_id: m.client_id, client_secret: m.client_secret, username: 'x', password: 'y' });
      expect(r.status, grant).toBe(400);
      expect(r.body.error, grant).toBe('unsupported_grant_type');
      expect(r.body.error_description).toMatch(/no soportado/);
    }
    const none = await postForm(url(), { client_id: m.client_id, client_secret: m.client_secret });
    expect(none.status).toBe(400);
    expect(none.body.error).toBe('invalid_request');
  });

  it('answers hostile shapes with 400, never 500', async () => {
    const bodies = [
      `grant_type=urn:client_apps&client_id[]=${m.client_id}&client_secret=${m.client_secret}`,
      `grant_type[a]=b&client_id=${m.client_id}&client_secret=${m.client_secret}`,
      `grant_type=urn:client_apps&client_id=${m.client_id}&client_secret=${'x'.repeat(5000)}`,
      `grant_type=urn:client_apps&client_id=%00%01&client_secret=%00`,
    ];
    for (const b of bodies) {
      const r = await postForm(url(), b);
      expect(r.status, b.slice(0, 60)).toBe(400);
      expect(['invalid_request', 'invalid_client']).toContain(r.body.error);
    }
    const json = await postJson(url(), ['grant_type', 'urn:client_apps']);
    expect(json.status).toBe(400);
    const scope = await postForm(url(), { grant_type: 'urn:client_apps', client_id: m.client_id, client_secret: m.client_secret, scope: 'admin' });
    expect(scope.status).toBe(400);
    expect(scope.body.error).toBe('invalid_scope');
  });

  it('treats an empty scope as the default and accepts scope=API', async () => {
    for (const scope of ['', 'API']) {
      const r = await postForm(url(), { grant_type: 'urn:client_apps', client_id: m.client_id, client_secret: m.client_secret, scope });
      expect(r.status).toBe(200);
      expect(r.body.scope).toBe('API');
    }
  });

  it('answers other methods with 405', async () => {
    const r = await get(url());
    expect(r.status).toBe(405);
    expect(r.headers.get('allow')).toContain('POST');
  });

  it('refuses suspended and revoked apps with invalid_client', async () => {
    const other = await createMerchant(s.ctx);
    const live = await clientAppsToken(s.baseUrl, other);
    expect(live.status).toBe(200);
    for (const status of ['suspended', 'revoked'] as const) {
      await s.ctx.store.autocommit.updateTable('apps').set({ status, status_reason: 'terms' }).where('id', '=', other.app_id).execute();
      const r = await clientAppsToken(s.baseUrl, other);
      expect(r.status).toBe(400);
      expect(r.body.error).toBe('invalid_client');
      expect(r.body.error_description).toMatch(status === 'suspended' ? /suspendida/ : /revocada/);
      const refreshed = await postForm(url(), {
        grant_type: 'refresh_token', refresh_token: live.body.refresh_token, client_id: other.client_id, client_secret: other.client_secret,
      });
      expect(refreshed.body.error).toBe('invalid_client');
    }
  });
});
