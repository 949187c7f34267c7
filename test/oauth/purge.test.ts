import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEnv, type TestEnv } from '../helpers/env.ts';
import { createMerchant } from '../../src/sandbox/demo.ts';
import { issueTokens } from '../../src/oauth/tokens.ts';
import { purgeExpired } from '../../src/oauth/purge.ts';
import { DAY_MS } from '../../src/shared/clock.ts';
import { sha256 } from '../../src/shared/ids.ts';

describe('purge of expired tokens and codes', () => {
  let te: TestEnv;
  beforeAll(async () => {
    te = await testEnv();
  });
  afterAll(async () => te.close());

  it('deletes only rows long past expiry, in batches', async () => {
    const { ctx, clock } = te;
    const m = await createMerchant(ctx);
    const idleSec = ctx.config.refreshTokenIdleSec;
    const issue = () => issueTokens(ctx.store.autocommit, {
      appId: m.app_id, userId: m.user_id, secretVersion: 1, nowMs: clock.now(), accessTtlSec: 3600, refreshIdleSec: idleSec,
    });
    // More than one batch of long-expired rows, written in bulk.
    const base = { app_id: m.app_id, user_id: m.user_id, scope: 'API', family_id: 'f', secret_version: 1, revoked_at: null, used_at: null };
    const oldRows = Array.from({ length: 2400 }, (_, i) => ({
      ...base, token_hash: `old-${i}`, kind: 'refresh' as const, expires_at: clock.now() + idleSec * 1000, created_at: clock.now(),
    }));
    for (let i = 0; i < oldRows.length; i += 500) await ctx.store.autocommit.insertInto('oauth_tokens').values(oldRows.slice(i, i + 500)).execute();
    await issue();
    await ctx.store.autocommit.insertInto('oauth_codes').values({
      code_hash: 'old-code', app_id: m.app_id, user_id: m.user_id, redirect_uri: 'https://x.example/cb', scope: 'API',
      code_challenge: 'c', code_challenge_method: 'S256', expires_at: clock.now() + 600_000, used_at: null, created_at: clock.now(),
    }).execute();
    clock.advance(2 * idleSec * 1000 + DAY_MS);
    const fresh = await issue();

    const deleted = await purgeExpired(ctx.store.autocommit, clock.now(), idleSec);
    expect(deleted).toBe(oldRows.length + 2 + 1);
    const left = await ctx.store.db.selectFrom('oauth_tokens').select('token_hash').execute();
    expect(left.map((r) => r.token_hash).sort()).toEqual([sha256(fresh.access_token), sha256(fresh.refresh_token)].sort());
    expect(await ctx.store.db.selectFrom('oauth_codes').selectAll().execute()).toEqual([]);
    expect(await purgeExpired(ctx.store.autocommit, clock.now(), idleSec)).toBe(0);
  });
});
