import { RepairOrders } from '@aftersales/data/repair-orders';
import { CheckInInput } from '@aftersales/domain';
import { expect } from 'vitest';
import { call } from './api.ts';
import { storeA } from './approval.ts';
import { uniqueSuffix, validVin } from './demo.ts';
import {
  handOver,
  ok,
  type RepairOrder,
  repairOrderDesk,
  STORE_A_STAFF,
  sealedSignature,
} from './repair-orders.ts';

/** 三包预警's cars and their warranty repairs in store A, through the API: shared by the API and browser suites. */

const desk = repairOrderDesk(STORE_A_STAFF);
const { advisor } = STORE_A_STAFF;

/** A customer's car sold `daysAgo` days ago (its invoice date), in store A. */
export async function soldCar(
  daysAgo: number,
): Promise<{ vehicleId: string; customerId: string; plate: string }> {
  const s = uniqueSuffix();
  const store = `/v1/stores/${STORE_A_STAFF.storeId}`;
  const customer = await call<{ id: string }>(advisor, 'POST', `${store}/customers`, {
    body: { name: `三包测试${s}`, phones: [{ number: `136${s.slice(-8).padStart(8, '0')}` }] },
  });
  const plate = `京L${s.slice(-5)}`;
  const invoiceDate = new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);
  const vehicle = await call<{ id: string }>(advisor, 'POST', `${store}/vehicles`, {
    body: {
      vin: validVin(),
      plate,
      brand: 'Audi',
      model: 'Q5L',
      invoiceDate,
      ownerCustomerId: customer.body.id,
    },
  });
  expect(vehicle.status, vehicle.text).toBe(201);
  return { vehicleId: vehicle.body.id, customerId: customer.body.id, plate };
}

/**
 * One warranty order for the car, its L2 coded with `fault`, worked, checked and settled. Opened now
 * through the API, or `openedDaysAgo` days ago (the API has no past: then checked in through the data
 * layer on a clock that far back, and every later step through the API, now), so the visit lasts that long.
 */
export async function settledWarrantyOrder(
  car: { vehicleId: string; customerId: string },
  odometerKm: number,
  fault: unknown,
  opts: { openedDaysAgo?: number } = {},
): Promise<RepairOrder> {
  const cat = await desk.catalogue();
  let ro: RepairOrder;
  if (opts.openedDaysAgo === undefined) {
    ro = await desk.openOrder({
      vehicle: { vehicleId: car.vehicleId, customerId: car.customerId },
      odometerKm,
    });
  } else {
    const opened = new Date(Date.now() - opts.openedDaysAgo * 86_400_000);
    const tenant = storeA(() => opened);
    const input = CheckInInput.parse({
      source: { kind: 'walk_in' },
      vehicleId: car.vehicleId,
      customerId: car.customerId,
      odometerKm,
      fuelLevel: 5,
      promisedAt: new Date(opened.getTime() + 5 * 3_600_000).toISOString(),
      concerns: [{ words: '刹车异响' }, { words: '后刹车片磨损报警', payer: 'warranty' }],
    });
    ro = (await tenant.repo(RepairOrders).checkIn(tenant, input)).repairOrder;
  }
  for (const [lineId, work] of Object.entries({
    L1: { complaint: '刹车异响', payer: 'customer', labour: [{ labourOpId: cat.brakes }] },
    L2: { complaint: '变速箱换挡冲击', payer: 'warranty', labour: [{ labourOpId: cat.other }], fault },
  }))
    ro = ok(await desk.act(advisor, 'PUT', `/${ro.id}/lines/${lineId}`, work, ro));
  return approvedAndSettled(ro);
}

/** The order's L1 and L2 quoted, approved at the counter, worked, checked and settled. */
export async function approvedAndSettled(order: RepairOrder): Promise<RepairOrder> {
  let ro = ok(await desk.act(advisor, 'POST', `/${order.id}/quotes`, undefined, order));
  ro = ok(
    await desk.act(advisor, 'POST', `/${ro.id}/approvals`, {
      quoteVersion: 1,
      method: 'counter_signature',
      approverName: '三包测试客户',
      from: 'counter-tablet-1',
      signatureRef: await sealedSignature(advisor, STORE_A_STAFF.storeId, ro.id),
      decisions: [
        { lineId: 'L1', approved: true },
        { lineId: 'L2', approved: true },
      ],
    }),
  );
  await desk.workedLine(ro, 'L1');
  await desk.workedLine(ro, 'L2');
  await desk.checkedLine(ro, 'L1');
  return desk.settled(await desk.checkedLine(ro, 'L2'));
}

/** One warranty order for the car, its L2 coded with `fault`, taken to delivery. */
export async function deliveredWarrantyOrder(
  car: { vehicleId: string; customerId: string },
  odometerKm: number,
  fault: unknown,
): Promise<RepairOrder> {
  const settled = await settledWarrantyOrder(car, odometerKm, fault);
  return ok(
    await desk.act(advisor, 'POST', `/${settled.id}/delivery`, handOver('retained_for_claim'), settled),
  );
}
