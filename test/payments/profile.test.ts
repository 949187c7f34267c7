import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addTestFunds } from '../../src/sandbox/funds.ts';
import { testServer, type TestServer } from '../helpers/env.ts';
import { get } from '../helpers/http.ts';
import { merchantWithToken, VES, type Merchant } from '../payment-intents/fixtures.ts';

describe('GET /api/user/profile.json', () => {
  let s: TestServer;
  let m: Merchant;
  beforeAll(async () => {
    s = await testServer();
    m = await merchantWithToken(s, { businessName: 'Pizza Express, C.A.' });
    const wallet = await s.ctx.store.db.selectFrom('digital_accounts').select('id').where('handle', '=', m.digital_account)
      .executeTakeFirstOrThrow();
    await s.ctx.store.tx((tx) => addTestFunds(tx, wallet.id, 1234_56, s.clock.now()));
  });
  afterAll(async () => s.close());

  it('describes the calling account with its digital accounts and balances as JSON numbers', async () => {
    const r = await get(`${s.baseUrl}/api/user/profile.json`, m.auth);
    expect(r.status).toBe(200);
    const user = await s.ctx.store.db.selectFrom('users').selectAll().where('id', '=', m.user_id).executeTakeFirstOrThrow();
    const wallet = await s.ctx.store.db.selectFrom('digital_accounts').select('id').where('handle', '=', m.digital_account)
      .executeTakeFirstOrThrow();
    expect(r.body).toEqual({
      id: m.user_id,
      username: m.username,
      full_name: 'Representante Legal',
      business_name: 'Pizza Express, C.A.',
      identity_document: user.document,
      phone: user.phone,
      email: user.email,
      type: 'business',
      digital_accounts: [{
        id: wallet.id, username: m.digital_account, name: 'Pizza Express, C.A.', currency: VES, balance: 1234.56,
      }],
    });
    expect(r.body.identity_document).toMatch(/^J\d{9}$/);
  });

  it('401 without a token, 403 with a revoked one', async () => {
    expect((await get(`${s.baseUrl}/api/user/profile.json`)).status).toBe(401);
    await s.ctx.store.autocommit.updateTable('oauth_tokens').set({ revoked_at: s.clock.now() }).where('app_id', '=', m.app_id).execute();
    const r = await get(`${s.baseUrl}/api/user/profile.json`, m.auth);
    expect(r.status).toBe(403);
    expect(r.body.code).toBe(403);
  });
});
