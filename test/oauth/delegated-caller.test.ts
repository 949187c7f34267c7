import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueTokens } from '../../src/oauth/tokens.ts';
import { verifyLedger } from '../../src/ledger/verify.ts';
import { createMerchant, type MerchantCreds } from '../../src/sandbox/demo.ts';
import { testServer, type TestServer } from '../helpers/env.ts';
import { bearer, postForm } from '../helpers/http.ts';
import {
  approveAs, balanceOf, createSale, executeAs, merchantWithToken, payer, saleDoc, type Merchant,
} from '../payment-intents/fixtures.ts';
import { addTestFunds } from '../../src/sandbox/funds.ts';

// A third-party app acting for another account (tokens of the authorization-code grant,
// whose user is the account that consented, not the app's owner). Money of that account
// must land in and leave from that account's wallets, never the app owner's; and an
// Idempotency-Key of one account must never replay another account's response.

let s: TestServer;
let platform: Merchant; // owns the third-party app
let shop: MerchantCreds; // consented to it
let delegated: Record<string, string>;

beforeAll(async () => {
  s = await testServer();
  platform = await merchantWithToken(s);
  shop = await createMerchant(s.ctx);
  await s.ctx.store.tx(async (tx) => {
    const w = await tx.selectFrom('digital_accounts').select('id').where('handle', '=', shop.digital_account).executeTakeFirstOrThrow();
    await addTestFunds(tx, w.id, 100_00, s.clock.now());
  });
  const t = await issueTokens(s.ctx.store.autocommit, {
    appId: platform.app_id, userId: shop.user_id, secretVersion: 1, nowMs: s.clock.now(), accessTtlSec: 3600, refreshIdleSec: 86_400,
  });
  delegated = bearer(t.access_token);
});
afterAll(async () => {
  await s?.close();
});

describe('a caller acting for another account through a third-party app', () => {
  it('receives the sale in the consenting account, not in the app owner’s', async () => {
    const created = await createSale(s, { ...platform, auth: delegated }, '25.00');
    expect(created.status).toBe(200);
    expect(created.body.transactions[0].digital_account_destination.username).toBe(shop.digital_account);
    const p = await payer(s, 100_00);
    await approveAs(s, created.body.id, p.payer_id);
    const before = await balanceOf(s, platform.digital_account);
    const r = await executeAs(s, { ...platform, auth: delegated }, created.body.id, p.payer_id);
    expect(r.status).toBe(200);
    expect(await balanceOf(s, shop.digital_account)).toBe(125_00);
    expect(await balanceOf(s, platform.digital_account)).toBe(before);
    expect((await verifyLedger(s.ctx.store.db)).ok).toBe(true);
  });

  it('pays a payout batch from the consenting account, not from the app owner’s', async () => {
    const itemBody = {
      multi_payment_item: {
        reference: 'n1', nameAccount: 'Ana Pérez', identificationNumber: 'V12345678', bankAccount: '01020000000000000001', amount: '10.00',
      },
    };
    const reg = await postForm(`${s.baseUrl}/api/multipayment/register-item.json?type=DISPERSION_INSTANT_INTERBANK`, itemBody, delegated);
    expect(reg.status).toBe(200);
    const batch = await s.ctx.store.db.selectFrom('payout_batches').select('id').where('owner_user_id', '=', shop.user_id).executeTakeFirstOrThrow();
    const platformBefore = await balanceOf(s, platform.digital_account);
    const shopBefore = await balanceOf(s, shop.digital_account);
    const sub = await postForm(`${s.baseUrl}/api/multipayment/submit.json?id=${batch.id}`, {}, delegated);
    expect(sub.status).toBe(200);
    expect(await balanceOf(s, platform.digital_account)).toBe(platformBefore);
    expect(await balanceOf(s, shop.digital_account)).toBe(shopBefore - 10_00 - 5_00);
    expect((await verifyLedger(s.ctx.store.db)).ok).toBe(true);
  });

  it('keeps Idempotency-Keys apart per account: the same key and body create one intent for each', async () => {
    const headers = { 'idempotency-key': 'order-1042' };
    const body = saleDoc('12.00');
    const a = await postForm(`${s.baseUrl}/api/payment-intent/.json`, body, { ...platform.auth, ...headers });
    const b = await postForm(`${s.baseUrl}/api/payment-intent/.json`, body, { ...delegated, ...headers });
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(b.headers.get('idempotency-replayed')).toBeNull();
    expect(b.body.id).not.toBe(a.body.id);
    const owners = await s.ctx.store.db.selectFrom('payment_intents').select(['id', 'owner_user_id'])
      .where('id', 'in', [a.body.id, b.body.id]).execute();
    expect(Object.fromEntries(owners.map((o) => [o.id, o.owner_user_id]))).toEqual({ [a.body.id]: platform.user_id, [b.body.id]: shop.user_id });
    const again = await postForm(`${s.baseUrl}/api/payment-intent/.json`, body, { ...delegated, ...headers });
    expect(again.headers.get('idempotency-replayed')).toBe('true');
    expect(again.body.id).toBe(b.body.id);
  });
});
