import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activateApp, refuseGolive } from '../../src/backoffice/app-admin.service.ts';
import { decideAppRequest } from '../../src/backoffice/app-requests.admin.ts';
import { requestBilling } from '../../src/apps/app-requests.service.ts';
import { payRequest } from '../../src/billing/pay-request.service.ts';
import { findIntent } from '../../src/payment-intents/payment-intent.repository.ts';
import { createPayer, type PayerCreds } from '../../src/sandbox/demo.ts';
import { executeTransfer, newConfirmationNonce } from '../../src/wallet/transfer.service.ts';
import { testServer, type TestServer } from '../helpers/env.ts';
import { MAIL_COLUMNS, mailText } from '../helpers/mail.ts';
import { deliverMail } from '../../src/mail/deliver.ts';
import { approveAs, createSale, executeAs } from '../payment-intents/fixtures.ts';
import { createRequest, merchantWithToken, payer, walletIdOf, type Merchant } from '../billing/fixtures.ts';
import { makeOperator, productionApp, productionBusiness } from '../backoffice/fixtures.ts';

// E-mail is written in the same transaction as the event it tells about.

const mailOf = async (s: TestServer, userId: string) => (await s.ctx.store.db.selectFrom('mail_outbox').select([...MAIL_COLUMNS, 'id', 'status', 'transport', 'attempts', 'sent_at', 'created_at'])
  .where('user_id', '=', userId).orderBy('created_at').orderBy('kind').execute()).map((m) => ({ ...m, text: mailText(m) }));

describe('payments tell both sides by e-mail', () => {
  let s: TestServer;
  let m: Merchant;
  let ana: PayerCreds;
  beforeAll(async () => {
    s = await testServer();
    m = await merchantWithToken(s, { appName: 'Librería Lumen', businessName: 'Lumen, C.A.' });
    ana = await createPayer(s.ctx, 500_00, { fullName: 'Ana Pérez' });
  });
  afterAll(async () => s?.close());

  it('a wallet transfer: "Pago enviado" to the sender, "Pago recibido" to the recipient', async () => {
    const done = await executeTransfer(s.ctx, ana.payer_id, { recipient: m.username, amount: '12.50', note: '' }, ana.pin, newConfirmationNonce(s.clock.now()));
    const sent = (await mailOf(s, ana.payer_id)).find((x) => x.kind === 'payment_sent')!;
    expect(sent.subject).toBe('Pago enviado: Bs. 12,50');
    expect(sent.text).toContain(`Usted pagó Bs. 12,50 a Lumen, C.A.. Referencia ${done.ref}.`);
    const got = (await mailOf(s, m.user_id)).find((x) => x.kind === 'payment_received')!;
    expect(got.text).toContain(`Recibió Bs. 12,50 de Ana Pérez. Referencia ${done.ref}.`);
  });

  it('the sandbox sends no e-mail: a payment\'s two messages are written kept, and no delivery pass has them to update', async () => {
    // Through the merchant API, as a shop executes a sale.
    const shop = await merchantWithToken(s, { appName: 'Tienda Kept', businessName: 'Tienda Kept, C.A.' });
    const luis = await payer(s, 50_00, { fullName: 'Luis Kept' });
    const sale = await createSale(s, shop, '7.00');
    await approveAs(s, sale.body.id, luis.payer_id);
    const at = s.clock.now();
    expect((await executeAs(s, shop, sale.body.id, luis.payer_id)).status).toBe(200);
    const both = [...await mailOf(s, luis.payer_id), ...await mailOf(s, shop.user_id)].filter((x) => x.kind.startsWith('payment_'));
    expect(both.map((x) => x.kind).sort()).toEqual(['payment_received', 'payment_sent']);
    for (const m of both) {
      expect({ status: m.status, transport: m.transport, attempts: m.attempts }).toEqual({ status: 'sent', transport: 'stored', attempts: 1 });
      expect(Number(m.sent_at)).toBe(Number(m.created_at));
      expect(Number(m.sent_at)).toBeGreaterThanOrEqual(at);
    }
    expect(both.find((x) => x.kind === 'payment_sent')!.text).toContain('Usted pagó Bs. 7,00 a Tienda Kept, C.A..');
    // Nothing of them is due: a pass updates none of them.
    const before = await s.ctx.store.db.selectFrom('mail_outbox').select(['id', 'status']).where('id', 'in', both.map((m) => m.id)).execute();
    await deliverMail(s.ctx);
    expect(await s.ctx.store.db.selectFrom('mail_outbox').select(['id', 'status']).where('id', 'in', both.map((m) => m.id)).execute()).toEqual(before);
  });

  it('a billing request: "request to pay" with its link at creation, then both sides when it is paid', async () => {
    const intent = await createRequest(s, m, ana.username, { total: '30.00' });
    const ask = (await mailOf(s, ana.payer_id)).find((x) => x.kind === 'payment_request')!;
    expect(ask.subject).toBe('Librería Lumen le solicita un pago de Bs. 30,00');
    expect(ask.text).toContain(`Ver la solicitud: ${s.baseUrl}/wallet/requests/${intent.id}`);
    await payRequest(s.ctx, (await findIntent(s.ctx.store.db, intent.id))!, { accountId: await walletIdOf(s, ana.digital_account), pin: ana.pin });
    const kinds = (await mailOf(s, ana.payer_id)).map((x) => x.subject);
    expect(kinds).toContain('Pago enviado: Bs. 30,00');
    expect((await mailOf(s, m.user_id)).map((x) => x.subject)).toContain('Pago recibido: Bs. 30,00');
  });

  it('a refused payment writes no e-mail (its transaction rolled back)', async () => {
    const before = (await mailOf(s, ana.payer_id)).length;
    await expect(executeTransfer(s.ctx, ana.payer_id, { recipient: m.username, amount: '9999', note: '' }, ana.pin, newConfirmationNonce(s.clock.now()))).rejects.toThrow();
    expect(await mailOf(s, ana.payer_id)).toHaveLength(before);
  });
});

describe('operators’ decisions reach the business by e-mail', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await testServer({ env: 'production' });
  });
  afterAll(async () => s?.close());

  it('going live refused with its reason, then approved; the billing API refused with its reason, then granted', async () => {
    const op = await makeOperator(s.ctx);
    const actor = { operatorId: op.id, via: 'web' as const };
    const biz = await productionBusiness(s.ctx, op.id);
    const { app } = await productionApp(s.ctx, biz);
    await s.ctx.store.tx((tx) => tx.insertInto('golive_requests').values({
      id: 'g1', app_id: app.id, status: 'pending', declaration_json: '{}', reason: null, created_at: s.clock.now(), decided_at: null, decided_by: null, seen_at: null,
    }).execute());
    await s.ctx.store.tx((tx) => refuseGolive(tx, actor, app.id, 'El dominio no responde por HTTPS', s.clock.now()));
    await s.ctx.store.tx((tx) => activateApp(tx, actor, app.id, null, s.clock.now(), true));
    await requestBilling(s.ctx, biz.userId, app.id);
    const req = await s.ctx.store.db.selectFrom('app_requests').select('id').where('app_id', '=', app.id).executeTakeFirstOrThrow();
    await s.ctx.store.tx((tx) => decideAppRequest(tx, actor, app.id, req.id, 'refused', 'Falta el contrato', s.clock.now()));
    await requestBilling(s.ctx, biz.userId, app.id);
    const again = await s.ctx.store.db.selectFrom('app_requests').select('id').where('status', '=', 'pending').executeTakeFirstOrThrow();
    await s.ctx.store.tx((tx) => decideAppRequest(tx, actor, app.id, again.id, 'approved', null, s.clock.now()));

    const mails = await mailOf(s, biz.userId);
    expect(mails.map((x) => x.kind).sort()).toEqual(['billing_granted', 'billing_refused', 'golive_approved', 'golive_refused']);
    expect(mails.find((x) => x.kind === 'golive_refused')!.text).toContain('Motivo: El dominio no responde por HTTPS');
    expect(mails.find((x) => x.kind === 'golive_approved')!.subject).toBe(`Su aplicación ${app.name} está activa en producción`);
    expect(mails.find((x) => x.kind === 'billing_refused')!.text).toContain('Motivo: Falta el contrato');
    expect(mails.find((x) => x.kind === 'billing_granted')!.subject).toBe(`API de facturación habilitado para ${app.name}`);
  });
});
