import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer, type TestServer } from '../helpers/env.ts';
import { postForm } from '../helpers/http.ts';
import { createMerchant, type MerchantCreds } from '../../src/sandbox/demo.ts';
import { rotateSecret } from '../../src/apps/apps.service.ts';
import { DAY_MS } from '../../src/shared/clock.ts';
import { sha256 } from '../../src/shared/ids.ts';
import { callApi, clientAppsToken, refreshToken } from './support.ts';

describe('refresh_token grant', () => {
  let s: TestServer;
  let m: MerchantCreds;

  beforeAll(async () => {
    s = await testServer();
    m = await createMerchant(s.ctx);
  });
  afterAll(async () => s.close());

  it('rotates: a fresh pair, and the used refresh token is marked used', async () => {
    const first = (await clientAppsToken(s.baseUrl, m)).body;
    const r = await refreshToken(s.baseUrl, m, first.refresh_token);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ token_type: 'bearer', expires_in: 3600, scope: 'API' });
    expect(r.body.access_token).not.toBe(first.access_token);
    expect(r.body.refresh_token).not.toBe(first.refresh_token);
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect(await callApi(s.ctx, r.body.access_token)).toMatchObject({ user: { id: m.user_id }, app: { id: m.app_id } });
    const used = await s.ctx.store.db.selectFrom('oauth_tokens').select(['used_at', 'family_id'])
      .where('token_hash', '=', sha256(first.refresh_token)).executeTakeFirstOrThrow();
    expect(used.used_at).toBe(s.clock.now());
    const fresh = await s.ctx.store.db.selectFrom('oauth_tokens').select('family_id')
      .where('token_hash', '=', sha256(r.body.refresh_token)).executeTakeFirstOrThrow();
    expect(fresh.family_id).toBe(used.family_id);
  });

  it('refuses a rotated refresh token and then revokes its whole family', async () => {
    const first = (await clientAppsToken(s.baseUrl, m)).body;
    const second = (await refreshToken(s.baseUrl, m, first.refresh_token)).body;
    const third = (await refreshToken(s.baseUrl, m, second.refresh_token)).body;
    expect(await callApi(s.ctx, third.access_token)).toMatchObject({ app: { id: m.app_id } });

    const replay = await refreshToken(s.baseUrl, m, first.refresh_token);
    expect(replay.status).toBe(400);
    expect(replay.body.error).toBe('invalid_grant');
    expect(replay.body.error_description).toMatch(/ya fue usado/);

    // The newest access token of that family stops working at once (403, not 401: no retry helps).
    expect(await callApi(s.ctx, third.access_token)).toBe(403);
    expect(await callApi(s.ctx, second.access_token)).toBe(403);
    const newest = await refreshToken(s.baseUrl, m, third.refresh_token);
    expect(newest.body.error).toBe('invalid_grant');

    // Another family of the same app is untouched.
    const other = (await clientAppsToken(s.baseUrl, m)).body;
    expect(await callApi(s.ctx, other.access_token)).toMatchObject({ app: { id: m.app_id } });
    expect((await refreshToken(s.baseUrl, m, other.refresh_token)).status).toBe(200);
  });

  it('only works for the client it was issued to', async () => {
    const other = await createMerchant(s.ctx);
    const mine = (await clientAppsToken(s.baseUrl, m)).body;
    const stolen = await refreshToken(s.baseUrl, other, mine.refresh_token);
    expect(stolen.status).toBe(400);
    expect(stolen.body.error).toBe('invalid_grant');
    expect(stolen.body.error_description).toMatch(/otra aplicación/);
    // The attempt did not consume it for its owner.
    expect((await refreshToken(s.baseUrl, m, mine.refresh_token)).status).toBe(200);
  });

  it('expires when idle, and each rotation restarts the idle period', async () => {
    const idleMs = s.ctx.config.refreshTokenIdleSec * 1000;
    const a = (await clientAppsToken(s.baseUrl, m)).body;
    s.clock.advance(idleMs - DAY_MS);
    const b = await refreshToken(s.baseUrl, m, a.refresh_token);
    expect(b.status).toBe(200);
    s.clock.advance(idleMs - DAY_MS);
    const c = await refreshToken(s.baseUrl, m, b.body.refresh_token);
    expect(c.status).toBe(200);
    s.clock.advance(idleMs + 1000);
    const late = await refreshToken(s.baseUrl, m, c.body.refresh_token);
    expect(late.status).toBe(400);
    expect(late.body.error).toBe('invalid_grant');
    expect(late.body.error_description).toMatch(/inactividad/);
  });

  it('ends the tokens of an old secret', async () => {
    const other = await createMerchant(s.ctx);
    const pair = (await clientAppsToken(s.baseUrl, other)).body;
    const secret = await s.ctx.store.tx((tx) => rotateSecret(tx, other.app_id, s.clock.now()));
    const creds = { ...other, client_secret: secret };
    const r = await refreshToken(s.baseUrl, creds, pair.refresh_token);
    expect(r.body.error).toBe('invalid_grant');
    expect((await refreshToken(s.baseUrl, other, pair.refresh_token)).body.error).toBe('invalid_client');
    expect((await clientAppsToken(s.baseUrl, creds)).status).toBe(200);
  });

  it('refuses unknown, access-kind and missing refresh tokens', async () => {
    const pair = (await clientAppsToken(s.baseUrl, m)).body;
    for (const token of ['nope', pair.access_token]) {
      const r = await refreshToken(s.baseUrl, m, token);
      expect(r.status).toBe(400);
      expect(r.body.error).toBe('invalid_grant');
    }
    const missing = await postForm(`${s.baseUrl}/oauth/v2/token`, { grant_type: 'refresh_token', client_id: m.client_id, client_secret: m.client_secret });
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({ error: 'invalid_request', error_description: 'Falta el parámetro refresh_token.' });
  });
});

describe('access token lifetime', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await testServer();
  });
  afterAll(async () => s.close());

  it('gives 401 once expired, so clients refresh and retry', async () => {
    const m = await createMerchant(s.ctx);
    const pair = (await clientAppsToken(s.baseUrl, m)).body;
    s.clock.advance(3600 * 1000 - 1000);
    expect(await callApi(s.ctx, pair.access_token)).toMatchObject({ app: { id: m.app_id } });
    s.clock.advance(1000);
    expect(await callApi(s.ctx, pair.access_token)).toBe(401);
    const fresh = await refreshToken(s.baseUrl, m, pair.refresh_token);
    expect(fresh.status).toBe(200);
    expect(await callApi(s.ctx, fresh.body.access_token)).toMatchObject({ app: { id: m.app_id } });
    expect(await callApi(s.ctx, 'not-a-token')).toBe(403);
  });
});
