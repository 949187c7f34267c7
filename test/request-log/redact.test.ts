import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  BODY_LIMIT_BYTES, REDACTED, isSecretField, loggedBody, needsRedaction, redactAuthorization, redactQuery, redactText, redactValue, truncate,
} from '../../src/request-log/redact.ts';

describe('request log redaction', () => {
  it('hides PINs, passwords, secrets, tokens and authorization codes at any depth, whatever the spelling', () => {
    const body = {
      payment_execution: { payToken: 'pt-123', pin: '1234' },
      grant_type: 'authorization_code', client_id: 'abc', client_secret: 's3cr3t', code: 'auth-code', code_verifier: 'v',
      refresh_token: 'r1', 'Access-Token': 'a1', user: { password: 'pw', newPassword: 'pw2', currentPin: 9999 },
      list: [{ clientSecret: 'x' }, { PIN: 1111 }],
    };
    expect(redactValue(body)).toEqual({
      payment_execution: { payToken: REDACTED, pin: REDACTED },
      grant_type: 'authorization_code', client_id: 'abc', client_secret: REDACTED, code: REDACTED, code_verifier: REDACTED,
      refresh_token: REDACTED, 'Access-Token': REDACTED, user: { password: REDACTED, newPassword: REDACTED, currentPin: REDACTED },
      list: [{ clientSecret: REDACTED }, { PIN: REDACTED }],
    });
    // The input is left as it was.
    expect(body.payment_execution.pin).toBe('1234');
  });

  it('keeps what is no secret: an error code, token_type, amounts, names that merely contain the letters', () => {
    const answer = { code: 400, message: 'Validation Failed', token_type: 'bearer', expires_in: 3600, shipping: '2.00', pinned: true, description: 'código 1234' };
    expect(redactValue(answer)).toEqual(answer);
    expect(isSecretField('token_type', 'bearer')).toBe(false);
    expect(isSecretField('code', 400)).toBe(false);
    expect(isSecretField('code', 'abc')).toBe(true);
  });

  it('redacts query strings and forms field by field, bracket names included, and leaves the rest as sent', () => {
    expect(redactQuery('id=PAY-1&access_token=abc.def')).toBe(`id=PAY-1&access_token=${REDACTED}`);
    expect(redactQuery('payment_execution%5BpayToken%5D=t&payment_execution%5Bpin%5D=1234&x=1'))
      .toBe(`payment_execution%5BpayToken%5D=${REDACTED}&payment_execution%5Bpin%5D=${REDACTED}&x=1`);
    expect(redactQuery('flag&page=2')).toBe('flag&page=2');
    expect(redactQuery('')).toBe('');
  });

  it('keeps the scheme of an Authorization header and nothing else', () => {
    expect(redactAuthorization('Bearer abc.def-ghi')).toBe(`Bearer ${REDACTED}`);
    expect(redactAuthorization('Basic Y2xpZW50OnNlY3JldA==')).toBe(`Basic ${REDACTED}`);
    expect(redactAuthorization('abc')).toBe(REDACTED);
    expect(redactAuthorization(undefined)).toBeUndefined();
  });

  it('redacts text bodies: JSON structurally, forms by field, JSON cut short and other text by pattern', () => {
    expect(JSON.parse(redactText('{"access_token":"a","refresh_token":"r","expires_in":3600}')))
      .toEqual({ access_token: REDACTED, refresh_token: REDACTED, expires_in: 3600 });
    expect(redactText('grant_type=refresh_token&refresh_token=r1&client_secret=s')).toBe(`grant_type=refresh_token&refresh_token=${REDACTED}&client_secret=${REDACTED}`);
    const cut = '{"client_secret": "s3cr3t", "pin": 1234, "code": 400, "items": [{"name": "caf';
    const out = redactText(cut);
    expect(out).not.toContain('s3cr3t');
    expect(out).not.toContain('1234');
    expect(out).toContain('"code": 400');
    expect(redactText('pin=1234 and password=hunter2')).toBe(`pin=${REDACTED} and password=${REDACTED}`);
  });

  it('keeps a JSON body with no secret as sent, and redacts one whose secret hides in an array, an escape or a repeated key', () => {
    const plain = '{"id":"PAY-1","total":{"amount":1.5},"items":[{"name":"Café"}],"code":400}';
    expect(redactText(`  ${plain}\n`)).toBe(plain);
    expect(needsRedaction(JSON.parse(plain))).toBe(false);
    expect(JSON.parse(redactText('{"list":[{"a":1},{"pay_token":"t"}]}'))).toEqual({ list: [{ a: 1 }, { pay_token: REDACTED }] });
    // The parser's keys decide, not the text: an escaped name is still a PIN; a repeated key is redacted once parsed.
    expect(redactText('{"p\\u0069n":"1234"}')).toBe(`{"pin":"${REDACTED}"}`);
    expect(redactText('{"pin":"1","pin":"2"}')).toBe(`{"pin":"${REDACTED}"}`);
    expect(needsRedaction({ file: Buffer.from('x') })).toBe(true);
    expect(loggedBody({ name: 'Ana', amount: 2 }).text).toBe('{"name":"Ana","amount":2}');
  });

  it('classifies a name the same way once thousands of other names have been seen', () => {
    for (let i = 0; i < 3_000; i++) isSecretField(`field_${i}`, 'x');
    expect(isSecretField('Client-Secret', 'x')).toBe(true);
    expect(isSecretField('code', 'x')).toBe(true);
    expect(isSecretField('code', 400)).toBe(false);
    expect(isSecretField('field_2999', 'x')).toBe(false);
    expect(redactValue({ newPin: 1, field_2500: 2 })).toEqual({ newPin: REDACTED, field_2500: 2 });
    // A long name (never kept in the cache) is classified all the same.
    expect(isSecretField(`${'x'.repeat(5_000)}_secret`, 's')).toBe(true);
    expect(isSecretField('x'.repeat(5_000), 's')).toBe(false);
  });

  it('cuts a body past the limit on a character boundary, after redaction, and says so', () => {
    const big = { pin: '1234', notes: 'ñ'.repeat(BODY_LIMIT_BYTES) };
    const r = loggedBody(big);
    expect(r.truncated).toBe(true);
    expect(Buffer.byteLength(r.text!)).toBeLessThanOrEqual(BODY_LIMIT_BYTES);
    expect(r.text!.startsWith(`{"pin":"${REDACTED}","notes":"ñññ`)).toBe(true);
    expect(r.text).not.toContain('\uFFFD');
    expect(loggedBody({ a: 1 })).toEqual({ text: '{"a":1}', truncated: false });
    expect(loggedBody(undefined)).toEqual({ text: null, truncated: false });
    expect(loggedBody('')).toEqual({ text: null, truncated: false });
  });

  it('never lets a secret value through, whatever the document (property)', () => {
    const secret = 'ZZSECRETZZ';
    const keys = fc.constantFrom('pin', 'client_secret', 'password', 'access_token', 'refresh_token', 'payToken', 'code', 'code_verifier', 'Authorization');
    const plain = fc.constantFrom('name', 'amount', 'description', 'id', 'items');
    const leaf = fc.oneof(fc.string({ maxLength: 8 }).filter((s) => !s.includes('ZZ')), fc.integer());
    const docArb = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        leaf,
        fc.array(tie('node'), { maxLength: 3 }),
        fc.dictionary(plain, tie('node'), { maxKeys: 3 }),
        fc.record({ k: keys, rest: fc.dictionary(plain, tie('node'), { maxKeys: 2 }) }).map(({ k, rest }) => ({ ...rest, [k]: secret })),
      ),
    })).node;
    fc.assert(fc.property(docArb, fc.integer({ min: 16, max: 400 }), (d, limit) => {
      const r = loggedBody(d, limit);
      expect(r.text ?? '').not.toContain(secret);
      expect(Buffer.byteLength(r.text ?? '')).toBeLessThanOrEqual(limit);
      const asText = loggedBody(JSON.stringify(d), limit);
      expect(asText.text ?? '').not.toContain(secret);
    }));
  });

  it('truncate counts bytes, not characters', () => {
    expect(truncate('abcdef', 4)).toEqual({ text: 'abcd', truncated: true });
    expect(truncate('ññ', 3)).toEqual({ text: 'ñ', truncated: true });
    expect(truncate('ñ', 2)).toEqual({ text: 'ñ', truncated: false });
  });
});
