import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMerchant, type MerchantCreds } from '../../src/sandbox/demo.ts';
import { runCli } from '../helpers/cli.ts';
import { testEnv, testServer, type TestEnv } from '../helpers/env.ts';
import { cancelIntent } from '../../src/checkout/checkout.service.ts';
import { createIntent } from '../../src/payment-intents/payment-intent.service.ts';
import { callerForApp } from '../../src/sandbox/trigger.service.ts';
import { HookServer, verifyWebhook } from '../webhooks/hook-server.ts';
import { eventsOf, subscribe } from '../webhooks/fixtures.ts';

/** `mpandco listen` running in the background; resolves with its first line (the session's start). */
function startListen(args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [path.resolve('bin/mpandco.js'), 'listen', ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let stderr = '';
  let buffer = '';
  const waiters: { test: (l: string) => boolean; resolve: (l: string) => void }[] = [];
  child.stdout.on('data', (d: Buffer) => {
    buffer += d.toString();
    for (let i = buffer.indexOf('\n'); i >= 0; i = buffer.indexOf('\n')) {
      const line = buffer.slice(0, i);
      buffer = buffer.slice(i + 1);
      lines.push(line);
      for (const w of [...waiters]) if (w.test(line)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
  const line = (test: (l: string) => boolean, timeoutMs = 30_000) => {
    const found = lines.find(test);
    if (found) return Promise.resolve(found);
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`listen printed no such line; stdout: ${lines.join('\n')} stderr: ${stderr}`)), timeoutMs);
      waiters.push({ test, resolve: (l) => { clearTimeout(timer); resolve(l); } });
    });
  };
  return { child: child as ChildProcessWithoutNullStreams, lines, line, exited, stderr: () => stderr };
}

/** A sale of the app, made through the API's own service. */
async function createSale(s: TestEnv, m: MerchantCreds, total: string): Promise<string> {
  const row = await createIntent(s.ctx, await callerForApp(s.ctx, m.app_id), {
    paymentintent: {
      intent: 'sale', redirectUrls: { returnUrl: 'http://localhost:3000/ok', cancelUrl: 'http://localhost:3000/ko' },
      transactions: [{ amount: { total, currency: 'VES' }, description: 'Prueba', items: [{ name: 'Café', quantity: '1', price: total }] }],
    },
  });
  return row.id;
}

describe('mpandco listen and mpandco trigger', () => {
  let te: TestEnv;
  let m: MerchantCreds;
  const hook = new HookServer();
  beforeAll(async () => {
    await hook.start('/hook');
    te = await testEnv();
    m = await createMerchant(te.ctx);
  });
  afterAll(async () => {
    await te.close();
    await hook.close();
  });

  it('trigger makes the sandbox objects of an event; without a webhook that wants it, it says nothing was recorded', async () => {
    const quiet = await runCli(['trigger', 'sale.executed', '--client-id', m.client_id, '--json'], te.childEnv);
    expect(quiet.code, quiet.stderr).toBe(0);
    const made = JSON.parse(quiet.stdout);
    expect(made).toMatchObject({ type: 'sale.executed', recorded: false, events: [], app: { client_id: m.client_id } });
    const intent = await te.ctx.store.db.selectFrom('payment_intents').select(['state', 'app_id']).where('id', '=', made.objectId).executeTakeFirstOrThrow();
    expect(intent).toEqual({ state: 'executed', app_id: m.app_id });

    await subscribe(te, m.app_id, null, ['request.paid', 'request.declined']);
    const paid = await runCli(['trigger', 'request.paid', '--client-id', m.client_id, '--json'], te.childEnv);
    expect(paid.code, paid.stderr).toBe(0);
    const out = JSON.parse(paid.stdout);
    expect(out).toMatchObject({ recorded: true, events: [{ type: 'request.paid', id: expect.stringMatching(/^evt_/) }] });
    const [event] = (await eventsOf(te, m.app_id)).filter((e) => e.id === out.events[0].id);
    expect(event).toMatchObject({ object_id: out.objectId, type: 'request.paid' });
    expect(JSON.parse(event.data_json)).toMatchObject({ id: out.objectId, intent: 'request', state: 'executed' });

    const human = await runCli(['trigger', 'request.declined', '--client-id', m.client_id], te.childEnv);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/^request\.declined: \S+ \(Tienda /);
    expect(human.stdout).toMatch(/ {2}request\.declined {2}evt_[0-9a-f]{24}/);

    // The sandbox's rejected bank account makes one item of the instant batch fail at settlement.
    await subscribe(te, m.app_id, null, ['payout.batch_settled', 'payout.item_failed']);
    const payout = await runCli(['trigger', 'payout.item_failed', '--client-id', m.client_id, '--json'], te.childEnv);
    expect(payout.code, payout.stderr).toBe(0);
    const settled = JSON.parse(payout.stdout);
    expect(settled.events.map((e: { type: string }) => e.type)).toEqual(['payout.item_failed', 'payout.batch_settled']);
    const failed = (await eventsOf(te, m.app_id)).find((e) => e.id === settled.events[0].id)!;
    expect(JSON.parse(failed.data_json)).toMatchObject({ ref: settled.objectId, bank_account: '01029999999999999999', status: 'REJECTED' });

    const bad = await runCli(['trigger', 'sale.paid'], te.childEnv);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('name an event: sale.authorized, sale.executed');
  });

  it('listen forwards every new event to a local URL, signed as a webhook, and prints each answer', async () => {
    await subscribe(te, m.app_id, null, []);
    const listen = startListen(['--forward-to', hook.url, '--client-id', m.client_id, '--json'], te.childEnv);
    try {
      const start = JSON.parse(await listen.line((l) => l.includes('"listening"')));
      expect(start).toMatchObject({ listening: true, app: m.client_id, forward_to: hook.url, secret: expect.stringMatching(/^whsec_/) });
      const before = hook.received.length;
      // The app chose no event type: the session alone makes the trigger's event recorded.
      const t = await runCli(['trigger', 'sale.executed', '--client-id', m.client_id, '--json'], te.childEnv);
      expect(t.code, t.stderr).toBe(0);
      const made = JSON.parse(t.stdout);
      expect(made.recorded).toBe(true);
      const executed = made.events.find((e: { type: string }) => e.type === 'sale.executed');
      expect(executed).toBeDefined();
      const printed = JSON.parse(await listen.line((l) => l.includes(executed.id)));
      expect(printed).toMatchObject({ event: executed.id, type: 'sale.executed', status: 200 });
      await hook.waitFor(before + made.events.length);
      const got = hook.received.slice(before).find((d) => d.headers['x-mpandco-event'] === executed.id)!;
      expect(got.method).toBe('POST');
      expect(verifyWebhook(got.headers['x-mpandco-signature'], start.secret, got.raw)).toBe(true);
      expect(JSON.parse(got.raw)).toMatchObject({ id: executed.id, type: 'sale.executed', environment: 'sandbox', data: { id: made.objectId, state: 'executed' } });
      // Every event of the sale went, in order: authorized, then executed.
      expect(hook.received.slice(before).map((d) => JSON.parse(d.raw).type)).toEqual(['sale.authorized', 'sale.executed']);
    } finally {
      listen.child.kill('SIGTERM');
    }
    expect(await listen.exited).toBe(0);
    const app = await te.ctx.store.db.selectFrom('apps').select('events_listen_until').where('id', '=', m.app_id).executeTakeFirstOrThrow();
    expect(Number(app.events_listen_until)).toBe(0);
  });

  it('listen --base-url polls the events API of a sandbox server, signing with a secret of its own', async () => {
    const srv = await testServer();
    try {
      const shop = await createMerchant(srv.ctx);
      await subscribe(srv, shop.app_id, null, ['intent.canceled']);
      const old = await createSale(srv, shop, '1.00');
      await cancelIntent(srv.ctx, old);
      const listen = startListen([
        '--forward-to', hook.url, '--base-url', srv.baseUrl, '--client-id', shop.client_id, '--client-secret', shop.client_secret,
        '--secret', 'whsec_session', '--json',
      ], srv.childEnv);
      try {
        expect(JSON.parse(await listen.line((l) => l.includes('"listening"')))).toMatchObject({ secret: 'whsec_session' });
        const before = hook.received.length;
        const fresh = await createSale(srv, shop, '2.00');
        await cancelIntent(srv.ctx, fresh);
        const printed = JSON.parse(await listen.line((l) => l.includes('intent.canceled')));
        expect(printed).toMatchObject({ type: 'intent.canceled', status: 200 });
        await hook.waitFor(before + 1);
        // Only the new event: the one recorded before the session is not sent.
        const got = hook.received.slice(before);
        expect(got).toHaveLength(1);
        expect(verifyWebhook(got[0].headers['x-mpandco-signature'], 'whsec_session', got[0].raw)).toBe(true);
        expect(JSON.parse(got[0].raw)).toMatchObject({ id: printed.event, type: 'intent.canceled', environment: 'sandbox', data: { id: fresh } });
      } finally {
        listen.child.kill('SIGTERM');
      }
      expect(await listen.exited).toBe(0);
    } finally {
      await srv.close();
    }
  });

  it('listen needs a URL to forward to', async () => {
    const r = await runCli(['listen'], te.childEnv);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--forward-to URL is required');
  });
});
