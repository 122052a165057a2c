import * as z from 'zod';
import { type DailyAmount, defineCapability, type FigureGroup } from '../platform/capability.ts';
import {
  Count,
  filledText,
  Instant,
  Kilometres,
  RequiredText,
  trimmedText,
  Version,
} from '../platform/fields.ts';
import { Money } from '../platform/money.ts';
import { EMPTY_PATCH } from '../platform/patch.ts';
import { TenantId } from '../platform/tenancy.ts';
import { Signature } from '../purchasing/model.ts';
import { Bilingual } from '../setup/model.ts';

/** A label in both languages of the web app (a code list's, a finding's). */
export const Label = z.object({ en: z.string(), 'zh-CN': z.string() });
export type Label = z.infer<typeof Label>;

/**
 * 索赔: a warranty claim the store files with its manufacturer (OEM) from the claimable lines of a repair
 * order, the OEM's adjudication, payment, and the old parts kept for it (三包旧件). The state machine is
 * `CLAIM_MOVES` (rules.ts); the pre-submission check runs the OEM's rules, kept as data (`OemClaimRules`).
 * DOMAIN.md § Warranty and claims.
 */

// ——— Kinds, states, reasons ————————————————————————————————————————————————————————————————

/** 索赔类型: 保修, 善意 (goodwill), 质量返修/召回 (campaign or recall), 延保 (extended warranty). */
export const WarrantyClaimType = z.enum(['warranty', 'goodwill', 'campaign', 'extended_warranty']);
export type WarrantyClaimType = z.infer<typeof WarrantyClaimType>;

/**
 * 索赔状态. `returned`: the OEM asked for information (退回补充), answered by resubmitting; `appealed`: the
 * store contests a rejection or an adjustment (申诉), which the OEM decides again.
 */
export const WarrantyClaimStatus = z.enum([
  'draft', // 草稿
  'submitted', // 已提交
  'returned', // 退回补充
  'accepted', // 已批准
  'partly_accepted', // 部分批准
  'rejected', // 已拒绝
  'appealed', // 申诉中
  'paid', // 已结算
  'withdrawn', // 已撤回
]);
export type WarrantyClaimStatus = z.infer<typeof WarrantyClaimStatus>;

/**
 * Why an OEM rejects or adjusts a claim line, modelled on the industry's claim-adjustment reason codes
 * (X12 CARC's shape: one stable code per reason), so HQ compares stores by reason across OEMs.
 */
export const AdjustmentReason = z.enum([
  'EXCESS_LABOUR_HOURS', // 工时超标
  'LABOUR_OP_INVALID', // 工时代码不适用
  'COVERAGE_EXPIRED', // 超出保修期
  'SUBMITTED_LATE', // 超期提交
  'PART_NOT_RETURNED', // 旧件未按时回运
  'DUPLICATE_CLAIM', // 重复索赔
  'NO_DEFECT_FOUND', // 无故障
  'NOT_COVERED', // 非保修范围 (wear, misuse, accident)
  'MISSING_DOCUMENTATION', // 资料不全
  'MISSING_PHOTOS', // 缺少照片
  'CAUSAL_PART_MISMATCH', // 主因件不符
  'PRICE_ADJUSTED', // 价格调整
  'PRIOR_APPROVAL_REQUIRED', // 需预先授权
  'OTHER', // 其他
]);
export type AdjustmentReason = z.infer<typeof AdjustmentReason>;

/** The code list's labels, for screens and exports in both languages. */
export const ADJUSTMENT_REASON_LABELS: Record<AdjustmentReason, Label> = {
  EXCESS_LABOUR_HOURS: { en: 'Labour hours over the standard', 'zh-CN': '工时超标' },
  LABOUR_OP_INVALID: { en: 'Labour operation not valid for the vehicle', 'zh-CN': '工时代码不适用' },
  COVERAGE_EXPIRED: { en: 'Coverage expired', 'zh-CN': '超出保修期' },
  SUBMITTED_LATE: { en: 'Submitted too late', 'zh-CN': '超期提交' },
  PART_NOT_RETURNED: { en: 'Part not returned in time', 'zh-CN': '旧件未按时回运' },
  DUPLICATE_CLAIM: { en: 'Duplicate claim', 'zh-CN': '重复索赔' },
  NO_DEFECT_FOUND: { en: 'No defect found', 'zh-CN': '无故障' },
  NOT_COVERED: { en: 'Not covered (wear/misuse/accident)', 'zh-CN': '非保修范围' },
  MISSING_DOCUMENTATION: { en: 'Documentation missing', 'zh-CN': '资料不全' },
  MISSING_PHOTOS: { en: 'Photos missing', 'zh-CN': '缺少照片' },
  CAUSAL_PART_MISMATCH: { en: 'Causal part does not match', 'zh-CN': '主因件不符' },
  PRICE_ADJUSTED: { en: 'Price adjusted', 'zh-CN': '价格调整' },
  PRIOR_APPROVAL_REQUIRED: { en: 'Prior approval required', 'zh-CN': '需预先授权' },
  OTHER: { en: 'Other', 'zh-CN': '其他' },
};

// ——— The claim —————————————————————————————————————————————————————————————————————————————

/** A labour operation claimed: its flat-rate allowance as priced on the RO, and the hours actually clocked. */
export const ClaimLabour = z.object({
  code: RequiredText,
  name: Bilingual.optional(),
  /** Flat-rate tenths claimed (标准工时). */
  tenths: Count,
  /** Tenths clocked by the technician on the line (实际工时). */
  actualTenths: Count,
  rate: Money,
});
export type ClaimLabour = z.infer<typeof ClaimLabour>;

export const ClaimPart = z.object({
  partNumber: RequiredText,
  name: Bilingual.optional(),
  quantity: z.int().check(z.positive()),
  unitPrice: Money,
});
export type ClaimPart = z.infer<typeof ClaimPart>;

/** 外协: work bought in (a glass specialist, a towing company), claimed at its invoice amount. */
export const Sublet = z.strictObject({ description: filledText(120), amount: Money });
export type Sublet = z.infer<typeof Sublet>;

/** Condition and defect codes as the OEM's manuals write them (故障现象代码, 故障原因代码). */
export const ConditionCode = trimmedText(12, 1).regex(/^[A-Z0-9-]+$/, 'Use the OEM’s code: A–Z, 0–9, -.');

/** The OEM's answer on one line: what it pays, and why less than claimed. */
export const LineAdjustment = z.strictObject({
  reason: AdjustmentReason,
  /** Minor units taken off the claimed amount. */
  amountMinor: Count,
  note: trimmedText(300).optional(),
});
export type LineAdjustment = z.infer<typeof LineAdjustment>;

export const ClaimLineDecision = z.object({
  approvedMinor: Count,
  adjustments: z.array(LineAdjustment),
});
export type ClaimLineDecision = z.infer<typeof ClaimLineDecision>;

export const ClaimLine = z.object({
  id: RequiredText,
  /** The repair-order line it claims. */
  repairOrderLineId: RequiredText,
  complaint: z.string(),
  cause: z.string().optional(),
  correction: z.string().optional(),
  conditionCode: ConditionCode.optional(),
  defectCode: ConditionCode.optional(),
  labour: z.array(ClaimLabour),
  /** 主因件: the part whose failure caused the repair (the OEM's quality data hangs on it). */
  causalPart: ClaimPart.optional(),
  otherParts: z.array(ClaimPart),
  sublet: z.array(Sublet),
  technicianId: z.string().optional(),
  /** Claimed, minor units: labour + parts + sublet, before tax (OEMs pay VAT on their credit note). */
  claimedMinor: Count,
  decision: ClaimLineDecision.optional(),
});
export type ClaimLine = z.infer<typeof ClaimLine>;

/** Where a kept old part (三包旧件) is in its life: kept, asked for, on its way, received, or let go. */
export const ClaimedPartStatus = z.enum([
  'held', // 在库保管
  'return_requested', // 厂家要求回运
  'shipped', // 已回运
  'received', // 厂家已签收
  'released', // 厂家同意报废
  'scrapped', // 已报废
]);
export type ClaimedPartStatus = z.infer<typeof ClaimedPartStatus>;

export const ClaimedPart = z.object({
  id: RequiredText,
  lineId: RequiredText,
  partNumber: RequiredText,
  name: Bilingual.optional(),
  quantity: z.int().check(z.positive()),
  /** Where it is kept (三包旧件库 shelf), as the store labels it. */
  location: z.string(),
  /** Kept at least until this day (the OEM's retention period after the RO closed). */
  retainUntil: z.iso.date(),
  status: ClaimedPartStatus,
  returnRequest: z.object({ at: Instant, dueBy: z.iso.date(), note: z.string().optional() }).optional(),
  shipment: z.object({ reference: z.string(), at: Instant, by: Signature }).optional(),
  receivedAt: Instant.optional(),
  releasedAt: Instant.optional(),
});
export type ClaimedPart = z.infer<typeof ClaimedPart>;

/** One finding of the pre-submission check: an error blocks, a warning needs a written justification. */
export const PrecheckFinding = z.object({
  code: RequiredText,
  severity: z.enum(['error', 'warning']),
  /** The claim field it is about (`lines.0.defectCode`), for the screen to point at. */
  path: z.string(),
  message: Label,
});
export type PrecheckFinding = z.infer<typeof PrecheckFinding>;

export const Precheck = z.object({ at: Instant, findings: z.array(PrecheckFinding) });
export type Precheck = z.infer<typeof Precheck>;

/** A warning answered in writing, by its finding's code (one justification covers that code's findings). */
export const Justification = z.strictObject({
  code: RequiredText,
  text: filledText(500, 'Write why the claim is right despite the warning.'),
});
export type Justification = z.infer<typeof Justification>;

/** What the OEM decided, as the store's claim records it. */
export const ClaimDecisionOutcome = z.enum(['accepted', 'partly_accepted', 'rejected']);
export type ClaimDecisionOutcome = z.infer<typeof ClaimDecisionOutcome>;
export const ClaimDecision = z.object({
  outcome: ClaimDecisionOutcome,
  reasons: z.array(AdjustmentReason),
  note: z.string().optional(),
  approvedMinor: Count,
  at: Instant,
  /** The OEM's reviewer (or its system), as it named itself. */
  by: z.string(),
});
export type ClaimDecision = z.infer<typeof ClaimDecision>;

export const ClaimPayment = z.object({ creditNote: z.string(), amountMinor: Count, paidAt: Instant });
export type ClaimPayment = z.infer<typeof ClaimPayment>;

export const InfoRequest = z.object({ question: z.string(), at: Instant, dueBy: z.iso.date() });

export const WarrantyClaim = z.object({
  id: RequiredText,
  storeId: RequiredText,
  /** The manufacturer it is filed with: the store's franchise for the vehicle's brand and maker. */
  oemId: TenantId,
  claimType: WarrantyClaimType,
  status: WarrantyClaimStatus,
  repairOrderId: RequiredText,
  vehicleId: RequiredText,
  vin: RequiredText,
  brand: z.string(),
  model: z.string(),
  modelYear: z.int().optional(),
  /** 保修起始日 (the registry's warranty start, or its invoice date). */
  warrantyStart: z.iso.date().optional(),
  odometerInKm: Kilometres,
  odometerOutKm: Kilometres,
  roOpenedAt: Instant,
  roClosedAt: Instant,
  lines: z.array(ClaimLine).check(z.minLength(1)),
  parts: z.array(ClaimedPart),
  /** Sealed photos of the order (walk-around and signature excluded), by id. */
  photoIds: z.array(RequiredText),
  precheck: Precheck.optional(),
  justifications: z.array(Justification),
  claimedMinor: Count,
  currency: z.literal('CNY'),
  /** Times it was sent: 1 after the first submission, 2 after answering a return… */
  submissions: Count,
  submittedAt: Instant.optional(),
  /**
   * 首次提交: when it was first sent and the amount it asked for then (a resubmission after a return
   * changes neither), what HQ counts as filed. Absent on claims submitted before it was kept.
   */
  firstSubmission: z.object({ at: Instant, claimedMinor: Count }).optional(),
  /** The last day to submit (the OEM's deadline after the RO closed). */
  submitBy: z.iso.date(),
  infoRequest: InfoRequest.optional(),
  /** The store's answer to the information request, sent with the resubmission. */
  infoAnswer: z.string().optional(),
  decision: ClaimDecision.optional(),
  appeal: z
    .object({
      text: z.string(),
      at: Instant,
      by: Signature,
      /** The decision appealed against: the OEM's decision on the appeal replaces `decision`. */
      against: ClaimDecision.optional(),
    })
    .optional(),
  payment: ClaimPayment.optional(),
  /** The OEM's actions applied, by id, latest 50: the OEM projection tells from them what is still on its way. */
  appliedOemActions: z.array(RequiredText).optional(),
  createdBy: Signature,
  version: Version,
  createdAt: Instant,
  updatedAt: Instant,
});
export type WarrantyClaim = z.infer<typeof WarrantyClaim>;

// ——— What staff send ————————————————————————————————————————————————————————————————————————

/** 建索赔单: from the claimable lines of one repair order (all of them when `lineIds` is absent). */
export const ClaimCreateInput = z.strictObject({
  repairOrderId: RequiredText,
  claimType: WarrantyClaimType.default('warranty'),
  lineIds: z.array(RequiredText).check(z.minLength(1), z.maxLength(40)).optional(),
});
export type ClaimCreateInput = z.input<typeof ClaimCreateInput>;
export type ClaimCreateFields = z.output<typeof ClaimCreateInput>;

/** A line's claim details, by id: each field named is replaced, the others kept. */
export const ClaimLineEdit = z.strictObject({
  id: RequiredText,
  complaint: filledText(500).optional(),
  cause: trimmedText(500).optional(),
  correction: trimmedText(500).optional(),
  conditionCode: ConditionCode.optional(),
  defectCode: ConditionCode.optional(),
  /** The line's part (by part number) that caused the failure; the others become `otherParts`. */
  causalPartNumber: RequiredText.optional(),
  sublet: z.array(Sublet).check(z.maxLength(10)).optional(),
});
export type ClaimLineEdit = z.infer<typeof ClaimLineEdit>;

/** A draft's or returned claim's edit (PATCH, If-Match): only the fields named change. */
export const ClaimEdit = z
  .strictObject({
    lines: z.array(ClaimLineEdit).check(z.maxLength(40)).optional(),
    photoIds: z.array(RequiredText).check(z.maxLength(40)).optional(),
    justifications: z.array(Justification).check(z.maxLength(20)).optional(),
    /** Where each kept part is shelved, by claimed-part id. */
    partLocations: z
      .array(z.strictObject({ id: RequiredText, location: filledText(60) }))
      .check(z.maxLength(40))
      .optional(),
  })
  .refine((e) => Object.values(e).some((v) => v !== undefined), {
    message: 'Send at least one field to change.',
    params: { code: EMPTY_PATCH },
    when: (payload) => payload.issues.length === 0,
  })
  .meta({ minProperties: 1 });
export type ClaimEdit = z.infer<typeof ClaimEdit>;

/** 提交 (or, for a returned claim, 补充后重新提交 with the answer to the OEM's question). */
export const ClaimSubmitInput = z.strictObject({ answer: trimmedText(1000).optional() });
export type ClaimSubmitInput = z.infer<typeof ClaimSubmitInput>;

export const ClaimAppealInput = z.strictObject({ text: filledText(1000, 'Say why the decision is wrong.') });
export type ClaimAppealInput = z.infer<typeof ClaimAppealInput>;

export const ClaimWithdrawInput = z.strictObject({ reason: filledText(300, 'Say why it is withdrawn.') });
export type ClaimWithdrawInput = z.infer<typeof ClaimWithdrawInput>;

/** 旧件回运: the store ships a part the OEM asked back, with the carrier's reference. */
export const PartShipmentInput = z.strictObject({ reference: filledText(60) });
export type PartShipmentInput = z.infer<typeof PartShipmentInput>;

// ——— What the OEM sends (applied to the store's claim by the decisions consumer) ————————————————

export const OemLineDecisionInput = z.strictObject({
  lineId: RequiredText,
  approvedMinor: Count,
  adjustments: z.array(LineAdjustment).check(z.maxLength(10)).default([]),
});
export type OemLineDecision = z.output<typeof OemLineDecisionInput>;

/** 审核结果: accept (in full), partly accept (per line), reject (with reasons). */
export const OemDecisionInput = z.discriminatedUnion('outcome', [
  z.strictObject({ outcome: z.literal('accepted'), note: trimmedText(500).optional() }),
  z.strictObject({
    outcome: z.literal('partly_accepted'),
    lines: z.array(OemLineDecisionInput).check(z.minLength(1), z.maxLength(40)),
    note: trimmedText(500).optional(),
  }),
  z.strictObject({
    outcome: z.literal('rejected'),
    reasons: z.array(AdjustmentReason).check(z.minLength(1), z.maxLength(10)),
    note: trimmedText(500).optional(),
  }),
]);
export type OemDecisionInput = z.input<typeof OemDecisionInput>;
export type OemDecisionFields = z.output<typeof OemDecisionInput>;

export const OemInfoRequestInput = z.strictObject({ question: filledText(1000) });
export type OemInfoRequestInput = z.infer<typeof OemInfoRequestInput>;

/** 结算: the OEM's credit note paying the claim. */
export const OemPaymentInput = z.strictObject({ creditNote: filledText(60), amountMinor: Count });
export type OemPaymentInput = z.infer<typeof OemPaymentInput>;

export const OemPartRequestInput = z.strictObject({
  partId: RequiredText,
  /** Days the store has to ship it (default 14). */
  withinDays: z.int().check(z.positive(), z.lte(90)).default(14),
  note: trimmedText(300).optional(),
});
export const OemPartInput = z.strictObject({ partId: RequiredText });

/** Everything the OEM does to a claim, as one command the store's claim applies. */
export const OemClaimAction = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('decide'), decision: OemDecisionInput }),
  z.object({ kind: z.literal('request_info'), request: OemInfoRequestInput }),
  z.object({ kind: z.literal('record_payment'), payment: OemPaymentInput }),
  z.object({ kind: z.literal('request_part'), request: OemPartRequestInput }),
  z.object({ kind: z.literal('confirm_part_receipt'), part: OemPartInput }),
  z.object({ kind: z.literal('release_part'), part: OemPartInput }),
]);
export type OemClaimAction = z.output<typeof OemClaimAction>;

// ——— The store's figures (集团看板) ——————————————————————————————————————————————————————————

/**
 * HQ compares stores by their claims over the last 30 days, per store-local day, each counted on the
 * day it happened: claims first submitted (a resubmission after a return is the same claim, not one
 * more) with the amount they asked for then; every OEM decision by its outcome (a decision on appeal is
 * one more decision, as the OEM made two), with one count per reason it gives; claims paid and the
 * amount paid. A claim's record keeps every one of these (`firstSubmission`, `decision` and the one
 * appealed against, `payment`), so the rebuild counts what the events counted.
 */
const CLAIM_WINDOW_DAYS = 30;

const DECISIONS_GROUP: FigureGroup = {
  key: 'claimDecisions',
  label: { en: 'Claims decided (30 d)', 'zh-CN': '索赔审核（30天）' },
};
const REASONS_GROUP: FigureGroup = {
  key: 'claimAdjustmentReasons',
  label: { en: 'Rejections/adjustments by reason (30 d)', 'zh-CN': '拒赔/扣减原因（30天）' },
};

/** A count (or an amount) per store-local day, summed over the window when read. */
const claimDaily = <S extends string>(label: Label, stored: S) => ({
  label,
  daily: { stored, days: CLAIM_WINDOW_DAYS },
});

/** The HQ figure counting each OEM decision of an outcome. */
const OUTCOME_FIGURES = {
  accepted: 'claimsAcceptedLast30Days',
  partly_accepted: 'claimsPartlyAcceptedLast30Days',
  rejected: 'claimsRejectedLast30Days',
} as const satisfies Record<ClaimDecisionOutcome, string>;
type OutcomeFigure = (typeof OUTCOME_FIGURES)[ClaimDecisionOutcome];

/** `EXCESS_LABOUR_HOURS` → `ExcessLabourHours`: a reason code as part of a field name. */
type CodeWords<S extends string> = S extends `${infer H}_${infer T}`
  ? `${Capitalize<Lowercase<H>>}${CodeWords<T>}`
  : Capitalize<Lowercase<S>>;
const codeWords = <S extends string>(code: S) =>
  code
    .toLowerCase()
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('') as CodeWords<S>;

/** The HQ figure counting the decisions that give one reason (`claimReasonNotCoveredLast30Days`). */
export type ReasonFigure<R extends AdjustmentReason = AdjustmentReason> =
  `claimReason${CodeWords<R>}Last30Days`;
export function reasonFigure<R extends AdjustmentReason>(reason: R): ReasonFigure<R> {
  return `claimReason${codeWords(reason)}Last30Days`;
}
type ReasonDeclarations = {
  [R in AdjustmentReason as ReasonFigure<R>]: {
    label: Label;
    group: FigureGroup;
    daily: { stored: `claimReason${CodeWords<R>}ByDay`; days: number };
  };
};
const REASON_FIGURES = Object.fromEntries(
  AdjustmentReason.options.map((reason) => [
    reasonFigure(reason),
    {
      label: {
        en: `${ADJUSTMENT_REASON_LABELS[reason].en} (30 d)`,
        'zh-CN': `${ADJUSTMENT_REASON_LABELS[reason]['zh-CN']}（30天）`,
      },
      group: REASONS_GROUP,
      daily: { stored: `claimReason${codeWords(reason)}ByDay`, days: CLAIM_WINDOW_DAYS },
    },
  ]),
) as ReasonDeclarations;

/** What one counted moment of a claim adds to its HQ figures (each on the day of its instant). */
export type ClaimFigureChanges = Partial<
  Record<'claimsSubmittedLast30Days' | 'claimsPaidLast30Days' | OutcomeFigure | ReasonFigure, string> &
    Record<'claimedAmountLast30Days' | 'claimsPaidAmountLast30Days', DailyAmount>
>;

/** The first submission as the claim records it (before `firstSubmission` was kept: its only one). */
export function firstSubmissionOf(claim: WarrantyClaim): { at: string; claimedMinor: number } | undefined {
  if (claim.firstSubmission) return claim.firstSubmission;
  return claim.submittedAt && claim.submissions > 0
    ? { at: claim.submittedAt, claimedMinor: claim.claimedMinor }
    : undefined;
}

/** A first submission: one more claim filed, and the amount it asked for. */
export function submissionFigures(first: { at: string; claimedMinor: number }): ClaimFigureChanges {
  return {
    claimsSubmittedLast30Days: first.at,
    claimedAmountLast30Days: { at: first.at, amount: first.claimedMinor },
  };
}

/**
 * An OEM decision: one more of its outcome, and one for each reason it gives (`reasons`: the distinct
 * codes over its lines' adjustments, or a rejection's own), however many lines give it.
 */
export function decisionFigures(decision: ClaimDecision): ClaimFigureChanges {
  const changes: ClaimFigureChanges = {};
  changes[OUTCOME_FIGURES[decision.outcome]] = decision.at;
  for (const reason of new Set(decision.reasons)) changes[reasonFigure(reason)] = decision.at;
  return changes;
}

/** A payment: one more claim paid, and the amount of its credit note. */
export function paymentFigures(payment: ClaimPayment): ClaimFigureChanges {
  return {
    claimsPaidLast30Days: payment.paidAt,
    claimsPaidAmountLast30Days: { at: payment.paidAt, amount: payment.amountMinor },
  };
}

/** What one `claim.changed` adds: a first submission, a decision or a payment; nothing else counts. */
export function claimChangeFigures(change: { action: string; claim: WarrantyClaim }): ClaimFigureChanges {
  const { action, claim } = change;
  const first = firstSubmissionOf(claim);
  if (action === 'submitted' && first) return submissionFigures(first);
  if (action === 'decided' && claim.decision) return decisionFigures(claim.decision);
  if (action === 'paid' && claim.payment) return paymentFigures(claim.payment);
  return {};
}

/**
 * Every counted moment of a claim as its record tells it, with its instant: what its `claim.changed`
 * events added (the rebuild's counting, so the two agree). The decision appealed against is one, and
 * the decision on the appeal another.
 */
export function claimFigureHistory(claim: WarrantyClaim): { at: string; changes: ClaimFigureChanges }[] {
  const first = firstSubmissionOf(claim);
  const decisions = [claim.appeal?.against, claim.decision].filter((d) => d !== undefined);
  return [
    ...(first ? [{ at: first.at, changes: submissionFigures(first) }] : []),
    // The appealed decision is still `decision` until the OEM decides again.
    ...decisions
      .filter((d, i) => decisions.findIndex((o) => o.at === d.at) === i)
      .map((d) => ({ at: d.at, changes: decisionFigures(d) })),
    ...(claim.payment ? [{ at: claim.payment.paidAt, changes: paymentFigures(claim.payment) }] : []),
  ];
}

/** A share of the OEM's decisions. */
const perDecision = <const N extends string>(label: Label, numerator: N) => ({
  label,
  numerator,
  denominator: Object.values(OUTCOME_FIGURES) as [OutcomeFigure, ...OutcomeFigure[]],
});

// ——— The capability ——————————————————————————————————————————————————————————————————————————

const ClaimRef = z.object({ claimId: RequiredText, oemId: TenantId });

export const CLAIMS = defineCapability({
  aggregates: {
    claim: [
      'file',
      'submit',
      'withdraw',
      'appeal',
      'ship_part',
      'oem_decide',
      'oem_request_info',
      'oem_pay',
      'oem_part',
    ],
    /** The OEM's copy in its own partition (oem.ts): projected from the store, acted on by the OEM. */
    oemClaim: ['project', 'oem_act'],
  },
  events: {
    'claim.created': ClaimRef.extend({ repairOrderId: RequiredText, claimedMinor: Count }),
    /**
     * Every change the OEM may see (submitted onwards), with the claim as the OEM sees it: the OEM
     * projection copies it into the OEM's partition, the webhooks announce it as `claim.<action>`.
     */
    'claim.changed': ClaimRef.extend({
      action: z.enum([
        'submitted',
        'resubmitted',
        'withdrawn',
        'appealed',
        'part_shipped',
        'decided',
        'info_requested',
        'paid',
        'part_requested',
        'part_received',
        'part_released',
      ]),
      from: WarrantyClaimStatus,
      to: WarrantyClaimStatus,
      at: Instant,
      claim: WarrantyClaim,
    }),
    /**
     * Written in the OEM's partition by the OEM API: what the OEM did to a claim filed with it. The
     * decisions consumer applies it to the store's claim (idempotent on `actionId`).
     */
    'oemClaim.acted': z.object({
      actionId: RequiredText,
      claimId: RequiredText,
      storeId: TenantId,
      oemId: TenantId,
      action: OemClaimAction,
      by: z.string(),
      at: Instant,
    }),
  },
  permissions: {
    'claim:read': [
      'claims_specialist',
      'service_manager',
      'service_advisor',
      'technical_director',
      'hq_executive',
      'hq_analyst',
    ],
    'claim:file': ['claims_specialist', 'service_manager'],
    /** The OEM's reviewers and machine clients: claims filed to their OEM, through the OEM API. */
    'oem_claim:read': ['oem_claims'],
    'oem_claim:decide': ['oem_claims'],
  },
  figures: {
    figures: {
      claimsSubmittedLast30Days: claimDaily(
        { en: 'Claims submitted (30 d)', 'zh-CN': '索赔提交（30天）' },
        'claimsSubmittedByDay',
      ),
      claimedAmountLast30Days: {
        ...claimDaily({ en: 'Amount claimed (30 d)', 'zh-CN': '索赔金额（30天）' }, 'claimedAmountByDay'),
        unit: 'money',
      },
      claimsAcceptedLast30Days: {
        ...claimDaily({ en: 'Accepted (30 d)', 'zh-CN': '批准（30天）' }, 'claimsAcceptedByDay'),
        group: DECISIONS_GROUP,
      },
      claimsPartlyAcceptedLast30Days: {
        ...claimDaily(
          { en: 'Partly accepted (30 d)', 'zh-CN': '部分批准（30天）' },
          'claimsPartlyAcceptedByDay',
        ),
        group: DECISIONS_GROUP,
      },
      claimsRejectedLast30Days: {
        ...claimDaily({ en: 'Rejected (30 d)', 'zh-CN': '拒赔（30天）' }, 'claimsRejectedByDay'),
        group: DECISIONS_GROUP,
      },
      claimsPaidLast30Days: claimDaily(
        { en: 'Claims paid (30 d)', 'zh-CN': '索赔结算（30天）' },
        'claimsPaidByDay',
      ),
      claimsPaidAmountLast30Days: {
        ...claimDaily({ en: 'Amount paid (30 d)', 'zh-CN': '结算金额（30天）' }, 'claimsPaidAmountByDay'),
        unit: 'money',
      },
      ...REASON_FIGURES,
    },
    on: {
      'claim.changed': (e) => claimChangeFigures(e.data),
    },
    ratios: {
      // 拒赔率: rejections over every decision (an appeal's decision is one more).
      claimRejectionRate: perDecision(
        { en: 'Rejection rate (30 d)', 'zh-CN': '拒赔率（30天）' },
        'claimsRejectedLast30Days',
      ),
      claimAcceptanceRate: perDecision(
        { en: 'Accepted in full (30 d)', 'zh-CN': '全额批准率（30天）' },
        'claimsAcceptedLast30Days',
      ),
      // 回款率: paid over claimed in the window (not the same claims: payment lags filing by weeks).
      claimPaidShare: {
        label: { en: 'Paid of claimed (30 d)', 'zh-CN': '结算/索赔金额比（30天）' },
        numerator: 'claimsPaidAmountLast30Days',
        denominator: ['claimedAmountLast30Days'],
      },
    },
  },
});
