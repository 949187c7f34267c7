// Helpers for loosely typed request documents: the three encodings deliver strings,
// numbers, arrays, or objects with numeric keys, and all must mean the same thing.

export type Doc = Record<string, unknown>;

export function isDoc(v: unknown): v is Doc {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !Buffer.isBuffer(v);
}

export function doc(v: unknown): Doc {
  return isDoc(v) ? v : {};
}

/** A list sent as an array or as {"0": ..., "1": ...}; undefined when it is neither. */
export function asList(v: unknown): unknown[] | undefined {
  if (Array.isArray(v)) return v;
  if (isDoc(v)) {
    const keys = Object.keys(v);
    if (keys.every((k) => /^\d{1,6}$/.test(k))) {
      return keys.sort((a, b) => Number(a) - Number(b)).map((k) => v[k]);
    }
  }
  return undefined;
}

/** A scalar as trimmed text; '' and absent both give undefined. */
export function text(v: unknown): string | undefined {
  if (typeof v === 'string') {
    const s = v.trim();
    return s === '' ? undefined : s;
  }
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'boolean') return v ? '1' : '0';
  return undefined;
}

/** A whole number from text or number, else undefined. */
export function intOf(v: unknown): number | undefined {
  const s = text(v);
  if (s === undefined || !/^-?\d{1,15}$/.test(s)) return undefined;
  return Number(s);
}

const NOT_A_PUBLIC_NAME = /(^|\.)(localhost|local|internal|invalid|lan|home\.arpa)$/i;

/**
 * A production site: HTTPS on a public domain name of its own. Refuses IP addresses,
 * one-label and local-only names (localhost, .local, .internal...), and credentials in the URL.
 */
export function isOwnHttpsSite(s: string): boolean {
  const u = isAbsoluteHttpUrl(s);
  if (!u || u.protocol !== 'https:' || u.username || u.password) return false;
  const host = u.hostname.replace(/\.$/, '');
  if (host.startsWith('[') || /^[0-9.]+$/.test(host) || /^0x/i.test(host)) return false;
  const labels = host.split('.');
  if (labels.length < 2 || labels.some((l) => !l)) return false;
  return !NOT_A_PUBLIC_NAME.test(host) && !/^\d+$/.test(labels.at(-1)!);
}

/** The host of an http(s) URL for people to read, or the text itself when it is not one. */
export function hostOf(url: string): string {
  return isAbsoluteHttpUrl(url)?.host ?? url;
}

export function isAbsoluteHttpUrl(s: string): URL | undefined {
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u : undefined;
  } catch {
    return undefined;
  }
}
