import { describe, expect, it } from 'vitest';
import type { RepairVisit } from './model.ts';
import {
  decideLemonVisit,
  type LemonVehicleFacts,
  lemonBasis,
  lemonVehicleStatus,
  lemonWatchItem,
  topFinding,
} from './record.ts';

const store = { jurisdiction: 'CN' as const, timeZone: 'Asia/Shanghai' };
const car = { id: 'veh-1', vin: 'LSJA24U62JG269225', plate: '京A12345', brand: 'Audi', model: 'A4L' };
const sold = { ...car, invoiceDate: '2026-01-10' };

const visit = (n: number, day: string): RepairVisit => ({
  repairOrderId: `ro-${n}`,
  signedAt: `${day}T01:00:00.000Z`,
  pickupNoticeAt: `${day}T08:00:00.000Z`,
  odometerKm: 10_000 + n * 100,
  problems: [{ system: 'transmission', code: 'P0700', seriousSafety: false, mainPartsReplaced: [] }],
  excludedWaitDays: 0,
  batteryShippingDays: 0,
  loanerDays: 0,
});

function fold(count: number, vehicle: LemonVehicleFacts = sold) {
  let record: ReturnType<typeof decideLemonVisit>;
  for (let n = 1; n <= count; n++) {
    record =
      decideLemonVisit(record, {
        store,
        vehicle,
        visit: visit(n, `2026-0${3 + n}-01`),
        odometerKm: 12_000,
        at: '2026-10-01T00:00:00.000Z',
      }) ?? record;
  }
  return record;
}

describe('the 三包 record', () => {
  it('is weighed by the ruleset of the sale date, and warns at the 4th repair of one problem under CN-2022', () => {
    const three = fold(3);
    const four = fold(4);
    expect(three).toMatchObject({ rulesetId: 'CN-2022', startDate: '2026-01-10', level: 'none', version: 3 });
    expect(three?.top).toBeUndefined();
    expect(four).toMatchObject({
      level: 'warning',
      top: { rule: 'same_problem', value: 4, left: { count: 1 } },
    });
    expect(fold(5)?.level).toBe('alert');
  });

  it('writes nothing when the same visit comes again', () => {
    const record = fold(2);
    const again = decideLemonVisit(record, {
      store,
      vehicle: sold,
      visit: visit(2, '2026-05-01'),
      odometerKm: 12_000,
      at: '2026-10-02T00:00:00.000Z',
    });
    expect(again).toBeUndefined();
  });

  it('keeps counting without a sale date, at level none, and says why there is no status', () => {
    const record = fold(5, car);
    const status = lemonVehicleStatus(record, {
      store,
      vehicle: car,
      asOf: '2026-10-01T00:00:00.000Z',
      odometerKm: 12_000,
    });
    expect(record).toMatchObject({ level: 'none' });
    expect(record?.counters.visits).toHaveLength(5);
    expect(status).toMatchObject({ unavailable: 'no_sale_date' });
    expect(status.status).toBeUndefined();
    expect(lemonBasis({ jurisdiction: 'EU', timeZone: 'Europe/Berlin' }, sold)).toEqual({
      unavailable: 'no_ruleset',
    });
  });

  it('counts the open order’s days so far in the status now', () => {
    const status = lemonVehicleStatus(fold(1), {
      store,
      vehicle: sold,
      asOf: '2026-10-07T02:00:00.000Z',
      odometerKm: 12_000,
      openRepair: { repairOrderId: 'ro-open', signedAt: '2026-10-01T01:00:00.000Z' },
    });
    expect(status.openRepairOrderId).toBe('ro-open');
    expect(status.status?.findings.find((f) => f.rule === 'long_repair')).toMatchObject({
      level: 'alert',
      repairOrderIds: ['ro-open'],
      value: 7,
    });
  });

  it('lists a vehicle whose validity ran out since its last visit at level none', () => {
    const record = fold(5)!;
    expect(lemonWatchItem(record, '2026-10-01T00:00:00.000Z')).toMatchObject({ level: 'alert', findings: 1 });
    expect(lemonWatchItem(record, '2028-02-01T00:00:00.000Z')).toMatchObject({
      level: 'none',
      validity: { inside: false, endedBy: 'time' },
    });
  });

  it('shows the highest level first, then the fewest left', () => {
    const f = (level: 'notice' | 'warning' | 'alert', left: number) =>
      ({ level, left: { count: left, unit: 'repairs' } }) as Parameters<typeof topFinding>[0][number];
    expect(topFinding([f('warning', 1), f('notice', 0), f('warning', 0)])).toEqual(f('warning', 0));
    expect(topFinding([f('warning', 0), f('alert', 0)])?.level).toBe('alert');
    expect(topFinding([f('notice', 0)])).toBeUndefined();
  });
});
