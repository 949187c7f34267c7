import { describe, expect, it } from 'vitest';
import { guardCallbackUrl, isPublicAddress } from '../../src/callbacks/url-guard.ts';
import { retryDelayMs, nextAttemptAt, GIVE_UP_AFTER_MS } from '../../src/callbacks/backoff.ts';
import { signatureHeader } from '../../src/callbacks/signature.ts';
import { signatureValid } from './merchant-server.ts';

describe('the callback URL guard', () => {
  it('classifies addresses', () => {
    for (const ip of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1',
      '0.0.0.0', '::1', '::', 'fc00::1', 'fd12:3456::1', 'fe80::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1', '224.0.0.1',
      '::7f00:1', '2002:7f00:1::1', '2002:a00:1::']) {
      expect(isPublicAddress(ip), ip).toBe(false);
    }
    for (const ip of ['8.8.8.8', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8']) {
      expect(isPublicAddress(ip), ip).toBe(true);
    }
    expect(isPublicAddress('not-an-ip')).toBe(false);
  });

  it('lets the sandbox call http and localhost', async () => {
    expect(await guardCallbackUrl('http://localhost:3000/ok?x=1', { production: false })).toEqual({ ok: true });
  });

  it('refuses http:// in production', async () => {
    const r = await guardCallbackUrl('http://shop.example/ok', { production: true, resolve: async () => [{ address: '93.184.216.34', family: 4 }] });
    expect(r).toMatchObject({ ok: false, error: expect.stringMatching(/https/) });
  });

  it('refuses hosts that resolve to loopback (localhost) or to any private address', async () => {
    const local = await guardCallbackUrl('https://localhost/ok', { production: true });
    expect(local).toMatchObject({ ok: false, error: expect.stringMatching(/127\.0\.0\.1|::1/) });
    expect(local.ok === false && local.retry).toBeFalsy();
    const mixed = await guardCallbackUrl('https://shop.example/ok', {
      production: true, resolve: async () => [{ address: '93.184.216.34', family: 4 }, { address: '10.0.0.5', family: 4 }],
    });
    expect(mixed).toMatchObject({ ok: false, error: expect.stringMatching(/10\.0\.0\.5/) });
    expect(await guardCallbackUrl('https://[::1]/ok', { production: true })).toMatchObject({ ok: false });
    expect(await guardCallbackUrl('https://169.254.169.254/latest', { production: true })).toMatchObject({ ok: false });
  });

  it('pins a public host to the address it checked; a failed lookup is retried, not refused', async () => {
    const ok = await guardCallbackUrl('https://shop.example/ok', { production: true, resolve: async () => [{ address: '93.184.216.34', family: 4 }] });
    expect(ok).toEqual({ ok: true, pinned: { address: '93.184.216.34', family: 4 } });
    const dnsDown = await guardCallbackUrl('https://shop.example/ok', {
      production: true, resolve: async () => { throw Object.assign(new Error('x'), { code: 'EAI_AGAIN' }); },
    });
    expect(dnsDown).toMatchObject({ ok: false, retry: true });
  });
});

describe('retry schedule and signature', () => {
  it('doubles from 30 s with ±20 % jitter, capped at 2 h, and gives up after 24 h', () => {
    expect(retryDelayMs(1, () => 0.5)).toBe(30_000);
    expect(retryDelayMs(2, () => 0.5)).toBe(60_000);
    expect(retryDelayMs(3, () => 0.5)).toBe(120_000);
    expect(retryDelayMs(1, () => 0)).toBe(24_000);
    expect(retryDelayMs(1, () => 1)).toBe(36_000);
    expect(retryDelayMs(30, () => 0.5)).toBe(2 * 3_600_000);
    expect(nextAttemptAt(0, 1_000, 1, () => 0.5)).toBe(31_000);
    expect(nextAttemptAt(0, GIVE_UP_AFTER_MS - 1_000, 10, () => 0.5)).toBeNull();
  });

  it('signs t and the full URL with the app’s secret', () => {
    const url = 'https://shop.example/ok?cart=9&paymentIntent=a&payerId=b';
    const h = signatureHeader('s3cret', url, 1_780_000_000_123);
    expect(h).toMatch(/^t=1780000000,v1=[0-9a-f]{64}$/);
    expect(signatureValid(h, 's3cret', url)).toBe(true);
    expect(signatureValid(h, 'other', url)).toBe(false);
    expect(signatureValid(h, 's3cret', `${url}x`)).toBe(false);
  });
});
