import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer, type TestServer } from '../helpers/env.ts';
import { bearer, postJson } from '../helpers/http.ts';
import { createPayer } from '../../src/sandbox/demo.ts';
import { submitGolive } from '../../src/golive/golive.service.ts';
import { accessToken, apiStatus, auditActions, makeOperator, productionApp, productionBusiness, type Business } from './fixtures.ts';
import { textOf, WebClient } from './web-client.ts';

const DECLARATION = { ownSourceCode: true, sourceDescription: 'Código propio en GitHub', hostingProvider: 'AWS' };

describe('operator decisions on a production app, and their effect on the API', () => {
  let s: TestServer;
  let op: Awaited<ReturnType<typeof makeOperator>>;
  let biz: Business;
  let appId: string;
  let token: string;
  let c: WebClient;
  const appRow = () => s.ctx.store.db.selectFrom('apps').selectAll().where('id', '=', appId).executeTakeFirstOrThrow();

  beforeAll(async () => {
    s = await testServer({ env: 'production' });
    op = await makeOperator(s.ctx);
    biz = await productionBusiness(s.ctx, op.id);
    appId = (await productionApp(s.ctx, biz)).app.id;
    token = await accessToken(s.ctx, appId, biz.userId);
    c = new WebClient(s.baseUrl);
    await c.signIn(op.username, op.password, '/backoffice/login');
  });
  afterAll(async () => s.close());

  async function act(path: string, fields: Record<string, string>) {
    await c.get(`/backoffice/apps/${appId}`);
    return c.post(`/backoffice/apps/${appId}/${path}`, fields);
  }

  it('activation turns the 503 into success', async () => {
    expect(await apiStatus(s.ctx, token)).toBe(503);
    await s.ctx.store.tx((tx) => submitGolive(tx, biz.userId, appId, { affiliationCode: biz.code, ...DECLARATION }, s.clock.now()));
    const r = await act('activate', { reason: 'Requisitos verificados' });
    expect(r.status).toBe(303);
    expect(r.location).toBe(`/backoffice/apps/${appId}?done=golive.activate`);
    expect(textOf((await c.get(r.location!)).html)).toContain('Hecho: Aplicación activada.');
    expect((await appRow()).ready).toBe(1);
    const req = await s.ctx.store.db.selectFrom('golive_requests').selectAll().where('app_id', '=', appId).executeTakeFirstOrThrow();
    expect([req.status, req.decided_by]).toEqual(['approved', op.id]);
    expect(await apiStatus(s.ctx, token)).toBe(200);
    // Activating twice is refused on the page and changes nothing.
    const again = await act('activate', {});
    expect(again.status).toBe(400);
    expect(textOf(again.html)).toContain('La aplicación ya está activa en este ambiente.');
  });

  it('refuses to activate a production app whose site is not HTTPS on a domain of its own', async () => {
    const ipApp = (await productionApp(s.ctx, biz, 'https://203.0.113.7/tienda')).app.id;
    await c.get(`/backoffice/apps/${ipApp}`);
    const r = await c.post(`/backoffice/apps/${ipApp}/activate`, { reason: 'Requisitos verificados' });
    expect(r.status).toBe(400);
    expect(textOf(r.html)).toContain('debe ser HTTPS en el dominio propio del comercio');
    const row = await s.ctx.store.db.selectFrom('apps').select('ready').where('id', '=', ipApp).executeTakeFirstOrThrow();
    expect(row.ready).toBe(0);
  });

  it('keeps the billing API closed (403) until an operator grants it, and closes it again on withdrawal', async () => {
    const payer = await createPayer(s.ctx, 0);
    const requestBody = {
      paymentintent: {
        intent: 'request', recipient: payer.username,
        redirectUrls: { returnUrl: 'https://shop.example.com/ok', cancelUrl: 'https://shop.example.com/ko' },
        transactions: [{ amount: { total: '12.50' }, description: 'Factura 1' }],
      },
    };
    expect(await apiStatus(s.ctx, token, 'billing')).toBe(403);
    const denied = await postJson(`${s.baseUrl}/api/payment-intent/.json`, requestBody, bearer(token));
    expect(denied.status).toBe(403);
    expect(denied.body).toMatchObject({ code: 403 });

    expect((await act('billing', { enabled: '1', reason: 'Contrato de facturación firmado' })).status).toBe(303);
    expect(await apiStatus(s.ctx, token, 'billing')).toBe(200);
    const created = await postJson(`${s.baseUrl}/api/payment-intent/.json`, requestBody, bearer(token));
    expect(created.status, created.text).toBe(200);
    expect(created.body).toMatchObject({ intent: 'request', state: 'created' });

    expect((await act('billing', { enabled: '0' })).status).toBe(303);
    expect(await apiStatus(s.ctx, token, 'billing')).toBe(403);
    const bogus = await act('billing', { enabled: 'maybe' });
    expect(bogus.status).toBe(400);
    expect((await appRow()).billing_enabled).toBe(0);
  });

  it('authorizes a requested distribution account: pending -> authorized', async () => {
    const other = await productionBusiness(s.ctx, op.id);
    await s.ctx.store.autocommit.insertInto('app_distribution_accounts').values({
      app_id: appId, account_id: other.accountId, status: 'pending', requested_at: s.clock.now(), decided_at: null, decided_by: null,
    }).execute();
    const list = await c.get('/backoffice/distributions');
    expect(list.html).toContain(`@${other.handle}`);
    const r = await c.post(`/backoffice/apps/${appId}/distribution`, { handle: other.handle, decision: 'authorized' });
    expect(r.status).toBe(303);
    const row = await s.ctx.store.db.selectFrom('app_distribution_accounts').selectAll().where('app_id', '=', appId).executeTakeFirstOrThrow();
    expect([row.status, row.decided_by]).toEqual(['authorized', op.id]);
    const unknown = await act('distribution', { handle: 'nadie', decision: 'authorized' });
    expect(unknown.status).toBe(400);
    expect(textOf(unknown.html)).toContain('Esa cuenta no fue solicitada para distribuciones en esta aplicación.');
  });

  it('suspension stops the live token at once; reinstating lets new tokens work; revocation is final', async () => {
    expect(await apiStatus(s.ctx, token)).toBe(200);
    const noReason = await act('status', { change: 'suspend', reason: '  ' });
    expect(noReason.status).toBe(400);
    expect(noReason.html).toMatch(/id="reason-status-error">Indique el motivo\./);
    expect((await appRow()).status).toBe('active');

    expect((await act('status', { change: 'suspend', reason: 'Reclamos de clientes' })).status).toBe(303);
    expect(await apiStatus(s.ctx, token)).toBe(403);
    const suspended = await postJson(`${s.baseUrl}/api/payment-intent/.json`, {}, bearer(token));
    expect(suspended.status).toBe(403);

    expect((await act('status', { change: 'reinstate', reason: 'Reclamos atendidos' })).status).toBe(303);
    expect(await apiStatus(s.ctx, token)).toBe(403); // the old token stays revoked
    const fresh = await accessToken(s.ctx, appId, biz.userId);
    expect(await apiStatus(s.ctx, fresh)).toBe(200);

    expect((await act('status', { change: 'revoke', reason: 'Incumplimiento de los términos de uso' })).status).toBe(303);
    expect(await apiStatus(s.ctx, fresh)).toBe(403);
    const app = await appRow();
    expect([app.status, app.status_reason]).toEqual(['revoked', 'Incumplimiento de los términos de uso']);
    const back = await c.post(`/backoffice/apps/${appId}/status`, { change: 'reinstate', reason: 'Por favor' });
    expect(back.status).toBe(400);
    expect(textOf(back.html)).toContain('La aplicación fue revocada; ya no admite cambios.');
    expect((await appRow()).status).toBe('revoked');
  });

  it('issues codes, runs a ledger verification, and lists every action in the audit log', async () => {
    await c.get('/backoffice/codes');
    const bad = await c.post('/backoffice/codes', { type: 'commercial', count: '0' });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('id="count-error">Indique una cantidad de 1 a 100.');
    const posted = await c.post('/backoffice/codes', { type: 'commercial', count: '3' });
    expect(posted.status).toBe(303);
    const issued = await c.get(posted.location!);
    const codes = [...issued.html.matchAll(/data-code="([^"]+)"/g)].map((m) => m[1]);
    expect(codes).toHaveLength(3);
    const rows = await s.ctx.store.db.selectFrom('affiliation_codes').selectAll().where('code', 'in', codes).execute();
    expect(rows.every((r) => r.issued_by === op.id && r.type === 'commercial' && r.status === 'available')).toBe(true);

    await c.get('/backoffice/ledger');
    const v = await c.post('/backoffice/ledger/verify');
    expect(v.location).toBe('/backoffice/ledger');
    const ledger = await c.get('/backoffice/ledger');
    expect(ledger.html).toContain('id="verify-result" data-ok="1"');
    expect(ledger.html).toContain('id="balanced">Cuadra');

    const actions = (await auditActions(s.ctx)).filter((a) => a.operator_id === op.id).map((a) => a.action);
    expect(actions).toEqual([
      'operator.create', 'operator.sign_in', 'golive.activate', 'billing.grant', 'billing.withdraw', 'distribution.authorize',
      'app.suspend', 'app.reinstate', 'app.revoke', 'codes.issue', 'ledger.verify',
    ]);
    const page = textOf((await c.get('/backoffice/audit')).html);
    for (const label of ['Aplicación activada', 'API de facturación habilitado', 'API de facturación retirado', 'Cuenta de distribución autorizada',
      'Aplicación suspendida', 'Aplicación reactivada', 'Aplicación revocada', 'Códigos emitidos', 'Libro mayor verificado', 'Inicio de sesión']) {
      expect(page).toContain(label);
    }
    expect(page).toContain('Incumplimiento de los términos de uso');
    const filtered = await c.get(`/backoffice/audit?action=app.suspend`);
    expect(textOf(filtered.html)).toContain('Reclamos de clientes');
    expect([...filtered.html.matchAll(/<tr data-action="([^"]+)"/g)].map((m) => m[1])).toEqual(['app.suspend']);
  });

  it('refuses a going-live request with a reason the merchant can read', async () => {
    const biz2 = await productionBusiness(s.ctx, op.id);
    const app2 = (await productionApp(s.ctx, biz2)).app.id;
    await s.ctx.store.tx((tx) => submitGolive(tx, biz2.userId, app2, { affiliationCode: biz2.code, ...DECLARATION }, s.clock.now()));
    await c.get(`/backoffice/apps/${app2}`);
    const empty = await c.post(`/backoffice/apps/${app2}/refuse`, { reason: '' });
    expect(empty.status).toBe(400);
    expect(empty.html).toContain('id="reason-refuse-error">Indique el motivo.');
    const r = await c.post(`/backoffice/apps/${app2}/refuse`, { reason: 'El dominio no responde por HTTPS' });
    expect(r.status).toBe(303);
    const req = await s.ctx.store.db.selectFrom('golive_requests').selectAll().where('app_id', '=', app2).executeTakeFirstOrThrow();
    expect([req.status, req.reason, req.decided_by]).toEqual(['refused', 'El dominio no responde por HTTPS', op.id]);
    const audit = (await auditActions(s.ctx)).at(-1)!;
    expect(audit).toMatchObject({ action: 'golive.refuse', target_id: app2, reason: 'El dominio no responde por HTTPS' });
    expect((await s.ctx.store.db.selectFrom('apps').select('ready').where('id', '=', app2).executeTakeFirstOrThrow()).ready).toBe(0);
  });
});
