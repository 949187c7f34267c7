import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer, type TestServer } from '../helpers/env.ts';
import { get, postForm, type Res } from '../helpers/http.ts';
import { createMerchant, createPayer, type MerchantCreds, type PayerCreds } from '../../src/sandbox/demo.ts';
import { MINUTE_MS } from '../../src/shared/clock.ts';
import { callApi, csrfOf, pkcePair, signInWeb, type CookieJar, type Creds } from './support.ts';

const REDIRECT = 'https://shop.example/oauth/callback?from=mpandco';

describe('authorization_code grant with PKCE and the consent page', () => {
  let s: TestServer;
  let m: MerchantCreds;
  let payer: PayerCreds;
  let jar: CookieJar;

  const authUrl = (p: Record<string, string>) => `${s.baseUrl}/oauth/v2/auth?${new URLSearchParams(p)}`;
  const params = (challenge: string, extra: Record<string, string> = {}) => ({
    response_type: 'code', client_id: m.client_id, redirect_uri: REDIRECT, state: 'st-123',
    code_challenge: challenge, code_challenge_method: 'S256', ...extra,
  });
  const codeCount = async () => Number((await s.ctx.store.db.selectFrom('oauth_codes')
    .select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  /** Opens the consent page signed in and posts the decision; returns the redirect. */
  async function consent(challenge: string, decision: 'approve' | 'deny', extra: Record<string, string> = {}): Promise<Res> {
    const pageRes = await get(authUrl(params(challenge, extra)), jar.header());
    expect(pageRes.status).toBe(200);
    return postForm(`${s.baseUrl}/oauth/v2/auth`, { _csrf: csrfOf(pageRes.text), ...params(challenge, extra), decision }, jar.header());
  }

  async function approvedCode(challenge: string): Promise<string> {
    const r = await consent(challenge, 'approve');
    expect(r.status).toBe(303);
    const loc = new URL(r.headers.get('location')!);
    return loc.searchParams.get('code')!;
  }

  function exchange(code: string, verifier: string, creds: Creds = m, redirectUri = REDIRECT): Promise<Res> {
    return postForm(`${s.baseUrl}/oauth/v2/token`, {
      grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: redirectUri,
      client_id: creds.client_id, client_secret: creds.client_secret,
    });
  }

  beforeAll(async () => {
    s = await testServer();
    m = await createMerchant(s.ctx, { appName: 'Tienda Ñandú' });
    await s.ctx.store.autocommit.updateTable('apps').set({ redirect_uris: JSON.stringify([REDIRECT, 'https://shop.example/other']) })
      .where('id', '=', m.app_id).execute();
    payer = await createPayer(s.ctx, 0);
    jar = await signInWeb(s.baseUrl, payer.username, payer.password);
  });
  afterAll(async () => s.close());

  it('sends a person who is not signed in to the sign-in page and back', async () => {
    const url = authUrl(params(pkcePair().challenge));
    const r = await get(url);
    expect(r.status).toBe(303);
    const loc = new URL(r.headers.get('location')!, s.baseUrl);
    expect(loc.pathname).toBe('/login');
    expect(loc.searchParams.get('next')).toBe(url.slice(s.baseUrl.length));
  });

  it('shows an error page, never a redirect, for an unknown client or an unregistered redirect URI', async () => {
    const { challenge } = pkcePair();
    const cases = [
      params(challenge, { client_id: '000000_unknown' }),
      params(challenge, { redirect_uri: 'https://evil.example/cb' }),
      params(challenge, { redirect_uri: `${REDIRECT}&x=1` }),
      params(challenge, { redirect_uri: 'https://shop.example/oauth/callback' }),
      { ...params(challenge), redirect_uri: '' },
    ];
    for (const p of cases) {
      const r = await get(authUrl(p), { ...jar.header(), accept: 'text/html' });
      expect(r.status, JSON.stringify(p)).toBe(400);
      expect(r.headers.get('location')).toBeNull();
      expect(r.headers.get('content-type')).toContain('text/html');
    }
    const en = await get(authUrl(params(challenge, { client_id: '000000_unknown' })), { ...jar.header(), 'accept-language': 'en' });
    expect(en.text).toContain('does not exist or is not active');
    const suspended = await createMerchant(s.ctx);
    await s.ctx.store.autocommit.updateTable('apps').set({ status: 'suspended', redirect_uris: JSON.stringify([REDIRECT]) })
      .where('id', '=', suspended.app_id).execute();
    const r = await get(authUrl(params(challenge, { client_id: suspended.client_id })), jar.header());
    expect(r.status).toBe(400);
    expect(r.headers.get('location')).toBeNull();
  });

  it('returns other problems to the client as an error redirect with the state', async () => {
    const { challenge } = pkcePair();
    const cases: [Record<string, string>, string][] = [
      [params(challenge, { code_challenge: '' }), 'invalid_request'],
      [params(challenge, { code_challenge_method: 'plain' }), 'invalid_request'],
      [params(challenge, { code_challenge_method: '' }), 'invalid_request'],
      [params('short'), 'invalid_request'],
      [params(challenge, { response_type: 'token' }), 'unsupported_response_type'],
      [params(challenge, { scope: 'admin' }), 'invalid_scope'],
    ];
    for (const [p, error] of cases) {
      const r = await get(authUrl(p), jar.header());
      expect(r.status, JSON.stringify(p)).toBe(303);
      const loc = new URL(r.headers.get('location')!);
      expect(`${loc.origin}${loc.pathname}`).toBe('https://shop.example/oauth/callback');
      expect(loc.searchParams.get('from')).toBe('mpandco');
      expect(loc.searchParams.get('error')).toBe(error);
      expect(loc.searchParams.get('state')).toBe('st-123');
    }
  });

  it('shows the app and what it asks, in Spanish or English', async () => {
    const r = await get(authUrl(params(pkcePair().challenge)), jar.header());
    expect(r.status).toBe(200);
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect(r.text).toContain('Tienda Ñandú quiere acceder a su cuenta');
    expect(r.text).toContain(`@${payer.username}`);
    expect(r.text).toContain('name="decision" value="approve"');
    expect(r.text).toContain('shop.example');
    const en = await get(authUrl(params(pkcePair().challenge)), { ...jar.header(), 'accept-language': 'en' });
    expect(en.text).toContain('Tienda Ñandú wants to access your account');
    expect(en.text).toContain('>Authorize<');
  });

  it('denying sends access_denied back and issues no code', async () => {
    const before = await codeCount();
    const r = await consent(pkcePair().challenge, 'deny');
    expect(r.status).toBe(303);
    const loc = new URL(r.headers.get('location')!);
    expect(loc.searchParams.get('error')).toBe('access_denied');
    expect(loc.searchParams.get('state')).toBe('st-123');
    expect(loc.searchParams.get('code')).toBeNull();
    expect(await codeCount()).toBe(before);
  });

  it('refuses a decision posted without its CSRF token', async () => {
    const before = await codeCount();
    const r = await postForm(`${s.baseUrl}/oauth/v2/auth`, { ...params(pkcePair().challenge), decision: 'approve' }, jar.header());
    expect(r.status).toBe(403);
    expect(r.headers.get('location')).toBeNull();
    expect(await codeCount()).toBe(before);
  });

  it('approving gives a code that the app exchanges for tokens acting for the consenting person', async () => {
    const { verifier, challenge } = pkcePair();
    const r = await consent(challenge, 'approve');
    expect(r.status).toBe(303);
    const loc = new URL(r.headers.get('location')!);
    expect(`${loc.origin}${loc.pathname}`).toBe('https://shop.example/oauth/callback');
    expect(loc.searchParams.get('from')).toBe('mpandco');
    expect(loc.searchParams.get('state')).toBe('st-123');
    const code = loc.searchParams.get('code')!;
    expect(code).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const t = await exchange(code, verifier);
    expect(t.status).toBe(200);
    expect(t.body).toMatchObject({ token_type: 'bearer', expires_in: 3600, scope: 'API' });
    expect(t.headers.get('cache-control')).toBe('no-store');
    const caller = await callApi(s.ctx, t.body.access_token);
    expect(caller).toMatchObject({ user: { id: payer.payer_id, kind: 'personal' }, app: { id: m.app_id } });

    // The refresh token of this grant rotates like any other and keeps acting for the same person.
    const refreshed = await postForm(`${s.baseUrl}/oauth/v2/token`, {
      grant_type: 'refresh_token', refresh_token: t.body.refresh_token, client_id: m.client_id, client_secret: m.client_secret,
    });
    expect(refreshed.status).toBe(200);
    expect(await callApi(s.ctx, refreshed.body.access_token)).toMatchObject({ user: { id: payer.payer_id } });

    // A replayed code fails and ends everything obtained with it.
    const again = await exchange(code, verifier);
    expect(again.status).toBe(400);
    expect(again.body.error).toBe('invalid_grant');
    expect(await callApi(s.ctx, t.body.access_token)).toBe(403);
    expect(await callApi(s.ctx, refreshed.body.access_token)).toBe(403);
  });

  it('refuses a wrong verifier, and the code is spent by the attempt', async () => {
    const { verifier, challenge } = pkcePair();
    const code = await approvedCode(challenge);
    const wrong = await exchange(code, pkcePair().verifier);
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toBe('invalid_grant');
    expect(wrong.body.error_description).toMatch(/code_verifier/);
    const right = await exchange(code, verifier);
    expect(right.body.error).toBe('invalid_grant');
  });

  it('requires the verifier', async () => {
    const { challenge } = pkcePair();
    const code = await approvedCode(challenge);
    const r = await postForm(`${s.baseUrl}/oauth/v2/token`, {
      grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: m.client_id, client_secret: m.client_secret,
    });
    expect(r.status).toBe(400);
    expect(r.body.error).toBe('invalid_grant');
  });

  it('refuses a redirect URI that differs from the authorization request, even another registered one', async () => {
    const { verifier, challenge } = pkcePair();
    const code = await approvedCode(challenge);
    const r = await exchange(code, verifier, m, 'https://shop.example/other');
    expect(r.status).toBe(400);
    expect(r.body.error).toBe('invalid_grant');
    expect(r.body.error_description).toMatch(/redirect_uri/);
  });

  it('refuses a code presented by another app, and an expired code', async () => {
    const other = await createMerchant(s.ctx);
    const p1 = pkcePair();
    const stolen = await exchange(await approvedCode(p1.challenge), p1.verifier, other);
    expect(stolen.body.error).toBe('invalid_grant');

    const p2 = pkcePair();
    const code = await approvedCode(p2.challenge);
    s.clock.advance(10 * MINUTE_MS + 1000);
    const late = await exchange(code, p2.verifier);
    expect(late.status).toBe(400);
    expect(late.body.error).toBe('invalid_grant');
    expect(late.body.error_description).toMatch(/expiró/);
    jar = await signInWeb(s.baseUrl, payer.username, payer.password);
  });

  it('requires the client secret to redeem a code', async () => {
    const { verifier, challenge } = pkcePair();
    const code = await approvedCode(challenge);
    const r = await postForm(`${s.baseUrl}/oauth/v2/token`, {
      grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: REDIRECT, client_id: m.client_id,
    });
    expect(r.status).toBe(400);
    expect(r.body.error).toBe('invalid_client');
    expect((await exchange(code, verifier)).status).toBe(200);
  });
});
