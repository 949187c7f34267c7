import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PayerCreds } from '../../src/sandbox/demo.ts';
import { MINUTE_MS } from '../../src/shared/clock.ts';
import { verifyLedger } from '../../src/ledger/verify.ts';
import { testServer, type TestServer } from '../helpers/env.ts';
import { postForm, postJson, postMultipart } from '../helpers/http.ts';
import {
  balanceOf, callbacksOf, createRequest, executeDoc, executeRequestUrl, merchantWithToken, payer, userRow, walletIdOf,
  type Merchant,
} from './fixtures.ts';

describe('execute a billing request (cashier flow)', () => {
  let s: TestServer;
  let m: Merchant;
  let maria: PayerCreds;
  let mariaWallet: string;
  beforeAll(async () => {
    s = await testServer();
    m = await merchantWithToken(s);
    maria = await payer(s, 1_000_00, { pin: '4321' });
    mariaWallet = await walletIdOf(s, maria.digital_account);
  });
  afterAll(async () => s.close());

  it('pays with the documented shape (payToken, pin) and writes the callback in the same step', async () => {
    const intent = await createRequest(s, m, maria.username, { total: '15.00' });
    expect(intent.pay_tokens[0].id).toBe(mariaWallet);
    const before = await balanceOf(s, m.digital_account);
    const r = await executeDoc(s, m, intent.id, intent.pay_tokens[0].id, '4321');
    expect(r.status).toBe(200);
    expect(r.body.state).toBe('executed');
    expect(r.body.transactions[0].related_resources.request.ref).toMatch(/^P\d{13}$/);
    expect(r.body._links.cancel.href).toBe(`${s.baseUrl}/api/payment-intent/cancel.json`);
    expect(await balanceOf(s, m.digital_account)).toBe(before + 15_00);
    const cbs = await callbacksOf(s, intent.id);
    expect(cbs).toHaveLength(1);
    expect(cbs[0]).toMatchObject({ status: 'pending', attempts: 0, app_id: m.app_id });
    expect(cbs[0].url).toBe(`http://pos.example/callback?store=7&paymentIntent=${intent.id}&payerId=${maria.payer_id}`);
  });

  it('pays with the PHP SDK shape (transactions[i][id|payToken], pin) url-encoded as http_build_query does, id only in the body', async () => {
    const intent = await createRequest(s, m, maria.username, { total: '2.50' });
    const body = {
      payment_execution: {
        paymentIntent: intent.id,
        transactions: [{ id: intent.transactions[0].id, payToken: intent.pay_tokens[0].id }],
        pin: '4321',
      },
    };
    const r = await postForm(executeRequestUrl(s), body, m.auth);
    expect(r.status).toBe(200);
    expect(r.body.state).toBe('executed');
  });

  it('pays with the documented shape sent as JSON, the SDK shape as JSON with numeric keys and as multipart', async () => {
    const a = await createRequest(s, m, maria.username, { total: '1.00' });
    const j = await postJson(executeRequestUrl(s, a.id), { payment_execution: { payToken: mariaWallet, pin: '4321' } }, m.auth);
    expect(j.status).toBe(200);
    expect(j.body.state).toBe('executed');

    const c = await createRequest(s, m, maria.username, { total: '1.00' });
    const numeric = await postJson(executeRequestUrl(s, c.id), {
      payment_execution: { transactions: { 0: { id: c.transactions[0].id, payToken: mariaWallet } }, pin: '4321' },
    }, m.auth);
    expect(numeric.status).toBe(200);
    expect(numeric.body.state).toBe('executed');

    const b = await createRequest(s, m, maria.username, { total: '1.00' });
    const mp = await postMultipart(executeRequestUrl(s, b.id), [
      ['payment_execution[transactions][0][id]', b.transactions[0].id],
      ['payment_execution[transactions][0][payToken]', mariaWallet],
      ['payment_execution[pin]', '4321'],
    ], m.auth);
    expect(mp.status).toBe(200);
    expect(mp.body.state).toBe('executed');
  });

  it('refuses a missing pay token and PIN with the tree of the submitted form', async () => {
    const intent = await createRequest(s, m, maria.username);
    const r = await postForm(executeRequestUrl(s, intent.id), { payment_execution: { pin: '' } }, m.auth);
    expect(r.status).toBe(400);
    expect(r.body.errors.children.payToken.errors).toEqual(['Indique la cuenta con la que paga el cliente (payToken).']);
    expect(r.body.errors.children.pin.errors).toEqual(['Indique el PIN de operaciones.']);
    const en = await postForm(executeRequestUrl(s, intent.id), { payment_execution: { pin: '1' } }, { ...m.auth, 'accept-language': 'en' });
    expect(en.body.errors.children.payToken.errors).toEqual(['Enter the account the customer pays with (payToken).']);
  });

  it('refuses a pay token that is not the recipient’s, an unknown transaction id, and different pay tokens', async () => {
    const intent = await createRequest(s, m, maria.username);
    const merchantWallet = await walletIdOf(s, m.digital_account);
    const bad = await executeDoc(s, m, intent.id, merchantWallet, '4321');
    expect(bad.status).toBe(400);
    expect(bad.body.errors.children.payToken.errors[0]).toMatch(/no es una cuenta del pagador/);

    const sdk = await postForm(executeRequestUrl(s, intent.id), {
      payment_execution: { transactions: [{ id: 'nope', payToken: mariaWallet }, { id: intent.transactions[0].id, payToken: merchantWallet }], pin: '4321' },
    }, m.auth);
    expect(sdk.status).toBe(400);
    expect(sdk.body.errors.children.transactions.children[1].children.payToken.errors[0]).toMatch(/misma cuenta/);

    const unknown = await postForm(executeRequestUrl(s, intent.id), {
      payment_execution: { transactions: [{ id: 'nope', payToken: mariaWallet }], pin: '4321' },
    }, m.auth);
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors.children.transactions.children[0].children.id.errors[0]).toMatch(/no pertenece/);
    expect((await s.ctx.store.db.selectFrom('payment_intents').select('state').where('id', '=', intent.id).executeTakeFirstOrThrow()).state).toBe('created');
  });

  it('refuses a second execution, another merchant’s intent (404), and insufficient balance without changing anything', async () => {
    const intent = await createRequest(s, m, maria.username, { total: '1.00' });
    expect((await executeDoc(s, m, intent.id, mariaWallet, '4321')).status).toBe(200);
    const twice = await executeDoc(s, m, intent.id, mariaWallet, '4321');
    expect(twice.status).toBe(400);
    expect(twice.body.errors.errors).toEqual(['Este pago ya fue ejecutado.']);
    expect(await callbacksOf(s, intent.id)).toHaveLength(1);

    const other = await merchantWithToken(s);
    expect((await executeDoc(s, other, intent.id, mariaWallet, '4321')).status).toBe(404);

    const big = await createRequest(s, m, maria.username, { total: '99999.00' });
    const before = await balanceOf(s, maria.digital_account);
    const poor = await executeDoc(s, m, big.id, mariaWallet, '4321');
    expect(poor.status).toBe(400);
    expect(poor.body.errors.errors).toEqual(['Saldo insuficiente para realizar este pago.']);
    expect(await balanceOf(s, maria.digital_account)).toBe(before);
    expect(await callbacksOf(s, big.id)).toHaveLength(0);
    expect((await verifyLedger(s.ctx.store.db)).ok).toBe(true);
  });

  it('replays an execution sent again with the same Idempotency-Key, moving no money twice', async () => {
    const intent = await createRequest(s, m, maria.username, { total: '3.00' });
    const before = await balanceOf(s, maria.digital_account);
    const key = { 'idempotency-key': `exec-${intent.id}` };
    const first = await executeDoc(s, m, intent.id, mariaWallet, '4321', key);
    const again = await executeDoc(s, m, intent.id, mariaWallet, '4321', key);
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotency-replayed')).toBe('true');
    expect(await balanceOf(s, maria.digital_account)).toBe(before - 3_00);
  });

  it('needs the billing API (403 without it)', async () => {
    const intent = await createRequest(s, m, maria.username);
    await s.ctx.store.autocommit.updateTable('apps').set({ billing_enabled: 0 }).where('id', '=', m.app_id).execute();
    const r = await executeDoc(s, m, intent.id, mariaWallet, '4321');
    await s.ctx.store.autocommit.updateTable('apps').set({ billing_enabled: 1 }).where('id', '=', m.app_id).execute();
    expect(r.status).toBe(403);
  });
});

describe('the operations PIN lock', () => {
  let s: TestServer;
  let m: Merchant;
  let pedro: PayerCreds;
  beforeAll(async () => {
    s = await testServer();
    m = await merchantWithToken(s);
    pedro = await payer(s, 500_00, { pin: '2468' });
  });
  afterAll(async () => s.close());

  it('refuses a wrong PIN, locks after five, refuses the right PIN while locked, and unlocks after 15 minutes', async () => {
    const intent = await createRequest(s, m, pedro.username, { total: '10.00' });
    const token = intent.pay_tokens[0].id;
    const before = await balanceOf(s, pedro.digital_account);
    for (let i = 1; i <= 4; i++) {
      const r = await executeDoc(s, m, intent.id, token, '0000');
      expect(r.status).toBe(400);
      expect(r.body.errors.children.pin.errors).toEqual(['El PIN es incorrecto.']);
    }
    expect((await userRow(s, pedro.payer_id)).pin_failed_count).toBe(4);
    const fifth = await executeDoc(s, m, intent.id, token, '0000');
    expect(fifth.status).toBe(400);
    expect(fifth.body.errors.children.pin.errors[0]).toMatch(/bloqueado.*15 minutos/);

    s.clock.advance(5 * MINUTE_MS);
    const sixth = await executeDoc(s, m, intent.id, token, '2468');
    expect(sixth.status).toBe(400);
    expect(sixth.body.errors.children.pin.errors[0]).toMatch(/bloqueado.*10 minutos/);
    expect(await balanceOf(s, pedro.digital_account)).toBe(before);
    expect((await s.ctx.store.db.selectFrom('payment_intents').select('state').where('id', '=', intent.id).executeTakeFirstOrThrow()).state).toBe('created');

    s.clock.advance(10 * MINUTE_MS);
    const after = await executeDoc(s, m, intent.id, token, '2468');
    expect(after.status).toBe(200);
    expect(after.body.state).toBe('executed');
    expect(await balanceOf(s, pedro.digital_account)).toBe(before - 10_00);
    expect((await userRow(s, pedro.payer_id)).pin_failed_count).toBe(0);
  });

  it('refuses a malformed PIN without counting it', async () => {
    const intent = await createRequest(s, m, pedro.username, { total: '1.00' });
    const r = await executeDoc(s, m, intent.id, intent.pay_tokens[0].id, '12ab');
    expect(r.status).toBe(400);
    expect(r.body.errors.children.pin.errors).toEqual(['El PIN debe tener 4 dígitos.']);
    expect((await userRow(s, pedro.payer_id)).pin_failed_count).toBe(0);
  });
});
