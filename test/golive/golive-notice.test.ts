import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer, type TestServer } from '../helpers/env.ts';
import { activateApp, refuseGolive } from '../../src/backoffice/app-admin.service.ts';
import { submitGolive } from '../../src/golive/golive.service.ts';
import { makeOperator, productionApp, productionBusiness, type Business } from '../backoffice/fixtures.ts';
import { textOf, WebClient } from '../backoffice/web-client.ts';

const DECLARATION = {
  ownSourceCode: true, sourceDescription: 'Tienda WooCommerce propia, repositorio privado', hostingProvider: 'DigitalOcean',
  hostingDescription: 'VPS en Nueva York',
};

describe('the business learns the decision on its going-live request', () => {
  let s: TestServer;
  let opId: string;
  let biz: Business;
  let appId: string;
  let appName: string;
  let c: WebClient;
  const notices = (html: string) => html.split('golive-notice').length - 1;
  const submit = () => s.ctx.store.tx((tx) => submitGolive(tx, biz.userId, appId, { affiliationCode: biz.code, ...DECLARATION }, s.clock.now()));

  beforeAll(async () => {
    s = await testServer({ env: 'production' });
    opId = (await makeOperator(s.ctx)).id;
    biz = await productionBusiness(s.ctx, opId);
    const made = await productionApp(s.ctx, biz);
    appId = made.app.id;
    appName = made.app.name;
    expect(appName).toBe(`App de ${biz.username}`);
    c = new WebClient(s.baseUrl);
    expect((await c.signIn(biz.username, biz.password)).status).toBe(303);
  });
  afterAll(async () => s.close());

  it('nothing to say while the request is pending', async () => {
    await submit();
    expect(notices((await c.get('/wallet')).html)).toBe(0);
    expect(notices((await c.get('/settings/apps')).html)).toBe(0);
  });

  it('a refusal shows with its reason on the wallet and the app list until the request is opened', async () => {
    await s.ctx.store.tx((tx) => refuseGolive(tx, { operatorId: opId, via: 'web' }, appId, 'Falta el certificado HTTPS válido', s.clock.now()));
    const wallet = await c.get('/wallet');
    expect(notices(wallet.html)).toBe(1);
    expect(textOf(wallet.html)).toContain(`Su solicitud de salida a producción de «${appName}» fue rechazada. Motivo: Falta el certificado HTTPS válido`);
    expect(wallet.html).toContain(`href="/settings/apps/${appId}/golive"`);
    expect(notices((await c.get('/settings/apps')).html)).toBe(1);
    const en = new WebClient(s.baseUrl, 'en');
    await en.signIn(biz.username, biz.password);
    expect(textOf((await en.get('/wallet')).html)).toContain(`Your going-live request for “${appName}” was refused. Reason: Falta el certificado HTTPS válido`);

    // Another business, and a person, see nothing of it.
    const other = await productionBusiness(s.ctx, opId);
    const oc = new WebClient(s.baseUrl);
    await oc.signIn(other.username, other.password);
    expect(notices((await oc.get('/wallet')).html)).toBe(0);

    expect((await c.get(`/settings/apps/${appId}/golive`)).status).toBe(200);
    expect(notices((await c.get('/wallet')).html)).toBe(0);
    expect(notices((await c.get('/settings/apps')).html)).toBe(0);
  });

  it('an approval shows once, then is gone once seen', async () => {
    s.clock.advance(60_000);
    await submit();
    await s.ctx.store.tx((tx) => activateApp(tx, { operatorId: opId, via: 'web' }, appId, null, s.clock.now(), true));
    const wallet = await c.get('/wallet');
    expect(notices(wallet.html)).toBe(1);
    expect(textOf(wallet.html)).toContain(`Su solicitud de salida a producción de «${appName}» fue aprobada`);
    await c.get(`/settings/apps/${appId}/golive`);
    expect(notices((await c.get('/wallet')).html)).toBe(0);
    const seen = await s.ctx.store.db.selectFrom('golive_requests').select(['status', 'seen_at']).where('app_id', '=', appId)
      .orderBy('created_at').execute();
    expect(seen.map((r) => [r.status, r.seen_at !== null])).toEqual([['refused', true], ['approved', true]]);
  });
});
