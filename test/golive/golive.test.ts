import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer, type TestServer } from '../helpers/env.ts';
import { activateApp, refuseGolive } from '../../src/backoffice/app-admin.service.ts';
import { createMerchant, createPayer } from '../../src/sandbox/demo.ts';
import { makeOperator, productionApp, productionBusiness, type Business } from '../backoffice/fixtures.ts';
import { textOf, WebClient } from '../backoffice/web-client.ts';

const FORM = {
  ownSourceCode: '1', sourceDescription: 'Tienda WooCommerce propia, repositorio privado', hostingProvider: 'DigitalOcean',
  hostingDescription: 'VPS en Nueva York',
};
const fieldError = (html: string, field: string) => new RegExp(`id="${field}-error">([^<]*)<`).exec(html)?.[1];

describe('going-live page in the sandbox', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await testServer({ env: 'sandbox' });
  });
  afterAll(async () => s.close());

  it('says the app is ready to use and takes no request', async () => {
    const m = await createMerchant(s.ctx);
    const c = new WebClient(s.baseUrl);
    expect((await c.signIn(m.username, m.password)).status).toBe(303);
    const r = await c.get(`/settings/apps/${m.app_id}/golive`);
    expect(r.status).toBe(200);
    expect(r.html).toContain('id="golive-sandbox"');
    expect(textOf(r.html)).toContain('En el Sandbox su aplicación ya está lista para usar');
    expect(r.html).not.toContain('id="golive-submit"');
    expect((await c.post(`/settings/apps/${m.app_id}/golive`, FORM)).status).toBe(404);
    expect(await s.ctx.store.db.selectFrom('golive_requests').select('id').execute()).toEqual([]);
  });
});

describe('going-live page in production', () => {
  let s: TestServer;
  let opId: string;
  let biz: Business;
  let appId: string;
  let c: WebClient;
  const path = () => `/settings/apps/${appId}/golive`;
  const requests = () => s.ctx.store.db.selectFrom('golive_requests').selectAll().where('app_id', '=', appId).orderBy('created_at').execute();

  beforeAll(async () => {
    s = await testServer({ env: 'production' });
    opId = (await makeOperator(s.ctx)).id;
    biz = await productionBusiness(s.ctx, opId);
    appId = (await productionApp(s.ctx, biz)).app.id;
    c = new WebClient(s.baseUrl);
    expect((await c.signIn(biz.username, biz.password)).status).toBe(303);
  });
  afterAll(async () => s.close());

  it('is only for the business that owns the app', async () => {
    const anon = await new WebClient(s.baseUrl).get(path());
    expect(anon.status).toBe(303);
    expect(anon.location).toBe(`/login?next=${encodeURIComponent(path())}`);
    const other = await productionBusiness(s.ctx, opId);
    const oc = new WebClient(s.baseUrl);
    await oc.signIn(other.username, other.password);
    expect((await oc.get(path())).status).toBe(404);
    await oc.get(`/settings/apps/${(await productionApp(s.ctx, other)).app.id}/golive`);
    expect((await oc.post(path(), { affiliationCode: other.code, ...FORM })).status).toBe(404);
    const person = await createPayer(s.ctx, 0);
    const pc = new WebClient(s.baseUrl);
    await pc.signIn(person.username, person.password);
    expect((await pc.get(path())).status).toBe(404);
    expect((await c.get('/settings/apps/00000000-0000-0000-0000-000000000000/golive')).status).toBe(404);
    expect(await requests()).toEqual([]);
  });

  it('shows the requirements and puts each error next to its field, creating nothing', async () => {
    const page = await c.get(path());
    expect(page.status).toBe(200);
    expect(page.html).toContain('data-stage="none"');
    expect(textOf(page.html)).toContain('https://shop.example.com');
    expect((await c.post(path(), { affiliationCode: biz.code, ...FORM }, false)).status).toBe(403);

    const bad = await c.post(path(), { affiliationCode: 'XXXXXXXX', sourceDescription: 'corto', hostingProvider: '' });
    expect(bad.status).toBe(400);
    expect(fieldError(bad.html, 'affiliationCode')).toBe('Este no es el código con el que registró su comercio.');
    expect(fieldError(bad.html, 'ownSourceCode')).toBe('Se requiere código fuente propio o acceso al mismo.');
    expect(fieldError(bad.html, 'sourceDescription')).toBe('Describa su código fuente (al menos 10 caracteres).');
    expect(fieldError(bad.html, 'hostingProvider')).toBe('Indique dónde está alojado su sitio.');
    expect(bad.html).toContain('value="XXXXXXXX"');
    expect(await requests()).toEqual([]);
  });

  it('refuses an app whose home page is not HTTPS, and a business without a sales code', async () => {
    const plain = (await productionApp(s.ctx, biz, 'http://shop.example.com')).app.id;
    await c.get(`/settings/apps/${plain}/golive`);
    const r = await c.post(`/settings/apps/${plain}/golive`, { affiliationCode: biz.code, ...FORM });
    expect(r.status).toBe(400);
    expect(fieldError(r.html, 'homeUrl')).toContain('La URL del sitio debe usar HTTPS');
    // HTTPS, but not a public domain of the business's own: an IP address, a local name.
    for (const home of ['https://203.0.113.7', 'https://tienda.local', 'https://intranet']) {
      const id = (await productionApp(s.ctx, biz, home)).app.id;
      await c.get(`/settings/apps/${id}/golive`);
      const refused = await c.post(`/settings/apps/${id}/golive`, { affiliationCode: biz.code, ...FORM });
      expect(refused.status, home).toBe(400);
      expect(fieldError(refused.html, 'homeUrl'), home).toContain('dominio propio');
    }

    const m = await createMerchant(s.ctx, { homeUrl: 'https://other.example.com' });
    const mc = new WebClient(s.baseUrl);
    await mc.signIn(m.username, m.password);
    await mc.get(`/settings/apps/${m.app_id}/golive`);
    const r2 = await mc.post(`/settings/apps/${m.app_id}/golive`, { affiliationCode: 'ABCDEFGH', ...FORM });
    expect(r2.status).toBe(400);
    expect(fieldError(r2.html, 'affiliationCode')).toContain('no se registró con un código emitido por ventas');
    expect(await s.ctx.store.db.selectFrom('golive_requests').select('id').execute()).toEqual([]);
  });

  it('files one pending request even when the form is sent many times at once', async () => {
    await c.get(path());
    const results = await Promise.all(Array.from({ length: 6 }, () => c.post(path(), { affiliationCode: biz.code, ...FORM })));
    expect(results.filter((r) => r.status === 303)).toHaveLength(1);
    expect(results.filter((r) => r.status === 400)).toHaveLength(5);
    expect(textOf(results.find((r) => r.status === 400)!.html)).toContain('Ya hay una solicitud en revisión.');
    const rows = await requests();
    expect(rows).toHaveLength(1);
    expect(rows[0].status).toBe('pending');
    expect(JSON.parse(rows[0].declaration_json)).toMatchObject({
      affiliationCode: biz.code, homeUrl: 'https://shop.example.com', ownSourceCode: true, hostingProvider: 'DigitalOcean',
    });
    const page = await c.get(`${path()}?sent=1`);
    expect(page.html).toContain('data-stage="pending"');
    expect(textOf(page.html)).toContain('Solicitud enviada. Un operador la revisará.');
    expect(page.html).not.toContain('id="golive-submit"');
  });

  it('shows a refusal with its reason, takes a new request, then shows the app live', async () => {
    await s.ctx.store.tx((tx) => refuseGolive(tx, { operatorId: opId, via: 'web' }, appId, 'Falta el certificado HTTPS válido', s.clock.now()));
    const refused = await c.get(path());
    expect(refused.html).toContain('data-stage="refused"');
    expect(textOf(refused.html)).toContain('Motivo: Falta el certificado HTTPS válido');
    expect(refused.html).toContain('id="golive-submit"');

    s.clock.advance(60_000);
    const again = await c.post(path(), { affiliationCode: biz.code, ...FORM });
    expect(again.status).toBe(303);
    expect((await requests()).map((r) => r.status)).toEqual(['refused', 'pending']);

    await s.ctx.store.tx((tx) => activateApp(tx, { operatorId: opId, via: 'web' }, appId, null, s.clock.now(), true));
    const live = await c.get(path());
    expect(live.html).toContain('data-stage="live"');
    expect(textOf(live.html)).toContain('Activa: su aplicación ya recibe pagos en producción.');
    expect(live.html).not.toContain('id="golive-submit"');
    const en = new WebClient(s.baseUrl, 'en');
    await en.signIn(biz.username, biz.password);
    expect(textOf((await en.get(path())).html)).toContain('Active: your application receives payments in production.');
  });
});
