import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isRedirectable, withQuery } from '../../src/checkout/checkout.urls.ts';
import { monogramOf } from '../../src/checkout/checkout.view.ts';

describe('merchant URLs', () => {
  it.each([
    ['https://shop.test/ok', 'https://shop.test/ok?paymentIntent=i1'],
    ['https://shop.test/ok?cart=9', 'https://shop.test/ok?cart=9&paymentIntent=i1'],
    ['https://shop.test/ok?', 'https://shop.test/ok?paymentIntent=i1'],
    ['https://shop.test/ok?a=1&', 'https://shop.test/ok?a=1&paymentIntent=i1'],
    ['https://shop.test/ok#top', 'https://shop.test/ok?paymentIntent=i1#top'],
    ['https://shop.test/ok?cart=9#/done?x=1', 'https://shop.test/ok?cart=9&paymentIntent=i1#/done?x=1'],
  ])('appends to %s', (url, expected) => {
    expect(withQuery(url, { paymentIntent: 'i1' })).toBe(expected);
  });

  it('keeps every parameter the merchant had and adds ours, whatever the URL', () => {
    const key = fc.stringMatching(/^[a-z]{1,6}$/);
    fc.assert(fc.property(
      fc.dictionary(key, fc.string({ maxLength: 8 }), { maxKeys: 4 }), fc.option(fc.stringMatching(/^[a-z0-9/]{0,8}$/)),
      fc.uuid(), fc.uuid(),
      (params, fragment, intentId, payerId) => {
        const u = new URL('https://shop.test/return/');
        for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
        if (fragment !== null) u.hash = fragment;
        const out = new URL(withQuery(u.href, { paymentIntent: intentId, payerId }));
        for (const [k, v] of Object.entries(params)) expect(out.searchParams.get(k)).toBe(v);
        expect(out.searchParams.get('paymentIntent')).toBe(intentId);
        expect(out.searchParams.get('payerId')).toBe(payerId);
        expect(out.hash).toBe(u.hash);
        expect(out.pathname).toBe('/return/');
      },
    ));
  });

  it('only redirects to plain absolute http(s) URLs', () => {
    expect(isRedirectable('https://shop.test/ok?x=1')).toBe(true);
    expect(isRedirectable('javascript:alert(1)')).toBe(false);
    expect(isRedirectable('/relative')).toBe(false);
    expect(isRedirectable('https://shop.test/ok\r\nSet-Cookie: a=b')).toBe(false);
    expect(isRedirectable('')).toBe(false);
  });

  it('makes a monogram of up to two initials', () => {
    expect(monogramOf('Tienda La Esquina')).toBe('TL');
    expect(monogramOf('ñandú')).toBe('Ñ');
    expect(monogramOf('  pizza-express ')).toBe('PE');
    expect(monogramOf('!!!')).toBe('?');
  });
});
