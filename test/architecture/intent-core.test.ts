import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TRANSITIONS } from '../../src/payment-intents/intent.machine.ts';

// The intent machine is the only writer of an intent's state; the import rules
// (.dependency-cruiser.cjs) already keep its money movement private. This reads the code.

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('one core for payment intents', () => {
  it('no code but the machine (and the migrations) updates payment_intents', () => {
    const writers = sources('src').filter((f) => /updateTable\(\s*'payment_intents'\s*\)|update\s+payment_intents\b/i.test(fs.readFileSync(f, 'utf8')));
    expect(writers.sort()).toEqual(['src/db/migrations.ts', 'src/payment-intents/intent.machine.ts']);
  });

  it('the transition table names every state a stored intent can reach', () => {
    const reached = new Set(Object.values(TRANSITIONS).map((t) => t.to));
    const started = new Set(Object.values(TRANSITIONS).flatMap((t) => Object.values(t.from).flat()));
    expect([...new Set([...reached, ...started])].sort()).toEqual(['annulled', 'authorized', 'canceled', 'created', 'executed', 'rejected']);
    // Nothing leaves the end states.
    for (const end of ['annulled', 'canceled', 'rejected']) expect(started.has(end as never)).toBe(false);
  });
});
