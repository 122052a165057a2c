import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/** The first byte of every sealed cursor: a later format (or key) can be told apart and refused. */
const FORMAT = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** A secret shorter than this is refused at start: a guessable key would make cursors forgeable. */
export const MIN_CURSOR_SECRET_LENGTH = 32;

/**
 * Page cursors as clients see them: the page's last key (which holds a name's search key, a plate, a
 * phone look-up's number) sealed with AES-256-GCM, so a cursor is opaque (no personal data in a URL,
 * a log or a browser's history) and cannot be forged. Each is bound to the list that issued it (the
 * `binding`, authenticated as additional data): a cursor of another tenant or another list does not
 * open. The key is derived from one secret (`CURSOR_SECRET`), the same in every instance of the API, so a
 * cursor issued by one opens in another; without a secret, a random key of this process (cursors
 * that never leave it: workers, scripts).
 */
export class CursorSeal {
  private readonly key: Buffer;

  /** `purpose` keeps seals of different uses apart: a cursor never opens as a booking challenge. */
  constructor(secret?: string, purpose = 'page-cursor-v1') {
    if (secret !== undefined && secret.length < MIN_CURSOR_SECRET_LENGTH)
      throw new Error(`The cursor secret must be at least ${MIN_CURSOR_SECRET_LENGTH} characters.`);
    this.key = secret
      ? Buffer.from(hkdfSync('sha256', secret, 'aftersales-cursor', purpose, 32))
      : randomBytes(32);
  }

  seal(value: unknown, binding: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(binding, 'utf8'));
    const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.of(FORMAT), iv, body, cipher.getAuthTag()]).toString('base64url');
  }

  /** The value sealed for `binding`, or undefined for anything else (forged, altered, another list's). */
  open(cursor: string, binding: string): unknown {
    const raw = Buffer.from(cursor, 'base64url');
    if (raw.length <= 1 + IV_BYTES + TAG_BYTES || raw[0] !== FORMAT) return undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(1, 1 + IV_BYTES));
      decipher.setAAD(Buffer.from(binding, 'utf8'));
      decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
      const plain = Buffer.concat([
        decipher.update(raw.subarray(1 + IV_BYTES, raw.length - TAG_BYTES)),
        decipher.final(),
      ]);
      return JSON.parse(plain.toString('utf8'));
    } catch {
      return undefined;
    }
  }
}
