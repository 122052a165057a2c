/**
 * VIN (车辆识别代号) validation per ISO 3779 / 49 CFR 565 / GB 16735.
 * Check digit rules and test vectors: shared/RULES.md.
 */
const TRANSLITERATION: Record<string, number> = {
  A: 1,
  B: 2,
  C: 3,
  D: 4,
  E: 5,
  F: 6,
  G: 7,
  H: 8,
  J: 1,
  K: 2,
  L: 3,
  M: 4,
  N: 5,
  P: 7,
  R: 9,
  S: 2,
  T: 3,
  U: 4,
  V: 5,
  W: 6,
  X: 7,
  Y: 8,
  Z: 9,
};
const WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2] as const;
const VIN_SHAPE = /^[A-HJ-NPR-Z0-9]{17}$/;

/** Where the check digit is mandatory (reject) and where it is only advisory (warn). */
export type VinPolicy = 'strict' | 'warn';

export type VinCheck =
  | { ok: true; vin: string; warning?: 'CHECK_DIGIT_MISMATCH' }
  | { ok: false; vin: string; code: 'VIN_LENGTH' | 'VIN_CHARACTERS' | 'VIN_CHECK_DIGIT'; message: string };

export function normalizeVin(raw: string): string {
  return raw.normalize('NFKC').replace(/[\s-]/g, '').toUpperCase();
}

/** The expected check digit (position 9) of a well-formed VIN: `0`–`9` or `X`. */
export function vinCheckDigit(vin: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const ch = vin[i]!;
    const value = ch >= '0' && ch <= '9' ? Number(ch) : (TRANSLITERATION[ch] ?? 0);
    sum += value * WEIGHTS[i]!;
  }
  const remainder = sum % 11;
  return remainder === 10 ? 'X' : String(remainder);
}

export function checkVin(raw: string, policy: VinPolicy = 'strict'): VinCheck {
  const vin = normalizeVin(raw);
  if (vin.length !== 17) {
    return {
      ok: false,
      vin,
      code: 'VIN_LENGTH',
      message: `A VIN has 17 characters; this one has ${vin.length}.`,
    };
  }
  if (!VIN_SHAPE.test(vin)) {
    return {
      ok: false,
      vin,
      code: 'VIN_CHARACTERS',
      message: 'A VIN uses digits and capital letters except I, O and Q.',
    };
  }
  const expected = vinCheckDigit(vin);
  if (vin[8] === expected) return { ok: true, vin };
  if (policy === 'warn') return { ok: true, vin, warning: 'CHECK_DIGIT_MISMATCH' };
  return {
    ok: false,
    vin,
    code: 'VIN_CHECK_DIGIT',
    message: `The check digit (9th character) should be ${expected}; re-read the VIN from the vehicle.`,
  };
}
