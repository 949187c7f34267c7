import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkPin, LOGIN_MAX_FAILURES, PIN_MAX_FAILURES, signIn,
} from '../../src/accounts/accounts.service.ts';
import { testEnv, type TestEnv } from '../helpers/env.ts';
import { createPayer } from '../../src/sandbox/demo.ts';

// The PIN and password lock-outs bound how many guesses anyone gets. That bound must hold
// for guesses sent in parallel too: a merchant's cashier endpoint takes a recipient's PIN,
// and without the bound a burst of simultaneous requests gets every guess checked.

let e: TestEnv;
beforeAll(async () => {
  e = await testEnv();
});
afterAll(async () => {
  await e?.close();
});

const BURST = 24;

describe('lock-outs under parallel guessing', () => {
  it('checks at most PIN_MAX_FAILURES PINs of a burst; the rest are refused as locked', async () => {
    const p = await createPayer(e.ctx, 0, { pin: '4821' });
    const now = e.clock.now();
    const wrong = Array.from({ length: BURST }, (_, i) => String(1000 + i));
    const results = await Promise.all(wrong.map((pin) => checkPin(e.ctx.store.autocommit, p.payer_id, pin, now)));
    const checkedWrong = results.filter((r) => !r.ok && r.reason === 'wrong').length;
    expect(results.every((r) => !r.ok)).toBe(true);
    expect(checkedWrong).toBeLessThanOrEqual(PIN_MAX_FAILURES - 1);
    // Even the right PIN is refused until the lock ends; then it works and the count starts over.
    expect(await checkPin(e.ctx.store.autocommit, p.payer_id, '4821', now)).toMatchObject({ ok: false, reason: 'locked' });
    expect(await checkPin(e.ctx.store.autocommit, p.payer_id, '4821', now + 16 * 60_000)).toEqual({ ok: true });
    const row = await e.ctx.store.db.selectFrom('users').select('pin_failed_count').where('id', '=', p.payer_id).executeTakeFirstOrThrow();
    expect(Number(row.pin_failed_count)).toBe(0);
  });

  it('sequential PIN failures still lock on the fifth, as before', async () => {
    const p = await createPayer(e.ctx, 0, { pin: '1357' });
    const now = e.clock.now();
    const reasons: string[] = [];
    for (let i = 0; i < PIN_MAX_FAILURES; i++) {
      const r = await checkPin(e.ctx.store.autocommit, p.payer_id, '0000', now);
      reasons.push(r.ok ? 'ok' : r.reason);
    }
    expect(reasons).toEqual(['wrong', 'wrong', 'wrong', 'wrong', 'locked']);
  });

  it('checks at most LOGIN_MAX_FAILURES passwords of a burst; the account is then locked', async () => {
    const p = await createPayer(e.ctx, 0);
    const now = e.clock.now();
    const results = await Promise.all(Array.from({ length: BURST }, (_, i) =>
      signIn(e.ctx.store.autocommit, p.username, `wrong-pass-${i}`, now, ['personal'])));
    const checked = results.filter((r) => !r.ok && r.reason === 'failed').length;
    expect(checked).toBeLessThanOrEqual(LOGIN_MAX_FAILURES);
    expect(await signIn(e.ctx.store.autocommit, p.username, p.password, now, ['personal'])).toMatchObject({ ok: false, reason: 'locked' });
    expect(await signIn(e.ctx.store.autocommit, p.username, p.password, now + 16 * 60_000, ['personal'])).toMatchObject({ ok: true });
  });
});
