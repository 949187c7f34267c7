import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer, type TestServer } from '../helpers/env.ts';
import { createPayer, type PayerCreds } from '../../src/sandbox/demo.ts';
import { MINUTE_MS } from '../../src/shared/clock.ts';
import { WebClient, fieldError } from '../onboarding/web-client.ts';

async function balance(s: TestServer, handle: string): Promise<number> {
  const r = await s.ctx.store.db.selectFrom('digital_accounts').select('balance_minor').where('handle', '=', handle).executeTakeFirstOrThrow();
  return Number(r.balance_minor);
}

async function entries(s: TestServer): Promise<number> {
  const r = await s.ctx.store.db.selectFrom('ledger_entries').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

const nonceOf = (html: string) => /name="nonce" value="([^"]+)"/.exec(html)?.[1];

describe('the wallet: sending money', () => {
  let s: TestServer;
  let maria: PayerCreds;
  let pedro: PayerCreds;
  let web: WebClient;

  beforeAll(async () => {
    s = await testServer();
    maria = await createPayer(s.ctx, 1_000_00, { pin: '2468' });
    pedro = await createPayer(s.ctx, 50_00);
    web = new WebClient(s.baseUrl);
    await web.signIn(maria.username, maria.password);
  });
  afterAll(async () => s?.close());

  async function review(fields: Record<string, string>) {
    await web.get('/wallet/send');
    return web.post('/wallet/send/review', { note: '', ...fields });
  }

  it('sends to a phone number after a confirmation with the PIN, once', async () => {
    const wallet = await web.get('/wallet');
    expect(wallet.html).toContain('href="/wallet/send"');
    const r = await review({ recipient: pedro.phone, amount: '125,50', note: 'Almuerzo' });
    expect(r.status).toBe(200);
    expect(r.html).toContain(`@${pedro.digital_account}`);
    expect(r.html).toContain('Bs. 125,50');
    const nonce = nonceOf(r.html)!;
    expect(nonce).toBeTruthy();
    const sent = await web.post('/wallet/send', { recipient: pedro.phone, amount: '125,50', note: 'Almuerzo', nonce, pin: '2468' });
    expect(sent.status, sent.html.slice(0, 300)).toBe(303);
    expect(await balance(s, maria.digital_account)).toBe(1_000_00 - 125_50);
    expect(await balance(s, pedro.digital_account)).toBe(50_00 + 125_50);
    const done = await web.get(sent.location!);
    expect(done.status).toBe(200);
    const ref = /id="sent-ref">([^<]+)</.exec(done.html)![1];
    expect(ref).toMatch(/^P\d{13}$/);
    const entry = await s.ctx.store.db.selectFrom('ledger_entries').selectAll().where('ref', '=', ref).executeTakeFirstOrThrow();
    expect(entry.kind).toBe('transfer');
    expect(entry.description).toBe(`@${maria.digital_account} → @${pedro.digital_account}: Almuerzo`);

    // The same confirmation again (a refresh, a double click): no second movement.
    const count = await entries(s);
    const again = await web.post('/wallet/send', { recipient: pedro.phone, amount: '125,50', note: 'Almuerzo', nonce, pin: '2468' });
    expect(again.status).toBe(303);
    expect(again.location).toBe(sent.location);
    expect(await entries(s)).toBe(count);
    expect(await balance(s, maria.digital_account)).toBe(1_000_00 - 125_50);
  });

  it('finds the recipient by username or identity document too', async () => {
    const byUser = await review({ recipient: pedro.username, amount: '1' });
    expect(byUser.html).toContain(`@${pedro.digital_account}`);
    const byDoc = await review({ recipient: pedro.document, amount: '1' });
    expect(byDoc.status).toBe(200);
    expect(byDoc.html).toContain(`@${pedro.digital_account}`);
  });

  it('refuses a wrong PIN next to the PIN field and moves nothing', async () => {
    const before = [await balance(s, maria.digital_account), await balance(s, pedro.digital_account), await entries(s)];
    const r = await review({ recipient: pedro.username, amount: '10' });
    const nonce = nonceOf(r.html)!;
    const wrong = await web.post('/wallet/send', { recipient: pedro.username, amount: '10', note: '', nonce, pin: '0000' });
    expect(wrong.status).toBe(400);
    expect(fieldError(wrong.html, 'pin')).toBe('El PIN es incorrecto.');
    expect(nonceOf(wrong.html)).toBe(nonce);
    expect([await balance(s, maria.digital_account), await balance(s, pedro.digital_account), await entries(s)]).toEqual(before);
    // The right PIN on the same confirmation still works afterwards.
    const ok = await web.post('/wallet/send', { recipient: pedro.username, amount: '10', note: '', nonce, pin: '2468' });
    expect(ok.status).toBe(303);
    expect(await balance(s, maria.digital_account)).toBe(before[0] - 10_00);
  });

  it('refuses more than the balance, at review and at confirmation, and moves nothing', async () => {
    const have = await balance(s, maria.digital_account);
    const before = [have, await balance(s, pedro.digital_account), await entries(s)];
    const r = await review({ recipient: pedro.username, amount: String(have / 100 + 0.01) });
    expect(r.status).toBe(400);
    expect(fieldError(r.html, 'amount')).toBe('Saldo insuficiente para realizar este pago.');
    // A confirmation built for an amount the balance no longer covers.
    const ok = await review({ recipient: pedro.username, amount: '5' });
    const nonce = nonceOf(ok.html)!;
    const tooMuch = await web.post('/wallet/send', { recipient: pedro.username, amount: '999999', note: '', nonce, pin: '2468' });
    expect(tooMuch.status).toBe(400);
    expect(fieldError(tooMuch.html, 'amount')).toBe('Saldo insuficiente para realizar este pago.');
    expect([await balance(s, maria.digital_account), await balance(s, pedro.digital_account), await entries(s)]).toEqual(before);
  });

  it('refuses an unknown recipient, oneself, zero, three decimals, each next to its field', async () => {
    const before = await entries(s);
    const unknown = await review({ recipient: 'nadie_en_mpandco', amount: '1' });
    expect(fieldError(unknown.html, 'recipient')).toBe('No se encontró el usuario indicado.');
    const self = await review({ recipient: maria.document, amount: '1' });
    expect(fieldError(self.html, 'recipient')).toBe('No puede enviarse dinero a sí mismo.');
    const zero = await review({ recipient: pedro.username, amount: '0' });
    expect(fieldError(zero.html, 'amount')).toBe('El monto debe ser mayor que cero.');
    const negative = await review({ recipient: pedro.username, amount: '-5' });
    expect(fieldError(negative.html, 'amount')).toBe('El monto debe ser mayor que cero.');
    const decimals = await review({ recipient: pedro.username, amount: '1.005' });
    expect(fieldError(decimals.html, 'amount')).toBe('El monto admite como máximo 2 decimales.');
    const words = await review({ recipient: '', amount: 'diez' });
    expect(fieldError(words.html, 'recipient')).toBe('Indique el destinatario.');
    expect(fieldError(words.html, 'amount')).toBe('El monto debe ser un número.');
    // Posting straight to the confirmation with the same faults is refused the same way.
    const direct = await web.post('/wallet/send', { recipient: maria.username, amount: '1.001', note: '', nonce: 'n'.repeat(32), pin: '2468' });
    expect(direct.status).toBe(400);
    expect(fieldError(direct.html, 'recipient')).toBe('No puede enviarse dinero a sí mismo.');
    expect(fieldError(direct.html, 'amount')).toBe('El monto admite como máximo 2 decimales.');
    expect(await entries(s)).toBe(before);
  });

  it('refuses a confirmation page sent again after an hour, long before its nonce is forgotten', async () => {
    const before = await entries(s);
    const ok = await review({ recipient: pedro.username, amount: '1' });
    const nonce = nonceOf(ok.html)!;
    s.clock.advance(60 * 60 * 1000 + 1);
    const late = await web.post('/wallet/send', { recipient: pedro.username, amount: '1', note: '', nonce, pin: '2468' });
    expect(late.status).toBe(400);
    expect(late.html).toContain('El formulario expiró. Revise los datos y confirme de nuevo.');
    // A forged stamp far in the future is refused the same way.
    const future = await web.post('/wallet/send', { recipient: pedro.username, amount: '1', note: '', nonce: `zzzzzzzzz${'n'.repeat(32)}`, pin: '2468' });
    expect(future.status).toBe(400);
    expect(future.html).toContain('El formulario expiró.');
    expect(await entries(s)).toBe(before);
  });

  it('refuses a confirmation without its CSRF token or its nonce', async () => {
    const before = await entries(s);
    const r = await review({ recipient: pedro.username, amount: '1' });
    const nonce = nonceOf(r.html)!;
    const noCsrf = await web.post('/wallet/send', { recipient: pedro.username, amount: '1', note: '', nonce, pin: '2468' }, false);
    expect(noCsrf.status).toBe(403);
    await web.get('/wallet/send');
    const noNonce = await web.post('/wallet/send', { recipient: pedro.username, amount: '1', note: '', pin: '2468' });
    expect(noNonce.status).toBe(400);
    expect(noNonce.html).toContain('El formulario expiró.');
    expect(await entries(s)).toBe(before);
  });

  it('locks the PIN for 15 minutes after 5 wrong tries', async () => {
    const payer = await createPayer(s.ctx, 100_00, { pin: '1357' });
    const client = new WebClient(s.baseUrl);
    await client.signIn(payer.username, payer.password);
    await client.get('/wallet/send');
    const r = await client.post('/wallet/send/review', { recipient: pedro.username, amount: '1', note: '' });
    const nonce = nonceOf(r.html)!;
    const attempt = (pin: string) => client.post('/wallet/send', { recipient: pedro.username, amount: '1', note: '', nonce, pin });
    for (let i = 0; i < 4; i++) expect(fieldError((await attempt('0000')).html, 'pin')).toBe('El PIN es incorrecto.');
    expect(fieldError((await attempt('0000')).html, 'pin')).toMatch(/bloqueado/);
    const locked = await attempt('1357');
    expect(locked.status).toBe(400);
    expect(fieldError(locked.html, 'pin')).toMatch(/^El PIN está bloqueado por demasiados intentos fallidos\. Intente de nuevo en 15 minutos\.$/);
    expect(await balance(s, payer.digital_account)).toBe(100_00);
    s.clock.advance(15 * MINUTE_MS + 1);
    const after = await attempt('1357');
    expect(after.status).toBe(303);
    expect(await balance(s, payer.digital_account)).toBe(99_00);
  });
});

describe('the wallet: test funds', () => {
  let s: TestServer;
  let prod: TestServer;
  beforeAll(async () => {
    s = await testServer();
    prod = await testServer({ env: 'production' });
  });
  afterAll(async () => {
    await s?.close();
    await prod?.close();
  });

  it('adds test funds in the sandbox, up to the maximum per operation', async () => {
    const payer = await createPayer(s.ctx, 0);
    const web = new WebClient(s.baseUrl);
    await web.signIn(payer.username, payer.password);
    const wallet = await web.get('/wallet');
    expect(wallet.html).toContain('href="/wallet/test-funds"');
    await web.get('/wallet/test-funds');
    const r = await web.post('/wallet/test-funds', { amount: '1000000' });
    expect(r.status).toBe(303);
    expect(r.location).toMatch(/^\/wallet\?funded=P\d{13}$/);
    const page = await web.get(r.location!);
    expect(page.html).toContain('Fondos de prueba agregados.');
    expect(await balance(s, payer.digital_account)).toBe(1_000_000_00);
    const tooMuch = await web.post('/wallet/test-funds', { amount: '1000000.01' });
    expect(tooMuch.status).toBe(400);
    expect(fieldError(tooMuch.html, 'amount')).toBe('El máximo por operación es Bs. 1.000.000,00.');
    const decimals = await web.post('/wallet/test-funds', { amount: '10.999' });
    expect(fieldError(decimals.html, 'amount')).toBe('El monto admite como máximo 2 decimales.');
    expect(await balance(s, payer.digital_account)).toBe(1_000_000_00);
  });

  it('does not exist in production', async () => {
    const payer = await createPayer(prod.ctx, 0);
    const web = new WebClient(prod.baseUrl);
    await web.signIn(payer.username, payer.password);
    const wallet = await web.get('/wallet');
    expect(wallet.status).toBe(200);
    expect(wallet.html).not.toContain('test-funds');
    expect((await web.get('/wallet/test-funds')).status).toBe(404);
    const r = await web.post('/wallet/test-funds', { amount: '100' });
    expect(r.status).toBe(404);
    expect(await balance(prod, payer.digital_account)).toBe(0);
  });
});
