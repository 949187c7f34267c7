import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOperator } from '../backoffice/fixtures.ts';
import { WebClient as BoClient, textOf } from '../backoffice/web-client.ts';
import { verifyLedger } from '../../src/ledger/verify.ts';
import { confirmTopup, decideTopup } from '../../src/topups/topups.service.ts';
import { todayInCaracas } from '../../src/topups/topup.form.ts';
import type { PayerCreds } from '../../src/sandbox/demo.ts';
import { DAY_MS } from '../../src/shared/clock.ts';
import { ValidationError } from '../../src/shared/errors.ts';
import { testServer, type TestServer } from '../helpers/env.ts';
import { logoPng } from '../helpers/png.ts';
import { WebClient } from '../helpers/web.ts';
import { MAIL_COLUMNS, mailText } from '../helpers/mail.ts';
import { balance, bank, declare, freshReference, person, postFile, verifiedOk } from './fixtures.ts';

describe('top-ups in production: declared by a person, confirmed or refused by an operator', () => {
  let s: TestServer;
  let op: { id: string; username: string; password: string };
  let ana: PayerCreds;
  let bo: BoClient;

  beforeAll(async () => {
    s = await testServer({ env: 'production' });
    op = await makeOperator(s.ctx);
    ana = await person(s.ctx, 'Ana Suárez');
    bo = new BoClient(s.baseUrl);
    expect((await bo.signIn(op.username, op.password, '/backoffice/login')).status).toBe(303);
  });
  afterAll(async () => s?.close());

  const form = (o: Record<string, string> = {}) => ({
    method: 'transfer', bank: '0105', reference: freshReference(), amount: '250,00', paidOn: todayInCaracas(s.clock.now()), ...o,
  });
  const topupsOf = (userId: string) => s.ctx.store.db.selectFrom('topups').selectAll().where('user_id', '=', userId).orderBy('created_at').execute();

  it('shows the platform account and refuses bad declarations with clear errors, storing nothing', async () => {
    const web = new WebClient(s.baseUrl);
    await web.signIn(ana.username, ana.password);
    const page = await web.get('/wallet/topup');
    expect(page.status).toBe(200);
    expect(textOf(page.html)).toContain('01340000000000000000');
    expect(textOf(page.html)).toContain('Banesco');
    const cases: [Record<string, string>, string][] = [
      [{ amount: '-20' }, 'El monto debe ser mayor que cero.'],
      [{ amount: '10.999' }, 'El monto admite como máximo 2 decimales.'],
      [{ bank: '9999' }, 'Elija un banco venezolano de la lista.'],
      [{ reference: '12a45' }, 'La referencia debe tener de 4 a 20 dígitos.'],
      [{ paidOn: todayInCaracas(s.clock.now() + 2 * DAY_MS) }, 'no futura'],
      [{ paidOn: '2026-02-30' }, 'no futura'],
      [{ method: 'cash' }, 'Elija transferencia o pago móvil.'],
    ];
    for (const [bad, message] of cases) {
      const r = await web.post('/wallet/topup', form(bad));
      expect(r.status, JSON.stringify(bad)).toBe(400);
      expect(textOf(r.html)).toContain(message);
    }
    expect(await topupsOf(ana.payer_id)).toEqual([]);
  });

  it('takes a declaration with a receipt image (post/redirect/get), refuses a receipt that is no image', async () => {
    const web = new WebClient(s.baseUrl);
    await web.signIn(ana.username, ana.password);
    const page = await web.get('/wallet/topup');
    const send = async (file: Blob, name: string) => {
      const fd = new FormData();
      for (const [k, v] of Object.entries(form({ reference: '000123456' }))) fd.append(k, v);
      fd.append('_csrf', WebClient.csrf(page.html));
      fd.append('receipt', file, name);
      const cookie = (web as unknown as { cookieHeader(): string }).cookieHeader();
      return fetch(`${s.baseUrl}/wallet/topup`, { method: 'POST', body: fd, redirect: 'manual', headers: { cookie, accept: 'text/html' } });
    };
    const bad = await send(new Blob(['not an image']), 'recibo.png');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('El comprobante debe ser una imagen PNG o JPEG');
    const ok = await send(new Blob([new Uint8Array(logoPng(40, [10, 120, 80]))], { type: 'image/png' }), 'recibo.png');
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/wallet/topup?sent=1');
    const [t] = await topupsOf(ana.payer_id);
    expect(t).toMatchObject({ status: 'pending', reference: '123456', amount_minor: 250_00, bank_code: '0105' });
    expect(textOf((await web.get('/wallet/topup?sent=1')).html)).toContain('Recarga declarada');
    const again = await web.post('/wallet/topup', form({ reference: '123456' }));
    expect(textOf(again.html)).toContain('Ya declaró un pago con esta referencia.');

    const queue = await bo.get('/backoffice/topups');
    expect(queue.html).toContain(`data-topup="${t.id}"`);
    expect(textOf(queue.html)).toContain('Pendiente · 1 por Bs. 250,00');
    const dash = await bo.get('/backoffice');
    expect(textOf(/id="tile-topups"[\s\S]*?<\/a>/.exec(dash.html)![0].replace(/^[^>]*>/, ''))).toBe('1 Recargas: Bs. 250,00');
    const receipt = await fetch(`${s.baseUrl}/backoffice/topups/${t.id}/receipt`, { headers: { cookie: [...bo.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
    expect(receipt.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await receipt.arrayBuffer()).subarray(1, 4).toString()).toBe('PNG');
  });

  it('confirms one by one: the wallet is credited from the settlement account, audited and mailed; a refusal needs a reason', async () => {
    const [t] = await topupsOf(ana.payer_id);
    await bo.get('/backoffice/topups');
    const r = await bo.post(`/backoffice/topups/${t.id}/confirm`);
    expect(r.status).toBe(303);
    expect(textOf((await bo.get('/backoffice/topups')).html)).toMatch(/Recarga confirmada: movimiento T\d{13}\./);
    expect(await balance(s.ctx, ana.digital_account)).toBe(250_00);
    expect(await bank(s.ctx)).toBe(-250_00);
    await verifiedOk(s.ctx);
    const mail = await s.ctx.store.db.selectFrom('mail_outbox').select(['kind', 'subject']).where('user_id', '=', ana.payer_id).execute();
    expect(mail).toEqual([{ kind: 'topup_confirmed', subject: 'Recarga acreditada: Bs. 250,00' }]);
    const audit = await s.ctx.store.db.selectFrom('audit_log').select(['action', 'operator_id']).where('target_id', '=', t.id).execute();
    expect(audit).toEqual([{ action: 'topup.confirm', operator_id: op.id }]);
    expect((await bo.post(`/backoffice/topups/${t.id}/confirm`)).status).toBe(400);
    expect(await balance(s.ctx, ana.digital_account)).toBe(250_00);

    const other = await declare(s.ctx, ana.payer_id, { amount: '30' });
    await bo.get('/backoffice/topups');
    const noReason = await bo.post(`/backoffice/topups/${other}/refuse`, { reason: ' ' });
    expect(noReason.status).toBe(400);
    expect(textOf(noReason.html)).toContain('Indique el motivo.');
    expect((await bo.post(`/backoffice/topups/${other}/refuse`, { reason: 'No aparece en el banco' })).status).toBe(303);
    expect(await balance(s.ctx, ana.digital_account)).toBe(250_00);
    const refused = await s.ctx.store.db.selectFrom('mail_outbox').select([...MAIL_COLUMNS]).where('kind', '=', 'topup_refused').executeTakeFirstOrThrow();
    expect(mailText(refused)).toContain('Motivo: No aparece en el banco');
  });

  it('never credits a bank reference twice, whoever declared it', async () => {
    const luis = await person(s.ctx);
    const ref = freshReference();
    const first = await declare(s.ctx, ana.payer_id, { reference: ref, amount: '40' });
    const second = await declare(s.ctx, luis.payer_id, { reference: `00${ref}`, amount: '40' });
    await bo.get('/backoffice/topups');
    expect((await bo.post(`/backoffice/topups/${first}/confirm`)).status).toBe(303);
    const dup = await bo.post(`/backoffice/topups/${second}/confirm`);
    expect(dup.status).toBe(400);
    expect(textOf(dup.html)).toContain('Esta referencia bancaria ya fue acreditada.');
    expect(await balance(s.ctx, luis.digital_account)).toBe(0);
    await expect(declare(s.ctx, luis.payer_id, { reference: ref, amount: '40' })).rejects.toBeInstanceOf(ValidationError);
    await verifiedOk(s.ctx);
  });

  it('never credits a bank reference twice under concurrent confirmation (the same top-up, or two declarations of it)', async () => {
    const [luis, eva] = [await person(s.ctx), await person(s.ctx)];
    const actor = { operatorId: op.id, via: 'web' as const };
    for (let round = 0; round < 3; round++) {
      const ref = freshReference();
      const a = await declare(s.ctx, luis.payer_id, { reference: ref, amount: '15' });
      const b = await declare(s.ctx, eva.payer_id, { reference: ref, amount: '15' });
      const outcomes = await Promise.allSettled([a, b, a, b].map((id) => decideTopup(s.ctx, (tx) => confirmTopup(tx, actor, id, s.clock.now()))));
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      for (const o of outcomes) if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(ValidationError);
      const confirmed = await s.ctx.store.db.selectFrom('topups').select('id').where('reference', '=', ref).where('status', '=', 'confirmed').execute();
      expect(confirmed).toHaveLength(1);
    }
    expect((await balance(s.ctx, luis.digital_account)) + (await balance(s.ctx, eva.digital_account))).toBe(3 * 15_00);
    await verifiedOk(s.ctx);
  });

  it('ledger verify names a settlement account that no longer matches the confirmed top-ups', async () => {
    await verifiedOk(s.ctx);
    const [t] = await topupsOf(ana.payer_id);
    await sql`update topups set amount_minor = amount_minor + 1 where id = ${t.id}`.execute(s.ctx.store.autocommit);
    try {
      const report = await verifyLedger(s.ctx.store.db);
      expect(report.violations.map((v) => v.invariant)).toEqual(['settlement_matches_bank']);
    } finally {
      await sql`update topups set amount_minor = amount_minor - 1 where id = ${t.id}`.execute(s.ctx.store.autocommit);
    }
    await verifiedOk(s.ctx);
  });

  describe('importing the bank statement', () => {
    it('shows what matched, what did not and what matched twice, then credits only the matches, once', async () => {
      const [a, b, c] = [await person(s.ctx, 'Alba'), await person(s.ctx, 'Beto'), await person(s.ctx, 'Cira')];
      const [r1, r2, r3, r4, r5] = Array.from({ length: 5 }, freshReference);
      const t1 = await declare(s.ctx, a.payer_id, { reference: r1, amount: '1234.50' });
      const t2 = await declare(s.ctx, b.payer_id, { reference: r2, amount: '80' });
      await declare(s.ctx, c.payer_id, { reference: r3, amount: '99' }); // the statement says another amount
      const d1 = await declare(s.ctx, a.payer_id, { reference: r4, amount: '10' }); // declared by two people
      const d2 = await declare(s.ctx, c.payer_id, { reference: r4, amount: '10' });
      const credited = (await s.ctx.store.db.selectFrom('topups').select('reference').where('status', '=', 'confirmed').executeTakeFirstOrThrow()).reference;
      const csv = [
        'Fecha;Referencia;Descripción;Monto',
        `26/11/2026;${r1};"TRANSF. ALBA; PAGO";1.234,50`,
        `26/11/2026;000${r2};PAGO MOVIL BETO;80,00`,
        `26/11/2026;${r3};PAGO CIRA;98,00`,
        `26/11/2026;${r4};PAGO;10,00`,
        `26/11/2026;${r5};DESCONOCIDO;5,00`,
        `26/11/2026;${credited};YA ACREDITADA;250,00`,
        '26/11/2026;777777;COMISION BANCARIA;-3,50',
      ].join('\r\n');
      await bo.get('/backoffice/topups');
      const up = await postFile(bo, '/backoffice/topups/import', 'statement', 'estado.csv', csv);
      expect(up.status).toBe(303);
      const review = await bo.get(up.location!);
      const section = (id: string) => new RegExp(`id="outcome-${id}"[\\s\\S]*?</section>`).exec(review.html)?.[0] ?? '';
      expect(section('matched')).toContain(`data-reference="${r1}"`);
      expect(section('matched')).toContain(`data-reference="${r2}"`);
      expect(section('twice')).toContain(`data-reference="${r4}"`);
      expect(section('amount')).toContain(`data-reference="${r3}"`);
      expect(section('unmatched')).toContain(`data-reference="${r5}"`);
      expect(section('credited')).toContain(`data-reference="${credited}"`);
      expect(textOf(review.html)).not.toContain('777777');
      expect(await balance(s.ctx, a.digital_account)).toBe(0); // a review moves nothing

      const applied = await bo.post(`${up.location}/apply`);
      expect(applied.status).toBe(303);
      expect(textOf((await bo.get(up.location!)).html)).toContain('Aplicado: 2 recargas confirmadas.');
      expect(await balance(s.ctx, a.digital_account)).toBe(1_234_50);
      expect(await balance(s.ctx, b.digital_account)).toBe(80_00);
      const status = async (id: string) => (await s.ctx.store.db.selectFrom('topups').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;
      expect([await status(t1), await status(t2), await status(d1), await status(d2)]).toEqual(['confirmed', 'confirmed', 'pending', 'pending']);
      const again = await bo.post(`${up.location}/apply`);
      expect(again.status).toBe(400);
      expect(textOf(again.html)).toContain('Este estado de cuenta ya fue aplicado.');
      expect(await balance(s.ctx, a.digital_account)).toBe(1_234_50);
      const audit = await s.ctx.store.db.selectFrom('audit_log').select('details_json').where('action', '=', 'topup.import').execute();
      expect(audit).toHaveLength(1);
      expect(JSON.parse(audit[0].details_json)).toMatchObject({ matched: 2, twice: 1, amount: 1, unmatched: 1, credited: 1 });
      await verifiedOk(s.ctx);
    });

    it('refuses malformed or huge files whole, with the lines named, importing nothing', async () => {
      const z = await person(s.ctx);
      const ref = freshReference();
      await declare(s.ctx, z.payer_id, { reference: ref, amount: '20' });
      const imports = async () => (await s.ctx.store.db.selectFrom('topup_imports').select('id').execute()).length;
      const before = await imports();
      const files: [string, string | Buffer, string][] = [
        ['malformed.csv', `Referencia,Monto\n${ref},20.00\n123456,12,50,9\n`, 'Línea 3: tiene 4 columnas y el encabezado 2.'],
        ['amount.csv', `Referencia;Monto\n${ref};20,00\n555555;veinte\n`, 'Línea 3: el monto no es un número con hasta 2 decimales.'],
        ['ref.csv', `Referencia;Monto\n${ref};20,00\nABC;5,00\n`, 'Línea 3: la referencia debe tener de 4 a 20 dígitos.'],
        ['header.csv', `Fecha;Importe\n26/11/2026;20,00\n`, 'La primera fila debe nombrar las columnas'],
        ['empty.csv', 'Referencia;Monto\n', 'El archivo no tiene filas después del encabezado.'],
        ['huge.csv', Buffer.alloc(1024 * 1024 + 10, 'Referencia;Monto\n'), 'El archivo supera 1 MB'],
      ];
      await bo.get('/backoffice/topups');
      for (const [name, content, message] of files) {
        const r = await postFile(bo, '/backoffice/topups/import', 'statement', name, content);
        expect(r.status, name).toBe(400);
        expect(textOf(r.html), name).toContain(message);
      }
      expect(await imports()).toBe(before);
      expect(await balance(s.ctx, z.digital_account)).toBe(0);
    });
  });
});
