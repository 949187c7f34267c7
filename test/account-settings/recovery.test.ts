import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPayer, type PayerCreds } from '../../src/sandbox/demo.ts';
import { deliverMail } from '../../src/mail/deliver.ts';
import { requestPasswordReset, RESETS_PER_HOUR } from '../../src/account-settings/recovery.service.ts';
import { MINUTE_MS } from '../../src/shared/clock.ts';
import { testServer, type TestServer } from '../helpers/env.ts';
import { SmtpSink } from '../helpers/smtp.ts';
import { WebClient } from '../helpers/web.ts';

// The whole way back into an account: the form, a real SMTP server receiving the link,
// the link working once, and expiring.

describe('password reset by an e-mailed link (production, real SMTP)', () => {
  let s: TestServer;
  let p: PayerCreds;
  const smtp = new SmtpSink();

  beforeAll(async () => {
    await smtp.start();
    s = await testServer({ env: 'production', vars: { MPANDCO_SMTP_URL: smtp.url } });
    p = await createPayer(s.ctx, 0, { fullName: 'Luisa Rivas' });
  });
  afterAll(async () => {
    await s?.close();
    await smtp.close();
  });

  const linkIn = (text: string) => {
    const m = /(http:\/\/127\.0\.0\.1:\d+\/reset-password\?token=[A-Za-z0-9_-]+)/.exec(text);
    if (!m) throw new Error(`no reset link in: ${text}`);
    return m[1];
  };
  const resetsOf = async (userId: string) => (await s.ctx.store.db.selectFrom('password_resets').select('token_hash')
    .where('user_id', '=', userId).execute()).length;

  async function ask(email: string): Promise<string> {
    const web = new WebClient(s.baseUrl);
    const r = await web.post('/forgot-password', { email });
    expect(r.status).toBe(303);
    expect(r.location).toBe('/forgot-password/sent');
    return (await web.get(r.location!)).html;
  }

  it('answers alike for an unknown address, and mails nothing for it', async () => {
    smtp.messages.length = 0;
    const page = await ask('nadie@example.com');
    expect(page).toContain('Si nadie@example.com corresponde a una cuenta');
    expect(await deliverMail(s.ctx)).toMatchObject({ sent: 0 });
    expect(smtp.messages).toHaveLength(0);
  });

  it('mails a link that sets a new password once, signs out every session, and then no longer works', async () => {
    const earlier = new WebClient(s.baseUrl);
    expect((await earlier.signIn(p.username, p.password)).status).toBe(303);
    expect((await earlier.get('/wallet')).status).toBe(200);

    smtp.messages.length = 0;
    const page = await ask(`  ${p.username.toUpperCase()}@Example.com `);
    expect(page).toContain(`Si ${p.username}@example.com corresponde a una cuenta`);
    expect(await deliverMail(s.ctx)).toMatchObject({ sent: 1 });
    expect(smtp.messages).toHaveLength(1);
    const mail = smtp.messages[0];
    expect(mail.to).toEqual([`${p.username}@example.com`]);
    expect(mail.subject).toBe('Restablezca su contraseña de mPandco');
    expect(mail.text).toContain('vence en 30 minutos');
    const link = linkIn(mail.text);
    expect(mail.html).toContain(`href="${link}"`);

    const web = new WebClient(s.baseUrl);
    const form = await web.get(link.slice(s.baseUrl.length));
    expect(form.status).toBe(200);
    const token = new URL(link).searchParams.get('token')!;
    const weak = await web.post('/reset-password', { token, newPassword: 'corta', confirmPassword: 'corta' }, { csrfFrom: link.slice(s.baseUrl.length) });
    expect(weak.status).toBe(400);
    expect(weak.html).toContain('La contraseña debe tener al menos 8 caracteres');
    const done = await web.post('/reset-password', { token, newPassword: 'NuevaClave2026', confirmPassword: 'NuevaClave2026' }, { csrfFrom: link.slice(s.baseUrl.length) });
    expect(done.status).toBe(303);
    expect(done.location).toBe('/reset-password/done');

    expect((await earlier.get('/wallet')).status).toBe(303); // signed out
    expect((await new WebClient(s.baseUrl).signIn(p.username, p.password)).status).toBe(401);
    expect((await new WebClient(s.baseUrl).signIn(p.username, 'NuevaClave2026')).status).toBe(303);

    const again = await web.get(link.slice(s.baseUrl.length));
    expect(again.status).toBe(410);
    expect(again.html).toContain('Este enlace ya no sirve');
    const replay = await web.post('/reset-password', { token, newPassword: 'OtraClave2026', confirmPassword: 'OtraClave2026' }, { csrfFrom: '/forgot-password' });
    expect(replay.status).toBe(410);
    expect((await new WebClient(s.baseUrl).signIn(p.username, 'OtraClave2026')).status).toBe(401);
  });

  it('expires after 30 minutes', async () => {
    smtp.messages.length = 0;
    await ask(`${p.username}@example.com`);
    await deliverMail(s.ctx);
    const link = linkIn(smtp.messages[0].text);
    const path = link.slice(s.baseUrl.length);
    const web = new WebClient(s.baseUrl);
    s.clock.advance(29 * MINUTE_MS);
    expect((await web.get(path)).status).toBe(200);
    s.clock.advance(2 * MINUTE_MS);
    expect((await web.get(path)).status).toBe(410);
    const token = new URL(link).searchParams.get('token')!;
    const late = await web.post('/reset-password', { token, newPassword: 'TardeClave2026', confirmPassword: 'TardeClave2026' }, { csrfFrom: '/forgot-password' });
    expect(late.status).toBe(410);
    expect((await new WebClient(s.baseUrl).signIn(p.username, 'NuevaClave2026')).status).toBe(303);
  });

  it(`sends at most ${RESETS_PER_HOUR} links an hour to one account, still answering alike`, async () => {
    const q = await createPayer(s.ctx, 0);
    for (let i = 0; i < RESETS_PER_HOUR + 2; i++) await requestPasswordReset(s.ctx, `${q.username}@example.com`);
    expect(await resetsOf(q.payer_id)).toBe(RESETS_PER_HOUR);
    s.clock.advance(61 * MINUTE_MS);
    await requestPasswordReset(s.ctx, `${q.username}@example.com`);
    expect(await resetsOf(q.payer_id)).toBe(RESETS_PER_HOUR + 1);
  });
});

describe('the forgot-password form is rate limited per client', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await testServer({ env: 'production' });
  });
  afterAll(async () => s?.close());

  it('refuses the sixth request in 15 minutes with 429, whatever address it names', async () => {
    const web = new WebClient(s.baseUrl);
    for (let i = 0; i < 5; i++) expect((await web.post('/forgot-password', { email: `x${i}@example.com` })).status).toBe(303);
    const sixth = await web.post('/forgot-password', { email: 'x9@example.com' });
    expect(sixth.status).toBe(429);
    expect(await s.ctx.store.db.selectFrom('password_resets').select('token_hash').execute()).toEqual([]);
  });
});
