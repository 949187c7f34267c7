import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertApp } from '../../src/apps/apps.service.ts';
import { issueTokens } from '../../src/oauth/tokens.ts';
import { verifyLedger } from '../../src/ledger/verify.ts';
import { testServer, type TestServer } from '../helpers/env.ts';
import { bearer, get } from '../helpers/http.ts';
import {
  approveAs, autorizeUrl, balanceOf, createSale, executeAs, merchantWithToken, payer, type Merchant,
} from '../payment-intents/fixtures.ts';
import { walletIdOf } from '../billing/fixtures.ts';

// Rules a route enforces must hold in its twin too.

let s: TestServer;
let m: Merchant;
beforeAll(async () => {
  s = await testServer();
  m = await merchantWithToken(s);
});
afterAll(async () => {
  await s?.close();
});

/** A second app of the same merchant, with its own token. */
async function siblingApp(): Promise<Record<string, string>> {
  const receiving = await walletIdOf(s, m.digital_account);
  const { app } = await s.ctx.store.tx((tx) => insertApp(tx, {
    ownerUserId: m.user_id, name: 'Otra tienda', description: 'Segunda app', homeUrl: 'http://localhost:3001',
    receivingAccountId: receiving, sandbox: true,
  }, s.clock.now()));
  const t = await issueTokens(s.ctx.store.autocommit, {
    appId: app.id, userId: m.user_id, secretVersion: 1, nowMs: s.clock.now(), accessTtlSec: 3600, refreshIdleSec: 86_400,
  });
  return bearer(t.access_token);
}

describe('sale and request twins', () => {
  it('a sale of a suspended app cannot be executed through another app of the merchant, as a request cannot be paid', async () => {
    const sibling = await siblingApp();
    const sale = await createSale(s, m, '30.00');
    const p = await payer(s, 100_00);
    await approveAs(s, sale.body.id, p.payer_id);
    await s.ctx.store.autocommit.updateTable('apps').set({ status: 'suspended', status_reason: 'términos de uso' }).where('id', '=', m.app_id).execute();
    const before = await balanceOf(s, p.digital_account);
    const r = await executeAs(s, { ...m, auth: sibling }, sale.body.id, p.payer_id);
    expect(r.status).toBe(400);
    expect(r.body.errors.errors).toEqual(['El comercio no puede recibir pagos en este momento.']);
    expect(await balanceOf(s, p.digital_account)).toBe(before);
    const row = await s.ctx.store.db.selectFrom('payment_intents').select('state').where('id', '=', sale.body.id).executeTakeFirstOrThrow();
    expect(row.state).toBe('authorized');
    await s.ctx.store.autocommit.updateTable('apps').set({ status: 'active', status_reason: null }).where('id', '=', m.app_id).execute();
    const ok = await executeAs(s, { ...m, auth: sibling }, sale.body.id, p.payer_id);
    expect(ok.status).toBe(200);
    expect(await balanceOf(s, p.digital_account)).toBe(before - 30_00);
    expect((await verifyLedger(s.ctx.store.db)).ok).toBe(true);
  });

  it('the sandbox auto-approval refuses a sale of a suspended app, as the checkout page does', async () => {
    const sale = await createSale(s, m, '5.00');
    await s.ctx.store.autocommit.updateTable('apps').set({ status: 'suspended', status_reason: 'términos de uso' }).where('id', '=', m.app_id).execute();
    try {
      const r = await get(autorizeUrl(s, sale.body.id));
      expect(r.status).toBe(400);
      expect(r.body.errors.errors).toEqual(['El comercio no puede recibir pagos en este momento.']);
      const row = await s.ctx.store.db.selectFrom('payment_intents').select(['state', 'payer_user_id']).where('id', '=', sale.body.id).executeTakeFirstOrThrow();
      expect(row).toEqual({ state: 'created', payer_user_id: null });
    } finally {
      await s.ctx.store.autocommit.updateTable('apps').set({ status: 'active', status_reason: null }).where('id', '=', m.app_id).execute();
    }
    expect((await get(autorizeUrl(s, sale.body.id))).status).toBe(200);
  });
});
