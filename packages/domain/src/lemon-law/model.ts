import * as z from 'zod';
import { defineCapability } from '../platform/capability.ts';
import { Count, Instant, Kilometres, RequiredText, Version } from '../platform/fields.ts';
import { LemonRulesetId } from './rulesets.ts';

const IsoDate = z.iso.date();

/**
 * 三包预警: what the statutes count from a vehicle's warranty repairs (repairs of the same problem, days in
 * repair, serious safety faults, assemblies and main parts replaced, the early windows), folded visit by
 * visit into a per-vehicle counter state, and weighed against a ruleset (rulesets.ts) into a warning one
 * event before a threshold or an alert at it. RULES.md § China household-vehicle 三包 rules and § US
 * lemon-law presumptions; DOMAIN.md § Warranty and claims.
 */

/**
 * 故障系统: where a warranty problem sits, covering the statutes' assembly and main-part lists
 * (GB/T 29632-2021) and the serious safety faults, plus the systems no list names.
 */
export const FaultSystem = z.enum([
  'engine', // 发动机
  'transmission', // 变速器
  'power_battery', // 动力蓄电池
  'drive_motor', // 行驶驱动电机
  'steering', // 转向系统
  'brakes', // 制动系统
  'suspension', // 悬架系统
  'drivetrain', // 传动系统
  'front_axle', // 前桥
  'rear_axle', // 后桥
  'emission_control', // 污染控制装置
  'body', // 车身
  'fuel_system', // 燃油系统
  'electrical', // 电器
  'other',
]);
export type FaultSystem = z.infer<typeof FaultSystem>;

/** 总成: the assemblies whose replacement the statutes count (CN-2013 only engine and transmission). */
export const Assembly = z.enum(['engine', 'transmission', 'power_battery', 'drive_motor']);
export type Assembly = z.infer<typeof Assembly>;

/** 故障代码: the defect code as the OEM's catalogue writes it; upper-cased so `p0300` is `P0300`. */
export const DefectCode = z.string().check(z.trim(), z.toUpperCase(), z.minLength(1), z.maxLength(30));

/**
 * 主要零件: one main part replaced, by its system and its name in the main-part list (GB/T 29632, e.g.
 * 转向机) or the OEM's part code: the same part twice is the same system and the same `part`, so a
 * superseded part number still counts as the same part when the store names it the same way.
 */
export const MainPartReplaced = z.strictObject({
  system: FaultSystem,
  part: z.string().check(z.trim(), z.toUpperCase(), z.minLength(1), z.maxLength(60)),
});
export type MainPartReplaced = z.infer<typeof MainPartReplaced>;

/** One warranty (三包) problem a repair order fixed: the fault, and what it took. */
export const WarrantyProblem = z.strictObject({
  system: FaultSystem,
  code: DefectCode,
  /** 严重安全性能故障: steering or brake failure, body cracking, fuel leak, power-battery fire. */
  seriousSafety: z.boolean().default(false),
  assemblyReplaced: Assembly.optional(),
  mainPartsReplaced: z.array(MainPartReplaced).check(z.maxLength(20)).default([]),
});
export type WarrantyProblemInput = z.input<typeof WarrantyProblem>;
export type WarrantyProblem = z.output<typeof WarrantyProblem>;

const repairVisitShape = {
  repairOrderId: RequiredText,
  /** 维修工单签署: when the customer signed the RO (the count of repair days starts here). */
  signedAt: Instant,
  /** 通知取车: when the car was ready for pick-up (the count ends here). */
  pickupNoticeAt: Instant,
  odometerKm: Kilometres,
  /** The warranty (and goodwill) problems it fixed; a visit with none counts towards nothing. */
  problems: z.array(WarrantyProblem).check(z.maxLength(40)),
  /**
   * Days spent waiting for parts every ruleset excludes from repair days: VIN-coded anti-theft parts
   * (车辆识别代号防盗件) and the main wiring harness (主线束).
   */
  excludedWaitDays: Count.default(0),
  /** Days waiting for a power battery to be shipped: excluded by CN-2022 only. */
  batteryShippingDays: Count.default(0),
  /** Days the customer drove a loaner (代步车): excluded from days out of service by US-TX only. */
  loanerDays: Count.default(0),
};

const pickupAfterSigning = z.refine<{ signedAt: string; pickupNoticeAt: string }>(
  (v) => Date.parse(v.pickupNoticeAt) >= Date.parse(v.signedAt),
  { message: 'The pick-up notice cannot come before the order was signed.', path: ['pickupNoticeAt'] },
);

/** 一次三包维修: what one delivered repair order contributes to its vehicle's counters. */
export const RepairVisit = z.strictObject(repairVisitShape).check(pickupAfterSigning);
export type RepairVisitInput = z.input<typeof RepairVisit>;
export type RepairVisit = z.output<typeof RepairVisit>;

/** A visit as the counters keep it: its facts and its gross repair days, counted once when folded in. */
export const CountedVisit = z
  .object({
    ...repairVisitShape,
    problems: z.array(WarrantyProblem),
    /** Started 24-hour periods from signing to pick-up notice, at least 1 (rules.ts `grossRepairDays`). */
    grossDays: Count,
  })
  .check(pickupAfterSigning);
export type CountedVisit = z.infer<typeof CountedVisit>;

/**
 * The most visits one vehicle's counters keep. A vehicle inside its 2-year validity with more warranty
 * visits than this is long past every threshold; the oldest fall out first and `droppedVisits` says so.
 */
export const LEMON_MAX_VISITS = 200;

/**
 * 三包计数: one vehicle's counter state, folded from its repair visits (`applyRepairVisit`) as the RO
 * events arrive, never recomputed by reading its history. It keeps each visit's contribution, oldest
 * first, so a finding can name the orders that count and a visit sent again replaces its own.
 */
export const LemonCounters = z.object({
  visits: z.array(CountedVisit).check(z.maxLength(LEMON_MAX_VISITS)),
  droppedVisits: Count.default(0),
});
export type LemonCounters = z.infer<typeof LemonCounters>;

export const EMPTY_LEMON_COUNTERS: LemonCounters = { visits: [], droppedVisits: 0 };

// ——— What an evaluation says ——————————————————————————————————————————————————————————————

/** The rules a finding names (machine codes; `LEMON_RULE_LABELS` in rulesets.ts for people). */
export const LemonRule = z.enum([
  'same_problem', // 同一质量问题修理次数
  'serious_safety', // 严重安全性能故障
  'repair_days', // 累计修理时间
  'assembly_replaced', // 总成累计更换
  'same_main_part_replaced', // 同一主要零件累计更换
  'early_assembly_problem', // 7日内总成或其主要零件质量问题
  'early_main_part_failure', // 60日/3000公里内总成主要零件故障
  'early_serious_failure', // 60日/3000公里内严重故障
  'long_repair', // 单次修理超过5日
]);
export type LemonRule = z.infer<typeof LemonRule>;

/** 三包救济: what the customer may have. */
export const LemonRemedy = z.enum([
  'exchange_or_refund', // 换车或退车
  'exchange', // 换车
  'free_assembly_replacement', // 免费更换总成
  'loaner_or_compensation', // 备用车或交通费用补偿
  'replacement_or_repurchase', // US: replacement vehicle or repurchase
]);
export type LemonRemedy = z.infer<typeof LemonRemedy>;

/** A vehicle's level: nothing, a warning (one event before a threshold) or an alert (a threshold met). */
export const LemonLevel = z.enum(['none', 'warning', 'alert']);
export type LemonLevel = z.infer<typeof LemonLevel>;

/** A finding's level; a `notice` (a past repair that lasted long) informs without raising the vehicle's. */
export const FindingLevel = z.enum(['notice', 'warning', 'alert']);
export type FindingLevel = z.infer<typeof FindingLevel>;

export const LemonLabel = z.object({ en: z.string(), 'zh-CN': z.string() });
export type LemonLabel = z.infer<typeof LemonLabel>;

/** What a count is of. */
export const LemonUnit = z.enum(['repairs', 'days', 'replacements']);
export type LemonUnit = z.infer<typeof LemonUnit>;

export const LemonFinding = z.object({
  rule: LemonRule,
  label: LemonLabel,
  level: FindingLevel,
  /** What the count is about: the problem (`brakes:C1234`), the assembly or the main part. */
  subject: z.string().optional(),
  /** The repair orders that count towards it, oldest first. */
  repairOrderIds: z.array(RequiredText),
  value: Count,
  /** The statutory figure it is weighed against (`value` meets it at the alert, for counts and days). */
  threshold: Count,
  unit: LemonUnit,
  /** Repairs or days left before the alert (0 at the alert). */
  left: z.object({ count: Count, unit: z.enum(['repairs', 'days']) }),
  remedy: LemonRemedy,
  remedyLabel: LemonLabel,
});
export type LemonFinding = z.infer<typeof LemonFinding>;

export const LemonStatus = z.object({
  rulesetId: LemonRulesetId,
  /** 三包有效期: the last day inside it (store-local) and the odometer reading at which it ends. */
  validity: z.object({
    inside: z.boolean(),
    endsOn: z.iso.date(),
    endsAtKm: Count,
    /** Why it is over, when it is: the time or the distance ran out first. */
    endedBy: z.enum(['time', 'distance']).optional(),
  }),
  level: LemonLevel,
  /** Empty outside the validity period: then nothing counts any more. */
  findings: z.array(LemonFinding),
});
export type LemonStatus = z.infer<typeof LemonStatus>;

// ——— One vehicle's 三包 record, and what the screens read ————————————————————————————————

/** The vehicle as the 三包 list shows it, copied when its counters change so the list needs no more reads. */
export const LemonVehicleSummary = z.object({
  vin: z.string(),
  plate: z.string().optional(),
  brand: z.string(),
  model: z.string(),
});
export type LemonVehicleSummary = z.infer<typeof LemonVehicleSummary>;

/**
 * 三包档案: one vehicle's counters in its store, with what they were weighed against (the ruleset, the
 * period's start, the store's zone) and the level they gave when last changed (a delivered warranty
 * order). Without a ruleset (a store outside the rulesets' jurisdictions) or a start date (neither
 * invoice nor delivery date known) the counters still count, and the level is `none`.
 */
export const LemonRecord = z.object({
  /** The vehicle's id: one record per vehicle. */
  id: RequiredText,
  vehicle: LemonVehicleSummary,
  rulesetId: LemonRulesetId.optional(),
  /** The day the 三包 period starts (`lemonStartDate`). */
  startDate: IsoDate.optional(),
  timeZone: z.string(),
  counters: LemonCounters,
  level: LemonLevel,
  /** The finding that decided the level, for the list (absent at `none`). */
  top: LemonFinding.optional(),
  evaluatedAt: Instant,
  version: Version,
  createdAt: Instant,
  updatedAt: Instant,
});
export type LemonRecord = z.infer<typeof LemonRecord>;

/** Why a vehicle has no 三包 status: its store's jurisdiction has no ruleset, or its sale date is unknown. */
export const LemonUnavailable = z.enum(['no_ruleset', 'no_sale_date']);
export type LemonUnavailable = z.infer<typeof LemonUnavailable>;

/** A vehicle's 三包 status as of now, with the repair orders its counters hold. */
export const LemonVehicleStatus = z.object({
  vehicleId: RequiredText,
  vehicle: LemonVehicleSummary,
  asOf: Instant,
  /** The 三包 period's first day. */
  startDate: IsoDate.optional(),
  /** Absent when `unavailable` says why. */
  status: LemonStatus.optional(),
  unavailable: LemonUnavailable.optional(),
  /** The delivered warranty visits the counters hold, oldest first, with their gross repair days. */
  visits: z.array(
    z.object({
      repairOrderId: RequiredText,
      signedAt: Instant,
      pickupNoticeAt: Instant,
      grossDays: Count,
      problems: z.array(z.object({ system: FaultSystem, code: z.string(), seriousSafety: z.boolean() })),
    }),
  ),
  /** The order open now, whose days so far count (absent when the car is not in the shop). */
  openRepairOrderId: RequiredText.optional(),
});
export type LemonVehicleStatus = z.infer<typeof LemonVehicleStatus>;

/** One line of the 三包 list (三包预警车辆): the vehicle, its level and the finding that decides it. */
export const LemonWatchItem = z.object({
  vehicleId: RequiredText,
  vehicle: LemonVehicleSummary,
  rulesetId: LemonRulesetId.optional(),
  level: LemonLevel,
  top: LemonFinding.optional(),
  /** How many findings there are at warning or alert. */
  findings: Count,
  /** When the counters last changed (a delivered warranty order). */
  updatedAt: Instant,
  validity: LemonStatus.shape.validity.optional(),
});
export type LemonWatchItem = z.infer<typeof LemonWatchItem>;

// ——— The capability ————————————————————————————————————————————————————————————————————————

/**
 * 三包预警: read wherever staff meet the car or its claim — booking, reception, the RO, the claim — so by
 * the front office, customer care, claims and the workshop's leads. Nobody writes it: the counters
 * follow the repair orders' events.
 */
export const LEMON_LAW = defineCapability({
  aggregates: { lemonCounters: [] },
  events: {},
  permissions: {
    'lemon_law:read': [
      'service_manager',
      'front_desk_supervisor',
      'service_advisor',
      'customer_service',
      'claims_specialist',
      'technical_director',
      'workshop_manager',
    ],
  },
});
