import { describe, expect, it } from 'vitest';
import { randomSecret } from '../../src/shared/ids.ts';

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
