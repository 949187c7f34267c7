import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer, type TestServer } from '../helpers/env.ts';
import { sha256 } from '../../src/shared/ids.ts';
import { issueTokens } from '../../src/oauth/tokens.ts';
import { createPayer } from '../../src/sandbox/demo.ts';
import { WebClient, fieldError, signedUpBusiness } from '../onboarding/web-client.ts';
import { makePng } from '../helpers/png.ts';

function appFields(web: WebClient, html: string, extra: Record<string, string> = {}): Record<string, string> {
  const account = /<option value="([^"]+)"/.exec(html)![1];
  return {
    name: 'Tienda Ávila', description: 'Tienda en línea de víveres', homeUrl: 'https://tienda.example.com.ve',
    receivingAccount: account, redirectUris: 'https://tienda.example.com.ve/oauth/callback\nhttp://localhost:3000/cb', ...extra,
  };
}

async function appCount(s: TestServer): Promise<number> {
  const r = await s.ctx.store.db.selectFrom('apps').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

const clientIdOf = (html: string) => /id="client-id">([^<]+)</.exec(html)?.[1];
const secretOf = (html: string) => /id="client-secret">([^<]+)</.exec(html)?.[1];
const appIdOf = (html: string) => /action="\/settings\/apps\/([^/]+)\/secret"/.exec(html)?.[1];

describe('Aplicaciones oAuth in the sandbox', () => {
  let s: TestServer;
  let biz: WebClient;
  let appId: string;
  let secret: string;
  const logo = makePng(64, 64);

  beforeAll(async () => {
    s = await testServer();
    biz = (await signedUpBusiness(s)).web;
  });
  afterAll(async () => s?.close());

  it('registers an app with a PNG logo and shows its secret once', async () => {
    const form = await biz.get('/settings/apps/new');
    expect(form.status).toBe(200);
    const created = await biz.postMultipart('/settings/apps/new', appFields(biz, form.html), { logo: { data: logo, name: 'logo.png' } });
    expect(created.status, created.html.slice(0, 400)).toBe(303);
    const r = await biz.get(created.location!);
    expect(r.status).toBe(200);
    appId = appIdOf(r.html)!;
    secret = secretOf(r.html)!;
    expect(secret).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    const row = await s.ctx.store.db.selectFrom('apps').selectAll().where('id', '=', appId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      name: 'Tienda Ávila', home_url: 'https://tienda.example.com.ve', ready: 1, button_enabled: 1, billing_enabled: 1, status: 'active',
      client_id: clientIdOf(r.html), secret_hash: sha256(secret),
    });
    expect(JSON.parse(row.redirect_uris)).toEqual(['https://tienda.example.com.ve/oauth/callback', 'http://localhost:3000/cb']);
    expect(Buffer.from(row.logo_png!).equals(logo)).toBe(true);
    expect(r.html).toContain(`src="/p/app-logo/${appId}.png`);
    expect(r.html).toContain(row.callback_secret);
    expect(r.html).not.toContain('/golive');

    const again = await biz.get(`/settings/apps/${appId}`);
    expect(again.status).toBe(200);
    expect(again.html).not.toContain(secret);
    expect(secretOf(again.html)).toBeUndefined();
    expect(clientIdOf(again.html)).toBe(row.client_id);
    const list = await biz.get('/settings/apps');
    expect(list.html).toContain(`href="/settings/apps/${appId}"`);
    expect(list.html).toContain(row.client_id);
  });

  it('rotates the secret: a new one is shown once and the old tokens end', async () => {
    const row = await s.ctx.store.db.selectFrom('apps').selectAll().where('id', '=', appId).executeTakeFirstOrThrow();
    const pair = await issueTokens(s.ctx.store.autocommit, {
      appId, userId: row.owner_user_id, secretVersion: row.secret_version, nowMs: s.clock.now(), accessTtlSec: 3600, refreshIdleSec: 3600,
    });
    await biz.get(`/settings/apps/${appId}`);
    const rotated = await biz.post(`/settings/apps/${appId}/secret`, {});
    expect(rotated.status).toBe(303);
    const fresh = secretOf((await biz.get(rotated.location!)).html)!;
    expect(fresh).toBeTruthy();
    expect(fresh).not.toBe(secret);
    const after = await s.ctx.store.db.selectFrom('apps').selectAll().where('id', '=', appId).executeTakeFirstOrThrow();
    expect(after.secret_hash).toBe(sha256(fresh));
    expect(after.secret_version).toBe(row.secret_version + 1);
    const token = await s.ctx.store.db.selectFrom('oauth_tokens').selectAll().where('token_hash', '=', sha256(pair.access_token)).executeTakeFirstOrThrow();
    expect(token.revoked_at).not.toBeNull();
  });

  it('refuses a file that is not a PNG, and one too large, and saves nothing', async () => {
    const form = await biz.get('/settings/apps/new');
    const before = await appCount(s);
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(200, 7)]);
    const r1 = await biz.postMultipart('/settings/apps/new', appFields(biz, form.html, { name: 'Falsa' }), { logo: { data: jpeg, name: 'logo.png', type: 'image/png' } });
    expect(r1.status).toBe(400);
    expect(fieldError(r1.html, 'logo')).toBe('El archivo no es una imagen PNG válida.');
    expect(r1.html).toContain('value="Falsa"');

    const corrupt = Buffer.from(logo);
    corrupt[40] ^= 0xff; // inside IDAT: the CRC no longer matches
    const r2 = await biz.postMultipart('/settings/apps/new', appFields(biz, r1.html), { logo: { data: corrupt, name: 'logo.png' } });
    expect(fieldError(r2.html, 'logo')).toBe('El archivo no es una imagen PNG válida.');

    const big = makePng(300, 300, { noise: true });
    expect(big.length).toBeGreaterThan(256 * 1024);
    const r3 = await biz.postMultipart('/settings/apps/new', appFields(biz, r2.html), { logo: { data: big, name: 'big.png' } });
    expect(r3.status).toBe(400);
    expect(fieldError(r3.html, 'logo')).toBe('El logo no puede pesar más de 256 KB.');

    const wide = makePng(1100, 8);
    const r4 = await biz.postMultipart('/settings/apps/new', appFields(biz, r3.html), { logo: { data: wide, name: 'wide.png' } });
    expect(fieldError(r4.html, 'logo')).toBe('El logo no puede medir más de 1024×1024 píxeles.');
    expect(await appCount(s)).toBe(before);
  });

  it('checks every field against its rule, next to the field', async () => {
    const form = await biz.get('/settings/apps/new');
    const before = await appCount(s);
    const r = await biz.postMultipart('/settings/apps/new', {
      ...appFields(biz, form.html), name: 'x', description: '', homeUrl: 'javascript:alert(1)',
      receivingAccount: 'not-mine', redirectUris: 'https://ok.example/cb\n/relative\nhttps://x.example/cb#frag',
    });
    expect(r.status).toBe(400);
    expect(fieldError(r.html, 'name')).toBe('El nombre debe tener entre 3 y 60 caracteres.');
    expect(fieldError(r.html, 'description')).toMatch(/obligatoria/);
    expect(fieldError(r.html, 'homeUrl')).toMatch(/URL absoluta/);
    expect(fieldError(r.html, 'receivingAccount')).toBe('Elija una de sus cuentas digitales.');
    expect(fieldError(r.html, 'redirectUris')).toContain('«/relative»');
    expect(fieldError(r.html, 'redirectUris')).toContain('«https://x.example/cb#frag»');
    expect(await appCount(s)).toBe(before);
  });

  it('offers only its own digital accounts as receiving account', async () => {
    const other = await createPayer(s.ctx, 0);
    const foreign = await s.ctx.store.db.selectFrom('digital_accounts').select('id').where('handle', '=', other.digital_account).executeTakeFirstOrThrow();
    const form = await biz.get('/settings/apps/new');
    expect(form.html).not.toContain(foreign.id);
    const r = await biz.postMultipart('/settings/apps/new', appFields(biz, form.html, { receivingAccount: foreign.id }));
    expect(fieldError(r.html, 'receivingAccount')).toBe('Elija una de sus cuentas digitales.');
  });

  it('refuses a form posted without its CSRF token', async () => {
    const form = await biz.get('/settings/apps/new');
    const before = await appCount(s);
    const r = await biz.postMultipart('/settings/apps/new', appFields(biz, form.html), {}, false);
    expect(r.status).toBe(403);
    expect(await appCount(s)).toBe(before);
    const row = await s.ctx.store.db.selectFrom('apps').select('secret_hash').where('id', '=', appId).executeTakeFirstOrThrow();
    await biz.post(`/settings/apps/${appId}/secret`, {}, false);
    const same = await s.ctx.store.db.selectFrom('apps').select('secret_hash').where('id', '=', appId).executeTakeFirstOrThrow();
    expect(same.secret_hash).toBe(row.secret_hash);
  });

  it('answers 404 for another business’s app, and changes nothing', async () => {
    const { web: other } = await signedUpBusiness(s);
    const row = await s.ctx.store.db.selectFrom('apps').select(['secret_hash', 'logo_png']).where('id', '=', appId).executeTakeFirstOrThrow();
    expect((await other.get(`/settings/apps/${appId}`)).status).toBe(404);
    await other.get('/settings/apps');
    expect((await other.post(`/settings/apps/${appId}/secret`, {})).status).toBe(404);
    expect((await other.post(`/settings/apps/${appId}/distributions`, { handle: 'anyone' })).status).toBe(404);
    expect((await other.postMultipart(`/settings/apps/${appId}/logo`, {}, { logo: { data: makePng(8, 8), name: 'x.png' } })).status).toBe(404);
    expect((await other.get('/settings/apps/no-such-app')).status).toBe(404);
    const after = await s.ctx.store.db.selectFrom('apps').select(['secret_hash', 'logo_png']).where('id', '=', appId).executeTakeFirstOrThrow();
    expect(after.secret_hash).toBe(row.secret_hash);
    expect(Buffer.from(after.logo_png!).equals(Buffer.from(row.logo_png!))).toBe(true);
    const list = await other.get('/settings/apps');
    expect(list.html).not.toContain(appId);
  });

  it('is for business accounts only; signed-out visitors go to sign in', async () => {
    const payer = await createPayer(s.ctx, 0);
    const person = new WebClient(s.baseUrl);
    await person.signIn(payer.username, payer.password);
    expect((await person.get('/settings/apps')).status).toBe(404);
    expect((await person.get('/settings/apps/new')).status).toBe(404);
    const wallet = await person.get('/wallet');
    expect(wallet.html).not.toContain('href="/settings/apps"');
    const anon = new WebClient(s.baseUrl);
    const r = await anon.get('/settings/apps');
    expect(r.status).toBe(303);
    expect(r.location).toBe('/login?next=%2Fsettings%2Fapps');
  });

  it('authorizes a distribution account at once in the sandbox, and refuses unknown or repeated ones', async () => {
    const payer = await createPayer(s.ctx, 0);
    await biz.get(`/settings/apps/${appId}`);
    const ok = await biz.post(`/settings/apps/${appId}/distributions`, { handle: `@${payer.digital_account}` });
    expect(ok.status).toBe(303);
    const page = await biz.get(ok.location!);
    expect(page.html).toContain('Cuenta autorizada para distribuciones.');
    expect(page.html).toContain(`@${payer.digital_account}`);
    const rows = await s.ctx.store.db.selectFrom('app_distribution_accounts').selectAll().where('app_id', '=', appId).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0].status).toBe('authorized');
    const again = await biz.post(`/settings/apps/${appId}/distributions`, { handle: payer.digital_account });
    expect(again.status).toBe(400);
    expect(fieldError(again.html, 'handle')).toBe('Esta cuenta ya fue solicitada para esta aplicación.');
    const unknown = await biz.post(`/settings/apps/${appId}/distributions`, { handle: 'nadie_existe' });
    expect(fieldError(unknown.html, 'handle')).toBe('No existe una cuenta digital con ese nombre.');
    const system = await biz.post(`/settings/apps/${appId}/distributions`, { handle: '@funding' });
    expect(fieldError(system.html, 'handle')).toBe('No existe una cuenta digital con ese nombre.');
    expect(await s.ctx.store.db.selectFrom('app_distribution_accounts').selectAll().where('app_id', '=', appId).execute()).toHaveLength(1);
  });

  it('replaces the logo only with a valid PNG', async () => {
    await biz.get(`/settings/apps/${appId}`);
    const bad = await biz.postMultipart(`/settings/apps/${appId}/logo`, {}, { logo: { data: Buffer.from('GIF89a...'), name: 'x.png' } });
    expect(bad.status).toBe(400);
    expect(fieldError(bad.html, 'logo')).toBe('El archivo no es una imagen PNG válida.');
    const next = makePng(32, 32);
    const ok = await biz.postMultipart(`/settings/apps/${appId}/logo`, {}, { logo: { data: next, name: 'n.png' } });
    expect(ok.status).toBe(303);
    const row = await s.ctx.store.db.selectFrom('apps').select('logo_png').where('id', '=', appId).executeTakeFirstOrThrow();
    expect(Buffer.from(row.logo_png!).equals(next)).toBe(true);
  });
});

describe('Aplicaciones oAuth in production', () => {
  let p: TestServer;
  let biz: WebClient;
  beforeAll(async () => {
    p = await testServer({ env: 'production' });
    biz = (await signedUpBusiness(p)).web;
  });
  afterAll(async () => p?.close());

  it('requires HTTPS, starts the app off until an operator, links to going live', async () => {
    const form = await biz.get('/settings/apps/new');
    const r1 = await biz.postMultipart('/settings/apps/new', appFields(biz, form.html, { homeUrl: 'http://tienda.example.com.ve', redirectUris: 'http://tienda.example.com.ve/cb' }));
    expect(r1.status).toBe(400);
    expect(fieldError(r1.html, 'homeUrl')).toBe('En producción la URL debe usar HTTPS.');
    expect(fieldError(r1.html, 'redirectUris')).toMatch(/debe usar HTTPS/);
    expect(await appCount(p)).toBe(0);
    // HTTPS on an address that could never go live is refused here already.
    for (const homeUrl of ['https://192.0.2.1', 'https://tienda.local']) {
      const bad = await biz.postMultipart('/settings/apps/new', appFields(biz, r1.html, { homeUrl, redirectUris: `${homeUrl}/cb` }));
      expect(bad.status, homeUrl).toBe(400);
      expect(fieldError(bad.html, 'homeUrl'), homeUrl).toMatch(/dominio público propio/);
    }
    expect(await appCount(p)).toBe(0);
    const created = await biz.postMultipart('/settings/apps/new', appFields(biz, r1.html), { logo: { data: makePng(16, 16), name: 'l.png' } });
    expect(created.status).toBe(303);
    const r2 = await biz.get(created.location!);
    const id = appIdOf(r2.html)!;
    const row = await p.ctx.store.db.selectFrom('apps').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ ready: 0, billing_enabled: 0, button_enabled: 1 });
    expect(r2.html).toContain(`href="/settings/apps/${id}/golive"`);
    expect(r2.html).toContain('Pendiente de activación');
  });

  it('leaves a distribution account pending for an operator', async () => {
    const id = (await p.ctx.store.db.selectFrom('apps').select('id').executeTakeFirstOrThrow()).id;
    const payer = await createPayer(p.ctx, 0);
    await biz.get(`/settings/apps/${id}`);
    const r = await biz.post(`/settings/apps/${id}/distributions`, { handle: payer.digital_account });
    expect(r.status).toBe(303);
    const page = await biz.get(r.location!);
    expect(page.html).toContain('Solicitud enviada: un operador la revisará.');
    const rows = await p.ctx.store.db.selectFrom('app_distribution_accounts').selectAll().where('app_id', '=', id).execute();
    expect(rows.map((x) => [x.status, x.decided_at])).toEqual([['pending', null]]);
  });
});
