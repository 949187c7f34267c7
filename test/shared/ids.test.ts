import { describe, expect, it } from 'vitest';
import { newId, randomCode, randomSecret, randomToken } from '../../src/shared/ids.ts';

describe('randomSecret: client secrets a person pastes into a command line', () => {
  it('never begins with "-" or "_", so `--client-secret S` is never read as an option', () => {
    // One base64url token in 32 begins with one of them: 4,000 draws would meet hundreds.
    const secrets = Array.from({ length: 4000 }, () => randomSecret(32));
    expect(secrets.filter((s) => s.startsWith('-') || s.startsWith('_'))).toEqual([]);
    for (const s of secrets.slice(0, 50)) expect(s).toMatch(/^[A-Za-z0-9][A-Za-z0-9_-]{42}$/);
    expect(new Set(secrets).size).toBe(secrets.length);
    // The other 62 first characters all still occur: the draw is not narrowed further.
    expect(new Set(secrets.map((s) => s[0])).size).toBe(62);
  });
});

describe('newId: row ids that sort by the time they were made', () => {
  const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

  it('is a version-7 UUID carrying its millisecond, unique, with every random digit in use', () => {
    const ms = Date.UTC(2026, 10, 26, 15, 0, 0, 123);
    const ids = Array.from({ length: 20_000 }, () => newId(ms));
    for (const id of ids) expect(id).toMatch(V7);
    expect(new Set(ids).size).toBe(ids.length);
    // The first 48 bits are the millisecond, big-endian.
    expect(Number.parseInt(ids[0].replace(/-/g, '').slice(0, 12), 16)).toBe(ms);
    // The 74 random bits vary: each of the 16 digits at every random position, both variant bits.
    const random = ids.map((id) => id.replace(/-/g, '').slice(13));
    for (let pos = 0; pos < random[0].length; pos++) {
      const seen = new Set(random.map((r) => r[pos]));
      expect(seen.size, `position ${pos}`).toBe(pos === 3 ? 4 : 16);
    }
  });

  it('sorts ids made later after ids made earlier, as text, so new rows go to the end of an index', () => {
    const start = Date.UTC(2026, 0, 1);
    const made = Array.from({ length: 2_000 }, (_, i) => newId(start + i * 997));
    expect([...made].sort()).toEqual(made);
    expect(newId(start + 1) > newId(start)).toBe(true);
    // Far ahead too: the millisecond keeps its twelve digits until the year 10889.
    expect(newId(Date.UTC(9999, 11, 31))).toMatch(V7);
  });
});

describe('randomToken and randomCode: drawn from a pool of random bytes, each byte handed out once', () => {
  it('never repeats a token across many refills of the pool, sizes below and above its half', () => {
    // 8 KB a refill: 3,000 tokens of 32 bytes go through it about twelve times, and the
    // ids drawn in between shift where each token starts.
    const tokens = Array.from({ length: 3000 }, (_, i) => {
      if (i % 7 === 0) newId();
      return randomToken(32);
    });
    expect(new Set(tokens).size).toBe(tokens.length);
    for (const t of tokens.slice(0, 20)) expect(t).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Neighbours share no run of bytes: a draw that did not advance would repeat its predecessor's.
    for (let i = 1; i < tokens.length; i++) expect(tokens[i].slice(0, 8)).not.toBe(tokens[i - 1].slice(0, 8));
    const large = [randomToken(6000), randomToken(6000)];
    expect(Buffer.from(large[0], 'base64url')).toHaveLength(6000);
    expect(large[0]).not.toBe(large[1]);
  });

  it('spreads every byte value: the pool is random throughout, not only where first filled', () => {
    const bytes = Buffer.concat(Array.from({ length: 2000 }, () => Buffer.from(randomToken(16), 'base64url')));
    const counts = new Array(256).fill(0);
    for (const b of bytes) counts[b]++;
    // 32,000 bytes: each value about 125 times; a stuck or zeroed stretch would skew it far past these bounds.
    expect(Math.min(...counts)).toBeGreaterThan(60);
    expect(Math.max(...counts)).toBeLessThan(200);
  });

  it('makes codes of the requested length from the alphabet only, different each time', () => {
    const codes = Array.from({ length: 500 }, () => randomCode(10, 'ABC123'));
    for (const c of codes) expect(c).toMatch(/^[ABC123]{10}$/);
    expect(new Set(codes).size).toBeGreaterThan(495);
    expect(new Set(codes.join(''))).toEqual(new Set('ABC123'));
  });
});
