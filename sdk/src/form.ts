// Bodies go out as application/x-www-form-urlencoded with PHP's bracket names
// (`paymentintent[transactions][0][amount][total]=20`): the encoding the PHP SDK, the
// WooCommerce plugin and the server's own tests use. Lists become indices, `undefined` and
// `null` are left out, booleans are 1/0 as PHP writes them.

function pairs(prefix: string, value: unknown, out: [string, string][]): void {
  if (value === undefined || value === null) return;
  if (Array.isArray(value)) {
    // An empty list has no field to write: the server then sees none, as PHP clients send it.
    value.forEach((v, i) => pairs(`${prefix}[${i}]`, v, out));
  } else if (typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) pairs(prefix ? `${prefix}[${k}]` : k, v, out);
  } else if (typeof value === 'boolean') {
    out.push([prefix, value ? '1' : '0']);
  } else if (typeof value === 'string' || typeof value === 'bigint' || (typeof value === 'number' && Number.isFinite(value))) {
    out.push([prefix, String(value)]);
  } else {
    throw new TypeError(`${prefix}: ${String(value)} cannot be sent in a form`);
  }
}

/** `{a: {b: [{c: 1}]}}` -> `a%5Bb%5D%5B0%5D%5Bc%5D=1`, in the order the keys were written. */
export function encodeForm(doc: object): string {
  const out: [string, string][] = [];
  pairs('', doc, out);
  return new URLSearchParams(out).toString();
}

/** A query string from plain values, leaving out undefined ones. */
export function query(params: Record<string, string | number | boolean | undefined>): string {
  const out: [string, string][] = [];
  for (const [k, v] of Object.entries(params)) if (v !== undefined) out.push([k, String(v)]);
  return out.length ? `?${new URLSearchParams(out).toString()}` : '';
}
