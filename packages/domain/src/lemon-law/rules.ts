import { addDays, addMonths, wallClock } from '../platform/local-time.ts';
import {
  type CountedVisit,
  type FindingLevel,
  LEMON_MAX_VISITS,
  type LemonCounters,
  type LemonFinding,
  type LemonLevel,
  type LemonRule,
  type LemonStatus,
  type LemonUnit,
  type RepairVisit,
  type WarrantyProblem,
} from './model.ts';
import {
  type CountThreshold,
  KM_PER_MILE,
  LEMON_REMEDY_LABELS,
  LEMON_RULE_LABELS,
  type LemonRuleset,
} from './rulesets.ts';

const DAY_MS = 86_400_000;

/**
 * Repair days of one visit, from the RO's signing to the pick-up notice: every started 24-hour period is
 * a day, so under 24 h (even a few minutes) is 1 day, exactly 24 h is 1 and 24 h plus a second is 2.
 * The statute counts "under 24 h as 1 day"; counting started periods extends that to every later day.
 */
export function grossRepairDays(signedAt: string, until: string): number {
  const elapsed = Date.parse(until) - Date.parse(signedAt);
  return Math.max(1, Math.ceil(elapsed / DAY_MS));
}

/**
 * The days a visit counts under a ruleset: its gross days less the waits for excluded parts, never below
 * 1 (the repair itself took part of a day); under US-TX then less the days with a loaner, down to 0 (a
 * loaner for the whole stay leaves the buyer never out of service).
 */
export function countedRepairDays(ruleset: LemonRuleset, visit: CountedVisit): number {
  const excluded =
    visit.excludedWaitDays + (ruleset.repairDays.excludesBatteryShipping ? visit.batteryShippingDays : 0);
  const repairing = Math.max(1, visit.grossDays - excluded);
  return ruleset.repairDays.excludesLoanerDays ? Math.max(0, repairing - visit.loanerDays) : repairing;
}

function sameFacts(a: CountedVisit, b: CountedVisit): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Folds one delivered repair order into its vehicle's counters. Idempotent per repair order: a visit
 * already counted changes nothing (the same object comes back); the same order with other facts (a line
 * re-coded, a part added) replaces its own contribution; one with no warranty problem left takes it out.
 */
export function applyRepairVisit(counters: LemonCounters, visit: RepairVisit): LemonCounters {
  const others = counters.visits.filter((v) => v.repairOrderId !== visit.repairOrderId);
  const counted: CountedVisit = {
    ...visit,
    grossDays: grossRepairDays(visit.signedAt, visit.pickupNoticeAt),
  };
  const before = counters.visits.find((v) => v.repairOrderId === visit.repairOrderId);
  if (visit.problems.length === 0) {
    return before ? { ...counters, visits: others } : counters;
  }
  if (before && sameFacts(before, counted)) return counters;
  const visits = [...others, counted].sort(
    (a, b) => a.signedAt.localeCompare(b.signedAt) || a.repairOrderId.localeCompare(b.repairOrderId),
  );
  const dropped = Math.max(0, visits.length - LEMON_MAX_VISITS);
  return { visits: visits.slice(dropped), droppedVisits: counters.droppedVisits + dropped };
}

// ——— Evaluation ————————————————————————————————————————————————————————————————————————————

/** The kilometres a distance in the ruleset's unit is, whole km (a reading at or below it is inside). */
function kmOf(distance: number, unit: 'km' | 'mi'): number {
  return unit === 'km' ? distance : Math.floor(distance * KM_PER_MILE);
}

export interface LemonVehicle {
  /** The day the period starts (`lemonStartDate`), ISO date. */
  startDate: string;
  /** The odometer at the start (0 when unknown: a new car). */
  startOdometerKm?: number;
  /** Where the ruleset caps the window by the warranty (US-TX): the warranty's last day. */
  warrantyEndsOn?: string;
}

export interface LemonAsOf {
  asOf: string;
  odometerKm: number;
  /** The store's zone: the statutes count calendar days where the store is. */
  timeZone: string;
  /** The order open now, if the car is in the shop: its days so far count, and may already be long. */
  openRepair?: { repairOrderId: string; signedAt: string };
}

const problemKey = (p: WarrantyProblem) => `${p.system}:${p.code}`;

/** A finding before its labels: `left` in repairs, or in days for a count of days. */
type FindingDraft = Omit<LemonFinding, 'rule' | 'label' | 'remedyLabel' | 'left'> & {
  left: number;
  leftUnit?: 'repairs' | 'days';
};

const LEVEL_RANK: Record<LemonLevel, number> = { none: 0, warning: 1, alert: 2 };

/**
 * Weighs a vehicle's counters against its ruleset on a day. Periods count in calendar days of the
 * store's zone and, as Chinese law counts them (民法典 §201), from the day after the start: day 7 is the
 * start date plus 7, and a 24-month period ends on the start's date 24 months later (the US windows
 * are reckoned the same way). A distance is inside up to and including its figure ("50,000 km" covers
 * the 50,000th km).
 */
export function evaluateLemon(
  ruleset: LemonRuleset,
  vehicle: LemonVehicle,
  counters: LemonCounters,
  at: LemonAsOf,
): LemonStatus {
  const startKm = vehicle.startOdometerKm ?? 0;
  const localDate = (instant: string) => wallClock(instant, at.timeZone).date;
  let endsOn = addMonths(vehicle.startDate, ruleset.validity.months);
  if (ruleset.validity.cappedByWarranty && vehicle.warrantyEndsOn && vehicle.warrantyEndsOn < endsOn) {
    endsOn = vehicle.warrantyEndsOn;
  }
  const endsAtKm = startKm + kmOf(ruleset.validity.distance, ruleset.validity.unit);
  const today = localDate(at.asOf);
  const endedBy: LemonStatus['validity']['endedBy'] =
    today > endsOn ? 'time' : at.odometerKm > endsAtKm ? 'distance' : undefined;
  const validity = { inside: endedBy === undefined, endsOn, endsAtKm, ...(endedBy ? { endedBy } : {}) };
  if (endedBy) return { rulesetId: ruleset.id, validity, level: 'none', findings: [] };

  // What counts: visits inside the period (by their day and their odometer) and not after `asOf`.
  const visits = counters.visits.filter((v) => {
    const day = localDate(v.signedAt);
    return day >= vehicle.startDate && day <= endsOn && v.odometerKm <= endsAtKm && v.signedAt <= at.asOf;
  });
  const findings: LemonFinding[] = [];
  const finding = (rule: LemonRule, f: FindingDraft) => {
    const { left, leftUnit, ...rest } = f;
    findings.push({
      rule,
      label: LEMON_RULE_LABELS[rule],
      ...rest,
      left: { count: left, unit: leftUnit ?? (f.unit === 'days' ? 'days' : 'repairs') },
      remedyLabel: LEMON_REMEDY_LABELS[f.remedy],
    });
  };
  /** A count weighed against its threshold, or nothing below the warning. */
  const counted = (
    rule: LemonRule,
    threshold: CountThreshold,
    repairOrderIds: string[],
    value: number,
    unit: LemonUnit,
    subject?: string,
  ) => {
    if (value < threshold.warnAt) return;
    finding(rule, {
      level: value >= threshold.alertAt ? 'alert' : 'warning',
      ...(subject ? { subject } : {}),
      repairOrderIds,
      value,
      threshold: threshold.alertAt,
      unit,
      left: Math.max(0, threshold.alertAt - value),
      remedy: threshold.remedy,
    });
  };

  // 同一质量问题: visits fixing the same problem (a visit counts once however many lines it has for it).
  for (const [key, ros] of groupVisits(visits, (v) => v.problems.map(problemKey))) {
    counted('same_problem', ruleset.sameProblem, ros, ros.length, 'repairs', key);
  }

  // 严重安全性能故障: every serious fault (CN, "not fixed or a new one") or per problem (US).
  const serious = ruleset.seriousSafety;
  if (serious) {
    const seriousKeys = (v: CountedVisit) =>
      v.problems
        .filter((p) => p.seriousSafety)
        .map((p) => (serious.scope === 'every_fault' ? 'every_fault' : problemKey(p)));
    for (const [key, ros] of groupVisits(visits, seriousKeys)) {
      counted('serious_safety', serious, ros, ros.length, 'repairs', key === 'every_fault' ? undefined : key);
    }
  }

  // 累计修理时间, the order open now included.
  const days = visits.map((v) => ({ id: v.repairOrderId, days: countedRepairDays(ruleset, v) }));
  const open = at.openRepair;
  const openDays = open ? grossRepairDays(open.signedAt, at.asOf) : 0;
  if (open && !days.some((d) => d.id === open.repairOrderId))
    days.push({ id: open.repairOrderId, days: openDays });
  const totalDays = days.reduce((n, d) => n + d.days, 0);
  counted(
    'repair_days',
    ruleset.repairDays,
    days.filter((d) => d.days > 0).map((d) => d.id),
    totalDays,
    'days',
  );

  // 总成 / 同一主要零件 replaced twice: the second replacement warns, a failure after it alerts.
  const assemblies = ruleset.assemblyReplaced;
  if (assemblies) {
    for (const assembly of assemblies.assemblies) {
      replacedTwice('assembly_replaced', assembly, assemblies.times, assemblies.remedy, visits, finding, {
        replaces: (p) => p.assemblyReplaced === assembly,
        failsAgain: (p) => p.system === assembly,
      });
    }
  }
  const mainParts = ruleset.sameMainPartReplaced;
  if (mainParts) {
    const parts = new Set(
      visits.flatMap((v) =>
        v.problems.flatMap((p) =>
          p.mainPartsReplaced
            .filter((m) => mainParts.systems.includes(m.system))
            .map((m) => `${m.system}:${m.part}`),
        ),
      ),
    );
    for (const part of parts) {
      const system = part.slice(0, part.indexOf(':'));
      replacedTwice('same_main_part_replaced', part, mainParts.times, mainParts.remedy, visits, finding, {
        replaces: (p) => p.mainPartsReplaced.some((m) => `${m.system}:${m.part}` === part),
        failsAgain: (p) => p.system === system || p.mainPartsReplaced.some((m) => m.system === system),
      });
    }
  }

  // The early windows: day N is the start date plus N; the distance is driven since the start.
  const within = (v: CountedVisit, window: { days: number; km?: number }) =>
    localDate(v.signedAt) <= addDays(vehicle.startDate, window.days) &&
    (window.km === undefined || v.odometerKm - startKm <= window.km);
  const met = (rule: LemonRule, ros: string[], threshold: number, remedy: LemonFinding['remedy']) => {
    if (ros.length === 0) return;
    finding(rule, {
      level: 'alert',
      repairOrderIds: ros,
      value: ros.length,
      threshold,
      unit: 'repairs',
      left: 0,
      remedy,
    });
  };
  const early = ruleset.earlyAssemblyProblem;
  if (early) {
    const hits = visits.filter(
      (v) =>
        within(v, early) &&
        v.problems.some(
          (p) =>
            (p.assemblyReplaced && early.assemblies.includes(p.assemblyReplaced)) ||
            p.mainPartsReplaced.some((m) => (early.assemblies as readonly string[]).includes(m.system)),
        ),
    );
    met('early_assembly_problem', ids(hits), 1, early.remedy);
  }
  const earlyPart = ruleset.earlyMainPartFailure;
  if (earlyPart) {
    const hits = visits.filter(
      (v) =>
        within(v, earlyPart) &&
        v.problems.some((p) =>
          p.mainPartsReplaced.some((m) => (earlyPart.assemblies as readonly string[]).includes(m.system)),
        ),
    );
    met('early_main_part_failure', ids(hits), 1, earlyPart.remedy);
  }
  const earlySerious = ruleset.earlySeriousFailure;
  if (earlySerious) {
    const hits = visits.filter(
      (v) =>
        within(v, earlySerious) &&
        v.problems.some((p) => p.seriousSafety && earlySerious.systems.includes(p.system)),
    );
    met('early_serious_failure', ids(hits), 1, earlySerious.remedy);
  }

  // 单次修理超过5日: the open order warns on its last day before it and alerts after; past ones are notices.
  const long = ruleset.longRepair;
  if (long) {
    const past = days.filter((d) => d.id !== open?.repairOrderId && d.days > long.days);
    if (past.length > 0) {
      finding('long_repair', {
        level: 'notice',
        repairOrderIds: past.map((d) => d.id),
        value: Math.max(...past.map((d) => d.days)),
        threshold: long.days + 1,
        unit: 'days',
        left: 0,
        remedy: long.remedy,
      });
    }
    if (open && openDays >= long.days) {
      finding('long_repair', {
        level: openDays > long.days ? 'alert' : 'warning',
        repairOrderIds: [open.repairOrderId],
        value: openDays,
        threshold: long.days + 1,
        unit: 'days',
        left: Math.max(0, long.days + 1 - openDays),
        remedy: long.remedy,
      });
    }
  }

  const level = findings.reduce<LemonLevel>((worst, f) => {
    const l = levelOf(f.level);
    return LEVEL_RANK[l] > LEVEL_RANK[worst] ? l : worst;
  }, 'none');
  return { rulesetId: ruleset.id, validity, level, findings };
}

function levelOf(level: FindingLevel): LemonLevel {
  return level === 'notice' ? 'none' : level;
}

const ids = (visits: readonly CountedVisit[]) => visits.map((v) => v.repairOrderId);

/** The repair orders per key, oldest first, each order once per key. */
function groupVisits(
  visits: readonly CountedVisit[],
  keysOf: (v: CountedVisit) => string[],
): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const v of visits) {
    for (const key of new Set(keysOf(v))) groups.set(key, [...(groups.get(key) ?? []), v.repairOrderId]);
  }
  return groups;
}

/**
 * "Replaced `times` times and still faulty": a warning once the count of visits replacing it reaches
 * `times`, an alert when a later visit finds it (or its system) failing again.
 */
function replacedTwice(
  rule: LemonRule,
  subject: string,
  times: number,
  remedy: LemonFinding['remedy'],
  visits: readonly CountedVisit[],
  finding: (rule: LemonRule, f: FindingDraft) => void,
  match: { replaces: (p: WarrantyProblem) => boolean; failsAgain: (p: WarrantyProblem) => boolean },
): void {
  const replacing = visits.filter((v) => v.problems.some(match.replaces));
  if (replacing.length < times) return;
  const last = replacing[times - 1]!;
  const after = visits.slice(visits.indexOf(last) + 1).filter((v) => v.problems.some(match.failsAgain));
  finding(rule, {
    level: after.length > 0 ? 'alert' : 'warning',
    subject,
    repairOrderIds: ids([...replacing.slice(0, times), ...after]),
    value: replacing.length,
    threshold: times,
    unit: 'replacements',
    left: after.length > 0 ? 0 : 1,
    leftUnit: 'repairs',
    remedy,
  });
}
