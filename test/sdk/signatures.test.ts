import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  MpandcoSignatureError, parseEvent, signatureHeader, verifyCallback, verifyWebhook, type MpandcoEvent,
} from '../../sdk/src/index.ts';
import { signatureHeader as serverCallbackHeader } from '../../src/callbacks/signature.ts';

// Webhooks: X-Mpandco-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>.
const secret = 'whsec_5f0c2d3e7a1b4c1e9d3a2b7e8f9a0c11';
const now = Date.UTC(2026, 10, 26, 15, 0, 0);
const t = Math.floor(now / 1000);
const event: MpandcoEvent = {
  id: 'evt_01', type: 'sale.executed', created_at: '2026-11-26 11:00:00', environment: 'sandbox',
  data: { id: '5f0c2d3e-7a1b-4c1e-9d3a-2b7e8f9a0c11', state: 'executed' },
};
const body = JSON.stringify(event);
const hmac = (key: string, text: string) => createHmac('sha256', key).update(text).digest('hex');
const header = (ts = t, payload = body, key = secret) => `t=${ts},v1=${hmac(key, `${ts}.${payload}`)}`;

const reason = async (p: Promise<unknown>) => {
  const e = await p.then(() => undefined, (x: unknown) => x);
  expect(e).toBeInstanceOf(MpandcoSignatureError);
  return (e as MpandcoSignatureError).reason;
};

describe('SDK: webhook signatures', () => {
  it('accepts the scheme computed independently, over text or raw bytes, and parses the event', async () => {
    expect(await verifyWebhook({ payload: body, signature: header(), secret, now })).toEqual({ timestamp: t });
    expect(await verifyWebhook({ payload: new TextEncoder().encode(body), signature: header(), secret, now })).toEqual({ timestamp: t });
    expect(await parseEvent({ payload: body, signature: header(), secret, now })).toEqual(event);
    // Within the window on either side; another scheme's entries are ignored; any v1 may match (secret rotation).
    expect(await verifyWebhook({ payload: body, signature: header(t - 299), secret, now })).toBeDefined();
    expect(await verifyWebhook({ payload: body, signature: `${header()},v0=abc`, secret, now })).toBeDefined();
    const rotated = `t=${t},v1=${hmac('old-secret', `${t}.${body}`)},v1=${hmac(secret, `${t}.${body}`)}`;
    expect(await verifyWebhook({ payload: body, signature: rotated, secret, now })).toBeDefined();
    // signatureHeader writes what the platform writes.
    expect(await signatureHeader(secret, body, t)).toBe(header());
  });

  it('rejects a tampered body, another secret, an old or future timestamp, a malformed or missing header', async () => {
    const tampered = body.replace('"executed"', '"annulled"');
    expect(await reason(verifyWebhook({ payload: tampered, signature: header(), secret, now }))).toBe('mismatch');
    expect(await reason(parseEvent({ payload: tampered, signature: header(), secret, now }))).toBe('mismatch');
    expect(await reason(verifyWebhook({ payload: `${body} `, signature: header(), secret, now }))).toBe('mismatch');
    expect(await reason(verifyWebhook({ payload: body, signature: header(t, body, 'other'), secret, now }))).toBe('mismatch');
    // A signature of the same body at another time does not fit this t.
    const moved = `t=${t + 1},v1=${hmac(secret, `${t}.${body}`)}`;
    expect(await reason(verifyWebhook({ payload: body, signature: moved, secret, now }))).toBe('mismatch');
    expect(await reason(verifyWebhook({ payload: body, signature: header(t - 301), secret, now }))).toBe('too_old');
    expect(await reason(verifyWebhook({ payload: body, signature: header(t - 3600), secret, now }))).toBe('too_old');
    expect(await reason(verifyWebhook({ payload: body, signature: header(t + 3600), secret, now }))).toBe('too_old');
    expect(await verifyWebhook({ payload: body, signature: header(t - 3600), secret, now, toleranceSec: 7200 })).toBeDefined();
    expect(await reason(verifyWebhook({ payload: body, signature: header().toUpperCase(), secret, now }))).toBe('malformed');
    expect(await reason(verifyWebhook({ payload: body, signature: `t=${t}`, secret, now }))).toBe('malformed');
    expect(await reason(verifyWebhook({ payload: body, signature: header().slice(0, -2), secret, now }))).toBe('malformed');
    expect(await reason(verifyWebhook({ payload: body, signature: undefined, secret, now }))).toBe('missing');
    expect(await reason(verifyWebhook({ payload: body, signature: header(), secret: '', now }))).toBe('missing');
  });

  it('a signed body that is not an event is refused by parseEvent', async () => {
    const notJson = 'hello';
    expect(await reason(parseEvent({ payload: notJson, signature: header(t, notJson), secret, now }))).toBe('invalid_payload');
    const notEvent = '{"id":1}';
    expect(await reason(parseEvent({ payload: notEvent, signature: header(t, notEvent), secret, now }))).toBe('invalid_payload');
  });
});

describe('SDK: callback signatures', () => {
  const url = 'https://shop.example/ok?cart=9&paymentIntent=5f0c2d3e&payerId=0b6a1f3c';

  it("verifies what the platform's own signer writes, and returns the intent and payer", async () => {
    const signature = serverCallbackHeader(secret, url, now);
    expect(await verifyCallback({ url, signature, secret, now })).toEqual({ paymentIntent: '5f0c2d3e', payerId: '0b6a1f3c', timestamp: t });
    expect(await verifyCallback({ url, signature, secret, now: now + 299_000 })).toBeDefined();
  });

  it('rejects another URL, an old timestamp and another secret', async () => {
    const signature = serverCallbackHeader(secret, url, now);
    expect(await reason(verifyCallback({ url: url.replace('cart=9', 'cart=8'), signature, secret, now }))).toBe('mismatch');
    expect(await reason(verifyCallback({ url: url.replace('https:', 'http:'), signature, secret, now }))).toBe('mismatch');
    expect(await reason(verifyCallback({ url, signature, secret, now: now + 301_000 }))).toBe('too_old');
    expect(await reason(verifyCallback({ url, signature, secret: 'x', now }))).toBe('mismatch');
  });
});
