import { beforeAll, describe, expect, it } from 'vitest';
import { type ApiResponse, call, useStackEnv } from '../support/api.ts';
import { demo, midweek, uniqueSuffix, validVin } from '../support/demo.ts';

/** 接车 through the API: walk-ins and bookings become repair orders, on the board until delivered. */
beforeAll(() => useStackEnv());

const base = `/v1/stores/${demo.storeA}/repair-orders`;

interface RepairOrder {
  id: string;
  status: string;
  version: number;
  advisorId: string;
  plate?: string;
  customerName?: string;
  source: { kind: string; appointmentId?: string };
  concerns: { id: string; words: string }[];
  lines: { id: string; concernId?: string; status: string; complaint: string; payer: string }[];
  promisedAt: string;
  cancelReason?: string;
}
type Problem = { code: string; fieldErrors?: { path: string; code: string }[] } & Record<string, unknown>;

const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();

/** A customer of store A with a vehicle of their own (no readings yet, so any odometer fits). */
async function registerParty(): Promise<{
  customerId: string;
  vehicleId: string;
  plate: string;
  name: string;
}> {
  const s = uniqueSuffix();
  const name = `接车测试${s}`;
  const plate = `京R${s.slice(-5)}`;
  const customer = await call<{ id: string }>(demo.advisorA, 'POST', `/v1/stores/${demo.storeA}/customers`, {
    body: { name, phones: [{ number: `136${s.slice(-8).padStart(8, '0')}` }] },
  });
  const vehicle = await call<{ id: string }>(demo.advisorA, 'POST', `/v1/stores/${demo.storeA}/vehicles`, {
    body: { vin: validVin(), plate, brand: 'Audi', model: 'A6L', ownerCustomerId: customer.body.id },
  });
  expect([customer.status, vehicle.status]).toEqual([201, 201]);
  return { customerId: customer.body.id, vehicleId: vehicle.body.id, plate, name };
}

const walkIn = (party: { customerId: string; vehicleId: string }, extra: Record<string, unknown> = {}) => ({
  source: { kind: 'walk_in' },
  customerId: party.customerId,
  vehicleId: party.vehicleId,
  odometerKm: 42_000,
  fuelLevel: 4,
  promisedAt: inHours(6),
  concerns: [{ words: '刹车时有异响 (a squeal when braking)' }, { words: '保养', payer: 'customer' }],
  ...extra,
});

function checkIn(
  body: unknown,
  user = demo.advisorA,
  key?: string,
): Promise<ApiResponse<RepairOrder & Problem>> {
  return call(user, 'POST', base, { body, ...(key ? { headers: { 'idempotency-key': key } } : {}) });
}

describe('repair orders', () => {
  it('checks a walk-in in: its concerns become proposed lines, it is on the board and in its history', async () => {
    // Prepare
    const party = await registerParty();
    const key = `ro-${uniqueSuffix()}`;
    const body = walkIn(party);

    // Act: the same check-in twice with one key, then the board and the history
    const first = await checkIn(body, demo.advisorA, key);
    const again = await checkIn(body, demo.advisorA, key);
    const read = await call<RepairOrder>(demo.technicianA, 'GET', `${base}/${first.body.id}`);
    const board = await call<{ items: RepairOrder[] }>(
      demo.technicianA,
      'GET',
      `${base}?status=checked_in&limit=100`,
    );
    const history = await call<{ items: { action: string }[] }>(
      demo.advisorA,
      'GET',
      `${base}/${first.body.id}/history`,
    );

    // Assess
    expect(first.status, first.text).toBe(201);
    expect(first.body).toMatchObject({
      status: 'checked_in',
      version: 1,
      advisorId: demo.advisorAId,
      plate: party.plate,
      customerName: party.name,
      source: { kind: 'walk_in' },
    });
    expect(first.body.lines.map((l) => [l.id, l.concernId, l.status, l.complaint])).toEqual([
      ['L1', 'C1', 'proposed', '刹车时有异响 (a squeal when braking)'],
      ['L2', 'C2', 'proposed', '保养'],
    ]);
    expect(first.headers.get('location')).toBe(`${base}/${first.body.id}`);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(read.headers.get('etag')).toBe('"1"');
    expect(board.body.items.map((r) => r.id)).toContain(first.body.id);
    expect(board.body.items.every((r) => r.status === 'checked_in')).toBe(true);
    expect(history.body.items.map((e) => e.action)).toEqual(['check_in']);
  });

  it('checks a booking in once, and refuses one booked for another vehicle', async () => {
    // Prepare: a booking of store A for a registered vehicle
    const party = await registerParty();
    const other = await registerParty();
    const booking = await call<{ id: string; status: string }>(
      demo.advisorA,
      'POST',
      `/v1/stores/${demo.storeA}/appointments`,
      {
        body: {
          customerId: party.customerId,
          vehicleId: party.vehicleId,
          date: midweek(70),
          time: '10:00',
          concern: '客户描述：异响',
          concernEstimate: { hours: 1, bayType: 'general' },
        },
      },
    );
    expect(booking.status, booking.text).toBe(201);
    const source = { kind: 'booking', appointmentId: booking.body.id };

    // Act
    const wrongCar = await checkIn(walkIn(other, { source, customerId: party.customerId }));
    const opened = await checkIn(walkIn(party, { source }));
    const twice = await checkIn(walkIn(party, { source }));
    const unknown = await checkIn(
      walkIn(party, { source: { kind: 'booking', appointmentId: 'apt_nobody' } }),
    );
    const bookingNow = await call<{ status: string }>(
      demo.advisorA,
      'GET',
      `/v1/stores/${demo.storeA}/appointments/${booking.body.id}`,
    );
    const vehicle = await call<{ lastOdometerKm?: number; odometer: { km: number; source: string }[] }>(
      demo.advisorA,
      'GET',
      `/v1/stores/${demo.storeA}/vehicles/${party.vehicleId}`,
    );

    // Assess
    expect(wrongCar.status).toBe(400);
    expect(wrongCar.body.fieldErrors).toContainEqual(
      expect.objectContaining({ path: 'vehicleId', code: 'BOOKED_FOR_ANOTHER_VEHICLE' }),
    );
    expect(opened.status, opened.text).toBe(201);
    expect(opened.body.source).toEqual(source);
    expect(booking.body.status).toBe('confirmed');
    expect(bookingNow.body.status).toBe('checked_in');
    expect(vehicle.body.lastOdometerKm).toBe(42_000);
    expect(vehicle.body.odometer).toContainEqual(
      expect.objectContaining({ km: 42_000, source: 'reception' }),
    );
    expect(twice.status).toBe(409);
    expect(twice.body).toMatchObject({
      code: 'APPOINTMENT_ALREADY_CHECKED_IN',
      repairOrderId: opened.body.id,
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.fieldErrors).toContainEqual(
      expect.objectContaining({ path: 'source.appointmentId', code: 'APPOINTMENT_NOT_FOUND' }),
    );
  });

  it('answers bad input with field errors, and a technician with 403', async () => {
    // Prepare
    const party = await registerParty();

    // Act
    const empty = await checkIn(walkIn(party, { concerns: [] }));
    const past = await checkIn(walkIn(party, { promisedAt: inHours(-1) }));
    const insurance = await checkIn(walkIn(party, { concerns: [{ words: '前杠撞坏', payer: 'insurance' }] }));
    const nobody = await checkIn(walkIn(party, { vehicleId: 'veh_nobody' }));
    const technician = await checkIn(walkIn(party), demo.technicianA);

    // Assess
    expect([empty.status, past.status, insurance.status, nobody.status]).toEqual([400, 400, 400, 400]);
    expect(empty.body.fieldErrors?.map((e) => e.path)).toContain('concerns');
    expect(past.body.fieldErrors).toContainEqual(
      expect.objectContaining({ path: 'promisedAt', code: 'PROMISED_IN_PAST' }),
    );
    expect(insurance.body.fieldErrors).toContainEqual(
      expect.objectContaining({ path: 'accident', code: 'ACCIDENT_DETAILS_REQUIRED' }),
    );
    expect(nobody.body.fieldErrors).toContainEqual(
      expect.objectContaining({ path: 'vehicleId', code: 'VEHICLE_NOT_FOUND' }),
    );
    expect(technician.status).toBe(403);
  });

  it('moves to diagnosis on the version read, refuses a stale one, and leaves the board when cancelled', async () => {
    // Prepare
    const ro = (await checkIn(walkIn(await registerParty()))).body;
    /** A move asked on the version the caller read. */
    const move = (body: Record<string, string>, version: number) =>
      call<RepairOrder & Problem>(demo.advisorA, 'POST', `${base}/${ro.id}/transitions`, {
        body,
        headers: { 'if-match': `"${version}"` },
      });

    // Act
    const diagnosing = await move({ to: 'diagnosing' }, 1);
    const stale = await move({ to: 'cancelled', reason: '客户改约' }, 1);
    const noReason = await move({ to: 'cancelled' }, 2);
    const cancelled = await move({ to: 'cancelled', reason: '客户改约' }, 2);
    const reopened = await move({ to: 'diagnosing' }, 3);
    const board = await call<{ items: RepairOrder[] }>(demo.advisorA, 'GET', `${base}?limit=100`);
    const history = await call<{ items: { action: string }[] }>(
      demo.advisorA,
      'GET',
      `${base}/${ro.id}/history`,
    );

    // Assess
    expect(diagnosing.status, diagnosing.text).toBe(200);
    expect(diagnosing.body).toMatchObject({ status: 'diagnosing', version: 2 });
    expect(diagnosing.headers.get('etag')).toBe('"2"');
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ code: 'VERSION_CONFLICT', currentVersion: 2 });
    expect(noReason.status).toBe(400);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', cancelReason: '客户改约' });
    expect(reopened.status).toBe(409);
    expect(reopened.body.code).toBe('REPAIR_ORDER_TRANSITION_NOT_ALLOWED');
    expect(board.body.items.map((r) => r.id)).not.toContain(ro.id);
    expect(history.body.items.map((e) => e.action)).toEqual(['cancel', 'diagnose', 'check_in']);
  });

  it('re-words a concern and moves the promised time on the version read; without If-Match it asks for one', async () => {
    // Prepare
    const ro = (await checkIn(walkIn(await registerParty()))).body;
    const url = `${base}/${ro.id}`;
    const promisedAt = inHours(30);

    // Act
    const blind = await call<Problem>(demo.advisorA, 'PATCH', url, { body: { promisedAt } });
    const edited = await call<RepairOrder>(demo.advisorA, 'PATCH', url, {
      body: { promisedAt, concerns: [{ id: 'C1', words: '刹车时左前轮尖叫' }] },
      headers: { 'if-match': '"1"' },
    });
    const unknown = await call<Problem>(demo.advisorA, 'PATCH', url, {
      body: { concerns: [{ id: 'C7', words: '不存在' }] },
      headers: { 'if-match': '"2"' },
    });

    // Assess
    expect(blind.status).toBe(428);
    expect(edited.status, edited.text).toBe(200);
    expect(edited.body).toMatchObject({ version: 2, promisedAt });
    expect(edited.body.concerns.map((c) => c.words)).toEqual(['刹车时左前轮尖叫', '保养']);
    expect(edited.body.lines[0]?.complaint).toBe('刹车时有异响 (a squeal when braking)');
    expect(unknown.status).toBe(400);
    expect(unknown.body.fieldErrors).toContainEqual(
      expect.objectContaining({ path: 'concerns.0.id', code: 'CONCERN_NOT_ON_ORDER' }),
    );
  });

  it('shows another store’s advisor none of the order, and 404s an order that is not there', async () => {
    // Prepare
    const party = await registerParty();
    const ro = (await checkIn(walkIn(party))).body;

    // Act
    const fromB = await call(demo.advisorB, 'GET', `/v1/stores/${demo.storeB}/repair-orders/${ro.id}`);
    const intoA = await call(demo.advisorB, 'GET', `${base}/${ro.id}`);
    const missing = await call<Problem>(demo.advisorA, 'GET', `${base}/ro_nothere`);

    // Assess
    expect(fromB.status).toBe(404);
    // Not a member of store A: refused as if it did not exist, the plate nowhere in the answer.
    expect(intoA.status).toBe(404);
    for (const res of [fromB, intoA]) expect(res.text).not.toContain(party.plate);
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('REPAIR_ORDER_NOT_FOUND');
  });
});
