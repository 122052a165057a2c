import { describe, expect, it } from 'vitest';
import { checkVin, normalizeVin, vinCheckDigit } from './vin.ts';

describe('VIN check digit (shared/RULES.md vectors)', () => {
  it.each([
    ['1G4AH59H45G118341', '4'],
    ['LSJA24U62JG269225', '2'],
    ['LDC613P23A1305189', '3'],
    ['UU6JA69691D713820', '9'],
  ])('%s has check digit %s', (vin, digit) => {
    // Act
    const result = checkVin(vin, 'strict');
    // Assess
    expect(vinCheckDigit(vin)).toBe(digit);
    expect(result).toEqual({ ok: true, vin });
  });

  it('writes remainder 10 as X', () => {
    // Prepare: vary position 9-independent characters until the sum lands on 10 mod 11
    const base = 'LSVAA4182E2000000';
    let found: string | undefined;
    for (let n = 0; n < 1000 && !found; n++) {
      const candidate = `${base.slice(0, 11)}${String(n).padStart(6, '0')}`;
      if (vinCheckDigit(candidate) === 'X') found = candidate;
    }
    // Assess
    expect(found).toBeDefined();
    const withX = `${found!.slice(0, 8)}X${found!.slice(9)}`;
    expect(checkVin(withX)).toMatchObject({ ok: true });
  });

  it('rejects a wrong check digit where it is law, and warns elsewhere', () => {
    const wrong = '1G4AH59H55G118341';
    expect(checkVin(wrong, 'strict')).toMatchObject({ ok: false, code: 'VIN_CHECK_DIGIT' });
    expect(checkVin(wrong, 'warn')).toEqual({ ok: true, vin: wrong, warning: 'CHECK_DIGIT_MISMATCH' });
  });

  it('rejects I, O and Q and wrong lengths', () => {
    expect(checkVin('1G4AH59H45G11834I')).toMatchObject({ ok: false, code: 'VIN_CHARACTERS' });
    expect(checkVin('1G4AH59H45G1183')).toMatchObject({ ok: false, code: 'VIN_LENGTH' });
  });

  it('normalises what staff type: spaces, hyphens, lower case, full-width', () => {
    expect(normalizeVin(' lsja24u62-jg269225 ')).toBe('LSJA24U62JG269225');
    expect(normalizeVin('ＬＳＪＡ２４Ｕ６２ＪＧ２６９２２５')).toBe('LSJA24U62JG269225');
  });
});
