import { createHash, randomBytes, randomFillSync, timingSafeEqual } from 'node:crypto';

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

// Random bytes are drawn from the system's generator 8 KB at a time and handed out once each
// (Node's own randomUUID keeps such a cache): a call for 32 bytes costs about as much as one
// for 8 KB (measured 8 µs against 12 µs on the development machine), and a token request
// draws twice. A draw larger than half the pool goes to the generator directly.
const pool = Buffer.alloc(8192);
let poolAt = pool.length;

/** Reserves `n` fresh bytes of the pool, returns where they start; read them before the next draw. */
function draw(n: number): number {
  if (poolAt + n > pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  const at = poolAt;
  poolAt += n;
  return at;
}

/** `n` cryptographically random bytes, each handed out once. */
function randomBuffer(n: number): Buffer {
  if (n > pool.length / 2) return randomBytes(n);
  const at = draw(n);
  return Buffer.from(pool.subarray(at, at + n));
}

const RANDOM_PER_ID = 10;
let prefixMs = -1;
let prefix = '';

/**
 * A new row id: a UUID of version 7 (RFC 9562), the millisecond it was made followed by 74
 * random bits. Ids made close in time sort together, so a table's primary-key index grows
 * at its end: a group of payments writes a few index pages instead of one random page per
 * row, and the write-ahead log of either database shrinks with it. The time it carries is no
 * secret (every object shows when it was created); the random bits keep ids unguessable.
 */
export function newId(ms = Date.now()): string {
  const r = draw(RANDOM_PER_ID);
  if (ms !== prefixMs) {
    const t = ms.toString(16).padStart(12, '0');
    prefix = `${t.slice(0, 8)}-${t.slice(8, 12)}-7`;
    prefixMs = ms;
  }
  let id = `${prefix}${HEX[pool[r] & 0x0f][1]}${HEX[pool[r + 1]]}-${HEX[0x80 | (pool[r + 2] & 0x3f)]}${HEX[pool[r + 3]]}-`;
  for (let i = 4; i < RANDOM_PER_ID; i++) id += HEX[pool[r + i]];
  return id;
}

const ALNUM = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** Random text from an unambiguous alphabet, without modulo bias. */
export function randomCode(length: number, alphabet = ALNUM): string {
  let out = '';
  while (out.length < length) {
    for (const b of randomBuffer(length * 2)) {
      if (b < Math.floor(256 / alphabet.length) * alphabet.length) out += alphabet[b % alphabet.length];
      if (out.length === length) break;
    }
  }
  return out;
}

/** `bytes` random bytes as base64url (tokens, codes in links). */
export function randomToken(bytes = 32): string {
  if (bytes > pool.length / 2) return randomBytes(bytes).toString('base64url');
  const at = draw(bytes);
  return pool.toString('base64url', at, at + bytes);
}

/**
 * A secret a person pastes into a command line (`mpandco listen --client-secret S`, curl):
 * base64url that never begins with `-` or `_`, so no option parser reads it as an option.
 * Drawing again costs one bit of 256 bits' entropy at most.
 */
export function randomSecret(bytes = 32): string {
  for (;;) {
    const token = randomToken(bytes);
    if (token[0] !== '-' && token[0] !== '_') return token;
  }
}
export const randomHex = (bytes: number): string => randomBytes(bytes).toString('hex');

/** Tokens and secrets are high-entropy, so a fast hash is enough to store them. */
export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
