import type { Jurisdiction } from '../platform/tenancy.ts';
import {
  EMPTY_LEMON_COUNTERS,
  type LemonFinding,
  type LemonRecord,
  type LemonStatus,
  type LemonUnavailable,
  type LemonVehicleStatus,
  type LemonVehicleSummary,
  type LemonWatchItem,
  type RepairVisit,
} from './model.ts';
import { applyRepairVisit, evaluateLemon } from './rules.ts';
import { LEMON_RULESETS, type LemonRuleset, lemonStartDate, rulesetFor } from './rulesets.ts';

/** The store as the 三包 rules need it: where it is (the ruleset) and its zone (its calendar days). */
export interface LemonStore {
  jurisdiction: Jurisdiction;
  timeZone: string;
}

/** The vehicle as the registry keeps it: what the list shows and the dates the period starts from. */
export interface LemonVehicleFacts extends LemonVehicleSummary {
  id: string;
  invoiceDate?: string | undefined;
  deliveryDate?: string | undefined;
  lastOdometerKm?: number | undefined;
}

const RANK: Record<LemonFinding['level'], number> = { notice: 0, warning: 1, alert: 2 };

/** The finding a list shows first: the highest level, then the fewest repairs or days left. */
export function topFinding(findings: readonly LemonFinding[]): LemonFinding | undefined {
  return findings
    .filter((f) => f.level !== 'notice')
    .sort((a, b) => RANK[b.level] - RANK[a.level] || a.left.count - b.left.count)[0];
}

/**
 * The ruleset and the period's start for a vehicle sold in a store: the sale date is the invoice date,
 * else the delivery date (the registry's two dates); the ruleset the one in force that day.
 */
export function lemonBasis(
  store: LemonStore,
  vehicle: Pick<LemonVehicleFacts, 'invoiceDate' | 'deliveryDate'>,
): { ruleset: LemonRuleset; startDate: string } | { unavailable: LemonUnavailable } {
  const saleDate = vehicle.invoiceDate ?? vehicle.deliveryDate;
  // Without a sale date, the newest ruleset only tells whether the store has a ruleset at all.
  const ruleset = rulesetFor(store.jurisdiction, saleDate ?? '9999-12-31');
  if (!ruleset) return { unavailable: 'no_ruleset' };
  if (!saleDate) return { unavailable: 'no_sale_date' };
  const startDate = lemonStartDate(ruleset, vehicle);
  return startDate ? { ruleset, startDate } : { unavailable: 'no_sale_date' };
}

const summaryOf = (v: LemonVehicleFacts): LemonVehicleSummary => ({
  vin: v.vin,
  ...(v.plate ? { plate: v.plate } : {}),
  brand: v.brand,
  model: v.model,
});

export interface LemonVisitCommand {
  store: LemonStore;
  vehicle: LemonVehicleFacts;
  visit: RepairVisit;
  /** The reading the evaluation weighs the distance by (the latest known). */
  odometerKm: number;
  at: string;
}

/**
 * 计入一次维修: a delivered order's visit folded into its vehicle's record and the record re-weighed.
 * Nothing (undefined) when the visit changes no count: a redelivered event, or an order with no coded
 * warranty problem on a vehicle without a record. Otherwise the next record, version one up (1 for a
 * new one); the store writes it only if the stored version is still the one read.
 */
export function decideLemonVisit(
  current: LemonRecord | undefined,
  command: LemonVisitCommand,
): LemonRecord | undefined {
  const before = current?.counters ?? EMPTY_LEMON_COUNTERS;
  const counters = applyRepairVisit(before, command.visit);
  if (counters === before) return undefined;
  const basis = lemonBasis(command.store, command.vehicle);
  const status =
    'ruleset' in basis
      ? evaluateLemon(basis.ruleset, { startDate: basis.startDate }, counters, {
          asOf: command.at,
          odometerKm: command.odometerKm,
          timeZone: command.store.timeZone,
        })
      : undefined;
  const top = status ? topFinding(status.findings) : undefined;
  return {
    id: command.vehicle.id,
    vehicle: summaryOf(command.vehicle),
    ...('ruleset' in basis ? { rulesetId: basis.ruleset.id, startDate: basis.startDate } : {}),
    timeZone: command.store.timeZone,
    counters,
    level: status?.level ?? 'none',
    ...(top ? { top } : {}),
    evaluatedAt: command.at,
    version: (current?.version ?? 0) + 1,
    createdAt: current?.createdAt ?? command.at,
    updatedAt: command.at,
  };
}

/** The status of a record's vehicle as of `asOf` (its ruleset and start as recorded, the reading given). */
function statusOf(
  record: Pick<LemonRecord, 'rulesetId' | 'startDate' | 'counters' | 'timeZone'>,
  at: { asOf: string; odometerKm: number; openRepair?: { repairOrderId: string; signedAt: string } },
): LemonStatus | undefined {
  if (!record.rulesetId || !record.startDate) return undefined;
  return evaluateLemon(LEMON_RULESETS[record.rulesetId], { startDate: record.startDate }, record.counters, {
    ...at,
    timeZone: record.timeZone,
  });
}

/**
 * A vehicle's 三包 status now: its counters (none yet: empty) weighed by its ruleset as of `asOf`, with
 * the order open now counting its days so far. The vehicle's dates are read afresh, so a sale date
 * entered after the last visit gives a status at once.
 */
export function lemonVehicleStatus(
  record: LemonRecord | undefined,
  input: {
    store: LemonStore;
    vehicle: LemonVehicleFacts;
    asOf: string;
    odometerKm: number;
    openRepair?: { repairOrderId: string; signedAt: string } | undefined;
  },
): LemonVehicleStatus {
  const counters = record?.counters ?? EMPTY_LEMON_COUNTERS;
  const basis = lemonBasis(input.store, input.vehicle);
  const status =
    'ruleset' in basis
      ? statusOf(
          {
            rulesetId: basis.ruleset.id,
            startDate: basis.startDate,
            counters,
            timeZone: input.store.timeZone,
          },
          {
            asOf: input.asOf,
            odometerKm: input.odometerKm,
            ...(input.openRepair ? { openRepair: input.openRepair } : {}),
          },
        )
      : undefined;
  return {
    vehicleId: input.vehicle.id,
    vehicle: summaryOf(input.vehicle),
    asOf: input.asOf,
    ...('ruleset' in basis ? { startDate: basis.startDate } : {}),
    ...(status ? { status } : {}),
    ...('unavailable' in basis ? { unavailable: basis.unavailable } : {}),
    visits: counters.visits.map((v) => ({
      repairOrderId: v.repairOrderId,
      signedAt: v.signedAt,
      pickupNoticeAt: v.pickupNoticeAt,
      grossDays: v.grossDays,
      problems: v.problems.map((p) => ({ system: p.system, code: p.code, seriousSafety: p.seriousSafety })),
    })),
    ...(input.openRepair ? { openRepairOrderId: input.openRepair.repairOrderId } : {}),
  };
}

/**
 * A line of the 三包 list as of `asOf`: the record re-weighed today (a period may have run out since the
 * last visit), with the odometer as of that visit. The list is read from the records' index, which holds
 * each vehicle at the level its last visit gave.
 */
export function lemonWatchItem(record: LemonRecord, asOf: string): LemonWatchItem {
  const lastKm = record.counters.visits.reduce((km, v) => Math.max(km, v.odometerKm), 0);
  const status = statusOf(record, { asOf, odometerKm: lastKm });
  const top = status ? topFinding(status.findings) : undefined;
  return {
    vehicleId: record.id,
    vehicle: record.vehicle,
    ...(record.rulesetId ? { rulesetId: record.rulesetId } : {}),
    level: status?.level ?? 'none',
    ...(top ? { top } : {}),
    findings: status?.findings.filter((f) => f.level !== 'notice').length ?? 0,
    updatedAt: record.updatedAt,
    ...(status ? { validity: status.validity } : {}),
  };
}
