import { createHmac } from 'node:crypto';

// X-Mpandco-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<full URL>"> keyed with
// the app's callback signing secret. The merchant recomputes it over the exact URL it
// received and rejects old timestamps (e.g. more than 5 minutes) to stop replays.

export const SIGNATURE_HEADER = 'X-Mpandco-Signature';

export function signUrl(secret: string, url: string, unixSeconds: number): string {
  return createHmac('sha256', secret).update(`${unixSeconds}.${url}`).digest('hex');
}

export function signatureHeader(secret: string, url: string, nowMs: number): string {
  const t = Math.floor(nowMs / 1000);
  return `t=${t},v1=${signUrl(secret, url, t)}`;
}
