import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MpandcoClient, MpandcoError } from '../../sdk/src/index.ts';
import { issueTokens } from '../../src/oauth/tokens.ts';
import type { MerchantCreds } from '../../src/sandbox/demo.ts';
import { DAY_MS, HOUR_MS } from '../../src/shared/clock.ts';
import { sha256 } from '../../src/shared/ids.ts';
import { testServer, type TestServer } from '../helpers/env.ts';
import { merchant, recordingFetch, sdkFor, type Recorded } from './support.ts';

const grants = (log: Recorded[]) => log.filter((r) => r.url.pathname === '/oauth/v2/token')
  .map((r) => `${new URLSearchParams(r.body).get('grant_type')} ${r.status}`);
const calls = (log: Recorded[]) => log.map((r) => `${r.method} ${r.url.pathname} ${r.status}`);

describe('SDK: access tokens', () => {
  let s: TestServer;
  let m: MerchantCreds;
  beforeAll(async () => {
    s = await testServer();
    m = await merchant(s);
  });
  afterAll(async () => s.close());

  /** A token pair issued directly, as another grant (or another process) would have. */
  const token = (ttlSec: number) => s.ctx.store.tx((tx) => issueTokens(tx, {
    appId: m.app_id, userId: m.user_id, secretVersion: 1, nowMs: s.clock.now(), accessTtlSec: ttlSec, refreshIdleSec: ttlSec,
  }));

  /** Runs fn with the server's clock moved, then puts it back. */
  async function later<T>(ms: number, fn: () => Promise<T>): Promise<T> {
    s.clock.advance(ms);
    try {
      return await fn();
    } finally {
      s.clock.advance(-ms);
    }
  }

  it('gets a token with the client credentials once and keeps it for later calls', async () => {
    const log: Recorded[] = [];
    const sdk = sdkFor(s, m, { fetch: recordingFetch(log) });
    await sdk.profile.get();
    await Promise.all([sdk.profile.get(), sdk.paymentIntents.list(), sdk.payments.list()]);
    expect(grants(log)).toEqual(['urn:client_apps 200']);
    const token = new URLSearchParams(log[0].body);
    expect(token.get('client_id')).toBe(m.client_id);
    expect(log.slice(1).every((r) => /^Bearer .+/.test(r.headers.get('authorization') ?? ''))).toBe(true);
  });

  it('on a 401 (expired token) renews with the refresh token once, even for calls at the same time, and retries', async () => {
    const log: Recorded[] = [];
    const sdk = sdkFor(s, m, { fetch: recordingFetch(log) });
    await sdk.profile.get();
    await later(HOUR_MS + 1000, async () => {
      log.length = 0;
      const all = await Promise.all([sdk.profile.get(), sdk.profile.get(), sdk.payments.list()]);
      expect(all[0].username).toBe(m.username);
      expect(grants(log)).toEqual(['refresh_token 200']);
      expect(calls(log).filter((c) => c.endsWith('401'))).toHaveLength(3);
      expect(calls(log).filter((c) => c.endsWith('200') && !c.includes('oauth'))).toHaveLength(3);
    });
  });

  it('when the refresh token is revoked too, gets a new token with the credentials', async () => {
    const log: Recorded[] = [];
    const sdk = sdkFor(s, m, { fetch: recordingFetch(log) });
    await sdk.profile.get();
    // Revoke every refresh token of the app, then let the access token expire.
    await s.ctx.store.tx((tx) => tx.updateTable('oauth_tokens').set({ revoked_at: s.clock.now() })
      .where('app_id', '=', m.app_id).where('kind', '=', 'refresh').execute());
    await later(HOUR_MS + 1000, async () => {
      log.length = 0;
      expect((await sdk.profile.get()).username).toBe(m.username);
      expect(grants(log)).toEqual(['refresh_token 400', 'urn:client_apps 200']);
    });
  });

  it('after a month idle (refresh token expired) the next call still succeeds', async () => {
    const log: Recorded[] = [];
    const sdk = sdkFor(s, m, { fetch: recordingFetch(log) });
    await sdk.profile.get();
    await later(31 * DAY_MS, async () => {
      log.length = 0;
      await sdk.profile.get();
      expect(grants(log)).toEqual(['refresh_token 400', 'urn:client_apps 200']);
    });
  });

  it('renews shortly before the announced expiry, without waiting for a 401', async () => {
    const log: Recorded[] = [];
    const sdk = sdkFor(s, m, { fetch: recordingFetch(log), now: () => s.clock.now() });
    await sdk.profile.get();
    await later(HOUR_MS - 10_000, async () => {
      log.length = 0;
      await sdk.profile.get();
      expect(calls(log)).toEqual(['POST /oauth/v2/token 200', 'GET /api/user/profile.json 200']);
    });
  });

  it('a fixed access token is used as given; with the keys it is replaced when refused', async () => {
    const t = await token(60);
    const log: Recorded[] = [];
    const fixed = new MpandcoClient({ baseUrl: s.baseUrl, accessToken: t.access_token, fetch: recordingFetch(log) });
    expect((await fixed.profile.get()).username).toBe(m.username);
    expect(grants(log)).toEqual([]);
    await later(61_000, async () => {
      // No keys: the 401 is the caller's, with the API's own code.
      const e = await fixed.profile.get().catch((x: unknown) => x);
      expect(e).toBeInstanceOf(MpandcoError);
      expect(e).toMatchObject({ status: 401, code: 'invalid_grant' });
      const withKeys = sdkFor(s, m, { accessToken: t.access_token, fetch: recordingFetch(log) });
      log.length = 0;
      expect((await withKeys.profile.get()).username).toBe(m.username);
      expect(grants(log)).toEqual(['urn:client_apps 200']);
    });
  });

  it('a revoked access token is a 403 (no new token can help), and wrong keys are invalid_client', async () => {
    const t = await token(3600);
    await s.ctx.store.tx((tx) => tx.updateTable('oauth_tokens').set({ revoked_at: s.clock.now() })
      .where('token_hash', '=', sha256(t.access_token)).execute());
    const log: Recorded[] = [];
    const sdk = sdkFor(s, m, { accessToken: t.access_token, fetch: recordingFetch(log) });
    await expect(sdk.profile.get()).rejects.toMatchObject({ name: 'MpandcoError', status: 403, code: 'forbidden' });
    expect(grants(log)).toEqual([]);
    // Starting over is the caller's decision.
    sdk.tokens.clear();
    expect((await sdk.profile.get()).username).toBe(m.username);

    const wrong = new MpandcoClient({ baseUrl: s.baseUrl, clientId: m.client_id, clientSecret: 'nope' });
    await expect(wrong.profile.get()).rejects.toMatchObject({ status: 400, code: 'invalid_client' });
  });
});
