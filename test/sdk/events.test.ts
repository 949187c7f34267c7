import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MpandcoError, parseEvent, type MpandcoClient, type PaymentIntent } from '../../sdk/src/index.ts';
import { deliverDueWebhooks } from '../../src/callbacks/webhook-deliver.ts';
import type { MerchantCreds, PayerCreds } from '../../src/sandbox/demo.ts';
import { saveWebhook, webhookOf } from '../../src/webhooks/webhook-settings.service.ts';
import { testServer, type TestServer } from '../helpers/env.ts';
import { merchant, payer, sale, SANDBOX_HELPERS, sdkFor } from './support.ts';

/** A merchant's webhook endpoint: keeps each POST's raw body and signature. */
class Endpoint {
  readonly received: { body: string; signature: string; event: string }[] = [];
  base = '';
  private server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => (body += d));
    req.on('end', () => {
      this.received.push({ body, signature: String(req.headers['x-mpandco-signature']), event: String(req.headers['x-mpandco-event']) });
      res.writeHead(200).end('ok');
    });
  });

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

describe('SDK: events and webhooks', () => {
  let s: TestServer;
  let m: MerchantCreds;
  let eva: PayerCreds;
  let sdk: MpandcoClient;
  const endpoint = new Endpoint();
  beforeAll(async () => {
    await endpoint.start();
    s = await testServer();
    m = await merchant(s);
    eva = await payer(s, 100_00, '8642');
    sdk = sdkFor(s, m);
    await saveWebhook(s.ctx, m.user_id, m.app_id, { url: `${endpoint.base}/mpandco/webhook`, events: ['sale.executed', 'sale.annulled'] });
  });
  afterAll(async () => {
    await s.close();
    await endpoint.close();
  });

  const executedSale = async (total: string): Promise<PaymentIntent> => {
    const created = await sdk.paymentIntents.create(sale(total));
    const approved = await sdk.sandbox.authorize(created, { payer: eva.username, pin: '8642', ...SANDBOX_HELPERS });
    return sdk.paymentIntents.execute(created, { payer: approved.payer! });
  };

  it('the webhook delivery verifies with parseEvent and is the event events.list returns', async () => {
    const executed = await executedSale('6.00');
    await deliverDueWebhooks(s.ctx);
    const hit = endpoint.received.at(-1)!;
    const { secret } = await webhookOf(s.ctx, m.app_id);
    const event = await parseEvent({ payload: hit.body, signature: hit.signature, secret: secret!, now: s.clock.now() });
    expect(event).toMatchObject({ id: hit.event, type: 'sale.executed', environment: 'sandbox', data: { id: executed.id, state: 'executed' } });
    await expect(parseEvent({ payload: hit.body.replace('executed', 'annulled'), signature: hit.signature, secret: secret!, now: s.clock.now() }))
      .rejects.toMatchObject({ reason: 'mismatch' });

    const listed = await sdk.events.list({ type: 'sale.executed' });
    expect(listed.data[0]).toEqual(event);
  });

  it('lists the events after one, oldest first, and filters by type', async () => {
    const first = await executedSale('1.00');
    const since = (await sdk.events.list({ maxPerPage: 1 })).data[0];
    expect(since.data).toMatchObject({ id: first.id });
    const second = await executedSale('2.00');
    await sdk.paymentIntents.annul(second);
    const after = await sdk.events.list({ after: since.id });
    expect(after.data.map((e) => [e.type, (e.data as { id: string }).id])).toEqual([
      ['sale.executed', second.id], ['sale.annulled', second.id],
    ]);
    const annulled = await sdk.events.list({ type: 'sale.annulled' });
    expect(annulled.data.every((e) => e.type === 'sale.annulled')).toBe(true);
    const unknown = await sdk.events.list({ after: 'evt_nope' }).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(MpandcoError);
    expect((unknown as MpandcoError).fieldErrors('after')).toHaveLength(1);
  });
});
