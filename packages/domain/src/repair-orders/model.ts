import * as z from 'zod';
import { AppointmentLine } from '../appointments/model.ts';
import { WarrantyProblem } from '../lemon-law/model.ts';
import { BinLocation, PartNumber, Quantity } from '../parts/model.ts';
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
import { BasisPoints, Currency, Money } from '../platform/money.ts';
import { patchSchema } from '../platform/patch.ts';
import { StoreRole } from '../platform/tenancy.ts';
import { Signature } from '../purchasing/model.ts';
import { Bilingual, Payer } from '../setup/model.ts';

/**
 * 维修工单 / 委托书: the repair order, from reception (接待) to delivery (交车). Its header and its job
 * lines are state machines (`RO_MOVES`, `JOB_LINE_MOVES` in rules.ts); quotes are versioned and approved
 * line by line; clockings, quality checks (三检) and the settlement (结算) hang off the lines.
 * DOMAIN.md § The service workflow, steps 2–6.
 */

// ——— States ———————————————————————————————————————————————————————————————————————————————

/** 工单状态: reception → diagnosis → quote → approval → repair → 三检 → ready → settled → delivered. */
export const RepairOrderStatus = z.enum([
  'checked_in', // 已接车
  'diagnosing', // 诊断中
  'quoted', // 已报价
  'approved', // 客户已确认
  'in_progress', // 维修中
  'quality_check', // 质检中
  'ready', // 待结算 (every approved line passed its final check)
  'settled', // 已结算
  'delivered', // 已交车
  'cancelled', // 已取消
]);
export type RepairOrderStatus = z.infer<typeof RepairOrderStatus>;

/**
 * 项目状态 of one job line. `proposed` is written, not yet offered; the customer approves or declines
 * what is `awaiting_approval`; the workshop works only on what is approved. The three checks move
 * `done` → `self_checked` (自检) → `team_checked` (互检) → `checked` (总检); a failure is `rework` (返工).
 */
export const JobLineStatus = z.enum([
  'proposed',
  'awaiting_approval',
  'approved',
  'declined',
  'dispatched',
  'in_progress',
  'paused',
  'done',
  'self_checked',
  'team_checked',
  'checked',
  'rework',
]);
export type JobLineStatus = z.infer<typeof JobLineStatus>;

/** Where a line came from: the customer's concern at reception, or 增修 found by a technician during work. */
export const JobLineOrigin = z.enum(['reception', 'add_on']);
export type JobLineOrigin = z.infer<typeof JobLineOrigin>;

// ——— The header ————————————————————————————————————————————————————————————————————————————

/** 油量 on arrival, in eighths as the gauge reads (0 empty, 8 full). */
export const FuelLevel = z.int().check(z.gte(0), z.lte(8));

/** Where the RO came from: a booking (预约) or a walk-in (直接到店). */
export const RepairOrderSource = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('booking'), appointmentId: RequiredText }),
  z.strictObject({ kind: z.literal('walk_in') }),
]);
export type RepairOrderSource = z.infer<typeof RepairOrderSource>;

/** 事故车: the insurer, its claim number and the assessed amount (定损金额) once the assessor has set it. */
export const AccidentDetails = z.strictObject({
  insurer: filledText(80),
  claimNumber: filledText(60),
  assessedAmount: Money.optional(),
});
export type AccidentDetails = z.infer<typeof AccidentDetails>;

/** A line the customer declined on an earlier order of the vehicle, taken up again by a concern. */
export const DeclinedRef = z.strictObject({ repairOrderId: RequiredText, lineId: RequiredText });
export type DeclinedRef = z.infer<typeof DeclinedRef>;

/** 问诊: one concern in the customer's own words, kept as said (the line's complaint starts from it). */
export const Concern = z.strictObject({
  id: RequiredText,
  words: filledText(500, 'Write what the customer says.'),
  /** The declined work of an earlier visit this concern offers again (it is then no longer offered). */
  declinedFrom: DeclinedRef.optional(),
});
export type Concern = z.infer<typeof Concern>;

// ——— Job lines (维修项目) ———————————————————————————————————————————————————————————————————

/** A labour operation of the catalogue on a line: its flat-rate tenths for this model, at the payer's rate. */
export const LabourLine = z.strictObject({
  /** The catalogue's operation as a booking snapshots it: id, code, name, 标准工时 in tenths (15 is 1.5 h). */
  ...AppointmentLine.pick({ labourOpId: true, code: true, name: true, tenths: true }).shape,
  /** 工时单价 of the line's payer when priced. */
  rate: Money,
});
export type LabourLine = z.infer<typeof LabourLine>;

/** A part on a line (the parts ledger reserves and issues it against the RO): unit price before VAT. */
export const PartLine = z.strictObject({
  partId: RequiredText,
  partNumber: PartNumber,
  name: Bilingual.optional(),
  quantity: Quantity,
  unitPrice: Money,
});
export type PartLine = z.infer<typeof PartLine>;

/** 辅料: consumables charged as an amount (cleaner, rags, sealant), not stocked per unit. */
export const ConsumableLine = z.strictObject({ name: filledText(60), amount: Money });
export type ConsumableLine = z.infer<typeof ConsumableLine>;

/** The work and price of a line: what a quote prices and a change after approval re-quotes. */
export const LineWork = z.strictObject({
  /** 3C: complaint (现象), cause (原因), correction (措施). */
  complaint: filledText(500),
  cause: trimmedText(500).optional(),
  correction: trimmedText(500).optional(),
  payer: Payer,
  labour: z.array(LabourLine).check(z.maxLength(20)).default([]),
  parts: z.array(PartLine).check(z.maxLength(40)).default([]),
  consumables: z.array(ConsumableLine).check(z.maxLength(20)).default([]),
  /** Discount on the line's subtotal in basis points (1000 = 10 %), rounded once to the fen. */
  discountBp: BasisPoints.default(0),
  /**
   * 故障: the fault a warranty or goodwill line fixes, coded (system, defect code, serious safety, what
   * was replaced) for the vehicle's 三包 counters (lemon-law `repairVisitOf`) and the claim.
   */
  fault: WarrantyProblem.optional(),
});
export type LineWorkInput = z.input<typeof LineWork>;

export type LineWork = z.output<typeof LineWork>;

/**
 * A line's work as the advisor sends it: operations and parts by their catalogue ids, so hours (for the
 * vehicle's model), names and prices come from the catalogue and the rate from the payer, never from
 * the client. A part's `unitPrice` overrides its list price (a negotiated price, shown on the quote).
 */
export const LineWorkRequest = z.strictObject({
  ...LineWork.shape,
  labour: z
    .array(z.strictObject({ labourOpId: RequiredText }))
    .check(z.maxLength(20))
    .default([]),
  parts: z
    .array(z.strictObject({ partId: RequiredText, quantity: Quantity, unitPrice: Money.optional() }))
    .check(z.maxLength(40))
    .default([]),
});
export type LineWorkRequest = z.output<typeof LineWorkRequest>;

/** Why a technician stops the clock (暂停原因). */
export const PauseReason = z.enum([
  'waiting_parts',
  'waiting_approval',
  'waiting_diagnosis',
  'break',
  'other',
]);
export type PauseReason = z.infer<typeof PauseReason>;

/** 工时记录: one stretch of a technician's work on a line; open while `endedAt` is absent. */
export const Clocking = z.object({
  technicianId: RequiredText,
  startedAt: Instant,
  endedAt: Instant.optional(),
  /** Why the stretch ended without the line being done. */
  pauseReason: PauseReason.optional(),
  pauseNote: trimmedText(200).optional(),
  /** Clocked on where the store lets a technician work two lines at once: not held exclusively. */
  concurrent: z.boolean().optional(),
});
export type Clocking = z.infer<typeof Clocking>;

/** Clocking off: the line is done, or paused with its reason (waiting for parts, approval, diagnosis…). */
export const ClockOffInput = z
  .strictObject({
    outcome: z.enum(['paused', 'done']),
    pauseReason: PauseReason.optional(),
    note: trimmedText(200).optional(),
  })
  .check(
    z.superRefine((c, ctx) => {
      if (c.outcome === 'paused' && !c.pauseReason)
        ctx.addIssue({ code: 'custom', path: ['pauseReason'], message: 'Say why the work is paused.' });
    }),
  );
export type ClockOffInput = z.infer<typeof ClockOffInput>;

/** 派工: the technician (matched to the work's level and skill by the caller) and the bay. */
export const DispatchInput = z.strictObject({ technicianId: RequiredText, bayId: RequiredText.optional() });
export type DispatchInput = z.infer<typeof DispatchInput>;

/** 三检: self-check by the technician (自检), team check (互检), final check (总检). */
export const CheckStage = z.enum(['self', 'team', 'final']);
export type CheckStage = z.infer<typeof CheckStage>;

export const QualityCheckInput = z
  .strictObject({
    stage: CheckStage,
    passed: z.boolean(),
    reason: trimmedText(300).optional(),
  })
  .check(
    z.superRefine((c, ctx) => {
      if (!c.passed && !c.reason)
        ctx.addIssue({ code: 'custom', path: ['reason'], message: 'Say why the check failed.' });
    }),
  );
export type QualityCheckInput = z.infer<typeof QualityCheckInput>;

/** A check as recorded on the line: the verdict, who gave it and when. */
export const QualityCheck = z.object({
  stage: CheckStage,
  passed: z.boolean(),
  reason: z.string().optional(),
  by: Signature,
});
export type QualityCheck = z.infer<typeof QualityCheck>;

// ——— Parts issued against a line (领料 · 以旧换新) ——————————————————————————————————————————————

/**
 * What became of the part taken off the car when its replacement was issued (以旧换新): kept for a
 * warranty claim (三包旧件), handed back to the customer, scrapped — or nothing was taken off (a fluid,
 * an accessory), which needs a note.
 */
export const OldPartFate = z.enum(['retained_for_claim', 'returned_to_customer', 'scrapped', 'none_removed']);
export type OldPartFate = z.infer<typeof OldPartFate>;

/** The parts counter issues a line's part: from which bin, how many, and the old part's fate. */
export const PartIssueInput = z
  .strictObject({
    partId: RequiredText,
    bin: BinLocation,
    quantity: Quantity,
    /** Taken from what the RO reserved (picked before work) rather than from free stock. */
    fromReservation: z.boolean().default(false),
    oldPart: OldPartFate,
    note: trimmedText(200).optional(),
  })
  .check(
    z.superRefine((i, ctx) => {
      if (i.oldPart === 'none_removed' && !i.note)
        ctx.addIssue({ code: 'custom', path: ['note'], message: 'Say why no old part was handed in.' });
    }),
  );
export type PartIssueInput = z.input<typeof PartIssueInput>;
export type PartIssueFields = z.output<typeof PartIssueInput>;

/** 退料: parts issued but not used go back to a bin. */
export const PartReturnInput = z.strictObject({ partId: RequiredText, bin: BinLocation, quantity: Quantity });
export type PartReturnInput = z.infer<typeof PartReturnInput>;

/** One issue (positive) or return (negative) of a line's part, as the line keeps it. */
export const PartIssue = z.object({
  partId: RequiredText,
  partNumber: z.string(),
  quantity: z.int(),
  oldPart: OldPartFate.optional(),
  note: z.string().optional(),
  by: Signature,
});
export type PartIssue = z.infer<typeof PartIssue>;

// ——— 会诊: a hard fault put to the technical director ————————————————————————————————————————

/** What the technician or advisor writes when escalating, and what the technical director answers. */
export const EscalationNoteInput = z.strictObject({
  note: filledText(500, 'Write what the fault is and what was tried (or the answer).'),
});
export type EscalationNoteInput = z.infer<typeof EscalationNoteInput>;

/** One 会诊 on a line: the question with who asked, and the technical director's answer once given. */
export const Escalation = z.object({
  note: z.string(),
  by: Signature,
  answer: z.object({ note: z.string(), by: Signature }).optional(),
});
export type Escalation = z.infer<typeof Escalation>;

export const JobLine = z.object({
  id: RequiredText,
  /** The concern it answers (absent for work the advisor or a technician adds). */
  concernId: RequiredText.optional(),
  origin: JobLineOrigin,
  status: JobLineStatus,
  ...LineWork.shape,
  /** The technician who found an add-on (增修 starts on the workshop floor). */
  reportedBy: Signature.optional(),
  /** 派工: the technician and bay it is given to. */
  technicianId: RequiredText.optional(),
  bayId: RequiredText.optional(),
  clockings: z.array(Clocking),
  checks: z.array(QualityCheck),
  /** Times a check sent it back (返工): a line with none was fixed first time (一次修复). */
  reworkCount: Count,
  /** Parts issued to it and returned from it, in order (the ledger holds the stock side). */
  partIssues: z.array(PartIssue).default([]),
  /** 会诊 asked on this line, oldest first; the last is open while it has no answer. */
  escalations: z.array(Escalation).optional(),
});
export type JobLine = z.infer<typeof JobLine>;

// ——— Quotes and approvals (报价 · 确认) —————————————————————————————————————————————————————

/** Money of one line or one payer as the quote and settlement show it, all in minor units (fen). */
export const LineTotals = z.object({
  labour: Count,
  parts: Count,
  consumables: Count,
  /** Before discount. */
  subtotal: Count,
  discount: Count,
  /** After discount, before tax. */
  net: Count,
});
export type LineTotals = z.infer<typeof LineTotals>;

export const QuoteLine = z.object({
  lineId: RequiredText,
  payer: Payer,
  totals: LineTotals,
  /** Put to the customer in this version; other lines are shown as already approved. */
  offered: z.boolean(),
});
export type QuoteLine = z.infer<typeof QuoteLine>;

/** One payer's share: its lines' net sum, the VAT on it (rounded once) and the total. */
export const PayerTotals = z.object({ payer: Payer, net: Count, tax: Count, total: Count });
export type PayerTotals = z.infer<typeof PayerTotals>;

/** 报价: one version, frozen when issued. A change after approval is a new version, never an edit. */
export const Quote = z.object({
  version: Version,
  /** Every line of work not declined, so the customer sees the whole price; `offered` are to approve. */
  lines: z.array(QuoteLine),
  byPayer: z.array(PayerTotals),
  taxRateBp: BasisPoints,
  total: Count,
  currency: Currency,
  issuedBy: Signature,
});
export type Quote = z.infer<typeof Quote>;

/** How the customer gave their word: a signature drawn at the counter, or the one-time link (远程确认). */
export const ApprovalMethod = z.enum(['counter_signature', 'remote_link']);
export type ApprovalMethod = z.infer<typeof ApprovalMethod>;

/** How an approval names its signature (客户签字): the image sealed on the order, `photo:<photoId>`. */
export const SignatureRef = z
  .string()
  .regex(/^photo:pho_[0-9A-HJKMNP-TV-Z]{26}$/, 'The sealed signature image, as `photo:<photoId>`.')
  .meta({ example: 'photo:pho_01JD0000000000000000000000' });

export function signatureRef(photoId: string): string {
  return `photo:${photoId}`;
}

export const LineDecision = z.strictObject({ lineId: RequiredText, approved: z.boolean() });

/** The customer's word on a quote version, line by line. */
export const QuoteApprovalInput = z
  .strictObject({
    quoteVersion: Version,
    method: ApprovalMethod,
    /** Who approved: the customer's name as signed, or as the link was sent to. */
    approverName: filledText(60),
    /** Where from: the counter tablet's id, or the link's client address. */
    from: filledText(120),
    /** The signature drawn at the counter, sealed on the order first (`photo:<photoId>`); absent for a link. */
    signatureRef: SignatureRef.optional(),
    decisions: z.array(LineDecision).check(z.minLength(1, 'Approve or decline at least one line.')),
    /** 增修 re-sets the promised time when it is approved. */
    promisedAt: Instant.optional(),
  })
  .check(
    z.superRefine((a, ctx) => {
      const seen = new Set<string>();
      a.decisions.forEach((d, i) => {
        if (seen.has(d.lineId))
          ctx.addIssue({
            code: 'custom',
            path: ['decisions', i, 'lineId'],
            message: 'Decide each line once.',
          });
        seen.add(d.lineId);
      });
      if (a.method === 'counter_signature' && !a.signatureRef)
        ctx.addIssue({
          code: 'custom',
          path: ['signatureRef'],
          message: 'A counter approval needs the signature.',
        });
    }),
  );
export type QuoteApprovalInput = z.infer<typeof QuoteApprovalInput>;

/** 确认记录: who, when, how, from where and which version — kept for a dispute. */
export const Approval = z.object({
  quoteVersion: Version,
  method: ApprovalMethod,
  approverName: z.string(),
  from: z.string(),
  signatureRef: z.string().optional(),
  approvedLineIds: z.array(RequiredText),
  declinedLineIds: z.array(RequiredText),
  /** The advisor who recorded it (counter), or the link's sender (remote). */
  recordedBy: Signature,
  at: Instant,
});
export type Approval = z.infer<typeof Approval>;

// ——— Settlement (结算) ————————————————————————————————————————————————————————————————————

export const PaymentMethod = z.enum(['cash', 'card', 'wechat', 'alipay', 'bank_transfer']);
export const CustomerPayment = z.strictObject({
  method: PaymentMethod,
  reference: trimmedText(80).optional(),
  amount: Money,
});
export type CustomerPayment = z.infer<typeof CustomerPayment>;

/**
 * What becomes of a payer's share: the customer pays it at the counter; warranty and goodwill become
 * claimable lines (三包/索赔); the insurer's an amount receivable; internal work a cost of the store.
 */
export const ShareOutcome = z.enum(['paid', 'claimable', 'receivable', 'internal']);

export const RepairOrderSettlementInput = z.strictObject({
  payments: z.array(CustomerPayment).check(z.maxLength(10)).default([]),
});
export type RepairOrderSettlementInput = z.input<typeof RepairOrderSettlementInput>;
export type RepairOrderSettlementFields = z.output<typeof RepairOrderSettlementInput>;

export const Settlement = z.object({
  shares: z.array(PayerTotals.extend({ outcome: ShareOutcome })),
  total: Count,
  payments: z.array(CustomerPayment),
  settledBy: Signature,
});
export type Settlement = z.infer<typeof Settlement>;

// ——— Delivery (交车) ————————————————————————————————————————————————————————————————————————

/** What became of the old parts (旧件): handed back, kept for a warranty claim, scrapped, or none taken out. */
export const OldPartsOutcome = z.enum(['returned_to_customer', 'retained_for_claim', 'scrapped', 'none']);

/**
 * 三包除外天数: the whole days of the visit the 三包 counters leave out of its repair days, as the advisor
 * states them at delivery, when the visit's facts are final (lemon-law `repairVisitOf` reads them). The
 * statutes count from signing to the pick-up notice less these; each ruleset says which it excludes.
 * Bounded by the visit (`requireLemonLawDaysWithinVisit`).
 */
export const LemonLawDays = z.strictObject({
  /** 等待防盗/线束等除外配件天数: waiting for VIN-coded anti-theft parts or the main wiring harness (every ruleset). */
  excludedPartWaitDays: Count.default(0),
  /** 动力电池运输天数: waiting for a power battery to be shipped (CN-2022 excludes them). */
  batteryShippingDays: Count.default(0),
  /** 代步车天数: days the customer drove a loaner meanwhile (US-TX excludes them from days out of service). */
  loanerDays: Count.default(0),
});
export type LemonLawDaysInput = z.input<typeof LemonLawDays>;
export type LemonLawDays = z.output<typeof LemonLawDays>;

/** 交车检查: the delivery checklist as the advisor ticks it with the customer. */
export const DeliveryInput = z.strictObject({
  /** Keys handed over: a delivery without them is not a delivery. */
  keysHandedOver: z.literal(true, 'Hand over the keys before recording the delivery.'),
  /** The valuables noted at the walk-around are back with the customer. */
  valuablesReturned: z.boolean(),
  /** The work was explained on the settlement sheet (工作内容说明). */
  workExplained: z.boolean(),
  oldParts: OldPartsOutcome,
  note: trimmedText(300).optional(),
  /** 三包除外天数, for an order with warranty or goodwill work (the 三包 visits); none sent counts as 0. */
  lemonLaw: LemonLawDays.optional(),
});
export type DeliveryInput = z.infer<typeof DeliveryInput>;

export const Delivery = DeliveryInput.extend({ by: Signature });
export type Delivery = z.infer<typeof Delivery>;

// ——— The repair order ——————————————————————————————————————————————————————————————————————

export const RepairOrder = z.object({
  id: RequiredText,
  storeId: RequiredText,
  status: RepairOrderStatus,
  source: RepairOrderSource,
  vehicleId: RequiredText,
  customerId: RequiredText,
  /** 服务顾问 who owns it. */
  advisorId: RequiredText,
  /** For boards and prints without a read per RO: snapshots at check-in. */
  plate: trimmedText(12).optional(),
  customerName: trimmedText(120).optional(),
  odometerKm: Kilometres,
  fuelLevel: FuelLevel,
  /** 预计交车时间; re-set when add-on work is approved. */
  promisedAt: Instant,
  concerns: z.array(Concern),
  accident: AccidentDetails.optional(),
  lines: z.array(JobLine),
  quotes: z.array(Quote),
  approvals: z.array(Approval),
  settlement: Settlement.optional(),
  deliveredAt: Instant.optional(),
  /** 返修: the vehicle's previous RO, when this one opened within {@link COMEBACK_DAYS} of its delivery. */
  comebackOf: RequiredText.optional(),
  delivery: Delivery.optional(),
  cancelReason: trimmedText(300).optional(),
  version: Version,
  createdAt: Instant,
  updatedAt: Instant,
});
export type RepairOrder = z.infer<typeof RepairOrder>;

/** 接车: what reception sends to open an RO. */
export const CheckInInput = z.strictObject({
  source: RepairOrderSource,
  vehicleId: RequiredText,
  customerId: RequiredText,
  odometerKm: Kilometres,
  fuelLevel: FuelLevel,
  promisedAt: Instant,
  concerns: z
    .array(
      z.strictObject({
        words: Concern.shape.words,
        payer: Payer.default('customer'),
        declinedFrom: DeclinedRef.optional(),
      }),
    )
    .check(z.minLength(1, 'Write at least one concern in the customer’s words.'), z.maxLength(20)),
  accident: AccidentDetails.optional(),
});
export type CheckInInput = z.input<typeof CheckInInput>;
export type CheckInFields = z.output<typeof CheckInInput>;

/**
 * The header's edits (PATCH): the promised time (预计交车时间), and concerns re-worded by id as the
 * customer meant them. Concerns are neither added nor removed here: new work is a line.
 */
export const RepairOrderPatch = patchSchema({
  promisedAt: Instant,
  concerns: z
    .array(z.strictObject({ id: Concern.shape.id, words: Concern.shape.words }))
    .check(z.minLength(1), z.maxLength(20)),
});
export type RepairOrderPatch = z.infer<typeof RepairOrderPatch>;

/** The moves staff make by hand; the rest follow from the lines (rules.ts `statusFromLines`). */
export const RepairOrderTransitionInput = z
  .strictObject({
    to: z.enum(['diagnosing', 'cancelled']),
    reason: trimmedText(300).optional(),
  })
  .check(
    z.superRefine((input, ctx) => {
      if (input.to === 'cancelled' && !input.reason)
        ctx.addIssue({ code: 'custom', path: ['reason'], message: 'Say why it is cancelled.' });
    }),
  );
export type RepairOrderTransitionInput = z.infer<typeof RepairOrderTransitionInput>;

// ——— The workshop board (控工看板) ———————————————————————————————————————————————————————————

/** A job line as the board shows it: its state, who has it, and its flat-rate against clocked time. */
export const BoardLine = z.object({
  lineId: RequiredText,
  status: JobLineStatus,
  complaint: z.string(),
  technicianId: z.string().optional(),
  bayId: z.string().optional(),
  /** 标准工时 in tenths of an hour. */
  flatRateTenths: Count,
  clockedMinutes: Count,
  /** Clocked on now (an open clocking), and since when. */
  clockedOnSince: Instant.optional(),
  /** Why the last stretch stopped, while the line is paused. */
  pauseReason: PauseReason.optional(),
  /** 会诊: put to the technical director at this time and not yet answered. */
  escalatedAt: Instant.optional(),
});
export type BoardLine = z.infer<typeof BoardLine>;

/** One open RO on the board: enough to show its card without reading the order. */
export const BoardCard = z.object({
  repairOrderId: RequiredText,
  status: RepairOrderStatus,
  plate: z.string().optional(),
  customerName: z.string().optional(),
  advisorId: RequiredText,
  /** The advisor's name from the store's staff (absent for someone no longer among them). */
  advisorName: z.string().optional(),
  promisedAt: Instant,
  /** Minutes past the promised time (0 while on time). */
  lateMinutes: Count,
  lines: z.array(BoardLine),
  version: Version,
});
export type BoardCard = z.infer<typeof BoardCard>;

/** A technician on the board: what they are clocked on now. */
export const BoardTechnician = z.object({
  technicianId: RequiredText,
  name: z.string(),
  /** Clocked on: the RO and line; absent when free. */
  on: z.array(z.object({ repairOrderId: RequiredText, lineId: RequiredText, since: Instant })),
  /** Lines given to them not yet done. */
  queued: Count,
});
export type BoardTechnician = z.infer<typeof BoardTechnician>;

export const WorkshopBoard = z.object({
  at: Instant,
  cards: z.array(BoardCard),
  technicians: z.array(BoardTechnician),
  /** More open ROs than one board shows: the rest are on the list's next pages. */
  truncated: z.boolean(),
});
export type WorkshopBoard = z.infer<typeof WorkshopBoard>;

// ——— The store's figures (集团看板) ——————————————————————————————————————————————————————————

/** A car back within this many days of its last delivery is a comeback (返修). */
export const COMEBACK_DAYS = 30;

/**
 * One technician's work on a delivered RO: the flat-rate tenths of the lines given to them and the
 * minutes they clocked, from which labour efficiency (工时效率 = flat-rate ÷ clocked) is counted.
 */
export const TechnicianLabour = z.object({
  technicianId: RequiredText,
  flatRateTenths: Count,
  clockedMinutes: Count,
});
export type TechnicianLabour = z.infer<typeof TechnicianLabour>;

/** The store's repair-order figures are counted over its last 30 days, per store-local day. */
const RO_WINDOW_DAYS = 30;
const REVENUE_GROUP: FigureGroup = {
  key: 'repairOrderRevenue',
  label: { en: 'RO revenue (30 d)', 'zh-CN': '工单产值（30天）' },
};
const PAYER_LABELS: Record<Payer, { en: string; 'zh-CN': string }> = {
  customer: { en: 'Customer pay (30 d)', 'zh-CN': '客户付费（30天）' },
  warranty: { en: 'Warranty (30 d)', 'zh-CN': '保修（30天）' },
  goodwill: { en: 'Goodwill (30 d)', 'zh-CN': '善意维修（30天）' },
  insurance: { en: 'Insurance (30 d)', 'zh-CN': '保险（30天）' },
  internal: { en: 'Internal (30 d)', 'zh-CN': '内部（30天）' },
};

/** The HQ figure of one payer's settled revenue (net of VAT, fen) over the last 30 days. */
export type RevenueFigure<P extends Payer = Payer> = `${P}RevenueLast30Days`;
export function revenueFigure<P extends Payer>(payer: P): RevenueFigure<P> {
  return `${payer}RevenueLast30Days`;
}
type RevenueDeclarations = {
  [P in Payer as RevenueFigure<P>]: {
    label: { en: string; 'zh-CN': string };
    unit: 'money';
    group: FigureGroup;
    daily: { stored: `${P}RevenueByDay`; days: number };
  };
};
const REVENUE_FIGURES = Object.fromEntries(
  Payer.options.map((payer) => [
    revenueFigure(payer),
    {
      label: PAYER_LABELS[payer],
      unit: 'money',
      group: REVENUE_GROUP,
      daily: { stored: `${payer}RevenueByDay`, days: RO_WINDOW_DAYS },
    },
  ]),
) as RevenueDeclarations;

/** What a settlement adds to each payer's revenue, on the day it was settled. */
export function revenueOf(
  shares: readonly { payer: Payer; net: number }[],
  at: string,
): Partial<Record<RevenueFigure, DailyAmount>> {
  const revenue: Partial<Record<RevenueFigure, DailyAmount>> = {};
  for (const { payer, net } of shares) {
    const figure = revenueFigure(payer);
    revenue[figure] = { at, amount: (revenue[figure]?.amount ?? 0) + net };
  }
  return revenue;
}

/** Flat-rate tenths and clocked minutes of a delivery, over its technicians. */
export function labourOf(labour: readonly TechnicianLabour[]): { flat: number; clocked: number } {
  return labour.reduce(
    (t, l) => ({ flat: t.flat + l.flatRateTenths, clocked: t.clocked + l.clockedMinutes }),
    { flat: 0, clocked: 0 },
  );
}

/** A count per store-local day, summed over the window when read. */
const daily = <S extends string>(en: string, zh: string, stored: S) => ({
  label: { en, 'zh-CN': zh },
  daily: { stored, days: RO_WINDOW_DAYS },
});
/** A share of the delivered orders (on time, fixed first time, comebacks). */
const perDelivery = <const N extends string>(label: { en: string; 'zh-CN': string }, numerator: N) => ({
  label,
  numerator,
  denominator: ['repairOrdersDeliveredLast30Days'] as const,
});

// ——— The capability ————————————————————————————————————————————————————————————————————————

const RoId = z.object({ repairOrderId: RequiredText });
const LineId = RoId.extend({ lineId: RequiredText });

/** 维修工单: the front office opens, quotes and settles; the workshop dispatches, works and checks. */
export const REPAIR_ORDERS = defineCapability({
  aggregates: {
    repairOrder: [
      'check_in',
      'diagnose',
      'add_line',
      'add_on',
      'quote',
      'approve',
      'dispatch',
      'clock',
      'check',
      'settle',
      'deliver',
      'cancel',
      'issue_parts',
      'escalate',
      'answer_escalation',
    ],
    /** 环车检查 (walk-around.ts): its own record beside the order; a photo's seal is audited as such. */
    walkAround: ['seal_photo'],
  },
  events: {
    'repairOrder.opened': RoId.extend({
      vehicleId: RequiredText,
      customerId: RequiredText,
      source: z.enum(['booking', 'walk_in']),
      at: Instant,
      /** 返修: the vehicle's previous RO, delivered within {@link COMEBACK_DAYS} before this one opened. */
      comebackOf: RequiredText.optional(),
    }),
    /** The header edited: which of its fields changed. */
    'repairOrder.updated': RoId.extend({ fields: z.array(z.string()) }),
    'repairOrder.statusChanged': RoId.extend({ from: RepairOrderStatus, to: RepairOrderStatus, at: Instant }),
    'repairOrder.lineStatusChanged': LineId.extend({ from: JobLineStatus, to: JobLineStatus, at: Instant }),
    'repairOrder.quoted': RoId.extend({ quoteVersion: Version, total: Count }),
    'repairOrder.approvalRecorded': RoId.extend({
      quoteVersion: Version,
      method: ApprovalMethod,
      approved: z.array(RequiredText),
      declined: z.array(RequiredText),
    }),
    'repairOrder.lineReworked': LineId.extend({
      technicianId: z.string().optional(),
      stage: CheckStage,
      at: Instant,
    }),
    /** 会诊: a line put to the technical director, and the answer that returns it to work. */
    'repairOrder.lineEscalated': LineId.extend({ at: Instant }),
    'repairOrder.escalationAnswered': LineId.extend({ at: Instant }),
    'repairOrder.settled': RoId.extend({ shares: z.array(PayerTotals), at: Instant }),
    'repairOrder.delivered': RoId.extend({
      vehicleId: RequiredText,
      promisedAt: Instant,
      onTime: z.boolean(),
      firstTimeFix: z.boolean(),
      at: Instant,
      /** Per technician: flat-rate tenths of their lines and minutes clocked (absent before it was added). */
      labour: z.array(TechnicianLabour).default([]),
    }),
  },
  permissions: {
    /** Every store role follows the car (the board, the parts desk, claims, customer care). */
    'repair_order:read': StoreRole.options,
    /** Reception, lines and quotes: the front office (服务顾问 owns the RO). */
    'repair_order:write': ['service_manager', 'front_desk_supervisor', 'service_advisor'],
    /** Recording the customer's word at the counter. */
    'repair_order:approve': ['service_manager', 'front_desk_supervisor', 'service_advisor'],
    /** 派工: the workshop manager assigns technicians and bays. */
    'repair_order:dispatch': ['service_manager', 'workshop_manager'],
    /** Clocking on and off, and reporting add-on work found (增修): the workshop floor. */
    'repair_order:clock': ['workshop_manager', 'technician'],
    /** 三检: technicians self- and team-check; the workshop manager and technical director give the final. */
    'repair_order:check': ['technical_director', 'workshop_manager', 'technician'],
    /** 会诊: whoever meets a hard fault (the floor, or the advisor diagnosing) puts it to the director. */
    'repair_order:escalate': [
      'service_manager',
      'front_desk_supervisor',
      'service_advisor',
      'workshop_manager',
      'technician',
    ],
    /** 会诊: the technical director answers. */
    'repair_order:consult': ['technical_director'],
    /** 结算 and 交车. */
    'repair_order:settle': ['service_manager', 'front_desk_supervisor', 'service_advisor'],
  },
  figures: {
    figures: {
      repairOrdersOpenedLast30Days: daily('ROs opened (30 d)', '开单（30天）', 'repairOrdersOpenedByDay'),
      repairOrdersDeliveredLast30Days: daily(
        'ROs delivered (30 d)',
        '交车（30天）',
        'repairOrdersDeliveredByDay',
      ),
      deliveredOnTimeLast30Days: daily(
        'Delivered on time (30 d)',
        '按时交车（30天）',
        'deliveredOnTimeByDay',
      ),
      // 一次修复: delivered without any line sent back by a check.
      firstTimeFixesLast30Days: daily('Fixed first time (30 d)', '一次修复（30天）', 'firstTimeFixesByDay'),
      ...REVENUE_FIGURES,
      // 标准工时 sold and hours clocked on delivered ROs: labour efficiency and hours per RO.
      flatRateTenthsLast30Days: daily(
        'Flat-rate tenths (30 d)',
        '标准工时×10（30天）',
        'flatRateTenthsByDay',
      ),
      clockedMinutesLast30Days: daily(
        'Clocked minutes (30 d)',
        '实际工时分钟（30天）',
        'clockedMinutesByDay',
      ),
      // 返修: counted on the day the car came back.
      comebacksLast30Days: daily('Comebacks (30 d)', '返修（30天）', 'comebacksByDay'),
    },
    on: {
      'repairOrder.opened': (e) => ({
        repairOrdersOpenedLast30Days: e.data.at,
        comebacksLast30Days: e.data.comebackOf ? e.data.at : undefined,
      }),
      'repairOrder.settled': (e) => revenueOf(e.data.shares, e.data.at),
      'repairOrder.delivered': (e) => {
        const { flat, clocked } = labourOf(e.data.labour ?? []);
        return {
          repairOrdersDeliveredLast30Days: e.data.at,
          deliveredOnTimeLast30Days: e.data.onTime ? e.data.at : undefined,
          firstTimeFixesLast30Days: e.data.firstTimeFix ? e.data.at : undefined,
          flatRateTenthsLast30Days: flat ? { at: e.data.at, amount: flat } : undefined,
          clockedMinutesLast30Days: clocked ? { at: e.data.at, amount: clocked } : undefined,
        };
      },
    },
    ratios: {
      onTimeRate: perDelivery(
        { en: 'On-time delivery (30 d)', 'zh-CN': '按时交车率（30天）' },
        'deliveredOnTimeLast30Days',
      ),
      firstTimeFixRate: perDelivery(
        { en: 'First-time fix (30 d)', 'zh-CN': '一次修复率（30天）' },
        'firstTimeFixesLast30Days',
      ),
      // 工时效率: flat-rate minutes (tenths × 6) over clocked minutes; above 100 % is faster than the book.
      labourEfficiency: {
        label: { en: 'Labour efficiency (30 d)', 'zh-CN': '工时效率（30天）' },
        numerator: 'flatRateTenthsLast30Days',
        denominator: ['clockedMinutesLast30Days'],
        scale: 6,
      },
      hoursPerRepairOrder: {
        ...perDelivery(
          { en: 'Hours clocked per RO (30 d)', 'zh-CN': '单车工时（30天）' },
          'clockedMinutesLast30Days',
        ),
        unit: 'times',
        scale: 1 / 60,
      },
      comebackRate: perDelivery(
        { en: 'Comeback rate (30 d)', 'zh-CN': '返修率（30天）' },
        'comebacksLast30Days',
      ),
    },
  },
});
