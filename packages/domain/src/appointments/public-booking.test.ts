import { describe, expect, it } from 'vitest';
import { zonedInstant } from '../platform/local-time.ts';
import { freeTimes, leadingZeroBits, offersPublicBooking } from './public-booking.ts';

const SETUP = {
  timeZone: 'Asia/Shanghai',
  openingHours: { mon: { open: '08:30', close: '11:00' } },
  holidays: [{ date: '2030-01-14' }],
};
const MONDAY = '2030-01-07';
const room = { capacity: { general: 20 }, booked: { general: 10 } };

describe('free times on the public page', () => {
  it('offers half hours from opening to an hour before closing, ahead of now', () => {
    // Act
    const early = freeTimes(SETUP, { date: MONDAY, ...room }, zonedInstant(MONDAY, '07:00', 'Asia/Shanghai'));
    const later = freeTimes(SETUP, { date: MONDAY, ...room }, zonedInstant(MONDAY, '09:00', 'Asia/Shanghai'));
    // Assess
    expect(early).toEqual(['08:30', '09:00', '09:30', '10:00']);
    expect(later).toEqual(['09:30', '10:00']);
  });

  it('offers nothing on a full day, a closed weekday or a holiday', () => {
    const now = new Date('2029-12-01T00:00:00Z');
    expect(
      freeTimes(SETUP, { date: MONDAY, capacity: { general: 20 }, booked: { general: 15 } }, now),
    ).toEqual([]);
    expect(freeTimes(SETUP, { date: '2030-01-08', ...room }, now)).toEqual([]);
    expect(freeTimes(SETUP, { date: '2030-01-14', ...room }, now)).toEqual([]);
  });

  it('is offered by a store with a saved set-up and an active general bay only', () => {
    const bay = { id: 'M01', name: '1', type: 'general' as const, active: true };
    expect(offersPublicBooking({ version: 1, bays: [bay] })).toBe(true);
    expect(offersPublicBooking({ version: 0, bays: [bay] })).toBe(false);
    expect(offersPublicBooking({ version: 2, bays: [{ ...bay, active: false }] })).toBe(false);
  });
});

describe('leading zero bits of a digest', () => {
  it('counts whole zero bytes and the zero bits of the first non-zero byte', () => {
    expect(leadingZeroBits(Uint8Array.of(0, 0, 0x10, 0xff))).toBe(19);
    expect(leadingZeroBits(Uint8Array.of(0x80))).toBe(0);
    expect(leadingZeroBits(Uint8Array.of(0, 0))).toBe(16);
  });
});
