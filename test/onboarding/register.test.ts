import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer, type TestServer } from '../helpers/env.ts';
import { get } from '../helpers/http.ts';
import { issueCodes } from '../../src/onboarding/codes.service.ts';
import { WebClient, fieldError, newPerson } from './web-client.ts';

async function codes(s: TestServer): Promise<{ regular: string; commercial: string }> {
  return (await get(`${s.baseUrl}/sbx/codes.json?access_token=test-token`)).body;
}

async function userCount(s: TestServer): Promise<number> {
  const r = await s.ctx.store.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

async function codeRow(s: TestServer, code: string) {
  return s.ctx.store.db.selectFrom('affiliation_codes').selectAll().where('code', '=', code).executeTakeFirstOrThrow();
}

describe('registration in the sandbox', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await testServer();
  });
  afterAll(async () => s?.close());

  it('registers a personal account, signs it in and opens the wallet', async () => {
    const web = new WebClient(s.baseUrl);
    const form = await web.get('/register/personal');
    expect(form.status).toBe(200);
    expect(form.html).not.toContain('name="affiliationCode"');
    const person = newPerson('personal');
    const r = await web.post('/register/personal', person);
    expect(r.status, r.html.slice(0, 500)).toBe(303);
    expect(r.location).toBe('/wallet');
    const wallet = await web.get('/wallet');
    expect(wallet.status).toBe(200);
    expect(wallet.html).toContain('Ana María Rodríguez');
    expect(wallet.html).toContain(`@${person.username}`);
    const user = await s.ctx.store.db.selectFrom('users').selectAll().where('username', '=', person.username).executeTakeFirstOrThrow();
    expect(user.kind).toBe('personal');
    expect(user.affiliation_code).toBeNull();
  });

  it('registers a business with the regular code and goes to Settings > Aplicaciones oAuth', async () => {
    const { regular } = await codes(s);
    const web = new WebClient(s.baseUrl);
    await web.get('/register/business');
    const person = newPerson('business', { affiliationCode: regular });
    const r = await web.post('/register/business', person);
    expect(r.status, r.html.slice(0, 800)).toBe(303);
    expect(r.location).toBe('/settings/apps?welcome=1');
    const apps = await web.get(r.location!);
    expect(apps.status).toBe(200);
    expect(apps.html).toContain('Aplicaciones oAuth');
    const user = await s.ctx.store.db.selectFrom('users').selectAll().where('username', '=', person.username).executeTakeFirstOrThrow();
    expect(user).toMatchObject({ kind: 'business', business_name: 'Inversiones Ávila, C.A.', affiliation_code: regular });
    expect(await codeRow(s, regular)).toMatchObject({ status: 'used', used_by: user.id });
    const wallet = await s.ctx.store.db.selectFrom('digital_accounts').selectAll().where('user_id', '=', user.id).execute();
    expect(wallet.map((w) => [w.handle, w.name])).toEqual([[person.username, 'Inversiones Ávila, C.A.']]);
  });

  it('refuses a code that was already used, next to its field, and creates nothing', async () => {
    const { regular } = await codes(s);
    const first = new WebClient(s.baseUrl);
    await first.get('/register/business');
    expect((await first.post('/register/business', newPerson('business', { affiliationCode: regular }))).status).toBe(303);
    const before = await userCount(s);
    const second = new WebClient(s.baseUrl);
    await second.get('/register/business');
    const person = newPerson('business', { affiliationCode: regular });
    const r = await second.post('/register/business', person);
    expect(r.status).toBe(400);
    expect(fieldError(r.html, 'affiliationCode')).toBe('El código de afiliación ya fue utilizado.');
    expect(r.html).toContain('aria-describedby="f-affiliationCode-hint f-affiliationCode-error"');
    expect(r.html).toMatch(/id="f-affiliationCode"[^>]*autofocus/);
    expect(r.html).toContain(`value="${person.username}"`);
    expect(r.html).not.toContain(person.password);
    expect(await userCount(s)).toBe(before);
  });

  it('refuses the commercial code where the regular one is required, and keeps it available', async () => {
    const { commercial } = await codes(s);
    const web = new WebClient(s.baseUrl);
    await web.get('/register/business');
    const before = await userCount(s);
    const r = await web.post('/register/business', newPerson('business', { affiliationCode: commercial }));
    expect(r.status).toBe(400);
    expect(fieldError(r.html, 'affiliationCode')).toBe('Este código de afiliación es de tipo «commercial»; aquí se requiere uno de tipo «regular».');
    expect(await userCount(s)).toBe(before);
    expect(await codeRow(s, commercial)).toMatchObject({ status: 'available', used_by: null });
  });

  it('shows every wrong field at once, with the API messages, in Spanish or English', async () => {
    const web = new WebClient(s.baseUrl);
    await web.get('/register/business');
    const before = await userCount(s);
    const r = await web.post('/register/business', newPerson('business', { affiliationCode: 'zzzzzzzz', phone: '123', document: 'V123', pin: '12' }));
    expect(r.status).toBe(400);
    expect(fieldError(r.html, 'affiliationCode')).toBe('El código de afiliación no existe.');
    expect(fieldError(r.html, 'phone')).toBe('El teléfono debe ser 58 + 412, 414, 416, 424 o 426 + 7 dígitos.');
    expect(fieldError(r.html, 'document')).toMatch(/^El documento debe ser/);
    expect(fieldError(r.html, 'pin')).toBe('El PIN debe tener 4 dígitos.');
    expect(fieldError(r.html, 'username')).toBeUndefined();
    expect(r.html).toContain('class="error-summary" role="alert"');

    const en = new WebClient(s.baseUrl, 'en');
    await en.get('/register/business');
    const r2 = await en.post('/register/business', newPerson('business', { affiliationCode: '' }));
    expect(r2.status).toBe(400);
    expect(fieldError(r2.html, 'affiliationCode')).toBe('The affiliation code is required.');
    expect(await userCount(s)).toBe(before);
  });

  it('refuses a taken username next to its field and leaves the code unused', async () => {
    const taken = newPerson('personal');
    const first = new WebClient(s.baseUrl);
    await first.get('/register/personal');
    expect((await first.post('/register/personal', taken)).status).toBe(303);
    const { regular } = await codes(s);
    const web = new WebClient(s.baseUrl);
    await web.get('/register/business');
    const r = await web.post('/register/business', newPerson('business', { affiliationCode: regular, username: taken.username }));
    expect(r.status).toBe(400);
    expect(fieldError(r.html, 'username')).toMatch(/^Este usuario ya está registrado\./);
    expect(await codeRow(s, regular)).toMatchObject({ status: 'available', used_by: null });
  });

  it('refuses a form posted without its CSRF token and creates nothing', async () => {
    const { regular } = await codes(s);
    const web = new WebClient(s.baseUrl);
    await web.get('/register/business');
    const before = await userCount(s);
    const r = await web.post('/register/business', newPerson('business', { affiliationCode: regular }), false);
    expect(r.status).toBe(403);
    expect(await userCount(s)).toBe(before);
    expect(await codeRow(s, regular)).toMatchObject({ status: 'available' });
  });

  it('lets the same code win only once when two registrations race', async () => {
    const { regular } = await codes(s);
    const a = new WebClient(s.baseUrl);
    const b = new WebClient(s.baseUrl);
    await a.get('/register/business');
    await b.get('/register/business');
    const before = await userCount(s);
    const [ra, rb] = await Promise.all([
      a.post('/register/business', newPerson('business', { affiliationCode: regular })),
      b.post('/register/business', newPerson('business', { affiliationCode: regular })),
    ]);
    expect([ra.status, rb.status].sort()).toEqual([303, 400]);
    const users = await s.ctx.store.db.selectFrom('users').select('id').where('affiliation_code', '=', regular).execute();
    expect(users).toHaveLength(1);
    expect(await userCount(s)).toBe(before + 1);
  });
});

describe('registration in production', () => {
  let p: TestServer;
  beforeAll(async () => {
    p = await testServer({ env: 'production' });
  });
  afterAll(async () => p?.close());

  async function tryCode(code: string) {
    const web = new WebClient(p.baseUrl);
    const form = await web.get('/register/business');
    expect(form.html).not.toContain('codes.json');
    return web.post('/register/business', newPerson('business', { affiliationCode: code }));
  }

  it('refuses a regular code and a commercial code no operator issued', async () => {
    const [regularIssued, commercialLoose] = await p.ctx.store.tx(async (tx) => [
      (await issueCodes(tx, 'regular', 1, 'operator-1', p.clock.now()))[0],
      (await issueCodes(tx, 'commercial', 1, null, p.clock.now()))[0],
    ]);
    const r1 = await tryCode(regularIssued);
    expect(r1.status).toBe(400);
    expect(fieldError(r1.html, 'affiliationCode')).toBe('Este código de afiliación es de tipo «regular»; aquí se requiere uno de tipo «commercial».');
    const r2 = await tryCode(commercialLoose);
    expect(r2.status).toBe(400);
    expect(fieldError(r2.html, 'affiliationCode')).toBe('El código de afiliación no existe.');
    expect(await userCount(p)).toBe(0);
  });

  it('accepts a commercial code issued by an operator', async () => {
    const [code] = await p.ctx.store.tx((tx) => issueCodes(tx, 'commercial', 1, 'operator-1', p.clock.now()));
    const r = await tryCode(code);
    expect(r.status, r.html.slice(0, 500)).toBe(303);
    expect(r.location).toBe('/settings/apps?welcome=1');
    expect(await codeRow(p, code)).toMatchObject({ status: 'used' });
  });
});
