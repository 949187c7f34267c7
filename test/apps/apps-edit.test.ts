import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer, type TestServer } from '../helpers/env.ts';
import { bearer, postJson } from '../helpers/http.ts';
import { makePng } from '../helpers/png.ts';
import { createPayer } from '../../src/sandbox/demo.ts';
import { WebClient, fieldError, signedUpBusiness } from '../onboarding/web-client.ts';
import { WebClient as OperatorClient, textOf } from '../backoffice/web-client.ts';
import { accessToken, auditActions, makeOperator, productionApp, productionBusiness, type Business } from '../backoffice/fixtures.ts';

const appRow = (s: TestServer, id: string) => s.ctx.store.db.selectFrom('apps').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const appCount = async (s: TestServer) => (await s.ctx.store.db.selectFrom('apps').select('id').execute()).length;
const secretOf = (html: string) => /id="client-secret"[^>]*>([^<]+)</.exec(html)?.[1];

describe('apps after creation, in the sandbox', () => {
  let s: TestServer;
  let biz: WebClient;
  let appId: string;

  beforeAll(async () => {
    s = await testServer();
    biz = (await signedUpBusiness(s)).web;
  });
  afterAll(async () => s?.close());

  it('creates with post/redirect/get: the secret shows once, and reloading creates nothing', async () => {
    const form = await biz.get('/settings/apps/new');
    const account = /<option value="([^"]+)"/.exec(form.html)![1];
    const created = await biz.postMultipart('/settings/apps/new', {
      name: 'Tienda Caracas', description: 'Víveres', homeUrl: 'https://tienda.example.com', receivingAccount: account, redirectUris: '',
    });
    expect(created.status).toBe(303);
    appId = created.location!.split('/').pop()!;
    const shown = await biz.get(created.location!);
    const secret = secretOf(shown.html)!;
    expect(secret).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(shown.html).toContain('data-copy="Copiar"');
    const reloaded = await biz.get(created.location!);
    expect(secretOf(reloaded.html)).toBeUndefined();
    expect(reloaded.html).not.toContain(secret);
    expect(await appCount(s)).toBe(1);

    const rotated = await biz.post(`/settings/apps/${appId}/secret`, {});
    expect(rotated.status).toBe(303);
    const fresh = secretOf((await biz.get(rotated.location!)).html);
    expect(fresh).toBeTruthy();
    expect(fresh).not.toBe(secret);
    expect(secretOf((await biz.get(rotated.location!)).html)).toBeUndefined();
  });

  it('edits name, description, home URL, redirect URIs and logo, and audits what changed', async () => {
    const page = await biz.get(`/settings/apps/${appId}/edit`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('value="Tienda Caracas"');
    const bad = await biz.postMultipart(`/settings/apps/${appId}/edit`, { name: 'x', description: '', homeUrl: 'ftp://nope', redirectUris: 'not a url' });
    expect(bad.status).toBe(400);
    expect(fieldError(bad.html, 'name')).toBe('El nombre debe tener entre 3 y 60 caracteres.');
    expect(fieldError(bad.html, 'homeUrl')).toBe('Indique una URL absoluta que empiece por http:// o https://.');
    expect((await appRow(s, appId)).name).toBe('Tienda Caracas');

    const logo = makePng(32, 32);
    const saved = await biz.postMultipart(`/settings/apps/${appId}/edit`, {
      name: 'Tienda Caracas Centro', description: 'Víveres y charcutería', homeUrl: 'http://localhost:4000', redirectUris: 'http://localhost:4000/cb',
    }, { logo: { data: logo, name: 'logo.png' } });
    expect(saved.status).toBe(303);
    expect(textOf((await biz.get(saved.location!)).html)).toContain('Cambios guardados.');
    const row = await appRow(s, appId);
    expect([row.name, row.description, row.home_url, row.redirect_uris]).toEqual(['Tienda Caracas Centro', 'Víveres y charcutería', 'http://localhost:4000', '["http://localhost:4000/cb"]']);
    expect(Buffer.from(row.logo_png!).equals(logo)).toBe(true);
    const audit = await s.ctx.store.db.selectFrom('audit_log').selectAll().where('action', '=', 'app.update').execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0].details_json).changes).toMatchObject({
      name: { from: 'Tienda Caracas', to: 'Tienda Caracas Centro' }, home_url: { from: 'https://tienda.example.com', to: 'http://localhost:4000' },
    });
  });

  it('rotates the callback signing secret and withdraws a distribution account', async () => {
    const before = (await appRow(s, appId)).callback_secret;
    await biz.get(`/settings/apps/${appId}`);
    const r = await biz.post(`/settings/apps/${appId}/callback-secret`, {});
    expect(r.location).toBe(`/settings/apps/${appId}?done=callback_rotated#callback`);
    const after = (await appRow(s, appId)).callback_secret;
    expect(after).not.toBe(before);
    expect((await biz.get(`/settings/apps/${appId}`)).html).toContain(after);

    const payer = await createPayer(s.ctx, 0);
    await biz.post(`/settings/apps/${appId}/distributions`, { handle: payer.digital_account });
    const removed = await biz.post(`/settings/apps/${appId}/distributions/remove`, { handle: payer.digital_account });
    expect(removed.status).toBe(303);
    expect(await s.ctx.store.db.selectFrom('app_distribution_accounts').selectAll().where('app_id', '=', appId).execute()).toEqual([]);
    const again = await biz.post(`/settings/apps/${appId}/distributions/remove`, { handle: payer.digital_account });
    expect(again.status).toBe(400);
    expect(textOf(again.html)).toContain('Esa cuenta no está en esta aplicación.');
    const actions = (await auditActions(s.ctx)).map((a) => a.action);
    expect(actions).toEqual(['app.create', 'app.rotate_secret', 'app.update', 'app.rotate_callback_secret', 'distribution.request', 'distribution.remove']);
  });

  it('does not let another business open or change the app', async () => {
    const stranger = (await signedUpBusiness(s)).web;
    expect((await stranger.get(`/settings/apps/${appId}/edit`)).status).toBe(404);
    await stranger.get('/settings/apps');
    const r = await stranger.postMultipart(`/settings/apps/${appId}/edit`, { name: 'Robada', description: 'x', homeUrl: 'https://x.example.com', redirectUris: '' });
    expect(r.status).toBe(404);
    expect((await stranger.post(`/settings/apps/${appId}/callback-secret`, {})).status).toBe(404);
    expect((await appRow(s, appId)).name).toBe('Tienda Caracas Centro');
  });
});

describe('apps after creation, in production', () => {
  let p: TestServer;
  let op: Awaited<ReturnType<typeof makeOperator>>;
  let owner: Business;
  let biz: WebClient;
  let ops: OperatorClient;
  let appId: string;

  beforeAll(async () => {
    p = await testServer({ env: 'production' });
    op = await makeOperator(p.ctx);
    owner = await productionBusiness(p.ctx, op.id);
    appId = (await productionApp(p.ctx, owner, 'https://shop.example.com')).app.id;
    biz = new WebClient(p.baseUrl);
    await biz.signIn(owner.username, owner.password);
    ops = new OperatorClient(p.baseUrl);
    expect((await ops.signIn(op.username, op.password, '/backoffice/login')).status).toBe(303);
  });
  afterAll(async () => p?.close());

  const edit = (homeUrl: string) => biz.postMultipart(`/settings/apps/${appId}/edit`, {
    name: 'App de la tienda', description: 'Tienda en línea', homeUrl, redirectUris: 'https://shop.example.com/oauth',
  });

  it('applies the going-live site rules; before going live a new home URL applies at once', async () => {
    await biz.get(`/settings/apps/${appId}/edit`);
    for (const bad of ['http://shop.example.com', 'https://192.0.2.7', 'https://tienda.local']) {
      const r = await edit(bad);
      expect(r.status, bad).toBe(400);
      expect(fieldError(r.html, 'homeUrl'), bad).toMatch(/HTTPS|dominio público propio/);
    }
    expect((await edit('https://www.shop-nueva.example.com')).status).toBe(303);
    expect((await appRow(p, appId)).home_url).toBe('https://www.shop-nueva.example.com');
  });

  it('sends a live app’s new home URL to an operator, who approves one and refuses another', async () => {
    await p.ctx.store.autocommit.updateTable('apps').set({ ready: 1 }).where('id', '=', appId).execute();
    await biz.get(`/settings/apps/${appId}/edit`);
    const r = await edit('https://otra-tienda.example.com');
    expect(r.location).toBe(`/settings/apps/${appId}?done=saved_pending`);
    expect((await appRow(p, appId)).home_url).toBe('https://www.shop-nueva.example.com');
    const page = textOf((await biz.get(r.location!)).html);
    expect(page).toContain('Cambio pendiente de revisión: https://otra-tienda.example.com');

    const dash = await ops.get('/backoffice');
    expect(dash.html).toMatch(/id="tile-requests"><strong>1<\/strong>/);
    const review = await ops.get(`/backoffice/apps/${appId}`);
    const requestId = /data-request="([^"]+)" data-kind="home_url" data-status="pending"/.exec(review.html)![1];
    const approved = await ops.post(`/backoffice/apps/${appId}/requests`, { request: requestId, decision: 'approved', reason: '' });
    expect(approved.status).toBe(303);
    expect((await appRow(p, appId)).home_url).toBe('https://otra-tienda.example.com');

    await biz.get(`/settings/apps/${appId}/edit`);
    await edit('https://tercera.example.com');
    const second = await ops.get(`/backoffice/apps/${appId}`);
    const secondId = /data-request="([^"]+)" data-kind="home_url" data-status="pending"/.exec(second.html)![1];
    const noReason = await ops.post(`/backoffice/apps/${appId}/requests`, { request: secondId, decision: 'refused', reason: '' });
    expect(noReason.status).toBe(400);
    await ops.post(`/backoffice/apps/${appId}/requests`, { request: secondId, decision: 'refused', reason: 'El dominio no es del comercio' });
    expect((await appRow(p, appId)).home_url).toBe('https://otra-tienda.example.com');
    expect(textOf((await biz.get(`/settings/apps/${appId}`)).html))
      .toContain('El cambio a https://tercera.example.com fue rechazado. Motivo: El dominio no es del comercio');
  });

  it('asks for the billing API; the operator refuses with a reason, then grants, and the API follows', async () => {
    const token = await accessToken(p.ctx, appId, owner.userId);
    const payer = await createPayer(p.ctx, 0);
    const createRequest = () => postJson(`${p.baseUrl}/api/payment-intent/.json`, {
      paymentintent: {
        intent: 'request', redirectUrls: { returnUrl: 'https://otra-tienda.example.com/ok', cancelUrl: 'https://otra-tienda.example.com/ko' },
        transactions: [{ amount: { total: '5.00', currency: 'VES' }, description: 'Factura 1' }], recipient: payer.username,
      },
    }, bearer(token));
    expect((await createRequest()).status).toBe(403);

    const page = await biz.get(`/settings/apps/${appId}`);
    expect(page.html).toContain('id="request-billing"');
    expect((await biz.post(`/settings/apps/${appId}/billing`, {})).status).toBe(303);
    const twice = await biz.post(`/settings/apps/${appId}/billing`, {});
    expect(twice.status).toBe(400);
    expect(textOf(twice.html)).toContain('Ya hay una solicitud pendiente.');

    const review = await ops.get(`/backoffice/apps/${appId}`);
    const first = /data-request="([^"]+)" data-kind="billing" data-status="pending"/.exec(review.html)![1];
    await ops.post(`/backoffice/apps/${appId}/requests`, { request: first, decision: 'refused', reason: 'Falta el contrato de facturación' });
    const refused = await biz.get(`/settings/apps/${appId}`);
    expect(textOf(refused.html)).toContain('Motivo: Falta el contrato de facturación');

    await biz.post(`/settings/apps/${appId}/billing`, {});
    const again = await ops.get(`/backoffice/apps/${appId}`);
    const second = /data-request="([^"]+)" data-kind="billing" data-status="pending"/.exec(again.html)![1];
    expect((await ops.post(`/backoffice/apps/${appId}/requests`, { request: second, decision: 'approved', reason: '' })).status).toBe(303);
    expect((await appRow(p, appId)).billing_enabled).toBe(1);
    expect(textOf((await biz.get(`/settings/apps/${appId}`)).html)).toMatch(/Concedido el \d{4}-\d{2}-\d{2}/);
    expect((await createRequest()).status).toBe(200);

    const actions = (await auditActions(p.ctx)).map((a) => a.action).filter((a) => /billing|home_url/.test(a));
    expect(actions).toEqual([
      'home_url.request', 'home_url.approve', 'home_url.request', 'home_url.refuse',
      'billing.request', 'billing.refuse', 'billing.request', 'billing.grant',
    ]);
  });

  it('leads /backoffice to its sign-in page, and issues codes with post/redirect/get', async () => {
    const anonymous = await new OperatorClient(p.baseUrl).get('/backoffice');
    expect([anonymous.status, anonymous.location]).toEqual([303, '/backoffice/login']);
    await ops.get('/backoffice/codes');
    const issued = await ops.post('/backoffice/codes', { type: 'commercial', count: '2' });
    expect(issued.status).toBe(303);
    const shown = await ops.get(issued.location!);
    expect([...shown.html.matchAll(/data-code="([^"]+)"/g)]).toHaveLength(2);
    const count = async () => (await p.ctx.store.db.selectFrom('affiliation_codes').select('code').execute()).length;
    const before = await count();
    const reloaded = await ops.get(issued.location!);
    expect([...reloaded.html.matchAll(/data-code="([^"]+)"/g)]).toHaveLength(0);
    expect(await count()).toBe(before);
  });
});
