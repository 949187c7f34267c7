import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { displayMoney, formatMinor, parseMoney, toApiNumber } from '../../src/shared/money.ts';

describe('money', () => {
  it('parses strings and numbers into minor units without rounding', () => {
    expect(parseMoney('20')).toEqual({ ok: true, minor: 2000 });
    expect(parseMoney('23.50')).toEqual({ ok: true, minor: 2350 });
    expect(parseMoney(17.5)).toEqual({ ok: true, minor: 1750 });
    expect(parseMoney('0.1')).toEqual({ ok: true, minor: 10 });
    expect(parseMoney(0.1 + 0.2)).toEqual({ ok: false, reason: 'too_many_decimals' });
    expect(parseMoney('1.005')).toEqual({ ok: false, reason: 'too_many_decimals' });
    expect(parseMoney('1.500')).toEqual({ ok: true, minor: 150 });
    expect(parseMoney('abc')).toEqual({ ok: false, reason: 'not_a_number' });
    expect(parseMoney('')).toEqual({ ok: false, reason: 'required' });
    expect(parseMoney('1e3')).toEqual({ ok: false, reason: 'not_a_number' });
    expect(parseMoney('99999999999999')).toEqual({ ok: false, reason: 'too_large' });
  });

  it('round-trips every amount with two decimals through text and the API number', () => {
    fc.assert(fc.property(fc.integer({ min: -1e14, max: 1e14 }), (minor) => {
      const text = formatMinor(minor);
      expect(parseMoney(text)).toEqual({ ok: true, minor });
      expect(parseMoney(toApiNumber(minor))).toEqual({ ok: true, minor });
    }));
  });

  it('displays amounts the Venezuelan way in Spanish', () => {
    expect(displayMoney(123456789, 'es')).toBe('Bs. 1.234.567,89');
    expect(displayMoney(123456789, 'en')).toBe('Bs. 1,234,567.89');
  });
});
