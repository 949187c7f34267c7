import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer, type TestServer } from '../helpers/env.ts';
import { get } from '../helpers/http.ts';

describe('sandbox codes link', () => {
  let s: TestServer;
  let prod: TestServer;
  beforeAll(async () => {
    s = await testServer();
    prod = await testServer({ env: 'production' });
  });
  afterAll(async () => {
    await s?.close();
    await prod?.close();
  });

  it('mints a fresh pair of 8-character single-use codes on every call', async () => {
    const a = await get(`${s.baseUrl}/sbx/codes.json?access_token=test-token`);
    const b = await get(`${s.baseUrl}/sbx/codes.json?access_token=test-token`);
    expect(a.status).toBe(200);
    expect(Object.keys(a.body).sort()).toEqual(['commercial', 'regular']);
    for (const code of [a.body.regular, a.body.commercial, b.body.regular, b.body.commercial]) expect(code).toMatch(/^[A-Za-z0-9]{8}$/);
    expect(new Set([a.body.regular, a.body.commercial, b.body.regular, b.body.commercial]).size).toBe(4);
    const rows = await s.ctx.store.db.selectFrom('affiliation_codes').selectAll().where('code', 'in', [a.body.regular, a.body.commercial]).execute();
    expect(rows.map((r) => [r.code === a.body.regular ? 'regular' : 'commercial', r.type, r.status, r.issued_by]).sort())
      .toEqual([['commercial', 'commercial', 'available', null], ['regular', 'regular', 'available', null]]);
    expect(a.headers.get('cache-control')).toBe('no-store');
  });

  it('refuses a wrong or missing token with 403 and mints nothing', async () => {
    const before = await s.ctx.store.db.selectFrom('affiliation_codes').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    for (const q of ['?access_token=test-tokeX', '?access_token=', '', '?access_token=test-token-longer']) {
      const r = await get(`${s.baseUrl}/sbx/codes.json${q}`);
      expect(r.status).toBe(403);
      expect(r.body).toEqual({ code: 403, message: expect.stringContaining('token') });
    }
    const after = await s.ctx.store.db.selectFrom('affiliation_codes').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('does not exist in production', async () => {
    const r = await get(`${prod.baseUrl}/sbx/codes.json?access_token=test-token`);
    expect(r.status).toBe(404);
    const rows = await prod.ctx.store.db.selectFrom('affiliation_codes').selectAll().execute();
    expect(rows).toEqual([]);
  });

  it('is linked from the sandbox home page only', async () => {
    const home = await get(`${s.baseUrl}/`, { accept: 'text/html' });
    expect(home.text).toContain(`${s.baseUrl}/sbx/codes.json?access_token=test-token`);
    expect(home.text).toContain('href="/docs"');
    const prodHome = await get(`${prod.baseUrl}/`, { accept: 'text/html' });
    expect(prodHome.status).toBe(200);
    expect(prodHome.text).not.toContain('codes.json');
    expect(prodHome.text).not.toContain('Sandbox');
    expect(prodHome.text).toContain('href="/register"');
  });
});
