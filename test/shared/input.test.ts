import { describe, expect, it } from 'vitest';
import { isOwnHttpsSite } from '../../src/shared/input.ts';

describe('isOwnHttpsSite: what production accepts as a business site', () => {
  it('accepts HTTPS on a public domain name, with or without a path or port', () => {
    for (const url of ['https://mitienda.com.ve', 'https://www.mitienda.com.ve/tienda?x=1', 'https://shop.example.com:8443/', 'https://mitienda.com.ve.']) {
      expect(isOwnHttpsSite(url), url).toBe(true);
    }
  });

  it('refuses plain HTTP, IP addresses, local or one-label names, credentials and garbage', () => {
    for (const url of [
      'http://mitienda.com.ve', 'https://203.0.113.7', 'https://[2001:db8::1]', 'https://0x7f000001', 'https://localhost',
      'https://tienda.localhost', 'https://tienda.local', 'https://erp.internal', 'https://intranet', 'https://nas.home.arpa',
      'https://user:pw@mitienda.com.ve', 'https://tienda.123', 'mitienda.com.ve', 'https://', '',
    ]) {
      expect(isOwnHttpsSite(url), url).toBe(false);
    }
  });
});
