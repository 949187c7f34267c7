import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PayerCreds } from '../../src/sandbox/demo.ts';
import { clockState } from '../../src/sandbox/clock.service.ts';
import { DAY_MS, HOUR_MS } from '../../src/shared/clock.ts';
import { testServer, type TestServer } from '../helpers/env.ts';
import { WebClient } from '../helpers/web.ts';
import { fundedPayer, liveMerchant, type Merchant } from './fixtures.ts';

// The test clock on the pages: a card on each app's page and on /settings/sandbox, for the
// business only; none in production.

describe('the test clock on the pages', () => {
  let s: TestServer;
  let m: Merchant;
  let p: PayerCreds;
  beforeAll(async () => {
    s = await testServer();
    m = await liveMerchant(s);
    p = await fundedPayer(s, 10_00);
  });
  afterAll(async () => s?.close());

  it('is advanced and reset from the app page by the business, and every change is audited', async () => {
    const web = new WebClient(s.baseUrl);
    await web.signIn(m.username, m.password);
    const page = await web.get(`/settings/apps/${m.app_id}`);
    expect(page.html).toContain('id="test-clock"');
    expect(page.html).toMatch(/id="clock-offset"[^>]*>hora real</);
    const r = await web.post('/settings/sandbox/clock', { amount: '25', unit: 'h', back: `/settings/apps/${m.app_id}` }, { csrfFrom: `/settings/apps/${m.app_id}` });
    expect(r.status).toBe(303);
    expect(r.location).toBe(`/settings/apps/${m.app_id}#test-clock`);
    expect((await clockState(s.ctx, m.user_id)).offsetMs).toBe(25 * HOUR_MS);
    expect((await web.get(`/settings/apps/${m.app_id}`)).html).toMatch(/id="clock-offset"[^>]*>1d 1h</);
    const days = await web.post('/settings/sandbox/clock', { amount: '2', unit: 'd', back: 'https://evil.example/' }, { csrfFrom: '/settings/sandbox' });
    expect(days.location).toBe('/settings/sandbox?done=clock&by=3d%201h');
    const bad = await web.post('/settings/sandbox/clock', { amount: '-1', unit: 'h' }, { csrfFrom: '/settings/sandbox' });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('Indique un número entero de horas o días');
    const reset = await web.post('/settings/sandbox/clock/reset', { back: `/settings/apps/${m.app_id}` }, { csrfFrom: '/settings/sandbox' });
    expect(reset.status).toBe(303);
    expect((await clockState(s.ctx, m.user_id)).offsetMs).toBe(0);
    const audit = await s.ctx.store.db.selectFrom('audit_log').select(['action', 'operator_id', 'details_json'])
      .where('target_id', '=', m.user_id).where('action', 'like', 'sandbox.clock%').orderBy('id').execute();
    expect(audit.map((a) => a.action).slice(-3)).toEqual(['sandbox.clock_advance', 'sandbox.clock_advance', 'sandbox.clock_reset']);
    expect(audit.every((a) => a.operator_id === m.user_id)).toBe(true);
    expect(JSON.parse(audit.at(-2)!.details_json)).toMatchObject({ via: 'merchant', byMs: 2 * DAY_MS, offsetMs: 73 * HOUR_MS });
  });

  it('is for businesses only: a person has no tools page', async () => {
    const web = new WebClient(s.baseUrl);
    await web.signIn(p.username, p.password);
    expect((await web.get('/settings/sandbox')).status).toBe(404);
  });

});

describe('production has no test clock pages', () => {
  let s: TestServer;
  let m: Merchant;
  beforeAll(async () => {
    s = await testServer({ env: 'production' });
    m = await liveMerchant(s);
  });
  afterAll(async () => s?.close());

  it('shows no clock and answers 404 to its page and forms', async () => {
    const web = new WebClient(s.baseUrl);
    await web.signIn(m.username, m.password);
    expect((await web.get('/settings/sandbox')).status).toBe(404);
    expect((await web.get(`/settings/apps/${m.app_id}`)).html).not.toContain('id="test-clock"');
    const r = await web.post('/settings/sandbox/clock', { amount: '25', unit: 'h' }, { csrfFrom: `/settings/apps/${m.app_id}` });
    expect(r.status).toBe(404);
    expect((await clockState(s.ctx, m.user_id)).offsetMs).toBe(0);
  });
});
