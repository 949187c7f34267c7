// What the request log keeps of a call's secrets: nothing. One set of rules for bodies, query
// strings and the Authorization header; the log stores only what these functions return.

export const REDACTED = '[REDACTED]';
/** Each body is kept up to this many bytes of UTF-8 (after redaction), then cut and marked. */
export const BODY_LIMIT_BYTES = 8 * 1024;
const MAX_DEPTH = 32;

// Compared without case, '_' or '-': `client_secret`, `clientSecret` and `Client-Secret` alike.
const SECRET_NAMES = new Set([
  'pin', 'newpin', 'oldpin', 'currentpin', 'pinconfirmation', 'authorization', 'authorizationcode', 'codeverifier',
  'apikey', 'cvv', 'cvc',
]);
const normal = (key: string): string => key.toLowerCase().replace(/[^a-z]/g, '');

// What a field name says, worked out once per name: the same few hundred names recur in
// every body. Only short names are kept, and at most KINDS_MAX of them (a body of random or
// huge names is classified each time, never stored).
const PLAIN = 0, SECRET = 1, CODE = 2;
type Kind = typeof PLAIN | typeof SECRET | typeof CODE;
const KINDS_MAX = 2_000;
const KIND_NAME_MAX = 64;
const kinds = new Map<string, Kind>();

function kindOf(key: string): Kind {
  let kind = kinds.get(key);
  if (kind === undefined) {
    const k = normal(key);
    kind = k === 'code' ? CODE
      : SECRET_NAMES.has(k) || k.includes('password') || k.includes('secret') || k.endsWith('token') ? SECRET : PLAIN;
    if (kinds.size < KINDS_MAX && key.length <= KIND_NAME_MAX) kinds.set(key, kind);
  }
  return kind;
}

/**
 * Whether a field holds a secret: PINs, passwords, secrets, tokens (access, refresh, pay and
 * any other `...token`), authorization codes and PKCE verifiers. `code` is an authorization
 * code only as text: the number in an error's `{"code": 400}` stays readable.
 */
export function isSecretField(key: string, value?: unknown): boolean {
  const kind = kindOf(key);
  return kind === CODE ? typeof value === 'string' : kind === SECRET;
}

/**
 * Whether redactValue would change anything: a secret field, a Buffer, or nesting past
 * MAX_DEPTH. A walk that allocates nothing: most bodies have no secret, and then the text
 * already sent (or one JSON.stringify) is what the log keeps, without a redacted copy.
 */
export function needsRedaction(value: unknown, depth = 0): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (depth >= MAX_DEPTH || Buffer.isBuffer(value)) return true;
  if (Array.isArray(value)) {
    for (const v of value) if (needsRedaction(v, depth + 1)) return true;
    return false;
  }
  for (const k of Object.keys(value)) {
    const v = (value as Record<string, unknown>)[k];
    if (isSecretField(k, v) || needsRedaction(v, depth + 1)) return true;
  }
  return false;
}

/** A copy of a parsed document with every secret field's value replaced by REDACTED. */
export function redactValue(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[…]';
  if (Buffer.isBuffer(value)) return `[${value.length} bytes]`;
  if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = isSecretField(k, v) ? REDACTED : redactValue(v, depth + 1);
  return out;
}

/** The last name of a bracket field: `payment_execution[pin]` is `pin`. */
const leafName = (name: string): string => /([^[\]]*)\]*$/.exec(name)?.[1] || name;

function decode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/** A query string (or url-encoded body) with the values of secret fields replaced; order and the rest kept as sent. */
export function redactQuery(query: string): string {
  if (!query) return '';
  return query.split('&').map((pair) => {
    const i = pair.indexOf('=');
    const name = i === -1 ? pair : pair.slice(0, i);
    const value = i === -1 ? '' : decode(pair.slice(i + 1));
    return i !== -1 && isSecretField(leafName(decode(name)), value) ? `${name}=${REDACTED}` : pair;
  }).join('&');
}

/** `Bearer abc...` becomes `Bearer [REDACTED]`: the scheme tells what was sent, never the credential. */
export function redactAuthorization(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const scheme = /^\s*([A-Za-z][A-Za-z0-9-]{0,20})\s+\S/.exec(header)?.[1];
  return scheme ? `${scheme} ${REDACTED}` : REDACTED;
}

// For text that is neither JSON nor a form (or JSON cut short): `"pin": "1234"` and `pin=1234`.
const JSON_FIELD = /"([^"\\]{1,64})"(\s*:\s*)("(?:[^"\\]|\\.)*"|-?\d[\d.eE+-]*|true|false|null)/g;
const FORM_FIELD = /(^|[&?\s])([^=&?\s]{1,64})=([^&\s]*)/g;

function redactLoose(text: string): string {
  return text
    .replace(JSON_FIELD, (m, key: string, colon: string, value: string) =>
      (isSecretField(key, value.startsWith('"') ? '' : Number(value)) ? `"${key}"${colon}"${REDACTED}"` : m))
    .replace(FORM_FIELD, (m, lead: string, name: string, value: string) =>
      (isSecretField(leafName(decode(name)), decode(value)) ? `${lead}${name}=${REDACTED}` : m));
}

/** A body as text with its secrets redacted: JSON structurally, a form field by field, anything else by pattern. */
export function redactText(text: string): string {
  const trimmed = text.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      // Nothing secret among the parsed keys: the text as sent is what a redacted copy would say.
      return needsRedaction(parsed) ? JSON.stringify(redactValue(parsed)) : trimmed;
    } catch {
      return redactLoose(text);
    }
  }
  if (/^[^\s=&]+=[^\s]*$/.test(trimmed)) return redactQuery(trimmed);
  return redactLoose(text);
}

/** Cuts text to at most `limitBytes` of UTF-8 on a character boundary. */
export function truncate(text: string, limitBytes = BODY_LIMIT_BYTES): { text: string; truncated: boolean } {
  // A UTF-16 unit is at most 3 bytes of UTF-8: short text needs no count.
  if (text.length * 3 <= limitBytes || Buffer.byteLength(text) <= limitBytes) return { text, truncated: false };
  let cut = Buffer.from(text).subarray(0, limitBytes).toString('utf8');
  // A character split by the cut decodes as U+FFFD: drop it.
  if (cut.endsWith('\uFFFD')) cut = cut.slice(0, -1);
  return { text: cut, truncated: true };
}

/**
 * What the log stores of a body: a parsed document or the text sent, redacted, then cut to
 * BODY_LIMIT_BYTES. Redaction comes first, so a cut never leaves half a secret behind.
 */
export function loggedBody(body: unknown, limitBytes = BODY_LIMIT_BYTES): { text: string | null; truncated: boolean } {
  if (body === undefined || body === null || body === '') return { text: null, truncated: false };
  let text: string;
  if (typeof body === 'string') text = redactText(body);
  else if (Buffer.isBuffer(body)) text = redactText(body.toString('utf8'));
  else if (typeof body === 'object') text = JSON.stringify(needsRedaction(body) ? redactValue(body) : body);
  else text = String(body);
  return truncate(text, limitBytes);
}
