import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPayer, type PayerCreds } from '../../src/sandbox/demo.ts';
import { MINUTE_MS } from '../../src/shared/clock.ts';
import { testServer, type TestServer } from '../helpers/env.ts';
import { WebClient } from '../helpers/web.ts';

describe('web sign-in', () => {
  let s: TestServer;
  let payer: PayerCreds;
  beforeAll(async () => {
    s = await testServer();
    payer = await createPayer(s.ctx, 123_45);
  });
  afterAll(async () => s.close());

  it.each([
    ['username', () => payer.username],
    ['phone', () => payer.phone],
    ['identity document', () => payer.document],
  ])('signs in with the %s and shows the balance', async (_what, login) => {
    const web = new WebClient(s.baseUrl);
    const r = await web.signIn(login(), payer.password);
    expect(r.status).toBe(303);
    expect(r.location).toBe('/wallet');
    const wallet = await web.get('/wallet');
    expect(wallet.status).toBe(200);
    expect(wallet.html).toContain('Bs. 123,45');
    expect(wallet.html).toContain('Saldo disponible');
  });

  it('sends anonymous visitors of the wallet to the sign-in page', async () => {
    const r = await new WebClient(s.baseUrl).get('/wallet');
    expect(r.status).toBe(303);
    expect(r.location).toBe('/login?next=%2Fwallet');
  });

  it('refuses a wrong password without saying which part was wrong', async () => {
    const r = await new WebClient(s.baseUrl).signIn(payer.username, 'wrong-password1');
    expect(r.status).toBe(401);
    expect(r.html).toContain('Usuario o contraseña incorrectos.');
  });

  it('refuses a form posted without its CSRF token', async () => {
    const web = new WebClient(s.baseUrl);
    await web.get('/login');
    const r = await web.post('/login', { login: payer.username, password: payer.password }, { noCsrf: true });
    expect(r.status).toBe(403);
    expect(r.location).toBeNull();
  });

  it('locks the account after five failures, for fifteen minutes of the clock', async () => {
    const victim = await createPayer(s.ctx, 0);
    const web = new WebClient(s.baseUrl);
    for (let i = 0; i < 5; i++) expect((await web.signIn(victim.username, 'nope-nope-1')).status).toBe(401);
    const locked = await web.signIn(victim.username, victim.password);
    expect(locked.status).toBe(401);
    expect(locked.html).toContain('Demasiados intentos fallidos');
    s.clock.advance(15 * MINUTE_MS + 1);
    const ok = await web.signIn(victim.username, victim.password);
    expect(ok.status).toBe(303);
  });

  it('signs out and ends the session', async () => {
    const web = new WebClient(s.baseUrl);
    await web.signIn(payer.username, payer.password);
    const out = await web.post('/logout', {}, { csrfFrom: '/wallet' });
    expect(out.status).toBe(303);
    expect((await web.get('/wallet')).status).toBe(303);
  });

  it('speaks English when asked, and only redirects to local paths after sign-in', async () => {
    const web = new WebClient(s.baseUrl);
    const lang = await web.get('/lang/en?next=/login');
    expect(lang.location).toBe('/login');
    const page = await web.get('/login');
    expect(page.html).toContain('Sign in');
    expect(page.html).toContain('lang="en"');
    const r = await web.post('/login', { login: payer.username, password: payer.password, next: '//evil.example/' }, { csrfFrom: '/login' });
    expect(r.location).toBe('/wallet');
  });
});
