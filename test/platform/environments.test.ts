import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureSandboxSeed } from '../../src/sandbox/seed.ts';
import { testServer, type TestServer } from '../helpers/env.ts';
import { get } from '../helpers/http.ts';
import { WebClient } from '../helpers/web.ts';

describe('sandbox and production are separate', () => {
  let sandbox: TestServer;
  let production: TestServer;
  beforeAll(async () => {
    sandbox = await testServer({ env: 'sandbox' });
    // Same data dir / schema prefix, as `mpandco serve` runs them: still separate stores.
    production = await testServer({ env: 'production', dataDir: sandbox.dataDir, schemaPrefix: sandbox.childEnv.MPANDCO_PG_SCHEMA_PREFIX });
    await ensureSandboxSeed(sandbox.ctx);
    await ensureSandboxSeed(production.ctx);
  });
  afterAll(async () => {
    await production.close();
    await sandbox.close();
  });

  it('seeds demo accounts in the sandbox only', async () => {
    const inSandbox = await sandbox.ctx.store.db.selectFrom('users').select('username').execute();
    const inProduction = await production.ctx.store.db.selectFrom('users').select('username').execute();
    expect(inSandbox.map((u) => u.username)).toEqual(expect.arrayContaining(['demo01', 'maria', 'pedro']));
    expect(inProduction).toEqual([]);
  });

  it('a sandbox account cannot sign in to production', async () => {
    expect((await new WebClient(sandbox.baseUrl).signIn('maria', 'Sandbox2026')).status).toBe(303);
    expect((await new WebClient(production.baseUrl).signIn('maria', 'Sandbox2026')).status).toBe(401);
  });

  it('a sandbox session cookie means nothing in production', async () => {
    const web = new WebClient(sandbox.baseUrl);
    await web.signIn('maria', 'Sandbox2026');
    const cookie = (web as unknown as { cookies: Map<string, string> }).cookies.get('mp_sid');
    expect(cookie).toBeTruthy();
    const r = await fetch(`${production.baseUrl}/wallet`, { headers: { cookie: `mp_sid=${cookie}` }, redirect: 'manual' });
    expect(r.status).toBe(303);
  });

  it('keeps separate secrets and serves no sandbox helper or page in production', async () => {
    expect(sandbox.ctx.secrets.cookieSecret).not.toBe(production.ctx.secrets.cookieSecret);
    const path = `/${production.ctx.secrets.sandboxPath}/codes.json?access_token=${production.ctx.secrets.sandboxToken}`;
    expect((await get(production.baseUrl + path)).status).toBe(404);
    const home = await get(`${production.baseUrl}/`, { accept: 'text/html' });
    expect(home.text).not.toContain('codes.json');
    expect(home.text).not.toContain('Sandbox');
  });
});
