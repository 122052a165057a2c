import { DataAccess } from '@aftersales/data';
import { localDay } from '@aftersales/domain';
import { demoUserFor } from '@aftersales/seed';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, eventually, stack, useStackEnv } from '../support/api.ts';
import { demo } from '../support/demo.ts';
import { handOver, ok, type RepairOrder, repairOrderDesk } from '../support/repair-orders.ts';

/**
 * The repair orders' store figures (集团看板), projected from their events: orders driven through the
 * API to delivery show, on the store's day and in its group's HQ view, exactly what they add.
 *
 * Tianjin, where no other suite opens repair orders, so the figures move by this suite's orders alone.
 */
beforeAll(() => useStackEnv());

const TIANJIN = 'st_HCAUDITJ';
const staffOf = (role: Parameters<typeof demoUserFor>[0]) => demoUserFor(role, TIANJIN);
const desk = repairOrderDesk({
  storeId: TIANJIN,
  advisor: staffOf('service_advisor').username,
  workshopManager: staffOf('workshop_manager').username,
  technician: staffOf('technician').username,
  technicianId: staffOf('technician').id,
  finalChecker: staffOf('workshop_manager').username,
});
const { act } = desk;

/** The figures this suite reads: each a count, or money in fen. */
const FIGURES = [
  'repairOrdersOpenedLast30Days',
  'repairOrdersDeliveredLast30Days',
  'deliveredOnTimeLast30Days',
  'firstTimeFixesLast30Days',
  'comebacksLast30Days',
  'customerRevenueLast30Days',
  'warrantyRevenueLast30Days',
  'flatRateTenthsLast30Days',
] as const;
type Figures = Record<(typeof FIGURES)[number], number>;
/** The same figures as the store's item keeps them on one day. */
const BY_DAY: Record<(typeof FIGURES)[number], string> = {
  repairOrdersOpenedLast30Days: 'repairOrdersOpenedByDay',
  repairOrdersDeliveredLast30Days: 'repairOrdersDeliveredByDay',
  deliveredOnTimeLast30Days: 'deliveredOnTimeByDay',
  firstTimeFixesLast30Days: 'firstTimeFixesByDay',
  comebacksLast30Days: 'comebacksByDay',
  customerRevenueLast30Days: 'customerRevenueByDay',
  warrantyRevenueLast30Days: 'warrantyRevenueByDay',
  flatRateTenthsLast30Days: 'flatRateTenthsByDay',
};

/** HQ's view of the store (its group's projection, through the API). */
async function hqView(): Promise<Figures> {
  const res = await call<{ stores: ({ storeId: string } & Figures)[] }>(
    demo.hqExecutive,
    'GET',
    `/v1/groups/${demo.group}/stores/figures`,
  );
  expect(res.status, res.text).toBe(200);
  const store = res.body.stores.find((s) => s.storeId === TIANJIN);
  if (!store) throw new Error('HQ does not see the Tianjin store');
  return store;
}

/** The store's counts on its today, as its group's item keeps them. */
async function today(): Promise<Figures> {
  const { figures } = await new DataAccess({ tableName: stack.tableName })
    .groupFigures(demo.group)
    .get(TIANJIN);
  const day = localDay(new Date(), figures.timeZone);
  const kept = figures as unknown as Record<string, Record<string, number> | undefined>;
  return Object.fromEntries(FIGURES.map((f) => [f, kept[BY_DAY[f]]?.[day] ?? 0])) as Figures;
}

const plus = (before: Figures, added: Figures): Figures =>
  Object.fromEntries(FIGURES.map((f) => [f, before[f] + added[f]])) as Figures;
const only = (figures: Figures) => Object.fromEntries(FIGURES.map((f) => [f, figures[f]])) as Figures;

/** The quote's net per payer: what settlement books as revenue when every line is done. */
const netOf = (ro: RepairOrder, payer: string) =>
  ro.quotes.at(-1)?.byPayer.find((s) => s.payer === payer)?.net ?? 0;
const flatOf = (ro: RepairOrder) =>
  ro.lines.reduce((n, l) => n + l.labour.reduce((m, op) => m + op.tenths, 0), 0);

describe('repair-order figures', () => {
  it('shows orders opened and delivered, on time, fixed first time, comebacks and revenue per payer, on the store’s day and to HQ', async () => {
    // Prepare
    const [dayBefore, hqBefore] = await Promise.all([today(), hqView()]);

    // Act: one order fixed first time and delivered on time
    const first = await desk.approvedOrder();
    await desk.workedLine(first.ro, 'L1');
    await desk.workedLine(first.ro, 'L2');
    await desk.checkedLine(first.ro, 'L1');
    const firstSettled = await desk.settled(await desk.checkedLine(first.ro, 'L2'));
    ok(await act(desk.staff.advisor, 'POST', `/${first.ro.id}/delivery`, handOver('none'), firstSettled));

    // Act: the car back the same day (返修), promised within seconds; one line fails its team check
    const promisedAt = new Date(Date.now() + 5_000).toISOString();
    const back = await desk.approvedOrder({
      vehicle: { vehicleId: first.ro.vehicleId, customerId: first.ro.customerId },
      promisedAt,
    });
    await desk.workedLine(back.ro, 'L1');
    await desk.workedLine(back.ro, 'L2');
    const checks = `/${back.ro.id}/lines/L1/checks`;
    ok(await act(desk.staff.technician, 'POST', checks, { stage: 'self', passed: true }));
    ok(
      await act(desk.staff.workshopManager, 'POST', checks, {
        stage: 'team',
        passed: false,
        reason: '仍有异响',
      }),
    );
    await desk.clockOn(back.ro, 'L1');
    ok(await act(desk.staff.technician, 'POST', `/${back.ro.id}/lines/L1/clock-off`, { outcome: 'done' }));
    await desk.checkedLine(back.ro, 'L1');
    const backSettled = await desk.settled(await desk.checkedLine(back.ro, 'L2'));
    await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(promisedAt) + 1_000 - Date.now())));
    const late = ok(
      await act(desk.staff.advisor, 'POST', `/${back.ro.id}/delivery`, handOver('none'), backSettled),
    );

    // Assess
    const added: Figures = {
      repairOrdersOpenedLast30Days: 2,
      repairOrdersDeliveredLast30Days: 2,
      deliveredOnTimeLast30Days: 1,
      firstTimeFixesLast30Days: 1,
      comebacksLast30Days: 1,
      customerRevenueLast30Days: netOf(first.ro, 'customer') + netOf(back.ro, 'customer'),
      warrantyRevenueLast30Days: netOf(first.ro, 'warranty') + netOf(back.ro, 'warranty'),
      flatRateTenthsLast30Days: flatOf(first.ro) + flatOf(back.ro),
    };
    expect(late).toMatchObject({ status: 'delivered', comebackOf: first.ro.id });
    expect(added.customerRevenueLast30Days).toBeGreaterThan(0);
    expect(added.warrantyRevenueLast30Days).toBeGreaterThan(0);
    const expected = plus(dayBefore, added);
    const onTheDay = await eventually(async () => {
      const now = await today();
      return FIGURES.every((f) => now[f] === expected[f]) ? now : undefined;
    });
    expect(onTheDay).toEqual(expected);
    const hq = only(await hqView());
    expect(hq).toEqual(plus(only(hqBefore), added));
  });
});
