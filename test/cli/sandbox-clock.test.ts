import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMerchant, createPayer, type MerchantCreds } from '../../src/sandbox/demo.ts';
import { clockOffset } from '../../src/test-mode/test-clock.ts';
import { HOUR_MS, DAY_MS } from '../../src/shared/clock.ts';
import { runCli } from '../helpers/cli.ts';
import { testEnv, type TestEnv } from '../helpers/env.ts';

// `mpandco sandbox clock`: a business's test clock from the terminal, as on its pages.

describe('mpandco sandbox clock', () => {
  let te: TestEnv;
  let m: MerchantCreds;
  beforeAll(async () => {
    te = await testEnv();
    m = await createMerchant(te.ctx);
  });
  afterAll(async () => te?.close());

  it('advances, shows and resets a business account\'s clock, each change audited', async () => {
    const advanced = await runCli(['sandbox', 'clock', 'advance', '25h', '--account', m.username, '--json'], te.childEnv);
    expect(advanced.stderr).toBe('');
    expect(advanced.code).toBe(0);
    expect(JSON.parse(advanced.stdout)).toMatchObject({ account: m.username, offset_ms: 25 * HOUR_MS, offset: '1d 1h' });
    expect(await clockOffset(te.ctx.store.db, m.user_id)).toBe(25 * HOUR_MS);

    const more = await runCli(['sandbox', 'clock', 'advance', '2d', '--account', m.username.toUpperCase()], te.childEnv);
    expect(more.code).toBe(0);
    expect(more.stdout).toMatch(new RegExp(`^${m.username}: \\+3d 1h \\(account time \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d, real time `));
    const shown = await runCli(['sandbox', 'clock', 'show', '--account', m.username, '--json'], te.childEnv);
    expect(JSON.parse(shown.stdout).offset_ms).toBe(3 * DAY_MS + HOUR_MS);

    const reset = await runCli(['sandbox', 'clock', 'reset', '--account', m.username], te.childEnv);
    expect(reset.code).toBe(0);
    expect(reset.stdout).toMatch(/: real time \(/);
    expect(await clockOffset(te.ctx.store.db, m.user_id)).toBe(0);
    const audit = await te.ctx.store.db.selectFrom('audit_log').select(['action', 'details_json']).where('target_id', '=', m.user_id).orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['sandbox.clock_advance', 'sandbox.clock_advance', 'sandbox.clock_reset']);
    expect(JSON.parse(audit[0].details_json)).toMatchObject({ via: 'cli', byMs: 25 * HOUR_MS });
  });

  it('refuses production, bad durations, unknown and personal accounts, changing nothing', async () => {
    const person = await createPayer(te.ctx, 0);
    const cases: [string[], number, RegExp][] = [
      [['advance', '25h', '--account', m.username, '--env', 'production'], 2, /exists only in the sandbox/],
      [['advance', '25', '--account', m.username], 2, /a duration such as 25h/],
      [['advance', '-3h', '--account', m.username], 2, /./],
      [['advance', '3651d', '--account', m.username], 2, /at most 3650d/],
      [['advance', '25h'], 2, /--account USERNAME is required/],
      [['rewind', '1h', '--account', m.username], 2, /try: sandbox clock advance/],
      [['advance', '1h', '--account', 'nadie_aqui'], 1, /No existe esa cuenta en el sandbox/],
      [['advance', '1h', '--account', person.username], 1, /cuentas de comercio/],
    ];
    for (const [args, code, message] of cases) {
      const r = await runCli(['sandbox', 'clock', ...args], te.childEnv);
      expect(r.code, args.join(' ')).toBe(code);
      expect(r.stderr, args.join(' ')).toMatch(message);
    }
    expect(await clockOffset(te.ctx.store.db, m.user_id)).toBe(0);
  });
});
