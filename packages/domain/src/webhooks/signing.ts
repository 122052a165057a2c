import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Standard Webhooks signing (symmetric scheme `v1`), written from the specification
 * (github.com/standard-webhooks/standard-webhooks, spec/standard-webhooks.md):
 * - a secret is `whsec_` + base64 of 24 to 64 random bytes; the HMAC key is the decoded bytes;
 * - the signed content is `<webhook-id>.<webhook-timestamp>.<body>`, the timestamp in whole seconds
 *   since the epoch, the body exactly as sent;
 * - `webhook-signature` is space-separated `v1,<base64 HMAC-SHA256>`, one per secret that signs (the
 *   current one and, during a rotation, the previous one), so a receiver holding either verifies.
 */

const PREFIX = 'whsec_';
export const SECRET_MIN_BYTES = 24;
export const SECRET_MAX_BYTES = 64;

/** A new secret of `bytes` random bytes (32 by default). */
export function generateWebhookSecret(bytes = 32): string {
  if (bytes < SECRET_MIN_BYTES || bytes > SECRET_MAX_BYTES)
    throw new RangeError(`A secret has ${SECRET_MIN_BYTES} to ${SECRET_MAX_BYTES} bytes.`);
  return `${PREFIX}${randomBytes(bytes).toString('base64')}`;
}

/** The HMAC key of a `whsec_` secret; a malformed one is a programming error, never a request's. */
export function secretKey(secret: string): Buffer {
  if (!secret.startsWith(PREFIX)) throw new Error('A webhook secret starts with whsec_.');
  const key = Buffer.from(secret.slice(PREFIX.length), 'base64');
  if (key.length < SECRET_MIN_BYTES || key.length > SECRET_MAX_BYTES)
    throw new Error(`A webhook secret decodes to ${SECRET_MIN_BYTES} to ${SECRET_MAX_BYTES} bytes.`);
  return key;
}

/** The ids the spec allows in the signed content: no full stop (it delimits the parts). */
const MESSAGE_ID = /^[A-Za-z0-9_-]{1,100}$/;

export interface SignedMessage {
  /** `webhook-id`: the same on every attempt of one message. */
  id: string;
  /** The attempt's time. */
  at: Date;
  body: string;
}

export interface WebhookHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

function signature(key: Buffer, content: string): string {
  return createHmac('sha256', key).update(content, 'utf8').digest('base64');
}

function signedContent(id: string, timestamp: string, body: string): string {
  return `${id}.${timestamp}.${body}`;
}

/** The three headers of one attempt, signed with every secret given (current first). */
export function signWebhook(message: SignedMessage, secrets: readonly string[]): WebhookHeaders {
  if (!MESSAGE_ID.test(message.id))
    throw new Error(`webhook-id ${message.id} has characters the spec refuses`);
  if (secrets.length === 0) throw new Error('A webhook is signed with at least one secret.');
  const timestamp = String(Math.floor(message.at.getTime() / 1000));
  const content = signedContent(message.id, timestamp, message.body);
  return {
    'webhook-id': message.id,
    'webhook-timestamp': timestamp,
    'webhook-signature': secrets.map((s) => `v1,${signature(secretKey(s), content)}`).join(' '),
  };
}

export type VerifyResult =
  | { ok: true }
  | { ok: false; reason: 'missing-headers' | 'too-old' | 'bad-signature' };

/** How far a receiver accepts a timestamp from its own clock (the spec's recommendation: minutes). */
export const TIMESTAMP_TOLERANCE_S = 5 * 60;

/**
 * What a receiver does (the local receiver, and our own tests of the sender): the timestamp near `now`,
 * and one `v1` signature equal, in constant time, to the one `secret` makes.
 */
export function verifyWebhook(
  headers: Partial<Record<keyof WebhookHeaders, string | undefined>>,
  body: string,
  secret: string,
  now: Date,
): VerifyResult {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signatures = headers['webhook-signature'];
  if (!id || !timestamp || !signatures || !/^\d{1,12}$/.test(timestamp))
    return { ok: false, reason: 'missing-headers' };
  if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > TIMESTAMP_TOLERANCE_S)
    return { ok: false, reason: 'too-old' };
  const expected = Buffer.from(signature(secretKey(secret), signedContent(id, timestamp, body)), 'base64');
  for (const entry of signatures.split(' ')) {
    const [version, value] = entry.split(',', 2);
    if (version !== 'v1' || !value) continue;
    const given = Buffer.from(value, 'base64');
    if (given.length === expected.length && timingSafeEqual(given, expected)) return { ok: true };
  }
  return { ok: false, reason: 'bad-signature' };
}
