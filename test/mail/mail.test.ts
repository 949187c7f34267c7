import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPayer } from '../../src/sandbox/demo.ts';
import { deliverMail, STORED_BATCH } from '../../src/mail/deliver.ts';
import { MAIL_POLL_MS, mailWorker } from '../../src/mail/mail.worker.ts';
import { newId } from '../../src/shared/ids.ts';
import { mailUser } from '../../src/mail/outbox.ts';
import { executeTransfer, newConfirmationNonce } from '../../src/wallet/transfer.service.ts';
import { makeOperator } from '../backoffice/fixtures.ts';
import { fund } from '../topups/fixtures.ts';
import { sandboxMailToken } from '../../src/mail/mail.routes.ts';
import { DAY_MS, HOUR_MS } from '../../src/shared/clock.ts';
import { DIALECT, testEnv, testServer, type TestEnv, type TestServer } from '../helpers/env.ts';
import { get } from '../helpers/http.ts';
import { SmtpSink } from '../helpers/smtp.ts';

const outboxRow = (te: TestEnv, id: string) => te.ctx.store.db.selectFrom('mail_outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

describe('e-mail through a real SMTP server (production)', () => {
  let te: TestEnv;
  const smtp = new SmtpSink();

  beforeAll(async () => {
    await smtp.start();
    te = await testEnv({ env: 'production', vars: { MPANDCO_SMTP_URL: smtp.url, MPANDCO_MAIL_FROM: 'mPandco <avisos@mpandco.test>' } });
  });
  afterAll(async () => {
    await te?.close();
    await smtp.close();
  });

  it('sends the message written in the event transaction, in plain text and HTML, once', async () => {
    const p = await createPayer(te.ctx, 0, { fullName: 'Rosa Díaz' });
    const id = await te.ctx.store.tx((tx) => mailUser(tx, p.payer_id, 'topup_confirmed',
      { amountMinor: 1_234_50, reference: '998877', ref: 'T2611260000001' }, te.clock.now()));
    expect(smtp.messages).toHaveLength(0); // queued, not sent by the transaction
    expect(await deliverMail(te.ctx)).toEqual({ sent: 1, retrying: 0, failed: 0, skipped: 0, full: false });
    expect(smtp.messages).toHaveLength(1);
    const m = smtp.messages[0];
    expect(m.to).toEqual([`${p.username}@example.com`]);
    expect(m.from).toBe('avisos@mpandco.test');
    expect(m.subject).toBe('Recarga acreditada: Bs. 1.234,50');
    expect(m.text).toContain('Hola, Rosa Díaz:');
    expect(m.text).toContain('Confirmamos su recarga de Bs. 1.234,50 (referencia bancaria 998877)');
    expect(m.html).toContain('<p style="margin:0 0 12px;line-height:1.5">Hola, Rosa D');
    const row = await outboxRow(te, id!);
    expect(row).toMatchObject({ status: 'sent', transport: 'smtp', attempts: 1 });
    expect(await deliverMail(te.ctx)).toMatchObject({ sent: 0 });
    expect(smtp.messages).toHaveLength(1);
  });

  it('writes in English for a person who chose it, escaping what they typed in the HTML', async () => {
    const p = await createPayer(te.ctx, 0, { fullName: 'Ann <b>Lee</b>' });
    await te.ctx.store.autocommit.insertInto('user_preferences').values({ user_id: p.payer_id, locale: 'en', updated_at: te.clock.now() }).execute();
    await te.ctx.store.tx((tx) => mailUser(tx, p.payer_id, 'withdrawal_failed',
      { amountMinor: 10_00, returnedMinor: 11_50, account: '0134…6789', reason: 'Cuenta cerrada' }, te.clock.now()));
    smtp.messages.length = 0;
    await deliverMail(te.ctx);
    expect(smtp.messages[0].subject).toBe('Withdrawal not made');
    expect(smtp.messages[0].text).toContain('We returned Bs. 11.50 (amount and fee)');
    expect(smtp.messages[0].html).toContain('Ann &#60;b&#62;Lee&#60;/b&#62;');
    expect(smtp.messages[0].html).not.toContain('<b>Lee');
  });

  it('keeps a message as what renders it (about 150 bytes, no bodies) and sends it rendered; a message stored with its bodies goes as stored', async () => {
    const p = await createPayer(te.ctx, 0, { fullName: 'Luis Mora' });
    const id = await te.ctx.store.tx((tx) => mailUser(tx, p.payer_id, 'payment_received',
      { amountMinor: 75_00, counterpart: 'Bodega Sol', ref: 'P2612020000042' }, te.clock.now()));
    const row = await outboxRow(te, id!);
    expect({ text: row.text_body, html: row.html_body, subject: row.subject }).toEqual({ text: '', html: '', subject: 'Pago recibido: Bs. 75,00' });
    expect(JSON.parse(row.params!)).toEqual({ name: 'Luis Mora', username: p.username, amountMinor: 75_00, counterpart: 'Bodega Sol', ref: 'P2612020000042' });
    expect(row.params!.length).toBeLessThan(200);
    // A message written before the outbox kept parameters: its own text and HTML, untouched.
    const old = newId();
    await te.ctx.store.autocommit.insertInto('mail_outbox').values({
      id: old, kind: 'payment_received', user_id: p.payer_id, to_address: 'luis@example.com', locale: 'es', subject: 'Asunto guardado',
      text_body: 'Texto guardado tal cual', html_body: '<p>HTML guardado</p>', params: null, status: 'pending', transport: null,
      attempts: 0, next_attempt_at: te.clock.now(), locked_until: 0, locked_by: null, last_error: null, created_at: te.clock.now() + 1, sent_at: null,
    }).execute();
    smtp.messages.length = 0;
    expect(await deliverMail(te.ctx)).toMatchObject({ sent: 2, failed: 0 });
    const rendered = smtp.messages.find((m) => m.to[0] === `${p.username}@example.com`)!;
    expect(rendered.subject).toBe('Pago recibido: Bs. 75,00');
    expect(rendered.text).toContain('Hola, Luis Mora:');
    expect(rendered.text).toContain('Recibió Bs. 75,00 de Bodega Sol. Referencia P2612020000042.');
    expect(rendered.html).toContain('Recibió Bs. 75,00 de Bodega Sol.');
    const stored = smtp.messages.find((m) => m.to[0] === 'luis@example.com')!;
    expect({ subject: stored.subject, text: stored.text.trim(), html: stored.html.trim() }).toEqual({ subject: 'Asunto guardado', text: 'Texto guardado tal cual', html: '<p>HTML guardado</p>' });
  });

  it('with an SMTP server, a payment\'s messages wait for the delivery worker and leave by SMTP', async () => {
    const eva = await createPayer(te.ctx, 0, { fullName: 'Eva Envía' });
    const juan = await createPayer(te.ctx, 0, { fullName: 'Juan Recibe' });
    await fund(te.ctx, (await makeOperator(te.ctx, 'ops.mail')).id, eva.payer_id, '20.00');
    await deliverMail(te.ctx); // the top-up's message
    await executeTransfer(te.ctx, eva.payer_id, { recipient: juan.username, amount: '3.00', note: '' }, eva.pin, newConfirmationNonce(te.clock.now()));
    const rows = await te.ctx.store.db.selectFrom('mail_outbox').select(['kind', 'status', 'transport', 'sent_at'])
      .where('user_id', 'in', [eva.payer_id, juan.payer_id]).where('kind', 'like', 'payment%').orderBy('kind').execute();
    expect(rows).toEqual([
      { kind: 'payment_received', status: 'pending', transport: null, sent_at: null },
      { kind: 'payment_sent', status: 'pending', transport: null, sent_at: null },
    ]);
    smtp.messages.length = 0;
    expect(await deliverMail(te.ctx)).toMatchObject({ sent: 2, failed: 0 });
    expect(smtp.messages.map((m) => `${m.to[0]} ${m.subject}`).sort()).toEqual([
      `${eva.username}@example.com Pago enviado: Bs. 3,00`, `${juan.username}@example.com Pago recibido: Bs. 3,00`,
    ].sort());
  });

  it('retries a refused message with back-off and gives up after 24 hours', async () => {
    const p = await createPayer(te.ctx, 0);
    const id = await te.ctx.store.tx((tx) => mailUser(tx, p.payer_id, 'payment_sent',
      { amountMinor: 5_00, counterpart: 'Bodega', ref: 'P2611260000009' }, te.clock.now()));
    smtp.refuse = 'mailbox busy';
    try {
      expect(await deliverMail(te.ctx, { random: () => 0.5 })).toMatchObject({ retrying: 1 });
      let row = await outboxRow(te, id!);
      expect(row.status).toBe('pending');
      expect(row.last_error).toContain('mailbox busy');
      expect(Number(row.next_attempt_at)).toBe(te.clock.now() + 30_000);
      expect(await deliverMail(te.ctx)).toMatchObject({ retrying: 0, sent: 0 }); // not due yet
      te.clock.advance(DAY_MS - HOUR_MS);
      for (let i = 0; i < 3; i++) await deliverMail(te.ctx, { random: () => 1 });
      te.clock.advance(2 * HOUR_MS);
      expect(await deliverMail(te.ctx)).toMatchObject({ failed: 1 });
      row = await outboxRow(te, id!);
      expect(row.status).toBe('failed');
    } finally {
      smtp.refuse = undefined;
    }
  });
});

describe('the sandbox keeps its e-mail on the "Correo" page', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await testServer({ vars: { MPANDCO_SMTP_URL: 'smtp://127.0.0.1:9' } });
  });
  afterAll(async () => s?.close());

  it('stores each message (never SMTP, whatever is set) and shows it behind its own token', async () => {
    expect(s.ctx.config.mail.smtpUrl).toBeUndefined();
    const p = await createPayer(s.ctx, 0);
    const id = await s.ctx.store.tx((tx) => mailUser(tx, p.payer_id, 'password_reset',
      { url: 'http://localhost/reset-password?token=abc', minutes: 30 }, s.clock.now()));
    expect(await deliverMail(s.ctx)).toMatchObject({ sent: 1 });
    expect(await outboxRow(s, id!)).toMatchObject({ status: 'sent', transport: 'stored' });

    const token = sandboxMailToken(s.ctx);
    expect(token).not.toBe(s.ctx.secrets.sandboxToken);
    expect((await get(`${s.baseUrl}/sbx/mail`)).status).toBe(404);
    expect((await get(`${s.baseUrl}/sbx/mail?access_token=${s.ctx.secrets.sandboxToken}`)).status).toBe(404);
    const list = await get(`${s.baseUrl}/sbx/mail?access_token=${token}`, { accept: 'text/html' });
    expect(list.status).toBe(200);
    expect(list.text).toContain('Restablezca su contraseña de mPandco');
    expect(list.text).toContain(`${p.username}@example.com`);
    const one = await get(`${s.baseUrl}/sbx/mail/${id}?access_token=${token}`, { accept: 'text/html' });
    expect(one.text).toContain('<a href="http://localhost/reset-password?token=abc">');
    const html = await get(`${s.baseUrl}/sbx/mail/${id}/html?access_token=${token}`);
    expect(html.headers.get('content-security-policy')).toContain('sandbox');
    expect(html.text).toContain('Elegir una contraseña nueva');
  });
});

describe('workers of several processes keep the sandbox\'s e-mail once each', () => {
  let te: TestEnv;
  beforeAll(async () => {
    te = await testEnv({ schemaPrefix: `t_mail_${process.pid}` });
  });
  afterAll(async () => te?.close());

  // Two passes that mark the same messages in different orders would deadlock on PostgreSQL;
  // a pass skips the rows another holds instead of waiting for them.
  it('two passes at once keep each message once; on PostgreSQL a pass skips what another holds, without waiting', async () => {
    const p = await createPayer(te.ctx, 0);
    const ids: string[] = [];
    for (const minutes of [10, 20, 30]) {
      ids.push((await te.ctx.store.tx((tx) => mailUser(tx, p.payer_id, 'password_reset', { url: 'http://localhost/r', minutes }, te.clock.now())))!);
    }
    let left = ids.length;
    if (DIALECT === 'postgres') {
      const other = new pg.Client({ connectionString: process.env.DATABASE_URL, options: `-c search_path="t_mail_${process.pid}_sandbox"` });
      await other.connect();
      try {
        await other.query('begin');
        await other.query('select id from mail_outbox where id = $1 for update', [ids[1]]);
        const pass = await Promise.race([
          deliverMail(te.ctx),
          new Promise((resolve) => setTimeout(() => resolve('waited'), 3_000)),
        ]);
        expect(pass).toMatchObject({ sent: 2 });
        await other.query('commit');
      } finally {
        await other.end();
      }
      left = 1;
    }
    const passes = await Promise.all([deliverMail(te.ctx), deliverMail(te.ctx)]);
    expect(passes[0].sent + passes[1].sent).toBe(left);
    for (const id of ids) expect(await outboxRow(te, id)).toMatchObject({ status: 'sent', transport: 'stored', attempts: 1 });
  });
});

describe('a backlog of e-mail drains batch after batch', () => {
  let te: TestEnv;
  beforeAll(async () => {
    te = await testEnv();
  });
  afterAll(async () => te?.close());

  const pending = async () => Number((await te.ctx.store.db.selectFrom('mail_outbox').select((eb) => eb.fn.countAll().as('n'))
    .where('status', '=', 'pending').executeTakeFirstOrThrow()).n);

  it('a pass says when it took a whole batch, and the worker then passes again without waiting its interval', async () => {
    // Under load the payments write two messages each, far more than one batch a second.
    const count = 12 * STORED_BATCH + 7;
    const now = te.clock.now();
    await te.ctx.store.tx(async (tx) => {
      for (let i = 0; i < count; i += 500) {
        await tx.insertInto('mail_outbox').values(Array.from({ length: Math.min(500, count - i) }, () => ({
          id: newId(), kind: 'test', user_id: null, to_address: 'a@example.com', locale: 'es' as const, subject: 'Prueba',
          text_body: 'Hola', html_body: '<p>Hola</p>', next_attempt_at: now, created_at: now, status: 'pending' as const, attempts: 0, locked_until: 0,
        }))).execute();
      }
    });
    expect(await deliverMail(te.ctx, { limit: 1000 })).toMatchObject({ sent: 1000, full: true });
    expect(await deliverMail(te.ctx, { limit: 6 })).toMatchObject({ sent: 6, full: true });
    expect(await pending()).toBe(count - 1006);

    // 11 more batches are due: at one pass a second they would take 11 seconds.
    const started = Date.now();
    const stop = mailWorker(te.ctx);
    try {
      while ((await pending()) > 0 && Date.now() - started < 4 * MAIL_POLL_MS) await new Promise((r) => setTimeout(r, 20));
    } finally {
      await stop();
    }
    expect(await pending()).toBe(0);
    expect(Date.now() - started).toBeLessThan(4 * MAIL_POLL_MS);
    // The last pass found less than a batch: nothing more is due, and a pass says so.
    expect(await deliverMail(te.ctx)).toEqual({ sent: 0, retrying: 0, failed: 0, skipped: 0, full: false });
  });
});
