import { describe, expect, it } from 'vitest';
import { ValidationError } from '../platform/errors.ts';
import type { Signature } from '../purchasing/model.ts';
import {
  DeliveryInput,
  type JobLine,
  type JobLineStatus,
  LemonLawDays,
  type LemonLawDaysInput,
  RepairOrder,
} from '../repair-orders/model.ts';
import { decideRepairOrderDelivery } from '../repair-orders/rules.ts';
import type { Payer } from '../setup/model.ts';
import { EMPTY_LEMON_COUNTERS, RepairVisit, type WarrantyProblemInput } from './model.ts';
import { applyRepairVisit, countedRepairDays } from './rules.ts';
import { LEMON_RULESETS } from './rulesets.ts';
import {
  isLemonLawVisit,
  readyAt,
  repairVisitOf,
  requireLemonLawDaysWithinVisit,
  uncodedWarrantyLines,
} from './visits.ts';

const OPENED = '2026-12-01T01:00:00.000Z';
const signed = (at: string): Signature => ({ userId: 'u-foreman', name: '李主任', at });

/** A job line as the order keeps it, checked by the foreman at `finalAt` unless it was never worked. */
function line(
  id: string,
  payer: Payer,
  fault?: WarrantyProblemInput,
  status: JobLineStatus = 'checked',
  finalAt = '2026-12-02T08:00:00.000Z',
): unknown {
  return {
    id,
    origin: 'reception',
    status,
    complaint: 'Brakes squeal',
    payer,
    ...(fault ? { fault } : {}),
    clockings: [],
    checks: status === 'checked' ? [{ stage: 'final', passed: true, by: signed(finalAt) }] : [],
    reworkCount: 0,
  };
}

function order(lines: unknown[], extra: Record<string, unknown> = {}): RepairOrder {
  return RepairOrder.parse({
    id: 'ro-1',
    storeId: 'st_A',
    status: 'delivered',
    source: { kind: 'walk_in' },
    vehicleId: 'veh-1',
    customerId: 'cus-1',
    advisorId: 'u-advisor',
    odometerKm: 12_345,
    fuelLevel: 4,
    promisedAt: '2026-12-02T09:00:00.000Z',
    concerns: [],
    lines,
    quotes: [],
    approvals: [],
    settlement: {
      shares: [],
      total: 0,
      payments: [],
      settledBy: signed('2026-12-02T10:00:00.000Z'),
    },
    deliveredAt: '2026-12-02T11:00:00.000Z',
    version: 9,
    createdAt: OPENED,
    updatedAt: '2026-12-02T11:00:00.000Z',
    ...extra,
  });
}

const brakes: WarrantyProblemInput = { system: 'brakes', code: 'c1234', seriousSafety: true };

/** The delivery checklist, with the 三包除外天数 the advisor states. */
const checklist = (lemonLaw?: LemonLawDaysInput) =>
  DeliveryInput.parse({
    keysHandedOver: true,
    valuablesReturned: true,
    workExplained: true,
    oldParts: 'retained_for_claim',
    ...(lemonLaw ? { lemonLaw } : {}),
  });
const delivery = (lemonLaw?: LemonLawDaysInput) => ({
  ...checklist(lemonLaw),
  by: signed('2026-12-02T11:00:00.000Z'),
});

describe('repairVisitOf', () => {
  it('takes the worked warranty and goodwill lines with their faults, from opening to the last final check', () => {
    // Prepare
    const ro = order([
      line('L1', 'warranty', brakes, 'checked', '2026-12-02T07:00:00.000Z'),
      line('L2', 'goodwill', { system: 'body', code: 'W1' }, 'checked', '2026-12-02T08:30:00.000Z'),
      line('L3', 'customer', { system: 'other', code: 'OIL' }),
      line('L4', 'warranty', { system: 'engine', code: 'E1' }, 'declined'),
    ]);

    // Act
    const visit = repairVisitOf(ro);

    // Assess
    expect(visit).toEqual({
      repairOrderId: 'ro-1',
      signedAt: OPENED,
      pickupNoticeAt: '2026-12-02T08:30:00.000Z',
      odometerKm: 12_345,
      problems: [
        { system: 'brakes', code: 'C1234', seriousSafety: true, mainPartsReplaced: [] },
        { system: 'body', code: 'W1', seriousSafety: false, mainPartsReplaced: [] },
      ],
      excludedWaitDays: 0,
      batteryShippingDays: 0,
      loanerDays: 0,
    });
    expect(RepairVisit.safeParse(visit).success).toBe(true);
    expect(applyRepairVisit(EMPTY_LEMON_COUNTERS, visit!).visits[0]!.grossDays).toBe(2);
  });

  it('lists the warranty lines without a coded fault, which the counters cannot see', () => {
    const ro = order([line('L1', 'warranty'), line('L2', 'warranty', brakes), line('L3', 'customer')]);
    expect(uncodedWarrantyLines(ro)).toEqual(['L1']);
    expect(isLemonLawVisit(ro)).toBe(true);
    expect(isLemonLawVisit(order([line('L1', 'customer'), line('L2', 'warranty', brakes, 'declined')]))).toBe(
      false,
    );
    expect(repairVisitOf(ro)?.problems).toHaveLength(1);
  });

  it('falls back to the settlement, then the delivery, when no final check was recorded', () => {
    const unchecked = [line('L1', 'warranty', brakes, 'done')];
    expect(readyAt(order(unchecked))).toBe('2026-12-02T10:00:00.000Z');
    expect(readyAt(order(unchecked, { settlement: undefined }))).toBe('2026-12-02T11:00:00.000Z');
  });

  it('gives nothing for an order not yet delivered', () => {
    const ro = order([line('L1', 'warranty', brakes)], { status: 'settled', deliveredAt: undefined });
    expect(repairVisitOf(ro)).toBeUndefined();
  });
});

describe('三包除外天数 stated at delivery', () => {
  it('reach the visit, and the counters leave them out as the ruleset says', () => {
    // Prepare: opened 12-01 01:00, last final check 12-04 01:00 — 3 repair days
    const ro = order([line('L1', 'warranty', brakes, 'checked', '2026-12-04T01:00:00.000Z')], {
      deliveredAt: '2026-12-04T03:00:00.000Z',
      delivery: delivery({ excludedPartWaitDays: 1, batteryShippingDays: 1, loanerDays: 2 }),
    });

    // Act
    const visit = repairVisitOf(ro)!;
    const counted = applyRepairVisit(EMPTY_LEMON_COUNTERS, visit).visits[0]!;

    // Assess
    expect(visit).toMatchObject({ excludedWaitDays: 1, batteryShippingDays: 1, loanerDays: 2 });
    expect(counted.grossDays).toBe(3);
    expect(countedRepairDays(LEMON_RULESETS['CN-2022'], counted)).toBe(1);
    expect(countedRepairDays(LEMON_RULESETS['CN-2013'], counted)).toBe(2);
    expect(countedRepairDays(LEMON_RULESETS['US-TX'], counted)).toBe(0);
  });

  it('count 0 when the advisor stated none, or sent only some of them', () => {
    const none = order([line('L1', 'warranty', brakes)], { delivery: delivery() });
    const some = order([line('L1', 'warranty', brakes)], {
      delivery: delivery({ excludedPartWaitDays: 1 }),
    });
    expect(repairVisitOf(none)).toMatchObject({ excludedWaitDays: 0, batteryShippingDays: 0, loanerDays: 0 });
    expect(repairVisitOf(some)).toMatchObject({ excludedWaitDays: 1, batteryShippingDays: 0, loanerDays: 0 });
  });

  it('are whole days, never negative', () => {
    expect(LemonLawDays.safeParse({ excludedPartWaitDays: -1 }).success).toBe(false);
    expect(LemonLawDays.safeParse({ loanerDays: 1.5 }).success).toBe(false);
    expect(LemonLawDays.safeParse({ batteryShippingDays: 2, unknown: 1 }).success).toBe(false);
  });
});

describe('requireLemonLawDaysWithinVisit', () => {
  // A settled order: opened 12-01 01:00, last final check exactly 48 h later (2 repair days), to be
  // delivered 12-03 09:00 (3 started 24-hour periods after opening: at most 4 loaner days).
  const settled = order([line('L1', 'warranty', brakes, 'checked', '2026-12-03T01:00:00.000Z')], {
    status: 'settled',
    deliveredAt: undefined,
    settlement: { shares: [], total: 0, payments: [], settledBy: signed('2026-12-03T02:00:00.000Z') },
  });
  const AT = '2026-12-03T09:00:00.000Z';
  const codesOf = (days: LemonLawDaysInput): string[] => {
    try {
      requireLemonLawDaysWithinVisit(settled, LemonLawDays.parse(days), AT);
      return [];
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      return e.fieldErrors.map((f) => `${f.path}:${f.code}`);
    }
  };

  it('takes excluded waits up to exactly the visit’s repair days, and refuses one more', () => {
    expect(codesOf({ excludedPartWaitDays: 2 })).toEqual([]);
    expect(codesOf({ excludedPartWaitDays: 1, batteryShippingDays: 1 })).toEqual([]);
    expect(codesOf({ excludedPartWaitDays: 2, batteryShippingDays: 1 })).toEqual([
      'lemonLaw:LEMON_LAW_DAYS_EXCEED_VISIT',
    ]);
    expect(codesOf({ batteryShippingDays: 3 })).toEqual(['lemonLaw:LEMON_LAW_DAYS_EXCEED_VISIT']);
  });

  it('takes loaner days up to the days the car was away until delivery, plus the day it came in', () => {
    expect(codesOf({ loanerDays: 4 })).toEqual([]);
    expect(codesOf({ loanerDays: 5 })).toEqual(['lemonLaw.loanerDays:LEMON_LAW_LOANER_DAYS_EXCEED_STAY']);
    expect(codesOf({ excludedPartWaitDays: 3, loanerDays: 5 })).toEqual([
      'lemonLaw:LEMON_LAW_DAYS_EXCEED_VISIT',
      'lemonLaw.loanerDays:LEMON_LAW_LOANER_DAYS_EXCEED_STAY',
    ]);
  });

  it('guards the delivery, which keeps the days for the visit', () => {
    // Prepare
    const by = signed(AT);

    // Act
    const delivered = decideRepairOrderDelivery(settled, checklist({ excludedPartWaitDays: 2 }), by).next;

    // Assess
    expect(delivered.delivery?.lemonLaw).toEqual({
      excludedPartWaitDays: 2,
      batteryShippingDays: 0,
      loanerDays: 0,
    });
    expect(repairVisitOf(delivered)).toMatchObject({
      excludedWaitDays: 2,
      pickupNoticeAt: '2026-12-03T01:00:00.000Z',
    });
    expect(() => decideRepairOrderDelivery(settled, checklist({ excludedPartWaitDays: 3 }), by)).toThrow(
      ValidationError,
    );
  });
});

describe('the fault on a job line', () => {
  it('is optional, so lines written before it still read', () => {
    const parsed: JobLine = order([line('L1', 'warranty')]).lines[0]!;
    expect(parsed.fault).toBeUndefined();
  });
});
