import { describe, expect, it } from 'vitest';
import { zonedInstant } from '../platform/local-time.ts';
import { defaultStoreSetup } from '../setup/rules.ts';
import type { Appointment } from './model.ts';
import { admit, dayCapacity, decideTransition, estimateOf, loadOf, shortfall, slotInstant } from './rules.ts';
import { wantedTexts } from './texts.ts';

const setup = {
  ...defaultStoreSetup('s1'),
  bays: [
    { id: 'B1', name: 'Lift 1', type: 'general' as const, active: true },
    { id: 'B2', name: 'Lift 2', type: 'general' as const, active: true },
    { id: 'A1', name: 'Alignment', type: 'alignment' as const, active: true },
    { id: 'B9', name: 'Old lift', type: 'general' as const, active: false },
  ],
  holidays: [{ date: '2026-12-25' }],
};
const nineHours = { start: '08:30', end: '17:30' };
const tech = (n: number) => Array.from({ length: n }, () => ({ shifts: { mon: nineHours, tue: nineHours } }));

describe('dayCapacity', () => {
  it('gives each active bay the open hours when technicians cover them', () => {
    // 2026-12-07 is a Monday; 08:30–17:30 is 90 tenths.
    expect(dayCapacity(setup, tech(3), '2026-12-07')).toEqual({
      open: true,
      capacity: { general: 180, alignment: 90 },
    });
  });

  it('shrinks every bay type in proportion when fewer technician hours are on shift', () => {
    expect(dayCapacity(setup, tech(1), '2026-12-07').capacity).toEqual({ general: 60, alignment: 30 });
  });

  it('has nothing on a closed weekday, a holiday, or a day nobody works', () => {
    expect(dayCapacity(setup, tech(3), '2026-12-13')).toEqual({ open: false, capacity: {} }); // Sunday
    expect(dayCapacity(setup, tech(3), '2026-12-25')).toEqual({ open: false, capacity: {} });
    expect(dayCapacity(setup, tech(3), '2026-12-09').capacity).toEqual({ general: 0, alignment: 0 }); // Wed
  });

  it('counts only the part of a shift inside opening hours', () => {
    const early = [{ shifts: { mon: { start: '06:30', end: '09:30' } } }];
    expect(dayCapacity(setup, early, '2026-12-07').capacity).toEqual({ general: 6, alignment: 3 });
  });
});

describe('room', () => {
  const day = {
    date: '2026-12-07',
    open: true,
    capacity: { general: 20 },
    booked: { general: 15 },
    counts: {},
  };

  it('lets a load in that fits and names what is short otherwise', () => {
    expect(admit({ day }, { general: 5 }, undefined)).toEqual({ overbooked: false });
    expect(shortfall(day, { general: 8, alignment: 2 })).toEqual({ general: 3, alignment: 2 });
  });

  it('refuses a full day with the next days and sister stores, unless urgent', () => {
    const room = { day, nextDays: ['2026-12-08'], sisterStores: [{ storeId: 's2', name: 'East' }] };
    expect(() => admit(room, { general: 6 }, undefined)).toThrowError(
      expect.objectContaining({
        code: 'CAPACITY_FULL',
        details: expect.objectContaining({
          nextDays: ['2026-12-08'],
          sisterStores: [{ storeId: 's2', name: 'East' }],
        }),
      }),
    );
    expect(admit(room, { general: 6 }, { fault: 'brakes', reason: 'Pedal goes to the floor' })).toEqual({
      overbooked: true,
    });
  });
});

describe('load and estimate', () => {
  const line = {
    labourOpId: 'l1',
    code: 'OIL',
    name: { zh: '换机油' },
    tenths: 8,
    bayType: 'general' as const,
  };

  it('adds the customer words as one general hour only when no operation covers them', () => {
    expect(loadOf([], { concern: 'Noise when braking' })).toEqual({ general: 10 });
    expect(loadOf([line], { concern: 'and the noise' })).toEqual({ general: 8 });
    expect(loadOf([line], { concern: 'x', concernEstimate: { hours: 1.5, bayType: 'alignment' } })).toEqual({
      general: 8,
      alignment: 15,
    });
  });

  it('prices tenths at the customer rate with labour VAT, rounded once', () => {
    const rates = {
      ...setup,
      labourRates: { ...setup.labourRates, customer: { amountMinor: 18_050, currency: 'CNY' as const } },
    };
    expect(estimateOf({ general: 15 }, rates)).toEqual({
      labour: { amountMinor: 27_075, currency: 'CNY' },
      tax: { amountMinor: 3_520, currency: 'CNY' },
      total: { amountMinor: 30_595, currency: 'CNY' },
    });
  });
});

describe('slot', () => {
  const now = new Date('2026-12-06T12:00:00Z');

  it('is the store-local time as an instant', () => {
    expect(slotInstant(setup, { date: '2026-12-07', time: '09:00' }, now)).toBe('2026-12-07T01:00:00.000Z');
    expect(zonedInstant('2026-03-29', '02:30', 'Europe/Berlin').toISOString()).toBe(
      '2026-03-29T01:30:00.000Z',
    );
    expect(zonedInstant('2026-07-01', '09:00', 'America/New_York').toISOString()).toBe(
      '2026-07-01T13:00:00.000Z',
    );
  });

  it('refuses closed days, times outside the hours and the past', () => {
    const code = (slot: { date: string; time: string }) => {
      try {
        slotInstant(setup, slot, now);
        return 'ok';
      } catch (e) {
        return (e as { code: string }).code;
      }
    };
    expect(code({ date: '2026-12-13', time: '09:00' })).toBe('STORE_CLOSED');
    expect(code({ date: '2026-12-07', time: '17:30' })).toBe('OUTSIDE_OPENING_HOURS');
    expect(code({ date: '2026-12-07', time: '08:00' })).toBe('OUTSIDE_OPENING_HOURS');
    expect(code({ date: '2026-12-05', time: '09:00' })).toBe('SLOT_IN_PAST');
  });
});

describe('state machine', () => {
  const booked: Appointment = {
    id: 'apt_1',
    storeId: 's1',
    status: 'confirmed',
    channel: 'desk',
    customerId: 'c1',
    vehicleId: 'v1',
    date: '2026-12-07',
    time: '09:00',
    startsAt: '2026-12-07T01:00:00.000Z',
    lines: [],
    concern: 'Brakes',
    parts: [],
    papers: [],
    load: { general: 10 },
    estimate: estimateOf({ general: 10 }, setup),
    overbooked: false,
    version: 1,
    createdAt: '2026-12-01T00:00:00.000Z',
    updatedAt: '2026-12-01T00:00:00.000Z',
  };

  it('moves confirmed to checked-in and records the move as an event', () => {
    const d = decideTransition(booked, { to: 'checked_in' }, new Date('2026-12-07T01:05:00Z'));
    expect(d?.next.status).toBe('checked_in');
    expect(d?.action).toBe('check_in');
    expect(d?.events[0]?.data).toMatchObject({ from: 'confirmed', to: 'checked_in' });
  });

  it('refuses moves out of a final status and a no-show before the slot', () => {
    const done = { ...booked, status: 'cancelled' as const };
    expect(() => decideTransition(done, { to: 'confirmed' }, new Date())).toThrowError(
      expect.objectContaining({ code: 'APPOINTMENT_TRANSITION_NOT_ALLOWED' }),
    );
    expect(() => decideTransition(booked, { to: 'no_show' }, new Date('2026-12-07T00:59:00Z'))).toThrowError(
      expect.objectContaining({ code: 'NO_SHOW_BEFORE_START' }),
    );
  });

  it('needs a public request linked before it is confirmed', () => {
    const request = {
      ...booked,
      status: 'requested' as const,
      channel: 'online' as const,
      customerId: undefined,
    };
    expect(() => decideTransition(request, { to: 'confirmed' }, new Date())).toThrowError(
      expect.objectContaining({ code: 'REQUEST_NOT_LINKED' }),
    );
  });
});

describe('booking texts', () => {
  const slot = { channel: 'desk' as const, startsAt: '2026-12-10T01:00:00.000Z' };

  it('confirms and reminds a day and an hour before, but not in the past', () => {
    const early = wantedTexts({ ...slot, status: 'confirmed' }, new Date('2026-12-07T00:00:00Z'));
    expect(early.map((t) => [t.template, t.sendAfter])).toEqual([
      ['appointment.confirmed', undefined],
      ['appointment.reminderDay', '2026-12-09T01:00:00.000Z'],
      ['appointment.reminderHour', '2026-12-10T00:00:00.000Z'],
    ]);
    const late = wantedTexts({ ...slot, status: 'confirmed' }, new Date('2026-12-09T20:00:00Z'));
    expect(late.map((t) => t.template)).toEqual(['appointment.confirmed', 'appointment.reminderHour']);
  });

  it('acknowledges an online request only, and wants nothing once the booking has ended', () => {
    const now = new Date('2026-12-07T00:00:00Z');
    expect(wantedTexts({ ...slot, status: 'requested', channel: 'online' }, now)).toEqual([
      { template: 'appointment.requested', notAfter: slot.startsAt },
    ]);
    expect(wantedTexts({ ...slot, status: 'requested' }, now)).toEqual([]);
    expect(wantedTexts({ ...slot, status: 'cancelled' }, now)).toEqual([]);
  });
});
