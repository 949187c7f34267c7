import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOperator } from '../backoffice/fixtures.ts';
import { WebClient as BoClient, textOf } from '../backoffice/web-client.ts';
import { requestWithdrawal } from '../../src/withdrawals/withdrawals.service.ts';
import { SYSTEM } from '../../src/ledger/system-accounts.ts';
import type { PayerCreds } from '../../src/sandbox/demo.ts';
import { DAY_MS } from '../../src/shared/clock.ts';
import { ValidationError } from '../../src/shared/errors.ts';
import { testServer, type TestServer } from '../helpers/env.ts';
import { WebClient } from '../helpers/web.ts';
import { MAIL_COLUMNS, mailText } from '../helpers/mail.ts';
import { balance, bank, fund, person, verifiedOk } from '../topups/fixtures.ts';

const BANESCO = '01340001230001234567';

describe('withdrawals to a bank account in the person’s own name (production)', () => {
  let s: TestServer;
  let op: { id: string; username: string; password: string };
  let rosa: PayerCreds;
  let bo: BoClient;

  beforeAll(async () => {
    s = await testServer({
      env: 'production',
      vars: { MPANDCO_WITHDRAWAL_FEE: '2.00', MPANDCO_WITHDRAWAL_DAILY_MAX: '300.00', MPANDCO_WITHDRAWAL_DAILY_COUNT: '3' },
    });
    op = await makeOperator(s.ctx);
    rosa = await person(s.ctx, 'Rosa Blanco');
    await fund(s.ctx, op.id, rosa.payer_id, '1000');
    bo = new BoClient(s.baseUrl);
    await bo.signIn(op.username, op.password, '/backoffice/login');
  });
  afterAll(async () => s?.close());

  const signedIn = async (p: PayerCreds) => {
    const web = new WebClient(s.baseUrl);
    await web.signIn(p.username, p.password);
    return web;
  };
  const nonceOf = (html: string) => /name="nonce" value="([^"]+)"/.exec(html)![1];
  const withdraw = async (web: WebClient, fields: Record<string, string>) => {
    const page = await web.get('/wallet/withdraw');
    return web.post('/wallet/withdraw', { nonce: nonceOf(page.html), ...fields });
  };
  const rows = (userId: string) => s.ctx.store.db.selectFrom('withdrawals').selectAll().where('user_id', '=', userId).orderBy('created_at').execute();

  it('refuses bad input with clear errors and moves nothing', async () => {
    const web = await signedIn(rosa);
    const page = await web.get('/wallet/withdraw');
    expect(textOf(page.html)).toContain('Comisión Bs. 2,00 por retiro. Límite diario: Bs. 300,00 y 3 retiros.');
    const good = { bankAccount: BANESCO, holderDocument: rosa.document, amount: '50', pin: rosa.pin };
    const cases: [Record<string, string>, string][] = [
      [{ amount: '-50' }, 'El monto debe ser mayor que cero.'],
      [{ amount: '0' }, 'El monto debe ser mayor que cero.'],
      [{ bankAccount: '99990001230001234567' }, 'No se ha encontrado un banco para el numero de cuenta ingresado'],
      [{ bankAccount: '0134-0001' }, 'La cuenta bancaria debe tener 20 dígitos.'],
      [{ holderDocument: 'V11222333' }, `La cuenta debe estar a su nombre: el documento del titular debe ser ${rosa.document}.`],
      [{ pin: '0000' === rosa.pin ? '1111' : '0000' }, 'El PIN es incorrecto.'],
      [{ amount: '999' }, 'Saldo insuficiente: el retiro más la comisión suman Bs. 1.001,00.'],
    ];
    for (const [bad, message] of cases) {
      const r = await withdraw(web, { ...good, ...bad });
      expect(r.status, JSON.stringify(bad)).toBe(400);
      expect(textOf(r.html)).toContain(message);
    }
    expect(await rows(rosa.payer_id)).toEqual([]);
    expect(await balance(s.ctx, rosa.digital_account)).toBe(1000_00);
  });

  it('holds amount and fee at once; the same form sent again withdraws once', async () => {
    const web = await signedIn(rosa);
    const page = await web.get('/wallet/withdraw');
    const fields = { nonce: nonceOf(page.html), bankAccount: '0134 0001 23-0001234567', holderDocument: rosa.document.toLowerCase(), amount: '100,00', pin: rosa.pin };
    const first = await web.post('/wallet/withdraw', fields);
    expect(first.status).toBe(303);
    const again = await web.post('/wallet/withdraw', fields);
    expect(again.location).toBe(first.location);
    expect(textOf((await web.get(first.location!)).html)).toContain('Retiro solicitado: Bs. 100,00 más Bs. 2,00 de comisión');
    const [w] = await rows(rosa.payer_id);
    expect(w).toMatchObject({ status: 'pending', bank_account: BANESCO, bank_code: '0134', amount_minor: 100_00, fee_minor: 2_00, holder_name: 'Rosa Blanco' });
    expect(await rows(rosa.payer_id)).toHaveLength(1);
    expect(await balance(s.ctx, rosa.digital_account)).toBe(898_00);
    expect(await balance(s.ctx, SYSTEM.withdrawals)).toBe(100_00);
    await verifiedOk(s.ctx);
  });

  it('refuses an account number another person withdraws to', async () => {
    const pablo = await person(s.ctx);
    await fund(s.ctx, op.id, pablo.payer_id, '100');
    const r = await withdraw(await signedIn(pablo), { bankAccount: BANESCO, holderDocument: pablo.document, amount: '10', pin: pablo.pin });
    expect(r.status).toBe(400);
    expect(textOf(r.html)).toContain('Esta cuenta bancaria ya recibe retiros de otra persona');
  });

  it('keeps to the daily limits, counting failed withdrawals out, and starts over the next day', async () => {
    const web = await signedIn(rosa);
    const over = await withdraw(web, { bankAccount: BANESCO, holderDocument: rosa.document, amount: '200.01', pin: rosa.pin });
    expect(textOf(over.html)).toContain('Supera el límite diario de Bs. 300,00 (hoy ya lleva Bs. 100,00).');
    expect((await withdraw(web, { bankAccount: BANESCO, holderDocument: rosa.document, amount: '20', pin: rosa.pin })).status).toBe(303);
    expect((await withdraw(web, { bankAccount: BANESCO, holderDocument: rosa.document, amount: '30', pin: rosa.pin })).status).toBe(303);
    const fourth = await withdraw(web, { bankAccount: BANESCO, holderDocument: rosa.document, amount: '1', pin: rosa.pin });
    expect(textOf(fourth.html)).toContain('Ya hizo 3 retiros hoy; vuelva mañana.');
    // Two at once cannot both pass the count: the wallet is locked while it is checked.
    s.clock.advance(DAY_MS);
    const tries = await Promise.allSettled([1, 2, 3, 4, 5].map((i) => requestWithdrawal(s.ctx, rosa.payer_id,
      { bankAccount: BANESCO, holderDocument: rosa.document, amount: '5' }, rosa.pin, `parallel-nonce-000${i}`)));
    expect(tries.filter((t) => t.status === 'fulfilled')).toHaveLength(3);
    for (const t of tries) if (t.status === 'rejected') expect(t.reason).toBeInstanceOf(ValidationError);
    await verifiedOk(s.ctx);
  });

  it('exports the waiting withdrawals as a file for the bank, then pays or fails each; a failure returns amount and fee', async () => {
    const before = { wallet: await balance(s.ctx, rosa.digital_account), bank: await bank(s.ctx), fees: await balance(s.ctx, SYSTEM.fees) };
    const waiting = await rows(rosa.payer_id);
    expect(waiting.every((w) => w.status === 'pending')).toBe(true);
    await bo.signIn(op.username, op.password, '/backoffice/login'); // a day has passed: the earlier session expired
    expect(textOf((await bo.get('/backoffice/withdrawals')).html)).toContain(`En espera · ${waiting.length} por`);
    const exp = await bo.post('/backoffice/withdrawals/export');
    expect(exp.status).toBe(303);
    const list = await bo.get(exp.location!);
    const href = /href="(\/backoffice\/withdrawals\/exports\/[0-9a-f-]+)" id="download-export"/.exec(list.html)![1];
    const file = await fetch(s.baseUrl + href, { headers: { cookie: [...bo.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
    expect(file.headers.get('content-disposition')).toMatch(/^attachment; filename="retiros-[0-9a-f]{8}\.csv"$/);
    const lines = (await file.text()).trim().split('\r\n');
    expect(lines[0]).toBe('referencia;banco;cuenta;documento;titular;monto');
    expect(lines).toContain(`${waiting[0].id};0134;${BANESCO};${rosa.document};Rosa Blanco;100.00`);
    expect(lines).toHaveLength(waiting.length + 1);
    expect((await rows(rosa.payer_id)).every((w) => w.status === 'exported')).toBe(true);
    expect((await bo.post('/backoffice/withdrawals/export')).status).toBe(400); // nothing left waiting

    await bo.get('/backoffice/withdrawals?status=exported');
    expect((await bo.post(`/backoffice/withdrawals/${waiting[0].id}/paid`)).status).toBe(303);
    expect(await bank(s.ctx)).toBe(before.bank + 100_00);
    await verifiedOk(s.ctx);
    expect((await bo.post(`/backoffice/withdrawals/${waiting[0].id}/failed`, { reason: 'x' })).status).toBe(400); // paid is final

    const noReason = await bo.post(`/backoffice/withdrawals/${waiting[1].id}/failed`, { reason: '' });
    expect(noReason.status).toBe(400);
    expect((await bo.post(`/backoffice/withdrawals/${waiting[1].id}/failed`, { reason: 'Cuenta cerrada' })).status).toBe(303);
    expect(await balance(s.ctx, rosa.digital_account)).toBe(before.wallet + 20_00 + 2_00);
    expect(await balance(s.ctx, SYSTEM.fees)).toBe(before.fees - 2_00);
    await verifiedOk(s.ctx);

    const mails = await s.ctx.store.db.selectFrom('mail_outbox').select([...MAIL_COLUMNS]).where('user_id', '=', rosa.payer_id)
      .where('kind', 'like', 'withdrawal%').orderBy('created_at').execute();
    expect(mails.map((m) => m.kind).sort()).toEqual(['withdrawal_failed', 'withdrawal_paid']);
    expect(mailText(mails.find((m) => m.kind === 'withdrawal_paid')!)).toContain('Transferimos Bs. 100,00 a su cuenta 0134…4567 en Banesco.');
    expect(mailText(mails.find((m) => m.kind === 'withdrawal_failed')!)).toContain('Devolvimos Bs. 22,00 (monto y comisión)');
    const audit = await s.ctx.store.db.selectFrom('audit_log').select('action').where('action', 'like', 'withdrawal.%').orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['withdrawal.export', 'withdrawal.paid', 'withdrawal.failed']);
  });
});
