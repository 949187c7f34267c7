import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer, type TestServer } from '../helpers/env.ts';
import { BACKOFFICE_ROUTES } from '../../src/backoffice/backoffice.routes.ts';
import { submitGolive } from '../../src/golive/golive.service.ts';
import { auditActions, makeOperator, productionApp, productionBusiness, type Business } from './fixtures.ts';
import { textOf, WebClient } from './web-client.ts';

const DECLARATION = {
  ownSourceCode: true, sourceDescription: 'Repositorio privado de nuestra tienda', hostingProvider: 'Hosting Caracas C.A.',
};

describe('back office: who may enter', () => {
  let s: TestServer;
  let op: Awaited<ReturnType<typeof makeOperator>>;
  let biz: Business;
  let appId: string;

  beforeAll(async () => {
    s = await testServer({ env: 'production' });
    op = await makeOperator(s.ctx);
    biz = await productionBusiness(s.ctx, op.id);
    appId = (await productionApp(s.ctx, biz)).app.id;
  });
  afterAll(async () => s.close());

  async function expectHidden(client: WebClient, who: string) {
    // /backoffice itself leads to the sign-in page; everything else behind it stays hidden.
    for (const path of ['/backoffice', '/backoffice/']) {
      const home = await client.get(path);
      expect([home.status, home.location], `${who}: GET ${path}`).toEqual([303, '/backoffice/login']);
    }
    const routes = [...BACKOFFICE_ROUTES].filter((r) => !r.endsWith(' /backoffice/login') && !/^GET \/backoffice\/?$/.test(r));
    expect(routes.length).toBeGreaterThanOrEqual(15);
    const unknown = await client.get('/no-such-page');
    for (const route of [...routes, 'POST /backoffice/', 'GET /backoffice/nothing', 'DELETE /backoffice/apps']) {
      const [method, path] = route.split(' ');
      const url = path.replace(':id', appId);
      const r = await client.request(method, url, method === 'POST' ? { reason: 'x', enabled: '1', change: 'revoke' } : undefined);
      expect(r.status, `${who}: ${route}`).toBe(404);
      expect(textOf(r.html), `${who}: ${route}`).toBe(textOf(unknown.html).replace(/\/no-such-page/g, url));
      const json = await fetch(s.baseUrl + url, { method, headers: { cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
      expect(json.status).toBe(404);
      expect(await json.json()).toMatchObject({ code: 404 });
    }
  }

  it('answers 404 on every back-office URL to anonymous visitors and to signed-in users', async () => {
    await expectHidden(new WebClient(s.baseUrl), 'anonymous');
    const user = new WebClient(s.baseUrl);
    expect((await user.signIn(biz.username, biz.password)).status).toBe(303);
    await expectHidden(user, 'business user');
    // A user session placed in the operator cookie is still no operator session.
    user.cookies.set('mp_op', user.cookies.get('mp_sid')!);
    await expectHidden(user, 'user session in the operator cookie');
    const app = await s.ctx.store.db.selectFrom('apps').selectAll().where('id', '=', appId).executeTakeFirstOrThrow();
    expect([app.ready, app.billing_enabled, app.status]).toEqual([0, 0, 'active']);
    expect((await auditActions(s.ctx)).map((a) => a.action)).toEqual(['operator.create']);
  });

  it('lets only operators sign in, and records the sign-in', async () => {
    const c = new WebClient(s.baseUrl);
    expect((await c.get('/backoffice/login')).status).toBe(200);
    const wrong = await c.post('/backoffice/login', { login: op.username, password: 'Wrong2026x' });
    expect(wrong.status).toBe(401);
    expect(textOf(wrong.html)).toContain('Usuario o contraseña incorrectos.');
    const business = await c.signIn(biz.username, biz.password, '/backoffice/login');
    expect(business.status).toBe(401);
    expect(c.cookies.has('mp_op')).toBe(false);

    const ok = await c.signIn(op.username, op.password, '/backoffice/login');
    expect(ok.status).toBe(303);
    expect(ok.location).toBe('/backoffice');
    const dash = await c.get('/backoffice');
    expect(dash.status).toBe(200);
    expect(textOf(dash.html)).toContain('Operador: ops.ana');
    expect(textOf(dash.html)).toContain('Salida a producción');
    const audit = await auditActions(s.ctx);
    expect(audit.at(-1)).toMatchObject({ action: 'operator.sign_in', operator_id: op.id });
    // The operator session does not open the wallet, and signing out closes the back office.
    expect((await c.get('/wallet')).status).toBe(303);
    const out = await c.post('/backoffice/logout');
    expect(out.location).toBe('/backoffice/login?out=1');
    expect((await c.get('/backoffice')).location).toBe('/backoffice/login');
    expect((await c.get('/backoffice/apps')).status).toBe(404);
  });

  it('speaks English when asked', async () => {
    const c = new WebClient(s.baseUrl, 'en');
    await c.signIn(op.username, op.password, '/backoffice/login');
    const dash = textOf((await c.get('/backoffice')).html);
    expect(dash).toContain('Going-live requests');
    expect(dash).toContain('Audit log');
    expect(dash).not.toContain('Salida a producción');
  });

  it('refuses an operator POST without its CSRF token and changes nothing', async () => {
    const c = new WebClient(s.baseUrl);
    await c.signIn(op.username, op.password, '/backoffice/login');
    await c.get(`/backoffice/apps/${appId}`);
    const before = (await auditActions(s.ctx)).length;
    const r = await c.post(`/backoffice/apps/${appId}/billing`, { enabled: '1' }, false);
    expect(r.status).toBe(403);
    const app = await s.ctx.store.db.selectFrom('apps').select('billing_enabled').where('id', '=', appId).executeTakeFirstOrThrow();
    expect(app.billing_enabled).toBe(0);
    expect((await auditActions(s.ctx)).length).toBe(before);
  });

  it('shows a merchant going-live request for review with its declaration', async () => {
    await s.ctx.store.tx((tx) => submitGolive(tx, biz.userId, appId, { affiliationCode: biz.code, ...DECLARATION }, s.clock.now()));
    const c = new WebClient(s.baseUrl);
    await c.signIn(op.username, op.password, '/backoffice/login');
    const list = await c.get('/backoffice/golive');
    expect(list.html).toContain(`data-app="${appId}"`);
    const review = textOf((await c.get(`/backoffice/apps/${appId}`)).html);
    expect(review).toContain(`Código de afiliación ${biz.code} emitido por ventas (ops.ana)`);
    expect(review).toContain('Dominio propio con HTTPS.');
    expect(review).toContain('Hosting Caracas C.A.');
  });
});
