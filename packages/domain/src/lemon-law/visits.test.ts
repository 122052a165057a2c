import { describe, expect, it } from 'vitest';
import type { Signature } from '../purchasing/model.ts';
import { type JobLine, type JobLineStatus, RepairOrder } from '../repair-orders/model.ts';
import type { Payer } from '../setup/model.ts';
import { EMPTY_LEMON_COUNTERS, RepairVisit, type WarrantyProblemInput } from './model.ts';
import { applyRepairVisit } from './rules.ts';
import { readyAt, repairVisitOf, uncodedWarrantyLines } from './visits.ts';

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
const facts = { excludedWaitDays: 0, loanerDays: 1 };

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
    const visit = repairVisitOf(ro, facts);

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
      loanerDays: 1,
    });
    expect(RepairVisit.safeParse(visit).success).toBe(true);
    expect(applyRepairVisit(EMPTY_LEMON_COUNTERS, visit!).visits[0]!.grossDays).toBe(2);
  });

  it('lists the warranty lines without a coded fault, which the counters cannot see', () => {
    const ro = order([line('L1', 'warranty'), line('L2', 'warranty', brakes), line('L3', 'customer')]);
    expect(uncodedWarrantyLines(ro)).toEqual(['L1']);
    expect(repairVisitOf(ro, facts)?.problems).toHaveLength(1);
  });

  it('falls back to the settlement, then the delivery, when no final check was recorded', () => {
    const unchecked = [line('L1', 'warranty', brakes, 'done')];
    expect(readyAt(order(unchecked))).toBe('2026-12-02T10:00:00.000Z');
    expect(readyAt(order(unchecked, { settlement: undefined }))).toBe('2026-12-02T11:00:00.000Z');
  });

  it('gives nothing for an order not yet delivered', () => {
    const ro = order([line('L1', 'warranty', brakes)], { status: 'settled', deliveredAt: undefined });
    expect(repairVisitOf(ro, facts)).toBeUndefined();
  });
});

describe('the fault on a job line', () => {
  it('is optional, so lines written before it still read', () => {
    const parsed: JobLine = order([line('L1', 'warranty')]).lines[0]!;
    expect(parsed.fault).toBeUndefined();
  });
});
