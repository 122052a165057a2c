import { describe, expect, it } from 'vitest';
import { addDays, zonedInstant } from '../platform/local-time.ts';
import {
  EMPTY_LEMON_COUNTERS,
  type LemonCounters,
  type LemonRule,
  type LemonStatus,
  RepairVisit,
  type RepairVisitInput,
  type WarrantyProblemInput,
} from './model.ts';
import { applyRepairVisit, evaluateLemon, grossRepairDays } from './rules.ts';
import { KM_PER_MILE, LEMON_RULESETS, type LemonRuleset, lemonStartDate, rulesetFor } from './rulesets.ts';

const TZ = 'Asia/Shanghai';
const START = '2026-01-10';
const CN_2022 = LEMON_RULESETS['CN-2022'];
const CN_2013 = LEMON_RULESETS['CN-2013'];

/** The instant of a store-local time on day `day` after the start (day 0 is the start date). */
function on(day: number, time = '09:00'): string {
  return zonedInstant(addDays(START, day), time, TZ).toISOString();
}
const HOUR = 3_600_000;
const plus = (instant: string, hours: number) => new Date(Date.parse(instant) + hours * HOUR).toISOString();

const brakeNoise: WarrantyProblemInput = { system: 'brakes', code: 'B1001' };

/** A visit opened on `day`, ready `hours` later, at `km` (parsed as a delivered order would give it). */
function visit(
  id: string,
  day: number,
  problems: WarrantyProblemInput[],
  extra: Partial<RepairVisitInput> & { hours?: number; km?: number } = {},
) {
  const { hours = 4, km = 1_000, ...rest } = extra;
  const signedAt = on(day);
  return RepairVisit.parse({
    repairOrderId: id,
    signedAt,
    pickupNoticeAt: plus(signedAt, hours),
    odometerKm: km,
    problems,
    ...rest,
  });
}

function fold(...visits: RepairVisit[]): LemonCounters {
  return visits.reduce(applyRepairVisit, EMPTY_LEMON_COUNTERS);
}

function evaluate(ruleset: LemonRuleset, counters: LemonCounters, day = 400, km = 10_000) {
  return evaluateLemon(ruleset, { startDate: START }, counters, {
    asOf: on(day, '18:00'),
    odometerKm: km,
    timeZone: TZ,
  });
}

const findingOf = (status: LemonStatus, rule: LemonRule) => status.findings.filter((f) => f.rule === rule);

/** `n` visits for the same problem, a month apart from day 70 (outside the early windows). */
function repeated(n: number, problem: WarrantyProblemInput = brakeNoise) {
  return Array.from({ length: n }, (_, i) => visit(`ro_${i + 1}`, 70 + 30 * i, [problem]));
}

describe('repair days', () => {
  it('counts started 24-hour periods from signing to the pick-up notice, at least one', () => {
    const signed = on(10);
    expect(grossRepairDays(signed, signed)).toBe(1);
    expect(grossRepairDays(signed, plus(signed, 23))).toBe(1);
    expect(grossRepairDays(signed, plus(signed, 24))).toBe(1);
    expect(grossRepairDays(signed, new Date(Date.parse(plus(signed, 24)) + 1000).toISOString())).toBe(2);
    expect(grossRepairDays(signed, plus(signed, 30 * 24))).toBe(30);
  });

  it('refuses a pick-up notice before the signing', () => {
    const signedAt = on(10);
    const parsed = RepairVisit.safeParse({
      repairOrderId: 'ro_1',
      signedAt,
      pickupNoticeAt: plus(signedAt, -1),
      odometerKm: 10,
      problems: [brakeNoise],
    });
    expect(parsed.success).toBe(false);
  });
});

describe('same problem repaired (CN-2022 > 4, CN-2013 > 5)', () => {
  it('warns at the 4th repair of the same problem and alerts at the 5th under CN-2022', () => {
    // Prepare
    const five = repeated(5);

    // Act
    const third = evaluate(CN_2022, fold(...five.slice(0, 3)));
    const fourth = evaluate(CN_2022, fold(...five.slice(0, 4)));
    const fifth = evaluate(CN_2022, fold(...five));

    // Assess
    expect(third.level).toBe('none');
    expect(fourth.level).toBe('warning');
    expect(findingOf(fourth, 'same_problem')).toEqual([
      expect.objectContaining({
        level: 'warning',
        subject: 'brakes:B1001',
        repairOrderIds: ['ro_1', 'ro_2', 'ro_3', 'ro_4'],
        value: 4,
        threshold: 5,
        left: { count: 1, unit: 'repairs' },
        remedy: 'exchange_or_refund',
        label: { en: 'Same problem repaired', 'zh-CN': '同一质量问题修理次数' },
      }),
    ]);
    expect(fifth.level).toBe('alert');
    expect(findingOf(fifth, 'same_problem')[0]).toMatchObject({
      level: 'alert',
      value: 5,
      left: { count: 0 },
    });
  });

  it('warns at the 5th and alerts at the 6th under CN-2013, whose remedy is an exchange', () => {
    const six = repeated(6);
    expect(evaluate(CN_2013, fold(...six.slice(0, 4))).level).toBe('none');
    expect(findingOf(evaluate(CN_2013, fold(...six.slice(0, 5))), 'same_problem')[0]).toMatchObject({
      level: 'warning',
      left: { count: 1 },
    });
    expect(findingOf(evaluate(CN_2013, fold(...six)), 'same_problem')[0]).toMatchObject({
      level: 'alert',
      remedy: 'exchange',
    });
  });

  it('counts a defect code once per order and keeps different codes apart', () => {
    const twice = visit('ro_a', 70, [brakeNoise, { system: 'brakes', code: 'b1001' }]);
    const others = repeated(3, { system: 'brakes', code: 'B2002' });
    const status = evaluate(CN_2022, fold(twice, ...others));
    expect(status.level).toBe('none');
    expect(status.findings).toEqual([]);
  });
});

describe('cumulative repair days (CN-2022 > 30, warning from 25)', () => {
  const daysVisit = (id: string, day: number, hours: number, extra: Partial<RepairVisitInput> = {}) =>
    visit(id, day, [{ system: 'electrical', code: id.toUpperCase() }], { hours, ...extra });

  it('warns at 25 and at 30 days, and alerts at the 31st', () => {
    const first = daysVisit('ro_a', 70, 20 * 24);
    const at25 = evaluate(CN_2022, fold(first, daysVisit('ro_b', 100, 5 * 24)));
    const at30 = evaluate(CN_2022, fold(first, daysVisit('ro_b', 100, 10 * 24)));
    const at31 = evaluate(CN_2022, fold(first, daysVisit('ro_b', 100, 10 * 24 + 1)));
    const at24 = evaluate(CN_2022, fold(first, daysVisit('ro_b', 100, 4 * 24)));

    expect(findingOf(at24, 'repair_days')).toEqual([]);
    expect(findingOf(at25, 'repair_days')[0]).toMatchObject({
      level: 'warning',
      value: 25,
      threshold: 31,
      left: { count: 6, unit: 'days' },
      repairOrderIds: ['ro_a', 'ro_b'],
    });
    expect(findingOf(at30, 'repair_days')[0]).toMatchObject({
      level: 'warning',
      value: 30,
      left: { count: 1 },
    });
    expect(findingOf(at31, 'repair_days')[0]).toMatchObject({
      level: 'alert',
      value: 31,
      left: { count: 0 },
    });
    expect(at31.level).toBe('alert');
  });

  it('counts a 23-hour repair as one day', () => {
    const status = evaluate(CN_2022, fold(daysVisit('ro_a', 70, 24 * 24), daysVisit('ro_b', 120, 23)));
    expect(findingOf(status, 'repair_days')[0]).toMatchObject({ level: 'warning', value: 25 });
  });

  it('leaves out the days waiting for excluded parts, and battery shipping only under CN-2022', () => {
    const waiting = daysVisit('ro_a', 70, 31 * 24, { excludedWaitDays: 4, batteryShippingDays: 2 });
    expect(findingOf(evaluate(CN_2022, fold(waiting)), 'repair_days')[0]).toMatchObject({
      level: 'warning',
      value: 25,
    });
    // CN-2013 counts the battery's shipping: 29 days, under its warning (30).
    expect(findingOf(evaluate(CN_2013, fold(waiting)), 'repair_days')).toEqual([]);
    const without = daysVisit('ro_a', 70, 31 * 24);
    expect(findingOf(evaluate(CN_2022, fold(without)), 'repair_days')[0]).toMatchObject({ level: 'alert' });
  });

  it('adds the days so far of the order open now, and tells when one repair passes 5 days', () => {
    const past = daysVisit('ro_a', 70, 7 * 24);
    const openSigned = on(150);
    const openOn = (days: number) =>
      evaluateLemon(CN_2022, { startDate: START }, fold(past), {
        asOf: plus(openSigned, days * 24),
        odometerKm: 9_000,
        timeZone: TZ,
        openRepair: { repairOrderId: 'ro_open', signedAt: openSigned },
      });

    const day5 = openOn(5);
    const day6 = openOn(5.5);

    expect(findingOf(day5, 'long_repair')).toEqual([
      expect.objectContaining({ level: 'notice', repairOrderIds: ['ro_a'], value: 7 }),
      expect.objectContaining({
        level: 'warning',
        repairOrderIds: ['ro_open'],
        value: 5,
        left: { count: 1, unit: 'days' },
      }),
    ]);
    expect(findingOf(day6, 'long_repair')[1]).toMatchObject({
      level: 'alert',
      value: 6,
      remedy: 'loaner_or_compensation',
    });
    expect(findingOf(day6, 'repair_days')).toEqual([]); // 7 + 6 = 13 days
  });

  it('raises nothing for a past long repair alone: the notice does not make a warning', () => {
    const status = evaluate(CN_2022, fold(daysVisit('ro_a', 70, 7 * 24)));
    expect(findingOf(status, 'long_repair')).toHaveLength(1);
    expect(status.level).toBe('none');
  });
});

describe('the early windows', () => {
  const gearbox: WarrantyProblemInput = {
    system: 'transmission',
    code: 'T0700',
    mainPartsReplaced: [{ system: 'transmission', part: 'valve body' }],
  };

  it('gives exchange or refund for an assembly problem on day 7, not on day 8 (CN-2022)', () => {
    const day7 = evaluate(CN_2022, fold(visit('ro_7', 7, [gearbox], { km: 300 })), 30, 1_000);
    const day8 = evaluate(CN_2022, fold(visit('ro_8', 8, [gearbox], { km: 300 })), 30, 1_000);
    expect(findingOf(day7, 'early_assembly_problem')).toEqual([
      expect.objectContaining({ level: 'alert', repairOrderIds: ['ro_7'], remedy: 'exchange_or_refund' }),
    ]);
    expect(findingOf(day8, 'early_assembly_problem')).toEqual([]);
    // Both are inside 60 days / 3,000 km: the main part's failure gives a free transmission either way.
    expect(findingOf(day8, 'early_main_part_failure')[0]).toMatchObject({
      remedy: 'free_assembly_replacement',
    });
    // CN-2013 has no 7-day rule.
    expect(findingOf(evaluate(CN_2013, fold(visit('ro_7', 7, [gearbox]))), 'early_assembly_problem')).toEqual(
      [],
    );
  });

  it('counts a main part failure on day 60 at 3,000 km, not on day 61 nor at 3,001 km', () => {
    const edge = evaluate(CN_2022, fold(visit('ro_a', 60, [gearbox], { km: 3_000 })), 100, 5_000);
    const late = evaluate(CN_2022, fold(visit('ro_a', 61, [gearbox], { km: 100 })), 100, 5_000);
    const far = evaluate(CN_2022, fold(visit('ro_a', 20, [gearbox], { km: 3_001 })), 100, 5_000);
    expect(findingOf(edge, 'early_main_part_failure')).toHaveLength(1);
    expect(findingOf(late, 'early_main_part_failure')).toEqual([]);
    expect(findingOf(far, 'early_main_part_failure')).toEqual([]);
  });

  it('counts the distance from the odometer at the start', () => {
    const used = evaluateLemon(
      CN_2022,
      { startDate: START, startOdometerKm: 50 },
      fold(visit('ro_a', 20, [gearbox], { km: 3_050 })),
      { asOf: on(100), odometerKm: 5_000, timeZone: TZ },
    );
    expect(findingOf(used, 'early_main_part_failure')).toHaveLength(1);
  });

  it('gives exchange or refund for a power-battery fire in 60 days under CN-2022 only', () => {
    const fire = visit('ro_a', 30, [{ system: 'power_battery', code: 'FIRE', seriousSafety: true }]);
    expect(findingOf(evaluate(CN_2022, fold(fire)), 'early_serious_failure')[0]).toMatchObject({
      level: 'alert',
      remedy: 'exchange_or_refund',
    });
    expect(findingOf(evaluate(CN_2013, fold(fire)), 'early_serious_failure')).toEqual([]);
    const brakes = visit('ro_b', 30, [{ system: 'brakes', code: 'LOSS', seriousSafety: true }]);
    expect(findingOf(evaluate(CN_2013, fold(brakes)), 'early_serious_failure')).toHaveLength(1);
  });
});

describe('serious safety faults', () => {
  const steering = { system: 'steering', code: 'S1', seriousSafety: true } as const;
  const brakes = { system: 'brakes', code: 'B9', seriousSafety: true } as const;

  it('warns at the second repair of any serious fault and alerts when one comes back after it (CN)', () => {
    const one = evaluate(CN_2022, fold(visit('ro_1', 80, [steering])));
    const two = evaluate(CN_2022, fold(visit('ro_1', 80, [steering]), visit('ro_2', 90, [steering])));
    const newFault = evaluate(
      CN_2022,
      fold(visit('ro_1', 80, [steering]), visit('ro_2', 90, [steering]), visit('ro_3', 100, [brakes])),
    );
    expect(findingOf(one, 'serious_safety')).toEqual([]);
    expect(findingOf(two, 'serious_safety')[0]).toMatchObject({
      level: 'warning',
      value: 2,
      left: { count: 1 },
      repairOrderIds: ['ro_1', 'ro_2'],
    });
    expect(findingOf(newFault, 'serious_safety')[0]).toMatchObject({ level: 'alert', value: 3 });
  });

  it('alerts at the second repair of the same serious defect in California', () => {
    const ca = LEMON_RULESETS['US-CA'];
    const vehicle = { startDate: START };
    const at = { asOf: on(200), odometerKm: 5_000, timeZone: TZ };
    const one = evaluateLemon(ca, vehicle, fold(visit('ro_1', 80, [steering])), at);
    const two = evaluateLemon(
      ca,
      vehicle,
      fold(visit('ro_1', 80, [steering]), visit('ro_2', 90, [steering])),
      at,
    );
    const apart = evaluateLemon(
      ca,
      vehicle,
      fold(visit('ro_1', 80, [steering]), visit('ro_2', 90, [brakes])),
      at,
    );
    expect(findingOf(one, 'serious_safety')[0]).toMatchObject({ level: 'warning', subject: 'steering:S1' });
    expect(findingOf(two, 'serious_safety')[0]).toMatchObject({
      level: 'alert',
      remedy: 'replacement_or_repurchase',
    });
    expect(findingOf(apart, 'serious_safety').map((f) => f.level)).toEqual(['warning', 'warning']);
    expect(findingOf(one, 'serious_safety')).toHaveLength(1);
    // New York has no serious-safety presumption.
    expect(
      findingOf(
        evaluateLemon(
          LEMON_RULESETS['US-NY'],
          vehicle,
          fold(visit('ro_1', 80, [steering]), visit('ro_2', 90, [steering])),
          at,
        ),
        'serious_safety',
      ),
    ).toEqual([]);
  });
});

describe('replacements', () => {
  const engine = (code: string): WarrantyProblemInput => ({
    system: 'engine',
    code,
    assemblyReplaced: 'engine',
  });

  it('warns when the engine is replaced a second time and alerts when it fails after that', () => {
    const once = evaluate(CN_2022, fold(visit('ro_1', 80, [engine('E1')])));
    const twice = fold(visit('ro_1', 80, [engine('E1')]), visit('ro_2', 120, [engine('E2')]));
    const failsAgain = applyRepairVisit(twice, visit('ro_3', 150, [{ system: 'engine', code: 'E3' }]));

    expect(findingOf(once, 'assembly_replaced')).toEqual([]);
    expect(findingOf(evaluate(CN_2022, twice), 'assembly_replaced')).toEqual([
      expect.objectContaining({
        level: 'warning',
        subject: 'engine',
        value: 2,
        threshold: 2,
        unit: 'replacements',
        left: { count: 1, unit: 'repairs' },
        repairOrderIds: ['ro_1', 'ro_2'],
      }),
    ]);
    expect(findingOf(evaluate(CN_2022, failsAgain), 'assembly_replaced')[0]).toMatchObject({
      level: 'alert',
      left: { count: 0 },
      repairOrderIds: ['ro_1', 'ro_2', 'ro_3'],
    });
  });

  it('counts power batteries under CN-2022 and not under CN-2013', () => {
    const battery: WarrantyProblemInput = {
      system: 'power_battery',
      code: 'P1',
      assemblyReplaced: 'power_battery',
    };
    const twice = fold(visit('ro_1', 80, [battery]), visit('ro_2', 120, [battery]));
    expect(findingOf(evaluate(CN_2022, twice), 'assembly_replaced')).toHaveLength(1);
    expect(findingOf(evaluate(CN_2013, twice), 'assembly_replaced')).toEqual([]);
  });

  it('warns when the same main part is replaced twice, and alerts when its system fails again', () => {
    const gear = (code: string, part = '转向机'): WarrantyProblemInput => ({
      system: 'steering',
      code,
      mainPartsReplaced: [{ system: 'steering', part }],
    });
    const differentParts = fold(
      visit('ro_1', 80, [gear('S1')]),
      visit('ro_2', 120, [gear('S2', '转向拉杆')]),
    );
    const samePart = fold(visit('ro_1', 80, [gear('S1')]), visit('ro_2', 120, [gear('S2')]));
    const again = applyRepairVisit(samePart, visit('ro_3', 160, [{ system: 'steering', code: 'S3' }]));

    expect(findingOf(evaluate(CN_2022, differentParts), 'same_main_part_replaced')).toEqual([]);
    expect(findingOf(evaluate(CN_2022, samePart), 'same_main_part_replaced')[0]).toMatchObject({
      level: 'warning',
      subject: 'steering:转向机',
    });
    expect(findingOf(evaluate(CN_2022, again), 'same_main_part_replaced')[0]).toMatchObject({
      level: 'alert',
    });
  });

  it('keeps to each ruleset’s main-part list (the drivetrain is on CN-2022’s, not CN-2013’s)', () => {
    const shaft: WarrantyProblemInput = {
      system: 'drivetrain',
      code: 'D1',
      mainPartsReplaced: [{ system: 'drivetrain', part: 'half shaft' }],
    };
    const twice = fold(visit('ro_1', 80, [shaft]), visit('ro_2', 120, [shaft]));
    expect(findingOf(evaluate(CN_2022, twice), 'same_main_part_replaced')).toHaveLength(1);
    expect(findingOf(evaluate(CN_2013, twice), 'same_main_part_replaced')).toEqual([]);
  });
});

describe('the validity period', () => {
  const four = repeated(4);

  it('ends on the start date two years later, and at 50,000 km, whichever comes first', () => {
    const counters = fold(...four);
    const vehicle = { startDate: START };
    const lastDay = evaluateLemon(CN_2022, vehicle, counters, {
      asOf: zonedInstant('2028-01-10', '23:59', TZ).toISOString(),
      odometerKm: 50_000,
      timeZone: TZ,
    });
    const dayAfter = evaluateLemon(CN_2022, vehicle, counters, {
      asOf: zonedInstant('2028-01-11', '00:00', TZ).toISOString(),
      odometerKm: 20_000,
      timeZone: TZ,
    });
    const kmAfter = evaluateLemon(CN_2022, vehicle, counters, {
      asOf: on(300),
      odometerKm: 50_001,
      timeZone: TZ,
    });

    expect(lastDay.validity).toEqual({ inside: true, endsOn: '2028-01-10', endsAtKm: 50_000 });
    expect(lastDay.level).toBe('warning');
    expect(dayAfter).toEqual({
      rulesetId: 'CN-2022',
      validity: { inside: false, endsOn: '2028-01-10', endsAtKm: 50_000, endedBy: 'time' },
      level: 'none',
      findings: [],
    });
    expect(kmAfter.validity).toMatchObject({ inside: false, endedBy: 'distance' });
    expect(kmAfter.findings).toEqual([]);
  });

  it('converts US miles with the exact mile: California’s 18,000 mi end at 28,968 km, after 18 months', () => {
    const ca = LEMON_RULESETS['US-CA'];
    const vehicle = { startDate: START };
    expect(Math.floor(18_000 * KM_PER_MILE)).toBe(28_968);
    const inside = evaluateLemon(ca, vehicle, EMPTY_LEMON_COUNTERS, {
      asOf: on(300),
      odometerKm: 28_968,
      timeZone: TZ,
    });
    const beyond = evaluateLemon(ca, vehicle, EMPTY_LEMON_COUNTERS, {
      asOf: on(300),
      odometerKm: 28_969,
      timeZone: TZ,
    });
    expect(inside.validity).toEqual({ inside: true, endsOn: '2027-07-10', endsAtKm: 28_968 });
    expect(beyond.validity.endedBy).toBe('distance');
  });

  it('ends Texas’s window at the warranty’s end when that comes first', () => {
    const tx = LEMON_RULESETS['US-TX'];
    const status = evaluateLemon(
      tx,
      { startDate: START, warrantyEndsOn: '2027-01-10' },
      EMPTY_LEMON_COUNTERS,
      {
        asOf: zonedInstant('2027-01-11', '09:00', TZ).toISOString(),
        odometerKm: 10_000,
        timeZone: TZ,
      },
    );
    expect(status.validity).toMatchObject({ inside: false, endsOn: '2027-01-10', endedBy: 'time' });
  });
});

describe('US days out of service', () => {
  it('leaves out loaner days in Texas, not in New York', () => {
    const stay = visit('ro_1', 80, [{ system: 'electrical', code: 'X' }], { hours: 34 * 24, loanerDays: 5 });
    const vehicle = { startDate: START };
    const at = { asOf: on(200), odometerKm: 10_000, timeZone: TZ };
    expect(
      findingOf(evaluateLemon(LEMON_RULESETS['US-TX'], vehicle, fold(stay), at), 'repair_days')[0],
    ).toMatchObject({
      level: 'warning',
      value: 29,
      threshold: 30,
    });
    expect(
      findingOf(evaluateLemon(LEMON_RULESETS['US-NY'], vehicle, fold(stay), at), 'repair_days')[0],
    ).toMatchObject({
      level: 'alert',
      value: 34,
    });
  });

  it('alerts at the 4th repair of the same defect in California', () => {
    const ca = LEMON_RULESETS['US-CA'];
    const status = evaluateLemon(ca, { startDate: START }, fold(...repeated(4)), {
      asOf: on(200),
      odometerKm: 10_000,
      timeZone: TZ,
    });
    expect(findingOf(status, 'same_problem')[0]).toMatchObject({ level: 'alert', threshold: 4 });
  });
});

describe('applyRepairVisit', () => {
  it('changes nothing when the same order arrives again', () => {
    const [first] = repeated(1);
    const once = fold(first!);
    expect(applyRepairVisit(once, first!)).toBe(once);
    expect(applyRepairVisit(once, RepairVisit.parse({ ...first! }))).toBe(once);
  });

  it('replaces an order’s contribution when its facts change, and drops it when no warranty problem is left', () => {
    const [first] = repeated(1);
    const once = fold(first!);
    const recoded = applyRepairVisit(once, {
      ...first!,
      problems: [{ ...first!.problems[0]!, code: 'B7777' }],
    });
    expect(recoded.visits).toHaveLength(1);
    expect(recoded.visits[0]!.problems[0]!.code).toBe('B7777');
    expect(applyRepairVisit(recoded, { ...first!, problems: [] }).visits).toEqual([]);
    expect(applyRepairVisit(EMPTY_LEMON_COUNTERS, { ...first!, problems: [] })).toBe(EMPTY_LEMON_COUNTERS);
  });

  it('ends in the same counters whatever order the visits arrive in, and again when all arrive twice', () => {
    // Prepare: a fixed pseudo-random walk over arrival orders (the same cases every run)
    const visits = [
      ...repeated(4),
      visit('ro_e', 75, [{ system: 'engine', code: 'E1', assemblyReplaced: 'engine' }], { hours: 50 }),
      visit('ro_f', 90, [{ system: 'body', code: 'W1' }], { excludedWaitDays: 1, hours: 72 }),
    ];
    const inOrder = fold(...visits);
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    for (let run = 0; run < 50; run++) {
      const shuffled = [...visits];
      for (let i = shuffled.length - 1; i > 0; i--) {
        const j = random(i + 1);
        [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
      }

      // Act
      const folded = fold(...shuffled);
      const twice = shuffled.reduce(applyRepairVisit, folded);

      // Assess
      expect(folded).toEqual(inOrder);
      expect(twice).toBe(folded);
    }
  });

  it('keeps visits oldest first whatever order they arrive in', () => {
    const [a, b, c] = repeated(3);
    expect(fold(c!, a!, b!).visits.map((v) => v.repairOrderId)).toEqual(['ro_1', 'ro_2', 'ro_3']);
  });
});

describe('choosing the ruleset', () => {
  it('takes CN-2022 for Chinese sales from 2022, CN-2013 before, the state’s own in the US, none in the EU', () => {
    expect(rulesetFor('CN', '2022-01-01')?.id).toBe('CN-2022');
    expect(rulesetFor('CN', '2021-12-31')?.id).toBe('CN-2013');
    expect(rulesetFor('CN', '2012-05-01')?.id).toBe('CN-2013');
    expect(rulesetFor('US-CA', '2026-03-01')?.id).toBe('US-CA');
    expect(rulesetFor('US-NY', '2026-03-01')?.id).toBe('US-NY');
    expect(rulesetFor('US-TX', '2026-03-01')?.id).toBe('US-TX');
    expect(rulesetFor('EU', '2026-03-01')).toBeUndefined();
  });

  it('starts CN-2022 at delivery where it differs from the invoice, CN-2013 at the invoice', () => {
    const dates = { invoiceDate: '2026-01-05', deliveryDate: '2026-01-10' };
    expect(lemonStartDate(CN_2022, dates)).toBe('2026-01-10');
    expect(lemonStartDate(CN_2013, dates)).toBe('2026-01-05');
    expect(lemonStartDate(LEMON_RULESETS['US-TX'], { invoiceDate: '2026-01-05' })).toBe('2026-01-05');
  });

  it('ends a period on the same day months later, or on the last day of a shorter month', () => {
    const endsOn = (startDate: string, ruleset: LemonRuleset) =>
      evaluateLemon(ruleset, { startDate }, EMPTY_LEMON_COUNTERS, {
        asOf: zonedInstant(startDate, '12:00', TZ).toISOString(),
        odometerKm: 0,
        timeZone: TZ,
      }).validity.endsOn;
    expect(endsOn('2024-02-29', CN_2022)).toBe('2026-02-28');
    expect(endsOn('2026-08-31', LEMON_RULESETS['US-CA'])).toBe('2028-02-29');
    expect(endsOn('2026-11-15', LEMON_RULESETS['US-CA'])).toBe('2028-05-15');
  });
});
