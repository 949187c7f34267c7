import { MpandcoSignatureError } from './errors.js';

// The platform signs what it sends to a merchant with the header
//   X-Mpandco-Signature: t=<unix seconds>,v1=<lowercase hex HMAC-SHA256(secret, "<t>.<signed>")>
// where <signed> is the full URL it called (callbacks: GET return_url / cancel_url) or the
// raw body it posted (webhooks). These helpers recompute it with WebCrypto (Node >= 20,
// browsers, Deno, workers), compare in constant time (`subtle.verify`) and refuse a
// timestamp outside the tolerance window, so a captured request cannot be replayed later.

export const SIGNATURE_HEADER = 'X-Mpandco-Signature';
/** A webhook delivery's event id (the same as the body's `id`). */
export const EVENT_HEADER = 'X-Mpandco-Event';
/** Present on a delivery sent with "Enviar prueba" (type `test`): no real payment behind it. */
export const TEST_HEADER = 'X-Mpandco-Test';
export const DEFAULT_TOLERANCE_SEC = 300;

export type EventType =
  | 'sale.authorized' | 'sale.executed' | 'sale.annulled' | 'intent.canceled' | 'intent.expired'
  | 'request.paid' | 'request.declined' | 'payout.batch_settled' | 'payout.item_failed'
  /** "Enviar prueba" on the app's page. */
  | 'test'
  | (string & {});

/** An event as webhooks post it and `events.list` returns it. */
export interface MpandcoEvent<T = Record<string, unknown>> {
  id: string;
  type: EventType;
  /** `YYYY-MM-DD HH:mm:ss`, Venezuelan time. */
  created_at: string;
  environment: 'sandbox' | 'production';
  /** The object right after the change: a payment intent, a payout batch or a payout item. */
  data: T;
}

export interface VerifyOptions {
  /** The app's callback signing secret (callbacks) or the webhook endpoint's secret. */
  secret: string;
  /** The X-Mpandco-Signature header as received. */
  signature: string | null | undefined;
  /** Seconds a signature stays acceptable either side of `now` (default 300). */
  toleranceSec?: number;
  /** Milliseconds since the epoch; default Date.now(). */
  now?: number;
}

const encoder = new TextEncoder();

function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle;
  if (!s) throw new Error('WebCrypto (globalThis.crypto.subtle) is needed to check signatures');
  return s;
}

async function hmacKey(secret: string, usage: 'sign' | 'verify'): Promise<CryptoKey> {
  if (!secret) throw new MpandcoSignatureError('missing', 'No signing secret given');
  return subtle().importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [usage]);
}

function signedBytes(t: string, signed: string | Uint8Array): Uint8Array<ArrayBuffer> {
  const head = encoder.encode(`${t}.`);
  const tail = typeof signed === 'string' ? encoder.encode(signed) : signed;
  const out = new Uint8Array(head.length + tail.length);
  out.set(head);
  out.set(tail, head.length);
  return out;
}

function parseHeader(header: string | null | undefined): { t: string; v1: Uint8Array<ArrayBuffer>[] } {
  if (!header) throw new MpandcoSignatureError('missing', `No ${SIGNATURE_HEADER} header`);
  let t: string | undefined;
  const v1: Uint8Array<ArrayBuffer>[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    const k = part.slice(0, eq).trim();
    const v = part.slice(eq + 1).trim();
    if (k === 't' && /^\d{1,12}$/.test(v)) t = v;
    // Only SHA-256's length in lowercase hex is a candidate; anything else cannot match.
    else if (k === 'v1' && /^[0-9a-f]{64}$/.test(v)) v1.push(Uint8Array.from(v.match(/../g)!, (h) => parseInt(h, 16)));
  }
  if (t === undefined || v1.length === 0) throw new MpandcoSignatureError('malformed', `${SIGNATURE_HEADER} needs t=<seconds>,v1=<hex>`);
  return { t, v1 };
}

/** Checks a signature over `signed`; throws MpandcoSignatureError when it does not hold. */
export async function verifySignature(opts: VerifyOptions & { signed: string | Uint8Array }): Promise<{ timestamp: number }> {
  const { t, v1 } = parseHeader(opts.signature);
  const tolerance = opts.toleranceSec ?? DEFAULT_TOLERANCE_SEC;
  const nowSec = Math.floor((opts.now ?? Date.now()) / 1000);
  const timestamp = Number(t);
  if (Math.abs(nowSec - timestamp) > tolerance) {
    throw new MpandcoSignatureError('too_old', `Signature timestamp ${timestamp} is outside the ${tolerance} s window`);
  }
  const key = await hmacKey(opts.secret, 'verify');
  const data = signedBytes(t, opts.signed);
  for (const candidate of v1) {
    // subtle.verify compares in constant time.
    if (await subtle().verify('HMAC', key, candidate, data)) return { timestamp };
  }
  throw new MpandcoSignatureError('mismatch', 'The signature does not match');
}

/**
 * Verifies a callback: `url` is the full URL the platform called, as received (scheme, host,
 * path and query: `https://shop.example/ok?cart=9&paymentIntent=...&payerId=...`). Returns the
 * intent and payer it names; fetch the intent (`paymentIntents.show`) and check its `state`.
 */
export async function verifyCallback(opts: VerifyOptions & { url: string }): Promise<{ paymentIntent: string | null; payerId: string | null; timestamp: number }> {
  const { timestamp } = await verifySignature({ ...opts, signed: opts.url });
  const params = new URL(opts.url).searchParams;
  return { paymentIntent: params.get('paymentIntent'), payerId: params.get('payerId'), timestamp };
}

/** Verifies a webhook's raw body (the bytes as received, before any JSON parsing). */
export async function verifyWebhook(opts: VerifyOptions & { payload: string | Uint8Array }): Promise<{ timestamp: number }> {
  return verifySignature({ ...opts, signed: opts.payload });
}

/** Verifies a webhook and returns its event. */
export async function parseEvent<T = Record<string, unknown>>(opts: VerifyOptions & { payload: string | Uint8Array }): Promise<MpandcoEvent<T>> {
  await verifyWebhook(opts);
  let event: unknown;
  try {
    event = JSON.parse(typeof opts.payload === 'string' ? opts.payload : new TextDecoder().decode(opts.payload));
  } catch {
    throw new MpandcoSignatureError('invalid_payload', 'The webhook body is not JSON');
  }
  const e = event as Partial<MpandcoEvent<T>> | null;
  if (!e || typeof e !== 'object' || typeof e.id !== 'string' || typeof e.type !== 'string' || !('data' in e)) {
    throw new MpandcoSignatureError('invalid_payload', 'The webhook body is not an event');
  }
  return e as MpandcoEvent<T>;
}

/** The header the platform would send for `signed` at `timestampSec`: for the merchant's own tests. */
export async function signatureHeader(secret: string, signed: string | Uint8Array, timestampSec = Math.floor(Date.now() / 1000)): Promise<string> {
  const t = String(Math.floor(timestampSec));
  const mac = await subtle().sign('HMAC', await hmacKey(secret, 'sign'), signedBytes(t, signed));
  const hex = Array.from(new Uint8Array(mac), (b) => b.toString(16).padStart(2, '0')).join('');
  return `t=${t},v1=${hex}`;
}
