import { describe, expect, it } from 'vitest';
import { decideDelivery, MessageTemplateError, quietHoursEnd, renderMessage } from './rules.ts';

const shanghai = { name: '星河4S店', timeZone: 'Asia/Shanghai' };

describe('message templates', () => {
  it('renders a confirmation in Chinese with the store-local time', () => {
    // 2026-12-08T01:30Z is 09:30 on Tuesday 8 December in Shanghai
    const text = renderMessage(
      'appointment.confirmed',
      'zh-CN',
      { at: '2026-12-08T01:30:00.000Z' },
      shanghai,
    );
    expect(text).toBe('【星河4S店】您的预约已确认：12月8日（周二）09:30。如需改期请致电门店。');
  });

  it('renders the same instant in English for a store in another zone', () => {
    const text = renderMessage(
      'appointment.reminderDay',
      'en',
      { at: '2026-12-08T01:30:00.000Z' },
      { name: 'Star Motors', timeZone: 'America/Los_Angeles' },
    );
    expect(text).toBe(
      'Star Motors: a reminder of your appointment tomorrow, Mon 7 Dec, 17:30. Please bring your registration.',
    );
  });

  it('renders every template in both locales as short texts', () => {
    const params = { at: '2026-12-08T01:30:00.000Z', code: '482913' };
    for (const template of [
      'appointment.confirmed',
      'appointment.reminderDay',
      'appointment.reminderHour',
      'appointment.requested',
      'booking.code',
    ] as const)
      for (const locale of ['zh-CN', 'en'] as const) {
        const text = renderMessage(template, locale, params, shanghai);
        expect(text.length).toBeLessThanOrEqual(locale === 'zh-CN' ? 70 : 160);
        expect(text).toContain(shanghai.name);
      }
    expect(renderMessage('booking.code', 'en', params, shanghai)).toContain('482913');
  });

  it('refuses a template without a parameter it needs', () => {
    expect(() => renderMessage('booking.code', 'zh-CN', {}, shanghai)).toThrow(MessageTemplateError);
  });
});

describe('quiet hours (21:00–08:00 store-local)', () => {
  it('holds a 22:00 message to 08:00 the next morning, across midnight', () => {
    // 22:00 Shanghai on 7 Dec = 14:00Z; 08:00 on 8 Dec = 00:00Z
    expect(quietHoursEnd(new Date('2026-12-07T14:00:00Z'), 'Asia/Shanghai')?.toISOString()).toBe(
      '2026-12-08T00:00:00.000Z',
    );
  });

  it('holds a 06:00 message to 08:00 the same morning', () => {
    // 06:00 Shanghai on 8 Dec = 22:00Z on 7 Dec
    expect(quietHoursEnd(new Date('2026-12-07T22:00:00Z'), 'Asia/Shanghai')?.toISOString()).toBe(
      '2026-12-08T00:00:00.000Z',
    );
  });

  it('lets a daytime message go, judging the hour in the store’s zone, not UTC', () => {
    // 14:00Z is 22:00 in Shanghai but 09:00 in New York (EST)
    const at = new Date('2026-12-07T14:00:00Z');
    expect(quietHoursEnd(at, 'America/New_York')).toBeUndefined();
    expect(quietHoursEnd(new Date('2026-12-07T20:59:00+08:00'), 'Asia/Shanghai')).toBeUndefined();
    expect(quietHoursEnd(new Date('2026-12-07T21:00:00+08:00'), 'Asia/Shanghai')).toBeDefined();
  });

  it('ends at 08:00 local time on a day clocks change (Europe/Berlin, last Sunday of March)', () => {
    // 23:00 CET on 28 March 2026; 08:00 CEST on 29 March = 06:00Z
    expect(quietHoursEnd(new Date('2026-03-28T22:00:00Z'), 'Europe/Berlin')?.toISOString()).toBe(
      '2026-03-29T06:00:00.000Z',
    );
  });
});

describe('delivery decision', () => {
  const service = { purpose: 'service' as const, timeZone: 'Asia/Shanghai' };
  const noon = new Date('2026-12-07T04:00:00Z');
  const night = new Date('2026-12-07T14:00:00Z');

  it('sends a service text in the day to a customer who consented', () => {
    expect(decideDelivery(service, { now: noon, consentToMessages: true })).toEqual({ kind: 'send' });
  });

  it('suppresses a service text without consent, or without a customer record', () => {
    expect(decideDelivery(service, { now: noon, consentToMessages: false })).toEqual({
      kind: 'suppress',
      reason: 'no_consent',
    });
    expect(decideDelivery(service, { now: noon, consentToMessages: undefined }).kind).toBe('suppress');
  });

  it('sends a one-time code at night and without consent', () => {
    expect(
      decideDelivery({ ...service, purpose: 'transactional' }, { now: night, consentToMessages: undefined }),
    ).toEqual({ kind: 'send' });
  });

  it('defers a service text in quiet hours to their end', () => {
    expect(decideDelivery(service, { now: night, consentToMessages: true })).toEqual({
      kind: 'defer',
      until: '2026-12-08T00:00:00.000Z',
    });
  });

  it('suppresses a reminder whose deferral would land after the appointment', () => {
    // the appointment is at 07:30 on 8 Dec, before quiet hours end at 08:00
    const reminder = { ...service, notAfter: '2026-12-07T23:30:00.000Z' };
    expect(decideDelivery(reminder, { now: night, consentToMessages: true })).toEqual({
      kind: 'suppress',
      reason: 'too_late',
    });
    expect(
      decideDelivery(reminder, { now: new Date('2026-12-08T01:00:00Z'), consentToMessages: true }),
    ).toEqual({ kind: 'suppress', reason: 'too_late' });
  });
});
