import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MINUTE_MS } from '../../src/shared/clock.ts';
import { testServer, type TestServer } from '../helpers/env.ts';
import { get, type Res } from '../helpers/http.ts';
import { createRequest } from '../billing/fixtures.ts';
import { createSale, merchantWithToken, payer, show, type Merchant } from './fixtures.ts';

describe('GET /api/payment-intent/show.json and the list', () => {
  let s: TestServer;
  let m: Merchant;
  let other: Merchant;
  const ids: string[] = [];
  beforeAll(async () => {
    s = await testServer();
    m = await merchantWithToken(s);
    other = await merchantWithToken(s);
    for (let i = 1; i <= 5; i++) {
      const r = await createSale(s, m, `${i}.00`);
      ids.push(r.body.id);
      s.clock.advance(MINUTE_MS);
    }
    await createSale(s, other, '9.00');
  });
  afterAll(async () => s.close());

  const list = (who: Merchant, query = '') => get(`${s.baseUrl}/api/payment-intent/.json${query}`, who.auth);

  it('lists the account\'s intents newest first as a Paginator with absolute links', async () => {
    const r = await list(m, '?maxPerPage=2');
    expect(r.status).toBe(200);
    const base = `${s.baseUrl}/api/payment-intent/.json`;
    expect(r.body.meta).toEqual({ currentPage: 1, maxPerPage: 2, totalPages: 3, totalResults: 5 });
    expect(r.body.links).toEqual({
      first: { href: `${base}?page=1&maxPerPage=2` },
      self: { href: `${base}?page=1&maxPerPage=2` },
      next: { href: `${base}?page=2&maxPerPage=2` },
      last: { href: `${base}?page=3&maxPerPage=2` },
    });
    expect(r.body.data.map((x: { id: string }) => x.id)).toEqual([ids[4], ids[3]]);
    expect(r.body.data[0].total.amount).toBe(5);
  });

  it('has no next link on the last page and follows next to the end', async () => {
    let href: string | undefined = `${s.baseUrl}/api/payment-intent/.json?maxPerPage=2`;
    const seen: string[] = [];
    while (href) {
      const r: Res = await get(href, m.auth);
      seen.push(...r.body.data.map((x: { id: string }) => x.id));
      href = r.body.links.next?.href;
    }
    expect(seen).toEqual([...ids].reverse());
    const last = await list(m, '?page=3&maxPerPage=2');
    expect(last.body.links.next).toBeUndefined();
    expect(last.body.data).toHaveLength(1);
  });

  it('bounds page and maxPerPage', async () => {
    const big = await list(m, '?maxPerPage=100000&page=-4');
    expect(big.body.meta).toMatchObject({ currentPage: 1, maxPerPage: 100 });
    const small = await list(m, '?maxPerPage=0&page=abc');
    expect(small.body.meta).toMatchObject({ currentPage: 1, maxPerPage: 1, totalPages: 5 });
    const beyond = await list(m, '?page=99');
    expect(beyond.status).toBe(200);
    expect(beyond.body.data).toEqual([]);
    expect(beyond.body.links.next).toBeUndefined();
  });

  it('never shows another account\'s intents: not listed, 404 on show', async () => {
    const theirs = await list(other);
    expect(theirs.body.meta.totalResults).toBe(1);
    expect(theirs.body.data.map((x: { id: string }) => x.id)).not.toContain(ids[0]);
    const r = await show(s, other, ids[0]);
    expect(r.status).toBe(404);
    expect(r.body).toEqual({ code: 404, message: 'La intención de pago no existe.' });
    expect((await show(s, m, 'nope')).status).toBe(404);
    expect((await get(`${s.baseUrl}/api/payment-intent/show.json`, m.auth)).status).toBe(404);
    expect((await get(`${s.baseUrl}/api/payment-intent/show.json?id=${'x'.repeat(5000)}`, m.auth)).status).toBe(404);
  });

  it('shows a request\'s merchant callbacks as history_responses, oldest first', async () => {
    // Only a billing request calls the merchant back (a sale's history is always empty).
    const id = (await createRequest(s, m, (await payer(s, 0)).username)).id as string;
    const now = s.clock.now();
    await s.ctx.store.autocommit.insertInto('callbacks').values({
      id: 'cb-1', intent_id: id, app_id: m.app_id, url: 'https://shop.example/ok', status: 'delivered', attempts: 2,
      next_attempt_at: now, locked_until: 0, locked_by: null, created_at: now, delivered_at: now,
    }).execute();
    await s.ctx.store.autocommit.insertInto('callback_attempts').values([
      { callback_id: 'cb-1', intent_id: id, uri: `https://shop.example/ok?paymentIntent=${id}`, method: 'GET', status_code: 500, body: 'boom', error: null, at: now },
      { callback_id: 'cb-1', intent_id: id, uri: `https://shop.example/ok?paymentIntent=${id}`, method: 'GET', status_code: 200, body: 'ok', error: null, at: now + 1 },
    ]).execute();
    const r = await show(s, m, id);
    expect(r.body.redirect_urls.history_responses).toEqual([
      { uri: `https://shop.example/ok?paymentIntent=${id}`, method: 'GET', status_code: 500, body: 'boom' },
      { uri: `https://shop.example/ok?paymentIntent=${id}`, method: 'GET', status_code: 200, body: 'ok' },
    ]);
  });

  it('401 without a token on every read', async () => {
    for (const path of ['/api/payment-intent/.json', `/api/payment-intent/show.json?id=${ids[0]}`]) {
      const r = await get(`${s.baseUrl}${path}`);
      expect(r.status).toBe(401);
    }
  });
});
