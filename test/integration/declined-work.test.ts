import { beforeAll, describe, expect, it } from 'vitest';
import { call, useStackEnv } from '../support/api.ts';
import { demo } from '../support/demo.ts';
import {
  inHours,
  type Problem,
  type RepairOrder,
  repairOrderDesk,
  STORE_A_STAFF,
} from '../support/repair-orders.ts';

/**
 * 未修项目: work a customer declined is offered again when the car next comes in, until an order takes
 * it up; a concern that names work not on offer for the car is refused on its field.
 */
beforeAll(() => useStackEnv());

const { store, base, customerWithCar, declinedOrder } = repairOrderDesk(STORE_A_STAFF);

interface DeclinedWork {
  repairOrderId: string;
  lineId: string;
  complaint: string;
  payer: string;
  totals?: { net: number };
}

const declinedOf = (user: string, storePath: string, vehicleId: string) =>
  call<{ items: DeclinedWork[] }>(
    user,
    'GET',
    `${storePath}/repair-orders/declined-work?vehicleId=${vehicleId}`,
  );

/** The next visit of the car, one concern taking up `declinedFrom`. */
const nextVisit = (
  car: { vehicleId: string; customerId: string },
  declinedFrom: { repairOrderId: string; lineId: string },
) =>
  call<RepairOrder & Problem & { concerns: { words: string; declinedFrom?: unknown }[] }>(
    demo.advisorA,
    'POST',
    base,
    {
      body: {
        source: { kind: 'walk_in' },
        ...car,
        odometerKm: 33_000,
        fuelLevel: 4,
        promisedAt: inHours(4),
        concerns: [{ words: '后刹车片磨损报警', payer: 'warranty', declinedFrom }],
      },
    },
  );

describe('declined work (未修项目)', () => {
  it('is offered at the next check-in with its price, and no longer once an order takes it up', async () => {
    // Prepare: the customer approves L1 and declines L2 by the link
    const car = await customerWithCar();
    const ro = await declinedOrder({ vehicle: car });

    // Act
    const offered = await declinedOf(demo.advisorA, store, car.vehicleId);
    const approvedLine = await nextVisit(car, { repairOrderId: ro.id, lineId: 'L1' });
    const madeUp = await nextVisit(car, { repairOrderId: 'ro_nope', lineId: 'L2' });
    const taken = await nextVisit(car, { repairOrderId: ro.id, lineId: 'L2' });
    const after = await declinedOf(demo.advisorA, store, car.vehicleId);
    const again = await nextVisit(car, { repairOrderId: ro.id, lineId: 'L2' });
    const otherStore = await declinedOf(demo.advisorB, `/v1/stores/${demo.storeB}`, car.vehicleId);
    const noVehicle = await call<Problem>(demo.advisorA, 'GET', `${store}/repair-orders/declined-work`);

    // Assess
    expect(offered.status).toBe(200);
    expect(offered.body.items).toEqual([
      expect.objectContaining({
        repairOrderId: ro.id,
        lineId: 'L2',
        complaint: '后刹车片磨损报警',
        payer: 'customer',
      }),
    ]);
    expect(offered.body.items[0]?.totals?.net).toBeGreaterThan(0);
    for (const refused of [approvedLine, madeUp, again]) {
      expect(refused.status).toBe(400);
      expect(refused.body.fieldErrors).toEqual([
        expect.objectContaining({ path: 'concerns.0.declinedFrom', code: 'DECLINED_WORK_NOT_FOUND' }),
      ]);
    }
    expect(taken.status, taken.text).toBe(201);
    expect(taken.body.concerns[0]?.declinedFrom).toEqual({ repairOrderId: ro.id, lineId: 'L2' });
    expect(after.body.items).toEqual([]);
    expect(otherStore.status).toBe(200);
    expect(otherStore.body.items).toEqual([]);
    expect(noVehicle.status).toBe(400);
    expect(noVehicle.body.fieldErrors?.map((e) => e.path)).toEqual(['query.vehicleId']);
  });
});
