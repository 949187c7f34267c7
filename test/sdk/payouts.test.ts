import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MpandcoError, type MpandcoClient } from '../../sdk/src/index.ts';
import type { MerchantCreds } from '../../src/sandbox/demo.ts';
import { settleDue } from '../../src/payouts/payout.service.ts';
import { DAY_MS } from '../../src/shared/clock.ts';
import { testServer, type TestServer } from '../helpers/env.ts';
import { balanceOf, merchant, sdkFor } from './support.ts';

const item = (reference: string, amount: string, bankAccount = '01340000000000000001') => ({
  reference, nameAccount: 'Jose Rivas', identificationNumber: 'V12345678', bankAccount, amount,
});

describe('SDK: mass payouts', () => {
  let s: TestServer;
  let m: MerchantCreds;
  let sdk: MpandcoClient;
  beforeAll(async () => {
    s = await testServer();
    m = await merchant(s, 1_000_00);
    sdk = sdkFor(s, m);
  });
  afterAll(async () => s.close());

  it('registers items, finds the pending batch, submits it; DISPERSION settles a day later', async () => {
    const first = await sdk.payouts.registerItem(item('Nómina 001', '100.25'), { type: 'DISPERSION' });
    expect(first).toEqual({ ref: expect.stringMatching(/^MP\d{13}$/), identification_number: 'V12345678', status: 'APPROVED' });
    await sdk.payouts.registerItem({ ...item('Nómina 002', '50'), phone: '584125550000', email: 'ana@example.com' }, { type: 'DISPERSION' });

    const pending = await sdk.payouts.pending('DISPERSION');
    expect(pending).toMatchObject({ type: 'DISPERSION', status: 'PENDING_LOAD', item_count: 2, amount_total: '150.25' });
    const shown = await sdk.payouts.show(pending!.id);
    expect(shown.items.map((i) => i.reference)).toEqual(['Nómina 001', 'Nómina 002']);

    const before = await balanceOf(s, m.digital_account);
    const submitted = await sdk.payouts.submit(pending!);
    expect(submitted).toMatchObject({ status: 'PROCESSING', submitted_at: expect.any(String) });
    expect(await balanceOf(s, m.digital_account)).toBe(before - Math.round(Number(submitted.debit_total) * 100));
    expect(await sdk.payouts.pending('DISPERSION')).toBeUndefined();

    s.clock.advance(DAY_MS + 1000);
    await settleDue(s.ctx);
    expect((await sdk.payouts.show(pending!.id)).status).toBe('SETTLED');
    const list = await sdk.payouts.list();
    expect(list.data[0]).toMatchObject({ id: pending!.id, status: 'SETTLED' });
  });

  it('an instant batch settles when submitted', async () => {
    await sdk.payouts.registerItem(item('Instant 1', '10.00'), { type: 'DISPERSION_INSTANT_INTERBANK' });
    const batch = await sdk.payouts.pending('DISPERSION_INSTANT_INTERBANK');
    expect((await sdk.payouts.submit(batch!.id)).status).toBe('SETTLED');
  });

  it('an unknown bank is the documented global error', async () => {
    const e = await sdk.payouts.registerItem(item('X', '1.00', '09990000000000000001'), { type: 'DISPERSION' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(MpandcoError);
    expect((e as MpandcoError).globalErrors).toEqual(['No se ha encontrado un banco para el numero de cuenta ingresado']);
  });
});
