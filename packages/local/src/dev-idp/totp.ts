import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * One-time passwords for the development identity provider: HOTP (RFC 4226) and TOTP (RFC 6238) with
 * Cognito's parameters — HMAC-SHA-1, 6 digits, 30-second steps, and one step of clock drift either way.
 * Secrets travel as RFC 4648 base32, as authenticator apps and Cognito's `SecretCode` have them.
 */
export const TOTP_STEP_SECONDS = 30;
export const TOTP_DIGITS = 6;

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function base32Encode(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/** Decodes base32, ignoring case, spaces and `=` padding (how people copy keys); throws on other characters. */
export function base32Decode(text: string): Buffer {
  const clean = text.replace(/[\s=]/g, '').toUpperCase();
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const ch of clean) {
    const index = BASE32.indexOf(ch);
    if (index < 0) throw new Error(`Not a base32 character: ${ch}`);
    value = ((value << 5) | index) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** A new 160-bit secret (RFC 4226 recommends the HMAC's output length), base32. */
export function newTotpSecret(): string {
  return base32Encode(randomBytes(20));
}

/** HOTP (RFC 4226 §5.3): dynamic truncation of HMAC-SHA-1 over the 8-byte big-endian counter. */
export function hotp(key: Uint8Array, counter: bigint, digits = TOTP_DIGITS): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(counter);
  const mac = createHmac('sha1', key).update(message).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** The TOTP for a base32 secret at a time (ms since the epoch). */
export function totp(secret: string, atMs = Date.now(), digits = TOTP_DIGITS): string {
  return hotp(base32Decode(secret), BigInt(Math.floor(atMs / 1000 / TOTP_STEP_SECONDS)), digits);
}

/** Whether `code` is the TOTP of this step or of the one before or after it (clock drift). */
export function verifyTotp(secret: string, code: string, atMs = Date.now()): boolean {
  if (!/^\d{6}$/.test(code)) return false;
  const given = Buffer.from(code);
  for (const drift of [-1, 0, 1]) {
    const expected = Buffer.from(totp(secret, atMs + drift * TOTP_STEP_SECONDS * 1000));
    if (timingSafeEqual(expected, given)) return true;
  }
  return false;
}
