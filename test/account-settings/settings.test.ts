import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPin } from '../../src/accounts/accounts.service.ts';
import { createMerchant, createPayer, type PayerCreds } from '../../src/sandbox/demo.ts';
import { mailUser } from '../../src/mail/outbox.ts';
import { testServer, type TestServer } from '../helpers/env.ts';
import { WebClient } from '../helpers/web.ts';

describe('account settings: password, PIN, profile and sessions', () => {
  let s: TestServer;
  let p: PayerCreds;

  beforeAll(async () => {
    s = await testServer({ env: 'production' });
    p = await createPayer(s.ctx, 0, { fullName: 'Carlos Mora', pin: '1357' });
  });
  afterAll(async () => s?.close());

  const signedIn = async (password = p.password) => {
    const web = new WebClient(s.baseUrl);
    expect((await web.signIn(p.username, password)).status).toBe(303);
    return web;
  };
  const user = () => s.ctx.store.db.selectFrom('users').selectAll().where('id', '=', p.payer_id).executeTakeFirstOrThrow();

  it('asks for sign-in first', async () => {
    for (const path of ['/settings/profile', '/settings/password']) {
      const r = await new WebClient(s.baseUrl).get(path);
      expect(r.status).toBe(303);
      expect(r.location).toBe(`/login?next=${encodeURIComponent(path)}`);
    }
  });

  it('changes the password only with the current one, and signs out the other sessions, not this one', async () => {
    const phone = await signedIn();
    const laptop = await signedIn();
    const page = await laptop.get('/settings/password');
    expect(page.html.match(/<li>/g)?.length).toBe(2);
    expect(page.html).toContain('Esta sesión');

    const wrong = await laptop.post('/settings/password', { currentPassword: 'NoEsLaClave1', newPassword: 'ClaveNueva2026', confirmPassword: 'ClaveNueva2026' });
    expect(wrong.status).toBe(400);
    expect(wrong.html).toContain('La contraseña actual no es correcta.');
    const mismatch = await laptop.post('/settings/password', { currentPassword: p.password, newPassword: 'ClaveNueva2026', confirmPassword: 'ClaveNueva2027' });
    expect(mismatch.html).toContain('Las dos entradas no coinciden.');
    expect((await phone.get('/wallet')).status).toBe(200); // nothing changed yet

    const ok = await laptop.post('/settings/password', { currentPassword: p.password, newPassword: 'ClaveNueva2026', confirmPassword: 'ClaveNueva2026' });
    expect(ok.status).toBe(303);
    expect(ok.location).toBe('/settings/password?done=password');
    expect((await laptop.get(ok.location!)).html).toContain('Contraseña cambiada. Sus otras sesiones se cerraron.');
    expect((await phone.get('/wallet')).status).toBe(303);
    expect((await laptop.get('/wallet')).status).toBe(200);
    p = { ...p, password: 'ClaveNueva2026' };
    expect((await new WebClient(s.baseUrl).signIn(p.username, 'ClaveNueva2026')).status).toBe(303);
  });

  it('changes the PIN with the password, lifting a PIN lock-out', async () => {
    await s.ctx.store.autocommit.updateTable('users').set({ pin_locked_until: s.clock.now() + 600_000 }).where('id', '=', p.payer_id).execute();
    const web = await signedIn();
    const noPassword = await web.post('/settings/pin', { password: '', newPin: '2468', confirmPin: '2468' }, { csrfFrom: '/settings/password' });
    expect(noPassword.status).toBe(400);
    expect(noPassword.html).toContain('La contraseña actual no es correcta.');
    const badPin = await web.post('/settings/pin', { password: p.password, newPin: '24a8', confirmPin: '24a8' }, { csrfFrom: '/settings/password' });
    expect(badPin.html).toContain('El PIN debe tener 4 dígitos.');
    expect(await checkPin(s.ctx.store.autocommit, p.payer_id, '2468', s.clock.now())).toMatchObject({ ok: false, reason: 'locked' });
    const ok = await web.post('/settings/pin', { password: p.password, newPin: '2468', confirmPin: '2468' }, { csrfFrom: '/settings/password' });
    expect(ok.location).toBe('/settings/password?done=pin');
    expect(await checkPin(s.ctx.store.autocommit, p.payer_id, '1357', s.clock.now())).toMatchObject({ ok: false, reason: 'wrong' });
    expect(await checkPin(s.ctx.store.autocommit, p.payer_id, '2468', s.clock.now())).toEqual({ ok: true });
  });

  it('edits name, phone and e-mail language; a new e-mail address needs the password; a taken phone is refused', async () => {
    const other = await createPayer(s.ctx, 0);
    const web = await signedIn();
    const page = await web.get('/settings/profile');
    expect(page.html).toContain(`value="${p.username}@example.com"`);
    expect(page.html).toContain(p.document);

    const base = { fullName: 'Carlos A. Mora', email: `${p.username}@example.com`, phone: '0414-555.1234', locale: 'en', password: '' };
    const taken = await web.post('/settings/profile', { ...base, phone: other.phone });
    expect(taken.status).toBe(400);
    expect(taken.html).toContain('Este teléfono ya está registrado.');
    const newMail = await web.post('/settings/profile', { ...base, email: 'carlos@nuevo.example' });
    expect(newMail.status).toBe(400);
    expect(newMail.html).toContain('La contraseña actual no es correcta.');
    expect((await user()).email).toBe(`${p.username}@example.com`);

    const ok = await web.post('/settings/profile', { ...base, email: 'Carlos@Nuevo.example', password: p.password });
    expect(ok.status).toBe(303);
    expect(ok.location).toBe('/settings/profile?saved=1');
    expect(await user()).toMatchObject({ full_name: 'Carlos A. Mora', email: 'carlos@nuevo.example', phone: '584145551234' });
    // The chosen language is the language of the person's e-mail from now on.
    await s.ctx.store.tx((tx) => mailUser(tx, p.payer_id, 'topup_refused', { amountMinor: 100, reference: '1', reason: 'x' }, s.clock.now()));
    const mail = await s.ctx.store.db.selectFrom('mail_outbox').select(['subject', 'to_address']).where('user_id', '=', p.payer_id).executeTakeFirstOrThrow();
    expect(mail).toEqual({ subject: 'Top-up not credited', to_address: 'carlos@nuevo.example' });
  });

  it('shows business data to a business, read-only', async () => {
    const m = await createMerchant(s.ctx, { businessName: 'Ferretería El Tornillo, C.A.' });
    const web = new WebClient(s.baseUrl);
    await web.signIn(m.username, m.password);
    const page = await web.get('/settings/profile');
    expect(page.html).toContain('Datos de la empresa');
    expect(page.html).toContain('Ferretería El Tornillo, C.A.');
    expect(page.html).toContain('Representante legal');
  });

  it('ends one session, or all of them with "Cerrar sesión en todos"', async () => {
    const a = await signedIn();
    const b = await signedIn();
    const list = await b.get('/settings/password');
    const hashes = [...list.html.matchAll(/name="session" value="([0-9a-f]{64})"/g)].map((m) => m[1]);
    expect(hashes.length).toBeGreaterThanOrEqual(2);
    // Someone else's session hash ends nothing of theirs.
    const stranger = await createPayer(s.ctx, 0);
    const sw = new WebClient(s.baseUrl);
    await sw.signIn(stranger.username, stranger.password);
    await sw.post('/settings/sessions/end', { session: hashes[0] }, { csrfFrom: '/settings/password' });
    expect((await a.get('/wallet')).status).toBe(200);
    expect((await b.get('/wallet')).status).toBe(200);

    const all = await b.post('/settings/sessions/end-all', {}, { csrfFrom: '/settings/password' });
    expect(all.status).toBe(303);
    expect(all.location).toBe('/login?out=1');
    expect((await a.get('/wallet')).status).toBe(303);
    expect((await b.get('/wallet')).status).toBe(303);
    expect((await sw.get('/wallet')).status).toBe(200);
  });
});
