/**
 * The public booking page's proof of work (人机验证), shared by the browser that solves it and the API
 * that checks it. No imports: the booking page's bundle takes this file alone
 * (`@aftersales/domain/proof-of-work`).
 */

/** Leading zero bits of a digest: the work a proof shows (each bit doubles the expected tries). */
export function leadingZeroBits(digest: Uint8Array): number {
  let bits = 0;
  for (const byte of digest) {
    if (byte === 0) {
      bits += 8;
      continue;
    }
    return bits + Math.clz32(byte) - 24;
  }
  return bits;
}
