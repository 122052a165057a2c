import {
  decideWebhookSecretRotation,
  generateWebhookSecret,
  SECRET_OVERLAP_MS,
  signingSecrets,
  signWebhook,
  verifyWebhook,
  type WebhookEndpointRecord,
} from '@aftersales/domain/webhooks';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';

/**
 * Our signatures checked by the reference implementation (the `standardwebhooks` package), as an OEM's
 * receiver would check them: the proof that we speak the specification, not our reading of it.
 */
const body = JSON.stringify({
  type: 'claim.submitted',
  timestamp: '2026-12-07T10:00:00.000Z',
  data: { id: 'clm_1' },
});

function endpointWith(secret: string): WebhookEndpointRecord {
  return {
    id: 'whe_1',
    oemId: 'oem_FAWVW1',
    url: 'https://oem.example.com/hooks',
    enabled: true,
    secret,
    version: 1,
    createdAt: '2026-12-01T00:00:00.000Z',
    updatedAt: '2026-12-01T00:00:00.000Z',
  };
}

describe('Standard Webhooks signing', () => {
  it('signs what the reference implementation verifies, and matches its signature exactly', () => {
    // Prepare
    const secret = generateWebhookSecret();
    const at = new Date();
    // Act
    const headers = signWebhook({ id: 'evt_01JD0001', at, body }, [secret]);
    // Assess
    const reference = new Webhook(secret);
    expect(reference.verify(body, { ...headers })).toEqual(JSON.parse(body));
    expect(headers['webhook-signature']).toBe(reference.sign('evt_01JD0001', at, body));
    expect(headers['webhook-timestamp']).toBe(String(Math.floor(at.getTime() / 1000)));
  });

  it('makes secrets of 24 to 64 random bytes that the reference implementation accepts', () => {
    for (const bytes of [24, 32, 64]) {
      const secret = generateWebhookSecret(bytes);
      expect(secret).toMatch(/^whsec_/);
      expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(bytes);
      const headers = signWebhook({ id: 'evt_1', at: new Date(), body }, [secret]);
      expect(() => new Webhook(secret).verify(body, { ...headers })).not.toThrow();
    }
    expect(() => generateWebhookSecret(16)).toThrow();
    expect(generateWebhookSecret()).not.toBe(generateWebhookSecret());
  });

  it('refuses what was changed, signed with another secret, or is too old', () => {
    // Prepare
    const secret = generateWebhookSecret();
    const headers = signWebhook({ id: 'evt_1', at: new Date(), body }, [secret]);
    const old = signWebhook({ id: 'evt_1', at: new Date(Date.now() - 10 * 60_000), body }, [secret]);
    // Act, Assess
    expect(() => new Webhook(secret).verify(`${body} `, { ...headers })).toThrow();
    expect(() => new Webhook(generateWebhookSecret()).verify(body, { ...headers })).toThrow();
    expect(() => new Webhook(secret).verify(body, { ...old })).toThrow();
    expect(verifyWebhook(headers, `${body} `, secret, new Date()).ok).toBe(false);
    expect(verifyWebhook(old, body, secret, new Date())).toEqual({ ok: false, reason: 'too-old' });
    expect(verifyWebhook(headers, body, secret, new Date())).toEqual({ ok: true });
  });

  it('refuses a message id with a full stop (it delimits the signed content)', () => {
    expect(() => signWebhook({ id: 'evt.1', at: new Date(), body }, [generateWebhookSecret()])).toThrow();
  });

  it('signs with both secrets during a rotation, so either verifies, and with the new one only after it', () => {
    // Prepare
    const oldSecret = generateWebhookSecret();
    const newSecret = generateWebhookSecret();
    const rotatedAt = new Date();
    const { next } = decideWebhookSecretRotation(endpointWith(oldSecret), newSecret, rotatedAt);
    // Act
    const during = signWebhook({ id: 'evt_2', at: rotatedAt, body }, signingSecrets(next, rotatedAt));
    const afterAt = new Date(rotatedAt.getTime() + SECRET_OVERLAP_MS + 1);
    const after = signingSecrets(next, afterAt);
    // Assess
    expect(during['webhook-signature'].split(' ')).toHaveLength(2);
    expect(() => new Webhook(oldSecret).verify(body, { ...during })).not.toThrow();
    expect(() => new Webhook(newSecret).verify(body, { ...during })).not.toThrow();
    expect(verifyWebhook(during, body, oldSecret, rotatedAt).ok).toBe(true);
    expect(verifyWebhook(during, body, newSecret, rotatedAt).ok).toBe(true);
    expect(after).toEqual([newSecret]);
    // Rotating again drops the oldest: at most two sign.
    const third = generateWebhookSecret();
    const again = decideWebhookSecretRotation(next, third, rotatedAt).next;
    expect(signingSecrets(again, rotatedAt)).toEqual([third, newSecret]);
  });
});
