import { createHmac } from 'node:crypto';

// X-Mpandco-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>. A callback signs "<t>.<full URL>"
// with the app's callback signing secret; a webhook signs "<t>.<raw JSON body>" with its
// webhook signing secret. The merchant recomputes it over exactly what it received and
// rejects old timestamps (e.g. more than 5 minutes) to stop replays.

export const SIGNATURE_HEADER = 'X-Mpandco-Signature';
/** The event's id on a webhook delivery. */
export const EVENT_HEADER = 'X-Mpandco-Event';
/** A delivery sent with "Enviar prueba": carries no real payment. */
export const TEST_HEADER = 'X-Mpandco-Test';

export function signUrl(secret: string, url: string, unixSeconds: number): string {
  return createHmac('sha256', secret).update(`${unixSeconds}.${url}`).digest('hex');
}

export function signatureHeader(secret: string, url: string, nowMs: number): string {
  const t = Math.floor(nowMs / 1000);
  return `t=${t},v1=${signUrl(secret, url, t)}`;
}

/** The same scheme over a webhook's raw body (the string signed is identical in shape). */
export const webhookSignatureHeader = (secret: string, rawBody: string, nowMs: number): string => signatureHeader(secret, rawBody, nowMs);
