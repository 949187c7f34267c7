import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cancelIntent } from '../../src/checkout/checkout.service.ts';
import { approveWithSandboxTester } from '../../src/sandbox/approval.service.ts';
import { testServer, type TestServer } from '../helpers/env.ts';
import { get } from '../helpers/http.ts';
import { merchantWithToken, payer, type Merchant } from '../billing/fixtures.ts';
import { createSale } from '../payment-intents/fixtures.ts';
import { subscribe } from './fixtures.ts';

const list = (s: TestServer, m: Merchant, query = '') => get(`${s.baseUrl}/api/event/.json${query}`, m.auth);

describe('GET /api/event/.json', () => {
  let s: TestServer;
  let a: Merchant;
  let b: Merchant;
  const made: { id: string; type: string }[] = [];
  let other: string;
  beforeAll(async () => {
    s = await testServer();
    a = await merchantWithToken(s);
    b = await merchantWithToken(s);
    await subscribe(s, a.app_id, null);
    await subscribe(s, b.app_id, null);
    const p = await payer(s, 100_00, { pin: '1234' });
    // Seven events for A: five sales authorized, two canceled, one second apart.
    for (let i = 0; i < 7; i++) {
      s.clock.advance(1000);
      const id = (await createSale(s, a, '1.00')).body.id as string;
      if (i < 5) await approveWithSandboxTester(s.ctx, id, p.username, p.pin);
      else await cancelIntent(s.ctx, id);
      made.push({ id, type: i < 5 ? 'sale.authorized' : 'intent.canceled' });
    }
    other = (await createSale(s, b, '1.00')).body.id;
    await cancelIntent(s.ctx, other);
  });
  afterAll(async () => s.close());

  it("lists the app's events newest first as a Paginator, each the body a webhook would POST", async () => {
    const r = await list(s, a);
    expect(r.status, r.text).toBe(200);
    expect(r.body.meta).toEqual({ currentPage: 1, maxPerPage: 10, totalPages: 1, totalResults: 7 });
    expect(r.body.data.map((e: { data: { id: string } }) => e.data.id)).toEqual(made.map((x) => x.id).reverse());
    const [newest] = r.body.data;
    expect(Object.keys(newest)).toEqual(['id', 'type', 'created_at', 'environment', 'data']);
    expect(newest).toMatchObject({ id: expect.stringMatching(/^evt_[0-9a-f]{24}$/), type: 'intent.canceled', environment: 'sandbox' });
    expect(newest.data).toMatchObject({ intent: 'sale', state: 'canceled' });
    expect(r.body.data.some((e: { data: { id: string } }) => e.data.id === other)).toBe(false);
    // The same path without .json, as every /api path.
    expect((await get(`${s.baseUrl}/api/event/?maxPerPage=1`, a.auth)).body.data[0].id).toBe(newest.id);
  });

  it('pages with page and maxPerPage, filters by type and keeps the filter in its links', async () => {
    const p1 = await list(s, a, '?type=sale.authorized&maxPerPage=2');
    expect(p1.body.meta).toEqual({ currentPage: 1, maxPerPage: 2, totalPages: 3, totalResults: 5 });
    expect(p1.body.links.next.href).toBe(`${s.baseUrl}/api/event/.json?type=sale.authorized&page=2&maxPerPage=2`);
    const p3 = await get(p1.body.links.last.href, a.auth);
    expect(p3.body.data.map((e: { data: { id: string } }) => e.data.id)).toEqual([made[0].id]);
    expect(p3.body.links.next).toBeUndefined();
    const all = [p1, await get(p1.body.links.next.href, a.auth), p3].flatMap((r) => r.body.data.map((e: { type: string }) => e.type));
    expect(all).toEqual(Array(5).fill('sale.authorized'));
  });

  it('after an event: the later ones, oldest first, to catch up', async () => {
    const everything = (await list(s, a, '?maxPerPage=100')).body.data.reverse();
    const r = await list(s, a, `?after=${everything[2].id}&maxPerPage=3`);
    expect(r.body.meta.totalResults).toBe(4);
    expect(r.body.data.map((e: { id: string }) => e.id)).toEqual(everything.slice(3, 6).map((e: { id: string }) => e.id));
    expect(r.body.links.next.href).toContain(`after=${everything[2].id}`);
    const last = await list(s, a, `?after=${everything[6].id}`);
    expect(last.body.data).toEqual([]);
  });

  it("never shows another app's events, and refuses what it cannot read", async () => {
    const mine = await list(s, b);
    expect(mine.body.data.map((e: { data: { id: string } }) => e.data.id)).toEqual([other]);
    const theirs = await list(s, b, `?after=${(await list(s, a)).body.data[0].id}`);
    expect(theirs.status).toBe(400);
    expect(theirs.body.errors.children.after.errors).toEqual(['No es un evento de esta aplicación.']);
    const unknown = await list(s, a, '?type=sale.paid');
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors.children.type.errors).toEqual(['Tipo de evento desconocido.']);
    expect((await get(`${s.baseUrl}/api/event/.json`)).status).toBe(401);
  });
});
