import * as z from 'zod';
import type { Jurisdiction } from '../platform/tenancy.ts';
import type { Assembly, FaultSystem, LemonLabel, LemonRemedy, LemonRule } from './model.ts';

/**
 * The statutes as data (RULES.md): a change of law is a new ruleset with its own id and effective date,
 * never an edit of one in force, so a vehicle sold under the old law keeps being weighed by it.
 *
 * How thresholds read. A statute states the event that gives the remedy ("> 4 times", "≥ 4 repairs").
 * `alertAt` is the count at which it is met (> 4 is met at the 5th repair, ≥ 4 at the 4th) and
 * `warnAt` the count one event before it (RULES.md: "the 4th repair of the same problem under CN-2022").
 * Days accrue a day at a time, so their warning comes a working week early instead (RULES.md: cumulative
 * days ≥ 25 against > 30), the same six days before every ruleset's alert.
 *
 * Two Chinese rules give the remedy only when the fault persists after a count: a serious safety fault
 * "repaired 2 times and not fixed, or a new one appears", and an assembly or the same main part
 * "replaced 2 times, still faulty". The second such repair (replacement) is therefore the warning and
 * the car coming back with a serious fault (a failure of that assembly or part) after it is the alert.
 */

export const LemonRulesetId = z.enum(['CN-2022', 'CN-2013', 'US-CA', 'US-NY', 'US-TX']);
export type LemonRulesetId = z.infer<typeof LemonRulesetId>;

/** 1 statute mile in km (exact, by the 1959 international yard): US windows are stated in miles. */
export const KM_PER_MILE = 1.609_344;

export interface CountThreshold {
  warnAt: number;
  alertAt: number;
  remedy: LemonRemedy;
}

export interface LemonRuleset {
  id: LemonRulesetId;
  name: LemonLabel;
  /** The statute and its revision. */
  version: string;
  /** In force for vehicles sold from this day (ISO date). */
  effectiveFrom: string;
  jurisdiction: Jurisdiction;
  /** 三包有效期 / the presumption's window, whichever is reached first; distance in its own unit. */
  validity: { months: number; distance: number; unit: 'km' | 'mi'; cappedByWarranty?: boolean };
  /**
   * Where the period starts: the invoice date (CN-2013), the invoice date or the delivery date where
   * they differ (CN-2022), delivery to the buyer (US). `lemonStartDate` applies it.
   */
  startBasis: 'invoice' | 'delivery_where_different' | 'delivery';
  sameProblem: CountThreshold;
  /** Per problem in the US; any serious safety fault counts towards the Chinese rule. */
  seriousSafety?: CountThreshold & { scope: 'every_fault' | 'same_problem' };
  repairDays: CountThreshold & {
    /** The power battery's shipping is excluded (CN-2022) besides anti-theft parts and the harness. */
    excludesBatteryShipping: boolean;
    /** Days with a comparable loaner are not out of service (US-TX). */
    excludesLoanerDays: boolean;
  };
  assemblyReplaced?: { assemblies: readonly Assembly[]; times: number; remedy: LemonRemedy };
  sameMainPartReplaced?: { systems: readonly FaultSystem[]; times: number; remedy: LemonRemedy };
  /** 7 days from the start: a problem needing an assembly or a main part of one replaced. */
  earlyAssemblyProblem?: { days: number; assemblies: readonly Assembly[]; remedy: LemonRemedy };
  /** 60 days / 3,000 km: a main part of an assembly fails. */
  earlyMainPartFailure?: { days: number; km: number; assemblies: readonly Assembly[]; remedy: LemonRemedy };
  /** 60 days / 3,000 km: a serious failure of these systems. */
  earlySeriousFailure?: { days: number; km: number; systems: readonly FaultSystem[]; remedy: LemonRemedy };
  /** One repair longer than `days`: a loaner or transport compensation (from the next day). */
  longRepair?: { days: number; remedy: LemonRemedy };
}

const CN_2013: LemonRuleset = {
  id: 'CN-2013',
  name: {
    en: 'China household-vehicle 三包 rules (2013)',
    'zh-CN': '家用汽车产品修理、更换、退货责任规定（2013）',
  },
  version: 'AQSIQ Order No. 150 (2012)',
  effectiveFrom: '2013-10-01',
  jurisdiction: 'CN',
  validity: { months: 24, distance: 50_000, unit: 'km' },
  startBasis: 'invoice',
  sameProblem: { warnAt: 5, alertAt: 6, remedy: 'exchange' },
  seriousSafety: { warnAt: 2, alertAt: 3, remedy: 'exchange_or_refund', scope: 'every_fault' },
  repairDays: {
    warnAt: 30,
    alertAt: 36,
    remedy: 'exchange',
    excludesBatteryShipping: false,
    excludesLoanerDays: false,
  },
  assemblyReplaced: { assemblies: ['engine', 'transmission'], times: 2, remedy: 'exchange_or_refund' },
  sameMainPartReplaced: {
    systems: ['steering', 'brakes', 'suspension', 'front_axle', 'rear_axle', 'body'],
    times: 2,
    remedy: 'exchange_or_refund',
  },
  earlyMainPartFailure: {
    days: 60,
    km: 3_000,
    assemblies: ['engine', 'transmission'],
    remedy: 'free_assembly_replacement',
  },
  earlySeriousFailure: {
    days: 60,
    km: 3_000,
    systems: ['steering', 'brakes', 'body', 'fuel_system'],
    remedy: 'exchange_or_refund',
  },
  longRepair: { days: 5, remedy: 'loaner_or_compensation' },
};

const CN_ASSEMBLIES = ['engine', 'transmission', 'power_battery', 'drive_motor'] as const;

const CN_2022: LemonRuleset = {
  id: 'CN-2022',
  name: {
    en: 'China household-vehicle 三包 rules (2022)',
    'zh-CN': '家用汽车产品修理更换退货责任规定（2022）',
  },
  version: 'SAMR Order No. 43 (2021)',
  effectiveFrom: '2022-01-01',
  jurisdiction: 'CN',
  validity: { months: 24, distance: 50_000, unit: 'km' },
  startBasis: 'delivery_where_different',
  sameProblem: { warnAt: 4, alertAt: 5, remedy: 'exchange_or_refund' },
  seriousSafety: { warnAt: 2, alertAt: 3, remedy: 'exchange_or_refund', scope: 'every_fault' },
  repairDays: {
    warnAt: 25,
    alertAt: 31,
    remedy: 'exchange_or_refund',
    excludesBatteryShipping: true,
    excludesLoanerDays: false,
  },
  assemblyReplaced: { assemblies: CN_ASSEMBLIES, times: 2, remedy: 'exchange_or_refund' },
  sameMainPartReplaced: {
    systems: [...CN_ASSEMBLIES, 'steering', 'brakes', 'suspension', 'drivetrain', 'emission_control', 'body'],
    times: 2,
    remedy: 'exchange_or_refund',
  },
  earlyAssemblyProblem: { days: 7, assemblies: CN_ASSEMBLIES, remedy: 'exchange_or_refund' },
  earlyMainPartFailure: {
    days: 60,
    km: 3_000,
    assemblies: CN_ASSEMBLIES,
    remedy: 'free_assembly_replacement',
  },
  earlySeriousFailure: {
    days: 60,
    km: 3_000,
    systems: ['steering', 'brakes', 'body', 'fuel_system', 'power_battery'],
    remedy: 'exchange_or_refund',
  },
  longRepair: { days: 5, remedy: 'loaner_or_compensation' },
};

// US effective dates are those of the presumption sections as first enacted; the figures are RULES.md's.
const US_CA: LemonRuleset = {
  id: 'US-CA',
  name: { en: 'California lemon law (Tanner Act)', 'zh-CN': '美国加州柠檬法' },
  version: 'Civ. Code §1793.22',
  effectiveFrom: '1983-01-01',
  jurisdiction: 'US-CA',
  validity: { months: 18, distance: 18_000, unit: 'mi' },
  startBasis: 'delivery',
  // "≥ 4 repairs (+ direct notice to the maker)": the alert also means the buyer should notify the maker.
  sameProblem: { warnAt: 3, alertAt: 4, remedy: 'replacement_or_repurchase' },
  seriousSafety: { warnAt: 1, alertAt: 2, remedy: 'replacement_or_repurchase', scope: 'same_problem' },
  repairDays: {
    warnAt: 25,
    alertAt: 31,
    remedy: 'replacement_or_repurchase',
    excludesBatteryShipping: false,
    excludesLoanerDays: false,
  },
};

const US_NY: LemonRuleset = {
  id: 'US-NY',
  name: { en: 'New York lemon law', 'zh-CN': '美国纽约州柠檬法' },
  version: 'GBL §198-a',
  effectiveFrom: '1983-09-01',
  jurisdiction: 'US-NY',
  validity: { months: 24, distance: 18_000, unit: 'mi' },
  startBasis: 'delivery',
  sameProblem: { warnAt: 3, alertAt: 4, remedy: 'replacement_or_repurchase' },
  repairDays: {
    warnAt: 24,
    alertAt: 30,
    remedy: 'replacement_or_repurchase',
    excludesBatteryShipping: false,
    excludesLoanerDays: false,
  },
};

const US_TX: LemonRuleset = {
  id: 'US-TX',
  name: { en: 'Texas lemon law', 'zh-CN': '美国得州柠檬法' },
  version: 'Occ. Code §2301.605',
  effectiveFrom: '2001-06-01',
  jurisdiction: 'US-TX',
  // The earlier of the warranty's end or 24 months / 24,000 mi.
  validity: { months: 24, distance: 24_000, unit: 'mi', cappedByWarranty: true },
  startBasis: 'delivery',
  sameProblem: { warnAt: 3, alertAt: 4, remedy: 'replacement_or_repurchase' },
  seriousSafety: { warnAt: 1, alertAt: 2, remedy: 'replacement_or_repurchase', scope: 'same_problem' },
  repairDays: {
    warnAt: 24,
    alertAt: 30,
    remedy: 'replacement_or_repurchase',
    excludesBatteryShipping: false,
    excludesLoanerDays: true,
  },
};

export const LEMON_RULESETS: Readonly<Record<LemonRulesetId, LemonRuleset>> = {
  'CN-2022': CN_2022,
  'CN-2013': CN_2013,
  'US-CA': US_CA,
  'US-NY': US_NY,
  'US-TX': US_TX,
};

/**
 * The ruleset a vehicle sold on `saleDate` (ISO date) is weighed by: the newest of its jurisdiction in
 * force that day (CN: CN-2022 from 2022-01-01, CN-2013 before, also for the rare sale before 2013-10-01,
 * whose older rules nobody still inside a validity period can invoke). EU stores have none.
 */
export function rulesetFor(jurisdiction: Jurisdiction, saleDate: string): LemonRuleset | undefined {
  const own = Object.values(LEMON_RULESETS)
    .filter((r) => r.jurisdiction === jurisdiction)
    .sort((a, b) => b.effectiveFrom.localeCompare(a.effectiveFrom));
  return own.find((r) => r.effectiveFrom <= saleDate) ?? own.at(-1);
}

/** The day a vehicle's period starts under a ruleset, from the dates the registry keeps. */
export function lemonStartDate(
  ruleset: LemonRuleset,
  vehicle: { invoiceDate?: string; deliveryDate?: string },
): string | undefined {
  switch (ruleset.startBasis) {
    case 'invoice':
      return vehicle.invoiceDate ?? vehicle.deliveryDate;
    case 'delivery_where_different':
      return vehicle.deliveryDate ?? vehicle.invoiceDate;
    case 'delivery':
      return vehicle.deliveryDate ?? vehicle.invoiceDate;
  }
}

/** The rules' names as the screens show them. */
export const LEMON_RULE_LABELS: Readonly<Record<LemonRule, LemonLabel>> = {
  same_problem: { en: 'Same problem repaired', 'zh-CN': '同一质量问题修理次数' },
  serious_safety: { en: 'Serious safety fault repaired', 'zh-CN': '严重安全性能故障修理' },
  repair_days: { en: 'Cumulative days in repair', 'zh-CN': '累计修理时间' },
  assembly_replaced: { en: 'Assembly replaced', 'zh-CN': '总成累计更换' },
  same_main_part_replaced: { en: 'Same main part replaced', 'zh-CN': '同一主要零件累计更换' },
  early_assembly_problem: {
    en: 'Assembly problem within 7 days',
    'zh-CN': '7日内发动机等总成或其主要零件质量问题',
  },
  early_main_part_failure: {
    en: 'Main part failure within 60 days / 3,000 km',
    'zh-CN': '60日或3000公里内总成主要零件故障',
  },
  early_serious_failure: {
    en: 'Serious failure within 60 days / 3,000 km',
    'zh-CN': '60日或3000公里内严重故障',
  },
  long_repair: { en: 'One repair longer than 5 days', 'zh-CN': '单次修理超过5日' },
};

export const LEMON_REMEDY_LABELS: Readonly<Record<LemonRemedy, LemonLabel>> = {
  exchange_or_refund: { en: 'Exchange or refund', 'zh-CN': '换车或退车' },
  exchange: { en: 'Exchange', 'zh-CN': '换车' },
  free_assembly_replacement: { en: 'Free replacement of the assembly', 'zh-CN': '免费更换总成' },
  loaner_or_compensation: { en: 'Loaner car or transport compensation', 'zh-CN': '提供备用车或交通费用补偿' },
  replacement_or_repurchase: { en: 'Replacement vehicle or repurchase', 'zh-CN': '换车或回购' },
};
