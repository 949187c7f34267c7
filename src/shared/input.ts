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

export function isAbsoluteHttpUrl(s: string): URL | undefined {
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u : undefined;
  } catch {
    return undefined;
  }
}
