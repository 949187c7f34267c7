import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MpandcoError, type MpandcoClient } from '../../sdk/src/index.ts';
import type { MerchantCreds, PayerCreds } from '../../src/sandbox/demo.ts';
import { testServer, type TestServer } from '../helpers/env.ts';
import { balanceOf, merchant, payer, sale, SANDBOX_HELPERS, sdkFor } from './support.ts';

describe('SDK: a full sale through the payment button', () => {
  let s: TestServer;
  let m: MerchantCreds;
  let maria: PayerCreds;
  let sdk: MpandcoClient;
  beforeAll(async () => {
    s = await testServer();
    m = await merchant(s);
    maria = await payer(s, 500_00, '1357');
    sdk = sdkFor(s, m);
  });
  afterAll(async () => s.close());

  it('creates, is approved by a test payer, executes, finds the payment, annuls', async () => {
    const created = await sdk.paymentIntents.create(sale('42.50'));
    expect(created).toMatchObject({ intent: 'sale', state: 'created', total: { amount: 42.5 } });
    expect(created.transactions[0]).toMatchObject({ invoice_number: 'F-1001', items: [{ name: 'Harina PAN 1kg', quantity: 1, price: 42.5 }] });
    expect(created._links.approval_url?.href).toBe(`${s.baseUrl}/p/express-checkout/${created.id}/1`);

    // The customer approves (here maria, through the sandbox's approval helper, with her PIN).
    const approved = await sdk.sandbox.authorize(created, { payer: maria.username, pin: '1357', ...SANDBOX_HELPERS });
    expect(approved.state).toBe('authorized');
    expect(approved.payer?.payer_info.id).toBe(maria.payer_id);

    const before = await balanceOf(s, m.digital_account);
    // The return URL gives the payer's id; the intent's payer object works as well.
    const executed = await sdk.paymentIntents.execute(created.id, { payer: approved.payer! });
    expect(executed.state).toBe('executed');
    expect(await balanceOf(s, m.digital_account)).toBe(before + 42_50);
    expect(await balanceOf(s, maria.digital_account)).toBe(500_00 - 42_50);
    const sold = executed.transactions[0].related_resources?.sale;
    expect(sold?.ref).toMatch(/^P\d{13}$/);

    const payment = await sdk.payments.find(sold!.id);
    expect(payment).toMatchObject({ id: sold!.id, ref: sold!.ref, amount_total: '42.50', status: 9000, type: 1000, recipient: m.digital_account });
    expect((await sdk.paymentIntents.show(created)).state).toBe('executed');

    const annulled = await sdk.paymentIntents.annul(executed);
    expect(annulled.state).toBe('annulled');
    expect(await balanceOf(s, maria.digital_account)).toBe(500_00);
    expect((await sdk.payments.find(sold!.id)).status).toBe(2000);
  });

  it('lists intents and payments as paginators, and reads the profile', async () => {
    await sdk.paymentIntents.create(sale('1.00', 'F-2'));
    const intents = await sdk.paymentIntents.list({ maxPerPage: 1 });
    expect(intents.meta).toMatchObject({ currentPage: 1, maxPerPage: 1 });
    expect(intents.meta.totalResults).toBeGreaterThanOrEqual(2);
    expect(intents.data).toHaveLength(1);
    expect(intents.links.next?.href).toContain('page=2');
    const second = await sdk.paymentIntents.list({ page: 2, maxPerPage: 1 });
    expect(second.data[0].id).not.toBe(intents.data[0].id);
    const all = await sdk.paymentIntents.list({ maxPerPage: 100 });
    expect(all.data.map((i) => i.transactions[0].invoice_number)).toContain('F-2');

    const payments = await sdk.payments.list();
    expect(payments.data.map((p) => p.type)).toContain(1000);

    const me = await sdk.profile.get();
    expect(me).toMatchObject({ username: m.username, type: 'business', digital_accounts: [{ username: m.digital_account }] });
  });

  it('the sandbox tester approves without a payer; a wrong PIN is a 400 on pin', async () => {
    const created = await sdk.paymentIntents.create(sale('3.00', 'F-3'));
    const wrong = await sdk.sandbox.authorize(created, { payer: maria.username, pin: '0000', ...SANDBOX_HELPERS }).catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(MpandcoError);
    expect((wrong as MpandcoError).fieldErrors('pin')).toHaveLength(1);
    const approved = await sdk.sandbox.authorize(created.id, SANDBOX_HELPERS);
    const executed = await sdk.paymentIntents.execute(created, { payer: approved.payer!.payer_info.id });
    expect(executed.state).toBe('executed');
  });
});
