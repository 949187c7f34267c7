import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPin, PIN_MAX_FAILURES } from '../../src/accounts/accounts.service.ts';
import type { PayerCreds } from '../../src/sandbox/demo.ts';
import { ManualClock } from '../../src/shared/clock.ts';
import { DIALECT, testServer, type TestServer } from '../helpers/env.ts';
import { postForm } from '../helpers/http.ts';
import { balanceOf, createRequest, merchantWithToken, payer, userRow, walletIdOf, type Merchant } from '../billing/fixtures.ts';

// The PIN lockout counts wrong PINs only. A busy till sends its customer's right PIN many
// times at once, from several server processes: none of those may be refused, and five
// wrong PINs still lock it as before.

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** A second server process (`mpandco serve`) on the same store as the test's own listener. */
async function secondProcess(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; baseUrl: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['bin/mpandco.js', 'serve', '--env', 'sandbox', '--port', String(port)], {
    env: { ...env, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`second process did not start:\n${out}`)), 45_000);
    const seen = (d: Buffer) => {
      out += d;
      if (out.includes('mPandco is running')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', seen);
    child.stderr!.on('data', (d) => (out += d));
    child.on('exit', (code) => reject(new Error(`second process exited ${code}:\n${out}`)));
  });
  return { child, baseUrl: `http://127.0.0.1:${port}` };
}

let s: TestServer;
let other: { child: ChildProcess; baseUrl: string };
let m: Merchant;
let p: PayerCreds;
let wallet: string;
beforeAll(async () => {
  // The other process runs on the real clock: so does this one.
  s = await testServer({ clock: new ManualClock(Date.now()) });
  other = await secondProcess(s.childEnv);
  m = await merchantWithToken(s);
  p = await payer(s, 1_000_00, { pin: '2468' });
  wallet = await walletIdOf(s, p.digital_account);
});
afterAll(async () => {
  if (other) {
    await new Promise((resolve) => {
      other.child.once('exit', resolve);
      other.child.kill('SIGTERM');
    });
  }
  await s?.close();
});

const pay = (base: string, id: string, pin: string) =>
  postForm(`${base}/api/payment-intent/execute/request.json?id=${encodeURIComponent(id)}`, { payment_execution: { payToken: wallet, pin } }, m.auth);

describe(`PIN lockout counts wrong PINs only (${DIALECT})`, () => {
  it('twenty right-PIN payments by one payer at once, across two server processes, all succeed', async () => {
    const requests = [];
    for (let i = 0; i < 20; i++) requests.push(await createRequest(s, m, p.username, { total: '1.00' }));
    const before = await balanceOf(s, p.digital_account);
    const results = await Promise.all(requests.map((r, i) => pay(i % 2 ? other.baseUrl : s.baseUrl, r.id, '2468')));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(results.every((r) => r.body.state === 'executed')).toBe(true);
    expect(await balanceOf(s, p.digital_account)).toBe(before - 20_00);
    expect(Number((await userRow(s, p.payer_id)).pin_failed_count)).toBe(0);
  });

  it('right PINs sent among a few wrong ones are all accepted while the count is under the limit', async () => {
    const q = await payer(s, 0, { pin: '1357' });
    const now = s.clock.now();
    const pins = [...Array(12).fill('1357'), '0000', '0001', '0002', ...Array(12).fill('1357')];
    const results = await Promise.all(pins.map((pin) => checkPin(s.ctx.store.autocommit, q.payer_id, pin, now)));
    results.forEach((r, i) => expect(r).toEqual(pins[i] === '1357' ? { ok: true } : { ok: false, reason: 'wrong' }));
  });

  it('five wrong PINs, alternating between the processes, lock it as before; the right one is then refused', async () => {
    const answers: string[] = [];
    for (let i = 0; i < PIN_MAX_FAILURES; i++) {
      const r = await createRequest(s, m, p.username, { total: '1.00' });
      const res = await pay(i % 2 ? other.baseUrl : s.baseUrl, r.id, '1111');
      expect(res.status).toBe(400);
      answers.push(JSON.stringify(res.body.errors));
    }
    expect(answers.slice(0, 4).every((a) => a.includes('El PIN es incorrecto.'))).toBe(true);
    expect(answers[4]).toContain('El PIN está bloqueado');
    const r = await createRequest(s, m, p.username, { total: '1.00' });
    const right = await pay(other.baseUrl, r.id, '2468');
    expect(right.status).toBe(400);
    expect(JSON.stringify(right.body.errors)).toContain('El PIN está bloqueado');
  });
});
