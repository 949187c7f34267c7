import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseIntentForm } from '../../src/payment-intents/payment-intent.form.ts';
import { FormErrors } from '../../src/shared/form.ts';

const rules = { production: false, homeUrl: 'http://localhost:3000' };

function docWithTotal(total: unknown) {
  return {
    paymentintent: {
      intent: 'sale',
      redirectUrls: { returnUrl: 'http://localhost/ok', cancelUrl: 'http://localhost/ko' },
      transactions: [{ amount: { total }, description: 'x' }],
    },
  };
}

describe('the create form, for any input', () => {
  it('reads every amount with at most 2 decimals exactly, as text or JSON number', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 10_000_000_00 }), fc.boolean(), (minor, asNumber) => {
      const textual = `${Math.trunc(minor / 100)}.${String(minor % 100).padStart(2, '0')}`;
      const errors = new FormErrors();
      const { parsed } = parseIntentForm(docWithTotal(asNumber ? Number(textual) : textual), errors, rules);
      expect(errors.has()).toBe(false);
      expect(parsed.transactions[0].totalMinor).toBe(minor);
    }));
  });

  it('rejects, never rounds, a third decimal that is not zero', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 1, max: 9 }), (minor, third) => {
      const textual = `${Math.trunc(minor / 100)}.${String(minor % 100).padStart(2, '0')}${third}`;
      const errors = new FormErrors();
      parseIntentForm(docWithTotal(textual), errors, rules);
      expect(errors.has(['transactions', 0, 'amount', 'total'])).toBe(true);
    }));
  });

  it('never throws on arbitrary documents; the tree always has the four top fields', () => {
    fc.assert(fc.property(fc.jsonValue(), fc.jsonValue(), (root, txns) => {
      const errors = new FormErrors();
      const body = { paymentintent: typeof root === 'object' && root !== null && !Array.isArray(root) ? { ...root, transactions: txns } : root };
      const { shape } = parseIntentForm(body, errors, rules);
      const tree = errors.toTree(shape);
      expect(Object.keys(tree.children ?? {})).toEqual(['intent', 'redirectUrls', 'transactions', 'recipient']);
    }), { numRuns: 300 });
  });
});
