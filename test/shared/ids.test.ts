import { describe, expect, it } from 'vitest';
import { newId, randomSecret } from '../../src/shared/ids.ts';

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
