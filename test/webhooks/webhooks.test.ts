import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookUrlProblem } from '../../src/callbacks/url-guard.ts';
import { deliverDueWebhooks } from '../../src/callbacks/webhook-deliver.ts';
import { declineRequest } from '../../src/billing/pay-request.service.ts';
import { cancelIntent } from '../../src/checkout/checkout.service.ts';
import { expireDue } from '../../src/payment-intents/expiry.worker.ts';
import { approveWithSandboxTester } from '../../src/sandbox/approval.service.ts';
import { createMerchant, type PayerCreds } from '../../src/sandbox/demo.ts';
import { addTestFunds } from '../../src/sandbox/funds.ts';
import { apiDate } from '../../src/shared/clock.ts';
import { testServer, type TestServer } from '../helpers/env.ts';
import { postForm } from '../helpers/http.ts';
import type { WebClient } from '../helpers/web.ts';
import { annul, createRequest, executeDoc, payer, type Merchant } from '../billing/fixtures.ts';
import { createSale, executeAs } from '../payment-intents/fixtures.ts';
import { renewListening } from '../../src/webhooks/listen.service.ts';
import { HookServer, verifyWebhook } from './hook-server.ts';
import { auditOf, eventsOf, merchantSession, subscribe } from './fixtures.ts';

const half = () => 0.5;
const HOUR = 3_600_000;

async function authorizedSale(s: TestServer, m: Merchant, p: PayerCreds, total = '20.00'): Promise<string> {
  const sale = await createSale(s, m, total);
  expect(sale.status, sale.text).toBe(200);
  await approveWithSandboxTester(s.ctx, sale.body.id, p.username, p.pin);
  return sale.body.id;
}

describe('webhooks: settings, signed delivery, events written with their change', () => {
  let s: TestServer;
  let m: Merchant;
  let web: WebClient;
  let p: PayerCreds;
  const hook = new HookServer();
  beforeAll(async () => {
    await hook.start();
    s = await testServer();
    ({ m, web } = await merchantSession(s));
    p = await payer(s, 1_000_00, { pin: '1357' });
  });
  afterAll(async () => {
    await s.close();
    await hook.close();
  });

  it('the owner sets the endpoint and event types on the app page; http only to loopback in the sandbox', async () => {
    const path = `/settings/apps/${m.app_id}/webhook`;
    const page = await web.get(path);
    expect(page.status).toBe(200);
    expect(page.html).toContain('sale.executed');
    expect(page.html).toContain('Se crea al guardar el primer endpoint.');
    const plain = await web.post(path, { url: 'http://shop.example.com/hook', events: 'sale.executed' });
    expect(plain.status).toBe(400);
    expect(plain.html).toContain('El endpoint debe usar HTTPS (en el sandbox, http solo a localhost).');
    const none = await web.post(path, { url: hook.url, events: '' });
    expect(none.status).toBe(400);
    expect(none.html).toContain('Elija al menos un evento.');
    // Two checkboxes ticked: the field comes twice (as a browser sends it) or indexed.
    const saved = await web.post(path, { url: hook.url, 'events[0]': 'request.paid', 'events[1]': 'sale.executed' });
    expect(saved.status).toBe(303);
    const app = await s.ctx.store.db.selectFrom('apps').select(['webhook_url', 'webhook_events', 'webhook_secret']).where('id', '=', m.app_id).executeTakeFirstOrThrow();
    expect(app).toMatchObject({ webhook_url: hook.url, webhook_events: ',sale.executed,request.paid,' });
    expect(app.webhook_secret).toMatch(/^whsec_[A-Za-z0-9_-]{32}$/);
    const shown = await web.get(`${path}?done=saved`);
    expect(shown.html).toContain('Webhook guardado.');
    expect(shown.html).toContain(app.webhook_secret!);

    const rotated = await web.post(`${path}/secret`, {}, { csrfFrom: path });
    expect(rotated.status).toBe(303);
    const after = await s.ctx.store.db.selectFrom('apps').select('webhook_secret').where('id', '=', m.app_id).executeTakeFirstOrThrow();
    expect(after.webhook_secret).not.toBe(app.webhook_secret);
    expect((await auditOf(s, 'webhook.update')).at(-1)).toMatchObject({ target_id: m.app_id, operator_id: m.user_id });
    expect((await auditOf(s, 'webhook.rotate_secret')).at(-1)).toMatchObject({ target_id: m.app_id });
    const stranger = await merchantSession(s);
    expect((await stranger.web.get(path)).status).toBe(404);
  });

  it('the endpoint rules: HTTPS, http to loopback in the sandbox only, public hosts in production', () => {
    expect(webhookUrlProblem('https://shop.example.com/hook', false)).toBeUndefined();
    expect(webhookUrlProblem('http://localhost:3000/hook', false)).toBeUndefined();
    expect(webhookUrlProblem('http://127.0.0.1:3000/hook', false)).toBeUndefined();
    expect(webhookUrlProblem('http://[::1]:3000/hook', false)).toBeUndefined();
    expect(webhookUrlProblem('http://192.168.1.5/hook', false)).toBe('https');
    expect(webhookUrlProblem('http://localhost:3000/hook', true)).toBe('https');
    expect(webhookUrlProblem('https://localhost/hook', true)).toBe('not_public');
    expect(webhookUrlProblem('https://10.0.0.8/hook', true)).toBe('not_public');
    expect(webhookUrlProblem('https://u:p@shop.example.com/hook', true)).toBe('credentials');
    expect(webhookUrlProblem('https://shop.example.com/hook#x', true)).toBe('invalid');
    expect(webhookUrlProblem('ftp://shop.example.com/', false)).toBe('invalid');
    expect(webhookUrlProblem('https://shop.example.com/hook', true)).toBeUndefined();
  });

  it('a sale executed POSTs a signed JSON event that verifies independently, retried with backoff and listed in the log', async () => {
    const secret = await subscribe(s, m.app_id, hook.url, ['sale.executed'], 'whsec_verify_me');
    hook.status = 500;
    const id = await authorizedSale(s, m, p);
    expect((await eventsOf(s, m.app_id)).filter((e) => e.object_id === id)).toEqual([]); // sale.authorized not chosen
    const exec = await executeAs(s, m, id, p.payer_id);
    expect(exec.status, exec.text).toBe(200);
    const [event] = (await eventsOf(s, m.app_id)).filter((e) => e.object_id === id);
    expect(event).toMatchObject({ type: 'sale.executed', status: 'pending', user_id: m.user_id });
    const waiting = await web.get(`/settings/apps/${m.app_id}/callbacks`);
    const from = waiting.html.indexOf(`id="d-${event.id}"`);
    const fresh = waiting.html.slice(from, waiting.html.indexOf('</li>', from));
    expect(fresh).toContain('Aún sin intentos: sale en segundos.');
    expect(fresh).not.toContain('Próximo intento');

    const first = hook.received.length;
    expect(await deliverDueWebhooks(s.ctx, { random: half })).toMatchObject({ retrying: 1 });
    const retryAt = s.clock.now() + 30_000;
    expect(await s.ctx.store.db.selectFrom('events').select(['status', 'next_attempt_at']).where('id', '=', event.id).executeTakeFirstOrThrow())
      .toMatchObject({ status: 'pending', next_attempt_at: retryAt });
    hook.status = 200;
    s.clock.advance(31_000);
    expect(await deliverDueWebhooks(s.ctx, { random: half })).toMatchObject({ delivered: 1 });
    expect(hook.received.length - first).toBe(2);

    const got = hook.received.at(-1)!;
    expect(got.method).toBe('POST');
    expect(got.headers['content-type']).toBe('application/json');
    expect(got.headers['x-mpandco-event']).toBe(event.id);
    expect(verifyWebhook(got.headers['x-mpandco-signature'], secret, got.raw)).toBe(true);
    expect(verifyWebhook(got.headers['x-mpandco-signature'], 'whsec_other', got.raw)).toBe(false);
    expect(verifyWebhook(got.headers['x-mpandco-signature'], secret, got.raw.replace('"executed"', '"annulled"'))).toBe(false);
    const t = Number(/t=(\d+)/.exec(String(got.headers['x-mpandco-signature']))![1]);
    expect(t).toBe(Math.floor(s.clock.now() / 1000));
    const body = JSON.parse(got.raw);
    expect(Object.keys(body)).toEqual(['id', 'type', 'created_at', 'environment', 'data']);
    expect(body).toMatchObject({ id: event.id, type: 'sale.executed', environment: 'sandbox', created_at: apiDate(Number(event.created_at)) });
    expect(body.created_at).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(body.data).toMatchObject({
      id, intent: 'sale', state: 'executed', payer: { payer_info: { id: p.payer_id } },
      total: { currency: { id: 'VES' }, amount: 20 },
      transactions: [{ amount: { total: 20 }, related_resources: { sale: { ref: expect.stringMatching(/^P\d{13}$/) } } }],
    });

    const log = await web.get(`/settings/apps/${m.app_id}/callbacks`);
    const at = log.html.indexOf(`id="d-${event.id}"`);
    expect(at).toBeGreaterThan(0);
    const block = log.html.slice(at, log.html.indexOf('</li>', at));
    expect(block).toContain('Webhook (POST) · sale.executed');
    expect(block).toContain('HTTP 500: se esperaba 2xx');
    expect(block).toContain('HTTP 200 · entregado');

    // Reenviar works for webhooks too, signed again with the secret of the moment.
    const resent = await web.post(`/settings/apps/${m.app_id}/callbacks/${event.id}/resend`, {}, { csrfFrom: `/settings/apps/${m.app_id}/callbacks` });
    expect(resent.status).toBe(303);
    await subscribe(s, m.app_id, hook.url, ['sale.executed'], 'whsec_rotated');
    expect(await deliverDueWebhooks(s.ctx, { random: half })).toMatchObject({ delivered: 1 });
    const again = hook.received.at(-1)!;
    expect(again.raw).toBe(got.raw);
    expect(verifyWebhook(again.headers['x-mpandco-signature'], 'whsec_rotated', again.raw)).toBe(true);
    expect((await auditOf(s, 'callback.resend')).at(-1)).toMatchObject({ target_id: m.app_id });
  });

  it('a refused execute writes no event; an app that chose nothing gets no event row at all', async () => {
    await subscribe(s, m.app_id, hook.url, ['sale.executed']);
    const poor = await payer(s, 30_00, { pin: '1111' });
    const a = await authorizedSale(s, m, poor, '20.00');
    const b = await authorizedSale(s, m, poor, '20.00');
    expect((await executeAs(s, m, a, poor.payer_id)).status).toBe(200);
    const refused = await executeAs(s, m, b, poor.payer_id);
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('Saldo insuficiente');
    const events = (await eventsOf(s, m.app_id)).filter((e) => e.object_id === a || e.object_id === b);
    expect(events.map((e) => [e.object_id, e.type])).toEqual([[a, 'sale.executed']]);

    const quiet = await merchantSession(s);
    const sale = await authorizedSale(s, quiet.m, p);
    expect((await executeAs(s, quiet.m, sale, p.payer_id)).status).toBe(200);
    expect(await eventsOf(s, quiet.m.app_id)).toEqual([]);
  });

  it('every state change writes its own event: authorized, canceled, expired, annulled, request paid and declined, payout settled', async () => {
    const shop = await merchantSession(s);
    await subscribe(s, shop.m.app_id, null);
    const sold = await authorizedSale(s, shop.m, p);
    expect((await executeAs(s, shop.m, sold, p.payer_id)).status).toBe(200);
    expect((await annul(s, shop.m, sold)).status).toBe(200);
    const canceled = (await createSale(s, shop.m)).body.id;
    expect((await cancelIntent(s.ctx, canceled)).kind).toBe('redirect');
    const lazy = (await createSale(s, shop.m)).body.id;
    const swept = (await createSale(s, shop.m)).body.id;
    const paid = await createRequest(s, shop.m, p.username, { total: '2.00' });
    expect((await executeDoc(s, shop.m, paid.id, paid.pay_tokens[0].id, p.pin)).status).toBe(200);
    const declined = await createRequest(s, shop.m, p.username, { total: '2.00' });
    await declineRequest(s.ctx, p.payer_id, declined.id);
    await s.ctx.store.tx(async (tx) => addTestFunds(tx, (await tx.selectFrom('apps').select('receiving_account_id').where('id', '=', shop.m.app_id)
      .executeTakeFirstOrThrow()).receiving_account_id, 100_00, s.clock.now()));
    const item = await postForm(`${s.baseUrl}/api/multipayment/register-item.json?type=DISPERSION_INSTANT_INTERBANK`, {
      multi_payment_item: { reference: '1', nameAccount: 'Ana Pérez', identificationNumber: 'V12345678', bankAccount: '01340000000000000000', amount: '5.00' },
    }, shop.m.auth);
    expect(item.status, item.text).toBe(200);
    const batch = await s.ctx.store.db.selectFrom('payout_batches').select('id').where('owner_user_id', '=', shop.m.user_id).executeTakeFirstOrThrow();
    const submitted = await postForm(`${s.baseUrl}/api/multipayment/submit.json?id=${batch.id}`, {}, shop.m.auth);
    expect(submitted.status, submitted.text).toBe(200);

    s.clock.advance(73 * HOUR);
    // One expires when touched (lazily, by the execute that finds it past its time), the other in the background pass.
    expect((await executeAs(s, shop.m, lazy, p.payer_id)).status).toBe(400);
    expect(await expireDue(s.ctx)).toBeGreaterThanOrEqual(1);

    const byObject = (id: string) => events.filter((e) => e.object_id === id).map((e) => e.type);
    const events = await eventsOf(s, shop.m.app_id);
    expect(byObject(sold)).toEqual(['sale.authorized', 'sale.executed', 'sale.annulled']);
    expect(byObject(canceled)).toEqual(['intent.canceled']);
    expect(byObject(lazy)).toEqual(['intent.expired']);
    expect(byObject(swept)).toEqual(['intent.expired']);
    expect(byObject(paid.id)).toEqual(['request.paid']);
    expect(byObject(declined.id)).toEqual(['request.declined']);
    expect(byObject(batch.id)).toEqual(['payout.batch_settled']);
    // No endpoint: recorded for the events API, never delivered nor in the log.
    expect(events.every((e) => e.status === 'none')).toBe(true);
    const annulled = JSON.parse(events.find((e) => e.type === 'sale.annulled')!.data_json);
    expect(annulled).toMatchObject({ id: sold, state: 'annulled', transactions: [{ related_resources: { sale: { ref: expect.stringMatching(/^P/) } } }] });
    const settled = JSON.parse(events.find((e) => e.type === 'payout.batch_settled')!.data_json);
    expect(settled).toMatchObject({ id: batch.id, status: 'SETTLED', items: [{ amount: '5.00', status: 'SETTLED' }] });
    await shop.web.signIn(shop.m.username, shop.m.password);
    const log = (await shop.web.get(`/settings/apps/${shop.m.app_id}/callbacks`)).html;
    expect(log).toContain('Callback (GET)'); // the request's own callback
    expect(log).not.toContain('Webhook (POST)');
  });

  it('a listen session records every type without a webhook, for as long as its lease lasts', async () => {
    const app = await createMerchant(s.ctx);
    const token = await merchantSession(s);
    await s.ctx.store.tx((tx) => tx.updateTable('apps').set({ events_listen_until: s.clock.now() + 60_000 }).where('id', '=', token.m.app_id).execute());
    const first = (await createSale(s, token.m)).body.id;
    await cancelIntent(s.ctx, first);
    s.clock.advance(61_000);
    const second = (await createSale(s, token.m)).body.id;
    await cancelIntent(s.ctx, second);
    const events = await eventsOf(s, token.m.app_id);
    expect(events.map((e) => [e.object_id, e.type, e.status])).toEqual([[first, 'intent.canceled', 'none']]);
    expect(await eventsOf(s, app.app_id)).toEqual([]);
  });

  it("a listen session's lease follows the business's sandbox test clock", async () => {
    const shop = await merchantSession(s);
    await s.ctx.store.tx((tx) => tx.insertInto('sandbox_clocks').values({ owner_user_id: shop.m.user_id, offset_ms: 30 * HOUR, updated_at: s.clock.now() }).execute());
    await renewListening(s.ctx, shop.m.app_id);
    const sale = (await createSale(s, shop.m)).body.id;
    await cancelIntent(s.ctx, sale);
    const [event] = await eventsOf(s, shop.m.app_id);
    expect(event).toMatchObject({ object_id: sale, type: 'intent.canceled', status: 'none' });
    expect(Number(event.created_at)).toBe(s.clock.now() + 30 * HOUR);
  });
});
