import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

export const newId = (): string => randomUUID();

const ALNUM = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** Random text from an unambiguous alphabet, without modulo bias. */
export function randomCode(length: number, alphabet = ALNUM): string {
  let out = '';
  while (out.length < length) {
    for (const b of randomBytes(length * 2)) {
      if (b < Math.floor(256 / alphabet.length) * alphabet.length) out += alphabet[b % alphabet.length];
      if (out.length === length) break;
    }
  }
  return out;
}

export const randomToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');

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
