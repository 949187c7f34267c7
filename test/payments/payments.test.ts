import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueTokens } from '../../src/oauth/tokens.ts';
import type { PayerCreds } from '../../src/sandbox/demo.ts';
import { apiDate } from '../../src/shared/clock.ts';
import { testServer, type TestServer } from '../helpers/env.ts';
import { bearer, get } from '../helpers/http.ts';
import { approveAs, createSale, executeAs, merchantWithToken, payer, type Merchant } from '../payment-intents/fixtures.ts';

describe('GET /api/payment/.json and find.json', () => {
  let s: TestServer;
  let m: Merchant;
  let other: Merchant;
  let maria: PayerCreds;
  const paymentIds: string[] = [];
  beforeAll(async () => {
    s = await testServer();
    m = await merchantWithToken(s);
    other = await merchantWithToken(s);
    maria = await payer(s, 1_000_00, { fullName: 'Maria Perez', phone: '584125550000' });
    for (const total of ['240.50', '10.00', '3.25']) {
      const sale = await createSale(s, m, total);
      await approveAs(s, sale.body.id, maria.payer_id);
      const ex = await executeAs(s, m, sale.body.id, maria.payer_id);
      paymentIds.push(ex.body.transactions[0].related_resources.sale.id);
      s.clock.advance(1000);
    }
  });
  afterAll(async () => s.close());

  const find = (who: Merchant | { auth: Record<string, string> }, id: string) =>
    get(`${s.baseUrl}/api/payment/find.json?id=${encodeURIComponent(id)}`, who.auth);

  it('finds one payment in the shape of api.md', async () => {
    const r = await find(m, paymentIds[0]);
    expect(r.status).toBe(200);
    const wallet = await s.ctx.store.db.selectFrom('digital_accounts').select(['id', 'created_at'])
      .where('handle', '=', maria.digital_account).executeTakeFirstOrThrow();
    const pay = await s.ctx.store.db.selectFrom('payments').select(['ref', 'created_at']).where('id', '=', paymentIds[0])
      .executeTakeFirstOrThrow();
    const created = apiDate(Number(pay.created_at));
    expect(r.body).toEqual({
      id: paymentIds[0],
      created_at: created,
      ref: pay.ref,
      amount_environment_operation: '240.50',
      amount_total: '240.50',
      status: 9000,
      type: 1000,
      recipient: m.digital_account,
      user: { id: maria.payer_id, _data: { fullname: '584125550000' } },
      // The documentation's payment.md: one operation method, "mPandco a mPandco".
      payment_methods: [{
        created_at: created,
        operation_method: {
          id: expect.any(String), created_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/),
          name: 'mPandco a mPandco', description: expect.any(String), icon: 'mp-mpandco-mpandco', item_order: 1000,
          mode_operation: { id: 'balance_mpandco', created_at: expect.any(String), name: 'Saldo mPandco' },
          childs: [], mode_form: 'SENDING', external_platform: 'MPANDCO',
        },
        amount_environment_operation: 240.5,
        amount_total: 240.5,
        item_operations: [{ created_at: created, description: 'Monto a enviar', amount: 240.5 }],
      }],
      digital_account_source: { id: wallet.id, created_at: apiDate(Number(wallet.created_at)), name: 'Maria Perez' },
      // Seen by the merchant that received it; the clock has moved on since the first sale.
      _data: {
        summary_1: 'Recibido: 240,50 VES',
        summary_2: '240,50 VES',
        summary_3: 'Cuenta abonada',
        summary_4: 'Cuenta remitente',
        summary_5: 'Pago recibido',
        summary_status_color: '#388E3C',
        username: maria.username,
        user_from: 'Maria Perez',
        amount: 0,
        status: 'Completado',
        type_payment_label: `Pago recibido de ${maria.username}`,
        summary_amount: { summary_1: '240.50', summary_2: '240.50' },
        created_at: 'hace menos de un minuto',
        external_platform: 'mPandco',
        external_id: null,
      },
    });
    expect(r.body.created_at).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(r.body.ref).toMatch(/^P\d{13}$/);
  });

  it('lists the account\'s payments newest first as a Paginator', async () => {
    const r = await get(`${s.baseUrl}/api/payment/.json?maxPerPage=2`, m.auth);
    expect(r.status).toBe(200);
    expect(r.body.meta).toEqual({ currentPage: 1, maxPerPage: 2, totalPages: 2, totalResults: 3 });
    expect(r.body.data.map((x: { id: string }) => x.id)).toEqual([paymentIds[2], paymentIds[1]]);
    expect(r.body.data[0].amount_total).toBe('3.25');
    expect(r.body.links.next.href).toBe(`${s.baseUrl}/api/payment/.json?page=2&maxPerPage=2`);
    const page2 = await get(r.body.links.next.href, m.auth);
    expect(page2.body.data.map((x: { id: string }) => x.id)).toEqual([paymentIds[0]]);
    expect(page2.body.links.next).toBeUndefined();
  });

  it('shows the payer its own payments too (the paying side)', async () => {
    // The payer has no app of its own; a token of another app acting for her stands in.
    const t = await issueTokens(s.ctx.store.autocommit, {
      appId: other.app_id, userId: maria.payer_id, secretVersion: 1, nowMs: s.clock.now(), accessTtlSec: 3600, refreshIdleSec: 3600,
    });
    const r = await get(`${s.baseUrl}/api/payment/.json`, bearer(t.access_token));
    expect(r.body.meta.totalResults).toBe(3);
    expect((await find({ auth: bearer(t.access_token) }, paymentIds[1])).status).toBe(200);
  });

  it('404 for another account\'s payment or an unknown id; 401 without a token', async () => {
    const r = await find(other, paymentIds[0]);
    expect(r.status).toBe(404);
    expect(r.body).toEqual({ code: 404, message: 'El pago no existe.' });
    expect((await find(m, 'nope')).status).toBe(404);
    expect((await get(`${s.baseUrl}/api/payment/find.json`, m.auth)).status).toBe(404);
    const list = await get(`${s.baseUrl}/api/payment/.json`, other.auth);
    expect(list.body.meta.totalResults).toBe(0);
    expect(list.body.data).toEqual([]);
    expect((await get(`${s.baseUrl}/api/payment/.json`)).status).toBe(401);
  });
});
