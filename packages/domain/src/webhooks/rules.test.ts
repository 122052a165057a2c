import { describe, expect, it } from 'vitest';
import { ValidationError } from '../platform/errors.ts';
import type { WebhookDelivery } from './model.ts';
import {
  attemptDue,
  checkWebhookUrl,
  decideAttemptOutcome,
  decideRedelivery,
  decideWebhookEndpointEdit,
  endpointTakes,
  newWebhookDelivery,
  RETRY_SCHEDULE_MS,
  retryAfterMs,
} from './rules.ts';

const t0 = new Date('2026-12-07T10:00:00.000Z');

function delivery(): WebhookDelivery {
  return newWebhookDelivery(
    { eventId: 'evt_1', type: 'claim.submitted', occurredAt: t0.toISOString(), data: { id: 'clm_1' } },
    { id: 'whd_1', oemId: 'oem_FAWVW1', endpointId: 'whe_1', at: t0.toISOString() },
  );
}

describe('webhook delivery schedule', () => {
  it('is delivered on a 2xx, and then waits for no attempt', () => {
    const { next, retryAt } = decideAttemptOutcome(
      delivery(),
      { at: t0, durationMs: 12, statusCode: 204 },
      0.5,
    );
    expect(next.status).toBe('delivered');
    expect(next.deliveredAt).toBe(t0.toISOString());
    expect(next.attempts).toEqual([{ attempt: 1, at: t0.toISOString(), durationMs: 12, statusCode: 204 }]);
    expect(retryAt).toBeUndefined();
    expect(attemptDue(next)).toBeUndefined();
  });

  it('retries on a growing schedule within its jitter, then fails after about a day', () => {
    // Prepare
    let d = delivery();
    let at = t0;
    const waits: number[] = [];
    // Act: every attempt answers 500
    for (;;) {
      expect(attemptDue(d)).toBe(d.attempts.length + 1);
      const { next, retryAt } = decideAttemptOutcome(d, { at, durationMs: 30, statusCode: 500 }, 1);
      d = next;
      if (!retryAt) break;
      waits.push(retryAt.getTime() - at.getTime());
      at = retryAt;
    }
    // Assess
    expect(d.status).toBe('failed');
    expect(d.attempts).toHaveLength(RETRY_SCHEDULE_MS.length + 1);
    expect(waits).toEqual(RETRY_SCHEDULE_MS.map((w) => Math.round(w * 1.2)));
    for (let i = 1; i < 6; i++) expect(waits[i]).toBeGreaterThan(waits[i - 1] ?? 0);
    const total = RETRY_SCHEDULE_MS.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(23 * 3_600_000);
    expect(total).toBeLessThanOrEqual(25 * 3_600_000);
    const low = decideAttemptOutcome(delivery(), { at: t0, durationMs: 1, statusCode: 500 }, 0).retryAt;
    expect(low?.getTime()).toBe(t0.getTime() + 4_000);
  });

  it('honours a Retry-After longer than the schedule, in seconds or as a date, and ignores a shorter one', () => {
    const longer = decideAttemptOutcome(
      delivery(),
      { at: t0, durationMs: 1, statusCode: 503, retryAfter: '120' },
      0.5,
    ).retryAt;
    expect(longer?.getTime()).toBe(t0.getTime() + 120_000);
    const date = new Date(t0.getTime() + 3_600_000).toUTCString();
    expect(retryAfterMs(date, t0)).toBe(3_600_000);
    const shorter = decideAttemptOutcome(
      delivery(),
      { at: t0, durationMs: 1, statusCode: 429, retryAfter: '1' },
      0.5,
    );
    expect(shorter.retryAt?.getTime()).toBe(t0.getTime() + 5_000);
    expect(retryAfterMs('soon', t0)).toBeUndefined();
    const capped = decideAttemptOutcome(
      delivery(),
      { at: t0, durationMs: 1, statusCode: 503, retryAfter: '999999' },
      0.5,
    );
    expect(capped.retryAt?.getTime()).toBe(t0.getTime() + 24 * 3_600_000);
  });

  it('records a failure without a status (timeout) with its error', () => {
    const { next } = decideAttemptOutcome(
      delivery(),
      { at: t0, durationMs: 10_000, error: 'timed out' },
      0.5,
    );
    expect(next.status).toBe('retrying');
    expect(next.attempts[0]).toMatchObject({ attempt: 1, error: 'timed out', durationMs: 10_000 });
    expect(next.attempts[0]?.statusCode).toBeUndefined();
  });

  it('starts a new round on a redelivery, continuing the attempt count', () => {
    const failedOnce = decideAttemptOutcome(delivery(), { at: t0, durationMs: 1, statusCode: 500 }, 0.5).next;
    const done = decideAttemptOutcome(failedOnce, { at: t0, durationMs: 1, statusCode: 200 }, 0.5).next;
    const again = decideRedelivery(done, new Date(t0.getTime() + 60_000));
    expect(again.status).toBe('pending');
    expect(again.roundAttempts).toBe(0);
    expect(attemptDue(again)).toBe(3);
  });
});

/** The field error a refused URL gets (on `url`, code INVALID_WEBHOOK_URL). */
function refusal(url: string, local: boolean): string {
  try {
    checkWebhookUrl(url, local);
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    expect(e.fieldErrors[0]).toMatchObject({ path: 'url', code: 'INVALID_WEBHOOK_URL' });
    return e.fieldErrors[0]?.message ?? '';
  }
  return 'accepted';
}

describe('webhook endpoints', () => {
  it('take https anywhere, loopback http only when the server runs locally', () => {
    expect(checkWebhookUrl('https://oem.example.com/hooks', false)).toBe('https://oem.example.com/hooks');
    expect(checkWebhookUrl('http://127.0.0.1:3010/hooks', true)).toBe('http://127.0.0.1:3010/hooks');
    expect(checkWebhookUrl('http://localhost:3010/', true)).toBe('http://localhost:3010/');
    expect(refusal('http://127.0.0.1:3010/hooks', false)).toMatch(/^Use https/);
    expect(refusal('http://oem.example.com/hooks', true)).toMatch(/^Use https/);
    expect(refusal('https://user:pw@oem.example.com/', false)).toMatch(/^No user name/);
    expect(refusal('not a url', true)).toMatch(/^Not an absolute URL/);
  });

  it('filter by event type and enabled; an edit that changes nothing is no decision', () => {
    expect(endpointTakes({ enabled: true }, 'claim.submitted')).toBe(true);
    expect(endpointTakes({ enabled: true, eventTypes: ['claim.paid'] }, 'claim.submitted')).toBe(false);
    expect(endpointTakes({ enabled: false }, 'claim.submitted')).toBe(false);
    const record = {
      id: 'whe_1',
      oemId: 'oem_FAWVW1',
      url: 'https://oem.example.com/hooks',
      enabled: true,
      secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      version: 1,
      createdAt: t0.toISOString(),
      updatedAt: t0.toISOString(),
    };
    expect(decideWebhookEndpointEdit(record, { enabled: true }, t0.toISOString(), false)).toBeUndefined();
    const edit = decideWebhookEndpointEdit(record, { eventTypes: ['claim.paid'] }, t0.toISOString(), false);
    expect(edit?.changes).toEqual([{ field: 'eventTypes', to: ['claim.paid'] }]);
    expect(edit?.next.version).toBe(2);
  });
});
