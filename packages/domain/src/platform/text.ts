/** Normalisation shared by look-ups and uniqueness checks, so that a search finds what was typed at the counter. */

/** Licence plate (车牌): full-width to half-width, no spaces, dots or hyphens, upper case. `京A·12345` → `京A12345`. */
export function normalizePlate(raw: string): string {
  return raw
    .normalize('NFKC')
    .replace(/[\s·.\-•]/g, '')
    .toUpperCase();
}

/**
 * Phone numbers keep their digits and a leading `+` (full-width ones become ASCII). Chinese mobiles written with +86/0086 are
 * stored without the prefix so that `+86 138 0013 8000` and `13800138000` are the same number.
 */
export function normalizePhone(raw: string): string {
  let p = raw.normalize('NFKC').replace(/[^\d+]/g, '');
  // `00` is the international prefix only when a number follows it: `0044 20…` is `+4420…`, while
  // `00000` (a short number the schema accepts) stays itself rather than becoming a 3-digit `+000`.
  if (/^00\d{5}/.test(p)) p = `+${p.slice(2)}`;
  if (/^\+861\d{10}$/.test(p)) p = p.slice(3);
  return p;
}

/**
 * `13800138000` → `1******8000`: the last digits, by which staff recognise a number (尾号), and never
 * more than half of it at any length, so a masked number cannot be guessed from what is shown
 * (PIPL: roles without the contact permission see no usable phone number).
 */
export function maskPhone(phone: string): string {
  const shown = Math.floor(phone.length / 2);
  const keepEnd = Math.min(4, shown);
  const keepStart = Math.min(3, shown - keepEnd);
  return `${phone.slice(0, keepStart)}${'*'.repeat(phone.length - keepStart - keepEnd)}${phone.slice(phone.length - keepEnd)}`;
}

/** Key for name-prefix search: case- and width-insensitive, no spaces (`Li  Wei` and `liwei` match). */
export function nameSearchKey(raw: string): string {
  return raw.normalize('NFKC').toLowerCase().replace(/\s+/g, '');
}
