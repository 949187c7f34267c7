import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PayerCreds } from '../../src/sandbox/demo.ts';
import { testServer, type TestServer } from '../helpers/env.ts';
import { postForm, phpQuery } from '../helpers/http.ts';
import { approveAs, balanceOf, createUrl, executeUrl, merchantWithToken, payer, saleDoc, type Merchant } from './fixtures.ts';

describe('Idempotency-Key on the intent POSTs', () => {
  let s: TestServer;
  let m: Merchant;
  let p: PayerCreds;
  beforeAll(async () => {
    s = await testServer();
    m = await merchantWithToken(s);
    p = await payer(s, 100_00);
  });
  afterAll(async () => s.close());

  it('a retried create with the same key returns the first intent and creates one', async () => {
    const body = phpQuery(saleDoc('8.00'));
    const headers = { ...m.auth, 'idempotency-key': 'order-1042-create' };
    const first = await postForm(createUrl(s), body, headers);
    const second = await postForm(createUrl(s), body, headers);
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(second.headers.get('idempotency-replayed')).toBe('true');
    // The same text, byte for byte, as the first answer (both written by the route's serializer).
    expect(second.text).toBe(first.text);
    expect(second.body.id).toBe(first.body.id);
    const rows = await s.ctx.store.db.selectFrom('payment_intents').select('id').where('owner_user_id', '=', m.user_id).execute();
    expect(rows).toHaveLength(1);
    const other = await postForm(createUrl(s), phpQuery(saleDoc('9.00')), headers);
    expect(other.status).toBe(422);
  });

  it('a retried execution replays the 200 and moves no money again', async () => {
    const created = await postForm(createUrl(s), phpQuery(saleDoc('10.00')), m.auth);
    await approveAs(s, created.body.id, p.payer_id);
    const headers = { ...m.auth, 'idempotency-key': 'exec-1' };
    const body = { payment_execution: { paymentIntent: created.body.id, payer: p.payer_id } };
    const first = await postForm(executeUrl(s, created.body.id), body, headers);
    const replay = await postForm(executeUrl(s, created.body.id), body, headers);
    expect(first.status).toBe(200);
    expect(replay.status).toBe(200);
    expect(replay.headers.get('idempotency-replayed')).toBe('true');
    expect(replay.body.transactions[0].related_resources).toEqual(first.body.transactions[0].related_resources);
    expect(await balanceOf(s, p.digital_account)).toBe(90_00);
  });
});
