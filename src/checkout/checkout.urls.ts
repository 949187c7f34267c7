import { isAbsoluteHttpUrl } from '../shared/input.ts';

/**
 * Appends query parameters to a merchant's URL as text, so the rest of the URL stays
 * exactly as the merchant wrote it: '&' after an existing query, the fragment kept last.
 */
export function withQuery(url: string, params: Record<string, string>): string {
  const hash = url.indexOf('#');
  const base = hash < 0 ? url : url.slice(0, hash);
  const fragment = hash < 0 ? '' : url.slice(hash);
  const query = Object.entries(params).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  const sep = !base.includes('?') ? '?' : base.endsWith('?') || base.endsWith('&') ? '' : '&';
  return `${base}${sep}${query}${fragment}`;
}

/** A merchant URL the browser may be sent to: absolute http(s), nothing that could split a header. */
export function isRedirectable(url: string | null | undefined): url is string {
  return !!url && url.length <= 2048 && !/[\x00-\x20\x7f]/.test(url) && isAbsoluteHttpUrl(url) !== undefined;
}

/** The merchant's site for people to read: "shop.example". */
export function displayHost(url: string): string {
  const u = isAbsoluteHttpUrl(url);
  return u ? u.host : '';
}
