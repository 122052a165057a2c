import { addDays } from '@aftersales/domain';
import { demoUserFor } from '@aftersales/seed';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ApiResponse, call, eventually, tokenFor } from '../support/api.ts';
import { appWithClock } from '../support/app.ts';
import { demo, midweek, provisionRoleUser, uniqueSuffix } from '../support/demo.ts';

/** 预约 through the API: capacity and its alternatives, urgent overbooking, races, the state machine. */
const base = (store: string) => `/v1/stores/${store}/appointments`;
const storeC = 'st_HCAUDITJ';
const managerC = demoUserFor('service_manager', storeC).username;

interface Booking {
  id: string;
  status: string;
  date: string;
  load: Record<string, number>;
  overbooked: boolean;
  reason?: string;
  contact?: { phone: string };
  contactMasked: boolean;
}
interface Calendar {
  days: { date: string; open: boolean; capacity: Record<string, number>; booked: Record<string, number> }[];
  appointments: Booking[];
}

const today = new Date().toISOString().slice(0, 10);

let party: { customerId: string; vehicleId: string };

/** A customer and vehicle of store A, registered for these tests. */
async function registerParty(): Promise<{ customerId: string; vehicleId: string }> {
  const customer = await call<{ id: string }>(demo.advisorA, 'POST', '/v1/stores/st_HCAUDIBJ/customers', {
    body: { kind: 'individual', name: `预约测试${uniqueSuffix()}`, phones: [{ number: '13800138000' }] },
  });
  const vehicles = await call<{ items: { id: string }[] }>(
    demo.advisorA,
    'GET',
    '/v1/stores/st_HCAUDIBJ/vehicles?recent=true',
  );
  expect(customer.status, JSON.stringify(customer.body)).toBe(201);
  return { customerId: customer.body.id, vehicleId: vehicles.body.items[0]!.id };
}

const concern = (hours: number) => ({
  concern: '客户描述：异响',
  concernEstimate: { hours, bayType: 'general' },
});

async function calendar(user: string, store: string, date: string): Promise<Calendar> {
  return (await call<Calendar>(user, 'GET', `${base(store)}/calendar?from=${date}`)).body;
}

/** What is free of the general bays on `date` in store A. */
async function freeGeneral(date: string): Promise<number> {
  const day = (await calendar(demo.advisorA, demo.storeA, date)).days[0]!;
  return (day.capacity.general ?? 0) - (day.booked.general ?? 0);
}

/** Books `tenths` of general work, in bookings of at most 40 h. */
async function fill(date: string, tenths: number): Promise<void> {
  for (let left = tenths; left > 0; left -= 400) {
    const res = await book(date, { ...concern(Math.min(left, 400) / 10) });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }
}

function book(
  date: string,
  extra: Record<string, unknown> = {},
  user = demo.advisorA,
): Promise<ApiResponse<Booking & { code?: string } & Record<string, unknown>>> {
  return call(user, 'POST', base(demo.storeA), {
    body: { ...party, date, time: '10:00', ...concern(1), ...extra },
  });
}

beforeAll(async () => {
  party = await registerParty();
});

describe('appointments', () => {
  it('refuses a full day with the next days and a sister store with room, never a closed one', async () => {
    // Prepare: store A's day full; store B has a booking that day (its room is projected); store C closed
    const date = midweek(21);
    const b = await call(demo.advisorB, 'POST', base(demo.storeB), {
      body: { ...(await partyOf(demo.advisorB, demo.storeB)), date, time: '11:00', ...concern(1) },
    });
    expect(b.status, JSON.stringify(b.body)).toBe(201);
    const setupC = await call<Record<string, unknown>>(managerC, 'GET', `/v1/stores/${storeC}/setup`);
    const { storeId: _s, version: _v, updatedAt: _u, ...fieldsC } = setupC.body;
    const closed = await call(managerC, 'PUT', `/v1/stores/${storeC}/setup`, {
      body: { ...fieldsC, holidays: [...(fieldsC.holidays as object[]), { date, name: '测试休息日' }] },
      headers: { 'if-match': setupC.headers.get('etag')! },
    });
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    await fill(date, await freeGeneral(date));
    // Act
    const refused = await eventually(async () => {
      const res = await book(date);
      const sisters = (res.body.sisterStores as { storeId: string }[] | undefined) ?? [];
      return sisters.some((s) => s.storeId === demo.storeB) ? res : undefined;
    }, 60_000);
    // Assess
    expect([refused.status, refused.body.code]).toEqual([409, 'CAPACITY_FULL']);
    expect((refused.body.nextDays as string[]).length).toBeGreaterThan(0);
    expect((refused.body.sisterStores as { storeId: string }[]).map((s) => s.storeId)).not.toContain(storeC);
  });

  it('lets an urgent safety fault overbook a full day, with its reason recorded', async () => {
    // Prepare
    const date = midweek(28);
    await fill(date, await freeGeneral(date));
    // Act
    const plain = await book(date);
    const urgent = await book(date, { urgent: { fault: 'brakes', reason: '刹车失灵' } });
    // Assess
    expect([plain.status, plain.body.code]).toEqual([409, 'CAPACITY_FULL']);
    expect(urgent.status, JSON.stringify(urgent.body)).toBe(201);
    expect(urgent.body.overbooked).toBe(true);
    expect(urgent.body.urgent).toEqual({ fault: 'brakes', reason: '刹车失灵' });
  });

  it('gives the last hour to exactly one of two advisors booking at once', async () => {
    // Prepare
    const date = midweek(35);
    await fill(date, (await freeGeneral(date)) - 10);
    // Act
    const both = await Promise.all([book(date), book(date, {}, demo.managerA)]);
    // Assess
    expect(both.map((r) => r.status).sort()).toEqual([201, 409]);
  });

  it('moves through the state machine, refuses an illegal move, and gives a cancelled booking’s hours back', async () => {
    // Prepare
    const date = midweek(42);
    const made = await book(date, { status: 'requested' });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const url = `${base(demo.storeA)}/${made.body.id}`;
    const before = (await calendar(demo.advisorA, demo.storeA, date)).days[0]!.booked.general ?? 0;
    // Act
    const confirmed = await call<Booking>(demo.advisorA, 'POST', `${url}/transitions`, {
      body: { to: 'confirmed' },
      headers: { 'if-match': '"1"' },
    });
    const early = await call(demo.advisorA, 'POST', `${url}/transitions`, {
      body: { to: 'no_show' },
      headers: { 'if-match': '"2"' },
    });
    const cancelled = await call<Booking>(demo.advisorA, 'POST', `${url}/transitions`, {
      body: { to: 'cancelled', reason: '客户改期' },
      headers: { 'if-match': '"2"' },
    });
    const illegal = await call(demo.advisorA, 'POST', `${url}/transitions`, {
      body: { to: 'confirmed' },
      headers: { 'if-match': '"3"' },
    });
    const after = (await calendar(demo.advisorA, demo.storeA, date)).days[0]!.booked.general ?? 0;
    // Assess
    expect(confirmed.body.status).toBe('confirmed');
    expect([early.status, early.body.code]).toEqual([409, 'NO_SHOW_BEFORE_START']);
    expect([cancelled.body.status, cancelled.body.reason]).toEqual(['cancelled', '客户改期']);
    expect([illegal.status, illegal.body.code]).toEqual([409, 'APPOINTMENT_TRANSITION_NOT_ALLOWED']);
    expect(before - after).toBe(10);
  });

  it('marks a no-show with its reason once the slot has begun (the app’s clock moved on)', async () => {
    // Prepare
    const { call: callAt, advance } = appWithClock();
    const token = await tokenFor(demo.advisorA);
    const date = midweek(63);
    const made = await book(date, { time: '15:00' });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    advance(75 * 86_400_000);
    // Act
    const missed = await callAt(token, 'POST', `${base(demo.storeA)}/${made.body.id}/transitions`, {
      body: { to: 'no_show', reason: '电话未接' },
      headers: { 'if-match': '"1"' },
    });
    // Assess
    expect(missed.status, JSON.stringify(missed.body)).toBe(200);
    expect([missed.body?.status, missed.body?.reason]).toEqual(['no_show', '电话未接']);
  });

  it('moves the hours to the new day when rescheduled', async () => {
    // Prepare
    const from = midweek(49);
    const to = addDays(from, 1);
    const made = await book(from, concern(2));
    const before = await Promise.all([from, to].map((d) => calendar(demo.advisorA, demo.storeA, d)));
    // Act
    const moved = await call<Booking>(
      demo.advisorA,
      'POST',
      `${base(demo.storeA)}/${made.body.id}/reschedule`,
      {
        body: { date: to, time: '09:30' },
        headers: { 'if-match': '"1"' },
      },
    );
    const after = await Promise.all([from, to].map((d) => calendar(demo.advisorA, demo.storeA, d)));
    // Assess
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect((before[0]!.days[0]!.booked.general ?? 0) - (after[0]!.days[0]!.booked.general ?? 0)).toBe(20);
    expect((after[1]!.days[0]!.booked.general ?? 0) - (before[1]!.days[0]!.booked.general ?? 0)).toBe(20);
  });

  it('lists the day before’s bookings without the cancelled ones', async () => {
    // Prepare
    const date = midweek(56);
    const kept = await book(date);
    const dropped = await book(date, { time: '11:00' });
    await call(demo.advisorA, 'POST', `${base(demo.storeA)}/${dropped.body.id}/transitions`, {
      body: { to: 'cancelled', reason: '不来了' },
      headers: { 'if-match': '"1"' },
    });
    // Act
    const list = await call<{ date: string; items: Booking[] }>(
      demo.advisorA,
      'GET',
      `${base(demo.storeA)}/day-before?date=${date}`,
    );
    const tomorrow = await call<{ date: string }>(demo.advisorA, 'GET', `${base(demo.storeA)}/day-before`);
    // Assess
    expect(list.body.items.map((i) => i.id)).toContain(kept.body.id);
    expect(list.body.items.map((i) => i.id)).not.toContain(dropped.body.id);
    expect(tomorrow.body.date > today).toBe(true);
  });

  it('answers bad input with field errors, and a missing customer on its field', async () => {
    // Act
    const noWork = await call(demo.advisorA, 'POST', base(demo.storeA), {
      body: { ...party, date: midweek(21), time: '10:00' },
    });
    const unknown = await call(demo.advisorA, 'POST', base(demo.storeA), {
      body: { ...party, customerId: 'cus_nobody', date: midweek(21), time: '10:00', ...concern(1) },
    });
    const technician = await call(demo.technicianA, 'POST', base(demo.storeA), {
      body: { ...party, date: midweek(21), time: '10:00', ...concern(1) },
    });
    // Assess
    expect(noWork.status).toBe(400);
    expect(noWork.body.fieldErrors).toContainEqual(
      expect.objectContaining({ path: 'concern', code: 'NO_WORK' }),
    );
    expect(unknown.status).toBe(400);
    expect(unknown.body.fieldErrors).toContainEqual(
      expect.objectContaining({ path: 'customerId', code: 'CUSTOMER_NOT_FOUND' }),
    );
    expect(technician.status).toBe(403);
  });

  it('masks a public request’s phone for roles without the contact permission', async () => {
    // Act: the seed's public requests, as an advisor and as a technician
    const from = today;
    const asAdvisor = await call<{ items: Booking[] }>(
      demo.advisorA,
      'GET',
      `${base(demo.storeA)}?from=${from}&limit=100`,
    );
    const asTechnician = await call<{ items: Booking[] }>(
      await provisionRoleUser('parts_clerk'),
      'GET',
      `${base(demo.storeA)}?from=${from}&limit=100`,
    );
    // Assess
    const phones = (r: { items: Booking[] }) => r.items.flatMap((i) => (i.contact ? [i.contact.phone] : []));
    expect(phones(asAdvisor.body).join(' ')).toMatch(/\b1\d{10}\b/);
    expect(phones(asTechnician.body).length).toBeGreaterThan(0);
    expect(phones(asTechnician.body).join(' ')).not.toMatch(/\d{6}/);
  });
});

/** A customer and vehicle of another store, as its advisor. */
async function partyOf(user: string, store: string) {
  const customer = await call<{ id: string }>(user, 'POST', `/v1/stores/${store}/customers`, {
    body: { kind: 'individual', name: `预约测试${uniqueSuffix()}`, phones: [{ number: '13800138001' }] },
  });
  const vehicles = await call<{ items: { id: string }[] }>(
    user,
    'GET',
    `/v1/stores/${store}/vehicles?recent=true`,
  );
  return { customerId: customer.body.id, vehicleId: vehicles.body.items[0]!.id };
}
