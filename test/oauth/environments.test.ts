import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer, type TestServer } from '../helpers/env.ts';
import { createMerchant, type MerchantCreds } from '../../src/sandbox/demo.ts';
import { callApi, clientAppsToken } from './support.ts';

describe('tokens of sandbox and production', () => {
  let sandbox: TestServer;
  let production: TestServer;
  let sm: MerchantCreds;
  let pm: MerchantCreds;

  beforeAll(async () => {
    sandbox = await testServer({ env: 'sandbox' });
    production = await testServer({ env: 'production' });
    sm = await createMerchant(sandbox.ctx);
    pm = await createMerchant(production.ctx);
  });
  afterAll(async () => {
    await sandbox?.close();
    await production?.close();
  });

  it('does not know the credentials of the other environment', async () => {
    expect((await clientAppsToken(production.baseUrl, sm)).body.error).toBe('invalid_client');
    expect((await clientAppsToken(sandbox.baseUrl, pm)).body.error).toBe('invalid_client');
  });

  it('refuses a sandbox token in production and the reverse', async () => {
    const sandboxToken = (await clientAppsToken(sandbox.baseUrl, sm)).body.access_token;
    const productionToken = (await clientAppsToken(production.baseUrl, pm)).body.access_token;
    expect(await callApi(sandbox.ctx, sandboxToken)).toMatchObject({ app: { id: sm.app_id } });
    expect(await callApi(production.ctx, sandboxToken)).toBe(403);
    expect(await callApi(sandbox.ctx, productionToken)).toBe(403);
  });

  it('issues production tokens before activation, which the API answers with 503 until the app is ready', async () => {
    const r = await clientAppsToken(production.baseUrl, pm);
    expect(r.status).toBe(200);
    expect(await callApi(production.ctx, r.body.access_token)).toBe(503);
    await production.ctx.store.autocommit.updateTable('apps').set({ ready: 1 }).where('id', '=', pm.app_id).execute();
    expect(await callApi(production.ctx, r.body.access_token)).toMatchObject({ app: { id: pm.app_id, ready: 1 } });
  });
});
