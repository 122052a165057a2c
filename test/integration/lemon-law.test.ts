import { applyRepairVisit, EMPTY_LEMON_COUNTERS, RepairOrder, repairVisitOf } from '@aftersales/domain';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, eventually, useStackEnv } from '../support/api.ts';
import { demo } from '../support/demo.ts';
import {
  approvedAndSettled,
  deliveredWarrantyOrder,
  settledWarrantyOrder,
  soldCar,
} from '../support/lemon-law.ts';
import { handOver, ok, repairOrderDesk, STORE_A_STAFF } from '../support/repair-orders.ts';

/**
 * 三包预警's seam with the repair order: a warranty line coded with its fault through the API gives, once
 * the order is delivered, the visit the vehicle's 三包 counters fold.
 */
beforeAll(() => useStackEnv());

const desk = repairOrderDesk(STORE_A_STAFF);
const { advisor } = STORE_A_STAFF;

describe('a warranty line’s fault', () => {
  it('is kept on the line through the order’s day and becomes the delivered order’s 三包 visit', async () => {
    // Prepare: L1 the customer's, L2 under warranty with its fault coded
    const cat = await desk.catalogue();
    let ro = await desk.openOrder();
    ro = ok(
      await desk.act(
        advisor,
        'PUT',
        `/${ro.id}/lines/L1`,
        { complaint: '刹车异响', payer: 'customer', labour: [{ labourOpId: cat.brakes }] },
        ro,
      ),
    );
    const warrantyWork = (fault: unknown) => ({
      complaint: '后刹车片磨损报警',
      payer: 'warranty',
      labour: [{ labourOpId: cat.other }],
      fault,
    });

    // Act
    const unknownSystem = await desk.act(
      advisor,
      'PUT',
      `/${ro.id}/lines/L2`,
      warrantyWork({ system: 'wheels', code: 'X1' }),
      ro,
    );
    ro = ok(
      await desk.act(
        advisor,
        'PUT',
        `/${ro.id}/lines/L2`,
        warrantyWork({
          system: 'brakes',
          code: ' c1234 ',
          mainPartsReplaced: [{ system: 'brakes', part: '制动钳' }],
        }),
        ro,
      ),
    );
    const settled = await approvedAndSettled(ro);
    const delivered = RepairOrder.parse(
      ok(await desk.act(advisor, 'POST', `/${ro.id}/delivery`, handOver('retained_for_claim'), settled)),
    );
    const visit = repairVisitOf(delivered);

    // Assess
    expect(unknownSystem.status).toBe(400);
    expect(unknownSystem.body.fieldErrors?.map((e) => e.path)).toContain('fault.system');
    const finalChecks = delivered.lines.flatMap((l) => l.checks.filter((c) => c.stage === 'final'));
    expect(visit).toEqual({
      repairOrderId: ro.id,
      signedAt: delivered.createdAt,
      pickupNoticeAt: finalChecks
        .map((c) => c.by.at)
        .sort()
        .at(-1),
      odometerKm: 31_000,
      problems: [
        {
          system: 'brakes',
          code: 'C1234',
          seriousSafety: false,
          mainPartsReplaced: [{ system: 'brakes', part: '制动钳' }],
        },
      ],
      excludedWaitDays: 0,
      batteryShippingDays: 0,
      loanerDays: 0,
    });
    expect(applyRepairVisit(EMPTY_LEMON_COUNTERS, visit!).visits).toHaveLength(1);
  });
});

interface Finding {
  rule: string;
  level: string;
  subject?: string;
  repairOrderIds: string[];
  value: number;
  threshold: number;
  left: { count: number; unit: string };
}
interface LemonStatusBody {
  vehicleId: string;
  vehicle: { plate?: string; model: string };
  visits: { repairOrderId: string }[];
  status?: { rulesetId: string; level: string; validity: { inside: boolean }; findings: Finding[] };
  unavailable?: string;
}
interface WatchPage {
  items: { vehicleId: string; level: string; vehicle: { plate?: string }; top?: Finding }[];
  nextCursor?: string;
}

const statusPath = (storeId: string, vehicleId: string) =>
  `/v1/stores/${storeId}/lemon-law/vehicles/${vehicleId}`;

/** The vehicle's status once the counters hold `visits` delivered orders (the consumer runs moments later). */
function statusAfter(vehicleId: string, visits: number): Promise<LemonStatusBody> {
  return eventually(async () => {
    const res = await call<LemonStatusBody>(advisor, 'GET', statusPath(STORE_A_STAFF.storeId, vehicleId));
    expect(res.status, res.text).toBe(200);
    return res.body.visits.length === visits ? res.body : undefined;
  });
}

/** Every page of a store's 三包 list, as `user` reads it. */
async function watchList(user: string, storeId: string): Promise<WatchPage['items']> {
  const items: WatchPage['items'] = [];
  let cursor: string | undefined;
  do {
    const q = cursor ? `?limit=100&cursor=${encodeURIComponent(cursor)}` : '?limit=100';
    const res = await call<WatchPage>(user, 'GET', `/v1/stores/${storeId}/lemon-law/watch${q}`);
    expect(res.status, res.text).toBe(200);
    items.push(...res.body.items);
    cursor = res.body.nextCursor;
  } while (cursor);
  return items;
}

describe('三包预警 from delivered warranty orders (CN-2022)', () => {
  it('counts repairs of the same problem: a warning at the 4th, an alert at the 5th, and the store’s list shows it', async () => {
    // Prepare: a car sold 200 days ago (outside the 60-day windows), the same transmission fault each time
    const car = await soldCar(200);
    const shudder = { system: 'transmission', code: 'p0700' };
    const ros: string[] = [];

    // Act: three repairs, then the 4th, then the 5th
    for (let i = 0; i < 3; i++) ros.push((await deliveredWarrantyOrder(car, 31_000 + i * 500, shudder)).id);
    const afterThree = await statusAfter(car.vehicleId, 3);
    const listedAtThree = await watchList(advisor, STORE_A_STAFF.storeId);
    ros.push((await deliveredWarrantyOrder(car, 33_000, shudder)).id);
    const afterFour = await statusAfter(car.vehicleId, 4);
    const listedAtFour = await watchList(advisor, STORE_A_STAFF.storeId);
    ros.push((await deliveredWarrantyOrder(car, 33_500, shudder)).id);
    const afterFive = await statusAfter(car.vehicleId, 5);
    const listedAtFive = await watchList(advisor, STORE_A_STAFF.storeId);
    const fromStoreB = await call(demo.advisorB, 'GET', statusPath(demo.storeB, car.vehicleId));
    const listedInB = await watchList(demo.advisorB, demo.storeB);

    // Assess
    expect(afterThree.status).toMatchObject({
      rulesetId: 'CN-2022',
      level: 'none',
      validity: { inside: true },
    });
    expect(listedAtThree.map((i) => i.vehicleId)).not.toContain(car.vehicleId);
    const sameProblem = (s: LemonStatusBody) => s.status?.findings.find((f) => f.rule === 'same_problem');
    expect(afterFour.status?.level).toBe('warning');
    expect(sameProblem(afterFour)).toMatchObject({
      level: 'warning',
      subject: 'transmission:P0700',
      repairOrderIds: ros.slice(0, 4),
      value: 4,
      threshold: 5,
      left: { count: 1, unit: 'repairs' },
    });
    expect(listedAtFour.find((i) => i.vehicleId === car.vehicleId)).toMatchObject({
      level: 'warning',
      vehicle: { plate: car.plate },
      top: { rule: 'same_problem', value: 4 },
    });
    expect(afterFive.status?.level).toBe('alert');
    expect(sameProblem(afterFive)).toMatchObject({
      level: 'alert',
      repairOrderIds: ros,
      value: 5,
      left: { count: 0, unit: 'repairs' },
    });
    expect(listedAtFive.filter((i) => i.vehicleId === car.vehicleId)).toEqual([
      expect.objectContaining({
        level: 'alert',
        top: expect.objectContaining({ rule: 'same_problem', value: 5 }),
      }),
    ]);
    expect(fromStoreB.status).toBe(404);
    expect(listedInB.map((i) => i.vehicleId)).not.toContain(car.vehicleId);
  });

  it('leaves the excluded-part waits the advisor states at delivery out of the cumulative repair days', async () => {
    // Prepare: two cars sold 200 days ago, each in for 26½ days (27 repair days: ≥ 25 is a warning)
    const [plain, waited] = [await soldCar(200), await soldCar(200)];
    const gearbox = { system: 'transmission', code: 'p0720' };
    const plainRo = await settledWarrantyOrder(plain, 31_000, gearbox, { openedDaysAgo: 26.5 });
    const waitedRo = await settledWarrantyOrder(waited, 31_000, gearbox, { openedDaysAgo: 26.5 });
    const deliver = (ro: typeof plainRo, lemonLaw?: Record<string, number>) =>
      desk.act(
        advisor,
        'POST',
        `/${ro.id}/delivery`,
        { ...handOver('retained_for_claim'), ...(lemonLaw ? { lemonLaw } : {}) },
        ro,
      );

    // Act: the plain car delivered as is; the other first with more waits than the visit, then with 5
    // days waiting for a VIN-coded anti-theft part, and a loaner for the whole stay (CN-2022 counts it)
    const tooMany = await deliver(waitedRo, { excludedPartWaitDays: 20, batteryShippingDays: 8 });
    const longLoaner = await deliver(waitedRo, { loanerDays: 29 });
    const delivered = ok(await deliver(waitedRo, { excludedPartWaitDays: 5, loanerDays: 28 }));
    ok(await deliver(plainRo));
    const [plainStatus, waitedStatus] = await Promise.all([
      statusAfter(plain.vehicleId, 1),
      statusAfter(waited.vehicleId, 1),
    ]);

    // Assess
    expect(tooMany.status, tooMany.text).toBe(400);
    expect(tooMany.body.fieldErrors).toEqual([
      expect.objectContaining({ path: 'lemonLaw', code: 'LEMON_LAW_DAYS_EXCEED_VISIT' }),
    ]);
    expect(longLoaner.status, longLoaner.text).toBe(400);
    expect(longLoaner.body.fieldErrors).toEqual([
      expect.objectContaining({ path: 'lemonLaw.loanerDays', code: 'LEMON_LAW_LOANER_DAYS_EXCEED_STAY' }),
    ]);
    expect(RepairOrder.parse(delivered).delivery?.lemonLaw).toEqual({
      excludedPartWaitDays: 5,
      batteryShippingDays: 0,
      loanerDays: 28,
    });
    const repairDays = (s: LemonStatusBody) => s.status?.findings.find((f) => f.rule === 'repair_days');
    expect(plainStatus.status?.level).toBe('warning');
    expect(repairDays(plainStatus)).toMatchObject({
      level: 'warning',
      repairOrderIds: [plainRo.id],
      value: 27,
      threshold: 31,
      left: { count: 4, unit: 'days' },
    });
    expect(waitedStatus.status?.level).toBe('none');
    expect(repairDays(waitedStatus)).toBeUndefined();
  });

  it('gives a car with no warranty repairs no findings, and one with no sale date no status', async () => {
    // Prepare
    const sold = await soldCar(30);
    const { vehicleId } = await desk.customerWithCar();

    // Act
    const clean = await call<LemonStatusBody>(
      advisor,
      'GET',
      statusPath(STORE_A_STAFF.storeId, sold.vehicleId),
    );
    const undated = await call<LemonStatusBody>(advisor, 'GET', statusPath(STORE_A_STAFF.storeId, vehicleId));

    // Assess
    expect(clean.body).toMatchObject({
      visits: [],
      status: { rulesetId: 'CN-2022', level: 'none', findings: [] },
    });
    expect(undated.body).toMatchObject({ visits: [], unavailable: 'no_sale_date' });
    expect(undated.body.status).toBeUndefined();
  });
});
