import { describe, expect, it } from 'vitest';
import { maskPhone, nameSearchKey, normalizePhone, normalizePlate } from './text.ts';

describe('normalisation for look-ups', () => {
  it('finds a plate however it was typed', () => {
    expect(normalizePlate('京A·12345')).toBe('京A12345');
    expect(normalizePlate('京a 12345')).toBe('京A12345');
    expect(normalizePlate('沪Ａ-D1234５')).toBe('沪AD12345');
  });

  it('treats +86, 0086 and bare Chinese mobiles as one number', () => {
    expect(normalizePhone('+86 138 0013 8000')).toBe('13800138000');
    expect(normalizePhone('0086-13800138000')).toBe('13800138000');
    expect(normalizePhone('(415) 555-0100')).toBe('4155550100');
    expect(normalizePhone('+1 415 555 0100')).toBe('+14155550100');
  });

  it('reads a leading 00 as + only when a number follows it', () => {
    expect(normalizePhone('0044 20 7946 0958')).toBe('+442079460958');
    expect(normalizePhone('00000')).toBe('00000');
    expect(normalizePhone('000000')).toBe('000000');
  });

  it('masks at least half of a number at any length, keeping its last digits', () => {
    expect(maskPhone('13800138000')).toBe('1******8000');
    expect(maskPhone('6552123')).toBe('****123');
    expect(maskPhone('01056648835')).toBe('0******8835');
    expect(maskPhone('+8613800138000')).toBe('+86*******8000');
    expect(maskPhone('123')).toBe('**3');
    for (let n = 1; n <= 16; n++) {
      const masked = maskPhone('9'.repeat(n));
      expect(masked).toHaveLength(n);
      expect(masked.replaceAll('*', '').length).toBeLessThanOrEqual(n / 2);
    }
  });

  it('makes name search case-, width- and space-insensitive', () => {
    expect(nameSearchKey('Li  Wei')).toBe('liwei');
    expect(nameSearchKey('王 小明')).toBe('王小明');
  });
});
