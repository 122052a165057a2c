import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode, hotp, newTotpSecret, totp, verifyTotp } from './totp.ts';

// RFC 6238 Appendix B and RFC 4226 Appendix D use the ASCII secret "12345678901234567890" with SHA-1.
const RFC_KEY = Buffer.from('12345678901234567890', 'ascii');
const RFC_SECRET = base32Encode(RFC_KEY);

describe('HOTP (RFC 4226 Appendix D)', () => {
  it.each([
    [0n, '755224'],
    [1n, '287082'],
    [2n, '359152'],
    [3n, '969429'],
    [4n, '338314'],
    [5n, '254676'],
    [6n, '287922'],
    [7n, '162583'],
    [8n, '399871'],
    [9n, '520489'],
  ])('counter %i gives %s', (counter, code) => {
    expect(hotp(RFC_KEY, counter)).toBe(code);
  });
});

describe('TOTP (RFC 6238 Appendix B, SHA-1, 8 digits)', () => {
  it.each([
    [59, '94287082'],
    [1111111109, '07081804'],
    [1111111111, '14050471'],
    [1234567890, '89005924'],
    [2000000000, '69279037'],
    [20000000000, '65353130'],
  ])('at %i s gives %s', (seconds, code) => {
    expect(totp(RFC_SECRET, seconds * 1000, 8)).toBe(code);
  });

  it('gives the 6-digit code Cognito and authenticator apps show (the last six digits)', () => {
    expect(totp(RFC_SECRET, 59_000)).toBe('287082');
  });
});

describe('verifyTotp', () => {
  const now = 1_111_111_111_000;
  const secret = RFC_SECRET;

  it('accepts the current step and one step either side, and nothing further', () => {
    // Prepare
    const codeAt = (steps: number) => totp(secret, now + steps * 30_000);
    // Act / Assess
    expect([-2, -1, 0, 1, 2].map((s) => verifyTotp(secret, codeAt(s), now))).toEqual([
      false,
      true,
      true,
      true,
      false,
    ]);
  });

  it('refuses codes that are not six digits', () => {
    expect(verifyTotp(secret, '', now)).toBe(false);
    expect(verifyTotp(secret, `${totp(secret, now)}0`, now)).toBe(false);
    expect(verifyTotp(secret, 'abcdef', now)).toBe(false);
  });
});

describe('base32 (RFC 4648 §10)', () => {
  it.each([
    ['', ''],
    ['f', 'MY'],
    ['fo', 'MZXQ'],
    ['foo', 'MZXW6'],
    ['foob', 'MZXW6YQ'],
    ['fooba', 'MZXW6YTB'],
    ['foobar', 'MZXW6YTBOI'],
  ])('%s ⇄ %s', (text, encoded) => {
    expect(base32Encode(Buffer.from(text))).toBe(encoded);
    expect(base32Decode(`${encoded.toLowerCase()}==`).toString()).toBe(text);
  });

  it('makes 160-bit secrets of 32 characters that decode to 20 bytes', () => {
    const secret = newTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(base32Decode(secret)).toHaveLength(20);
  });
});
