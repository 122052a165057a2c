import { DataAccess, extendPlatform } from '@aftersales/data';
import { Outbox } from '@aftersales/data/messages';
import { addDays, bookingTextKey, type OutboundMessage, weekdayOf } from '@aftersales/domain';
import { TEST_PROBES } from '@aftersales/functions/test-probe/probes';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, eventually, stack, useStackEnv } from '../support/api.ts';
import { demo, uniqueSuffix } from '../support/demo.ts';

/**
 * 预约短信: a booking's texts go through the outbox — a confirmation at once and the reminders one day
 * and one hour before, sent by the due sweeper at their time and only once; moving the booking cancels
 * the old slot's reminders; a customer without message consent gets none; a public request gets a
 * receipt at the phone it gave.
 */
beforeAll(() => {
  useStackEnv();
  extendPlatform(TEST_PROBES);
});

const actor = { userId: demo.managerAId, name: 'Manager', roles: ['service_manager' as const] };
const base = `/v1/stores/${demo.storeA}/appointments`;
const HOUR = 3_600_000;

function tenant() {
  return new DataAccess({ tableName: stack.tableName }).forTenant({ tenantId: demo.storeA, actor });
}

/** A Tuesday to Thursday at least `daysOn` days on (open in every demo store). */
function midweek(daysOn: number): string {
  let d = addDays(new Date().toISOString().slice(0, 10), daysOn);
  while (!['tue', 'wed', 'thu'].includes(weekdayOf(d))) d = addDays(d, 1);
  return d;
}

async function party(messages: boolean) {
  const number = `137${uniqueSuffix().padStart(8, '0').slice(-8)}`;
  const { customer } = await tenant().customers.create({
    kind: 'individual',
    name: `短信预约${uniqueSuffix()}`,
    phones: [{ number, label: 'mobile' }],
    preferredContactWindows: [],
    consent: { calls: true, messages },
  });
  const vehicles = await call<{ items: { id: string }[] }>(
    demo.advisorA,
    'GET',
    `/v1/stores/${demo.storeA}/vehicles?recent=true`,
  );
  return { customerId: customer.id, vehicleId: vehicles.body.items[0]!.id };
}

interface Booking {
  id: string;
  startsAt: string;
  version: number;
}

async function book(who: { customerId: string; vehicleId: string }, date: string): Promise<Booking> {
  const res = await call<Booking>(demo.advisorA, 'POST', base, {
    body: { ...who, date, time: '10:00', concern: '保养', concernEstimate: { hours: 1, bayType: 'general' } },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

/** The booking's text of `template` for the slot `startsAt`, once it exists and `done` says so. */
function text(
  booking: { id: string },
  template: OutboundMessage['template'],
  startsAt: string,
  done: (m: OutboundMessage) => boolean = () => true,
): Promise<OutboundMessage> {
  return eventually(async () => {
    const m = await tenant()
      .repo(Outbox)
      .byDedupeKey(bookingTextKey(booking.id, template, startsAt));
    return m && done(m) ? m : undefined;
  });
}

/** A message by id once `done` says so (a cancelled text frees its key, so it is found by id). */
function settled(id: string, done: (m: OutboundMessage) => boolean): Promise<OutboundMessage> {
  return eventually(async () => {
    const m = await tenant().repo(Outbox).get(id);
    return m && done(m) ? m : undefined;
  });
}

async function sweepDue(at: Date) {
  const { sweepDue: sweep } = await import('@aftersales/functions/due-sweeper/lambda');
  await sweep(at);
}

describe('booking texts', () => {
  it('confirms at once and reminds a day and an hour before, once each, at their time', async () => {
    // Prepare
    const who = await party(true);
    const booking = await book(who, midweek(40));
    const slot = Date.parse(booking.startsAt);

    // Act: in the store's quiet hours (21:00–08:00 Shanghai, when CI may well run) the confirmation
    // waits for the morning, so the clock is taken there; otherwise it goes at once
    const first = await text(
      booking,
      'appointment.confirmed',
      booking.startsAt,
      (m) => m.status !== 'queued' || m.deferredUntil !== undefined,
    );
    if (first.status === 'queued' && first.deferredUntil)
      await sweepDue(new Date(Date.parse(first.deferredUntil) + 60_000));
    const confirmed = await text(
      booking,
      'appointment.confirmed',
      booking.startsAt,
      (m) => m.status !== 'queued',
    );
    const day = await text(booking, 'appointment.reminderDay', booking.startsAt);
    const hour = await text(booking, 'appointment.reminderHour', booking.startsAt);
    await sweepDue(new Date(slot - 24 * HOUR + 60_000));
    const daySent = await text(
      booking,
      'appointment.reminderDay',
      booking.startsAt,
      (m) => m.status !== 'queued',
    );
    const hourBefore = await tenant().repo(Outbox).require(hour.id);
    await sweepDue(new Date(slot - HOUR + 60_000));
    await sweepDue(new Date(slot - HOUR + 120_000));
    const hourSent = await text(
      booking,
      'appointment.reminderHour',
      booking.startsAt,
      (m) => m.status !== 'queued',
    );
    const all = await tenant().repo(Outbox).listByCustomer(who.customerId, { limit: 20 });

    // Assess: three texts, each sent once, the reminders not before their time
    expect(confirmed).toMatchObject({ status: 'sent', to: expect.stringMatching(/^137/) });
    expect(day).toMatchObject({
      sendAfter: new Date(slot - 24 * HOUR).toISOString(),
      notAfter: booking.startsAt,
    });
    expect(hourBefore.status).toBe('queued');
    expect(daySent).toMatchObject({ status: 'sent', attempts: 1 });
    expect(hourSent).toMatchObject({ status: 'sent', attempts: 1 });
    expect(all.items.map((m) => m.template).sort()).toEqual([
      'appointment.confirmed',
      'appointment.reminderDay',
      'appointment.reminderHour',
    ]);
  });

  it('cancels the old slot’s reminders when the booking moves, and confirms the new time', async () => {
    // Prepare
    const who = await party(true);
    const booking = await book(who, midweek(44));
    const oldDay = await text(booking, 'appointment.reminderDay', booking.startsAt);

    // Act
    const moved = await call<Booking>(demo.advisorA, 'POST', `${base}/${booking.id}/reschedule`, {
      headers: { 'if-match': `"${booking.version}"` },
      body: { date: midweek(47), time: '14:00' },
    });
    const cancelled = await settled(oldDay.id, (m) => m.status !== 'queued');
    const newDay = await text(booking, 'appointment.reminderDay', moved.body.startsAt);
    const reconfirmed = await text(booking, 'appointment.confirmed', moved.body.startsAt);

    // Assess
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(cancelled).toMatchObject({ id: oldDay.id, status: 'suppressed', reason: 'cancelled' });
    expect(newDay).toMatchObject({ status: 'queued', notAfter: moved.body.startsAt });
    expect(reconfirmed.id).not.toBe(oldDay.id);
  });

  it('sends nothing to a customer without message consent, and cancels reminders of a cancelled booking', async () => {
    // Prepare
    const who = await party(false);
    const booking = await book(who, midweek(50));
    const confirmation = await text(
      booking,
      'appointment.confirmed',
      booking.startsAt,
      (m) => m.status !== 'queued',
    );
    const pending = await text(booking, 'appointment.reminderHour', booking.startsAt);

    // Act
    const res = await call(demo.advisorA, 'POST', `${base}/${booking.id}/transitions`, {
      headers: { 'if-match': `"${booking.version}"` },
      body: { to: 'cancelled', reason: '客户改主意' },
    });
    const hour = await settled(pending.id, (m) => m.status !== 'queued');

    // Assess
    expect(res.status).toBe(200);
    expect(confirmation).toMatchObject({ status: 'suppressed', reason: 'no_consent' });
    expect(confirmation.providerMessageId).toBeUndefined();
    expect(hour).toMatchObject({ status: 'suppressed', reason: 'cancelled' });
  });
});
