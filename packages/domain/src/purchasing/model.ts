import * as z from 'zod';
import { IsoDate } from '../appointments/model.ts';
import { BinLocation, Quantity, StockDocument } from '../parts/model.ts';
import { defineCapability } from '../platform/capability.ts';
import { Count, filledText, Instant, RequiredText, trimmedText, Version } from '../platform/fields.ts';
import { Money } from '../platform/money.ts';
import { Bilingual } from '../setup/model.ts';

/**
 * 采购 · 入库: shortages collect into a purchase plan (采购计划) that the parts manager and then the
 * after-sales manager approve; approved lines become purchase orders per supplier (采购订单); deliveries
 * are received through three inspections (三检) and put away into bins (上架), every accepted quantity a
 * `receive` movement of the stock ledger. DOMAIN.md § Parts and warehouse: plan → purchase → receive.
 */

/** 计划状态: a plan is edited while draft, then approved in two steps (部门 → 售后经理), or rejected. */
export const PlanStatus = z.enum(['draft', 'parts_approved', 'approved', 'rejected']);
export type PlanStatus = z.infer<typeof PlanStatus>;

/** Why a line is on the plan: below min stock (低于最低库存), a document short of the part (缺件), or by hand. */
export const PlanLineSource = z.enum(['below_min', 'short_need', 'manual']);
export type PlanLineSource = z.infer<typeof PlanLineSource>;

/** Who did a step and when (签字). */
export const Signature = z.object({ userId: z.string(), name: z.string(), at: Instant });
export type Signature = z.infer<typeof Signature>;

/** One line of a plan: a part and how many, with why it is there. */
export const PlanLine = z.object({
  id: RequiredText,
  partId: RequiredText,
  partNumber: z.string(),
  name: Bilingual,
  quantity: Count,
  source: PlanLineSource,
  /** The bookings or repair orders waiting for it (short needs). */
  documents: z.array(StockDocument).default([]),
  /** The purchase order it became, once ordered. */
  orderId: z.string().optional(),
});
export type PlanLine = z.infer<typeof PlanLine>;

/** A line added by hand. */
export const PlanLineInput = z.strictObject({ partId: filledText(60), quantity: Quantity });
export type PlanLineInput = z.infer<typeof PlanLineInput>;

export const PlanInput = z.strictObject({
  note: trimmedText(300).optional(),
  lines: z.array(PlanLineInput).check(z.maxLength(100)).default([]),
});
export type PlanInput = z.input<typeof PlanInput>;

export const PurchasePlan = z.object({
  id: RequiredText,
  storeId: RequiredText,
  status: PlanStatus,
  note: z.string().optional(),
  lines: z.array(PlanLine),
  /** 部门审批: the parts manager's signature. */
  partsApproval: Signature.optional(),
  /** 售后经理审批: the after-sales manager's. */
  finalApproval: Signature.optional(),
  rejection: Signature.extend({ reason: z.string() }).optional(),
  createdBy: Signature,
  version: Version,
  createdAt: Instant,
  updatedAt: Instant,
});
export type PurchasePlan = z.infer<typeof PurchasePlan>;

/** An approval step's verdict; a rejection owes its reason. */
export const ApprovalInput = z
  .strictObject({
    verdict: z.enum(['approve', 'reject']),
    reason: trimmedText(300).optional(),
  })
  .check(
    z.superRefine((a, ctx) => {
      if (a.verdict === 'reject' && !a.reason)
        ctx.addIssue({ code: 'custom', path: ['reason'], message: 'Say why the plan is rejected.' });
    }),
  );
export type ApprovalInput = z.infer<typeof ApprovalInput>;

/** 付款方式: cash on delivery (现款) or on the supplier's account (挂账). */
export const Payment = z.enum(['cash', 'credit']);
/** 本地 / 外埠: a local supplier or one out of town (freight, longer lead time). */
export const SupplierOrigin = z.enum(['local', 'out_of_town']);

export const OrderStatus = z.enum(['open', 'closed']);
export type OrderStatus = z.infer<typeof OrderStatus>;

export const Supplier = z.strictObject({
  name: filledText(80, 'Name the supplier.'),
  contact: trimmedText(80).optional(),
});

/**
 * One line of a purchase order; `received` counts what was put away, `refused` what came back,
 * `inTransit` what deliveries' notes brought that is not yet put away (a second delivery is checked
 * against what is left after it).
 */
export const OrderLine = z.object({
  id: RequiredText,
  planLineId: z.string(),
  partId: RequiredText,
  partNumber: z.string(),
  name: Bilingual,
  quantity: Count,
  unitCost: Money,
  received: Count,
  refused: Count,
  cancelled: Count,
  inTransit: Count.default(0),
});
export type OrderLine = z.infer<typeof OrderLine>;

export const OrderInput = z.strictObject({
  planId: filledText(60),
  supplier: Supplier,
  payment: Payment,
  origin: SupplierOrigin,
  /** 预计到货日期: flows to the part's book, and from there to the bookings waiting for it. */
  expectedOn: IsoDate,
  lines: z
    .array(z.strictObject({ planLineId: filledText(60), unitCost: Money.optional() }))
    .check(z.minLength(1, 'Order at least one line of the plan.'), z.maxLength(100)),
});
export type OrderInput = z.input<typeof OrderInput>;
export type OrderFields = z.output<typeof OrderInput>;

export const PurchaseOrder = z.object({
  id: RequiredText,
  storeId: RequiredText,
  planId: z.string(),
  supplier: Supplier,
  payment: Payment,
  origin: SupplierOrigin,
  expectedOn: IsoDate,
  status: OrderStatus,
  lines: z.array(OrderLine),
  placedBy: Signature,
  closedAt: Instant.optional(),
  version: Version,
  createdAt: Instant,
  updatedAt: Instant,
});
export type PurchaseOrder = z.infer<typeof PurchaseOrder>;

/**
 * 改期: the supplier moves the delivery. The order's one expected date moves for all its open lines,
 * and with it each part's book (the earliest open order's date).
 */
export const ExpectedDateInput = z
  .strictObject({ expectedOn: IsoDate })
  // A PATCH body: the date is its one field, so it is never empty.
  .meta({ minProperties: 1 });
export type ExpectedDateInput = z.infer<typeof ExpectedDateInput>;

export const CancelLinesInput = z.strictObject({
  lines: z
    .array(z.strictObject({ orderLineId: filledText(60), quantity: Quantity }))
    .check(z.minLength(1), z.maxLength(100)),
  reason: filledText(300, 'Say why the lines are cancelled.'),
});
export type CancelLinesInput = z.infer<typeof CancelLinesInput>;

/** 三检: against the delivery note, on receipt (quantity and quality), at put-away. */
export const ReceiptStatus = z.enum(['delivered', 'inspected', 'put_away']);
export type ReceiptStatus = z.infer<typeof ReceiptStatus>;

/** Why a quantity was not accepted (拒收): damaged (破损), the wrong part (错发), missing (短少). */
export const RefusalReason = z.enum(['damaged', 'wrong_part', 'short']);
export type RefusalReason = z.infer<typeof RefusalReason>;

export const ReceiptLine = z.object({
  orderLineId: RequiredText,
  partId: RequiredText,
  partNumber: z.string(),
  name: Bilingual,
  unitCost: Money,
  /** What the delivery note says (送货单数量). */
  noted: Count,
  /** What the purchaser counted against it (第一检). */
  delivered: Count,
  /** Accepted on receipt by the warehouse keeper (第二检). */
  accepted: Count.optional(),
  refused: z.array(z.object({ quantity: Count, reason: RefusalReason })).default([]),
  /** Put away (第三检): the bin and the ledger line. */
  bin: z.string().optional(),
  movementId: z.string().optional(),
});
export type ReceiptLine = z.infer<typeof ReceiptLine>;

/** Who a claim is against: the supplier (short, wrong part) or the carrier (damaged in transit). */
export const ClaimParty = z.enum(['supplier', 'carrier']);
export const ClaimStatus = z.enum(['open', 'settled']);

/** 差损单: what did not arrive as ordered, and the claim it makes. */
export const DiscrepancyReport = z.object({
  lines: z.array(
    z.object({
      orderLineId: z.string(),
      partNumber: z.string(),
      name: Bilingual,
      quantity: Count,
      reason: RefusalReason,
      amount: Money,
    }),
  ),
  claim: z.object({
    against: ClaimParty,
    party: z.string(),
    amount: Money,
    status: ClaimStatus,
    note: z.string().optional(),
    settled: Signature.optional(),
  }),
  reportedAt: Instant,
});
export type DiscrepancyReport = z.infer<typeof DiscrepancyReport>;

export const Receipt = z.object({
  id: RequiredText,
  storeId: RequiredText,
  orderId: RequiredText,
  supplier: z.string(),
  deliveryNote: z.string(),
  status: ReceiptStatus,
  lines: z.array(ReceiptLine),
  checked: Signature,
  inspected: Signature.optional(),
  putAway: Signature.optional(),
  discrepancy: DiscrepancyReport.optional(),
  version: Version,
  createdAt: Instant,
  updatedAt: Instant,
});
export type Receipt = z.infer<typeof Receipt>;

/** 第一检: the purchaser checks the delivery against its note, line by line. */
export const ReceiptInput = z.strictObject({
  orderId: filledText(60),
  deliveryNote: filledText(40, 'Give the delivery note number (送货单号).'),
  lines: z
    .array(
      z.strictObject({
        orderLineId: filledText(60),
        /** What the note says. */
        noted: Quantity,
        /** What was counted; fewer than noted is a shortfall (短少). */
        delivered: Count,
      }),
    )
    .check(z.minLength(1, 'A delivery has at least one line.'), z.maxLength(100)),
});
export type ReceiptInput = z.infer<typeof ReceiptInput>;

/** 第二检: the keeper accepts or refuses what was delivered. */
export const InspectionInput = z.strictObject({
  lines: z
    .array(
      z.strictObject({
        orderLineId: filledText(60),
        accepted: Count,
        refused: z
          .array(z.strictObject({ quantity: Quantity, reason: RefusalReason.exclude(['short']) }))
          .check(z.maxLength(3))
          .default([]),
      }),
    )
    .check(z.minLength(1), z.maxLength(100)),
  /** Who the claim is against; absent: the carrier for damage, else the supplier. */
  claimAgainst: ClaimParty.optional(),
  carrier: trimmedText(80).optional(),
});
export type InspectionInput = z.input<typeof InspectionInput>;
export type InspectionFields = z.output<typeof InspectionInput>;

/** 第三检: each accepted line into a bin (absent: the part's default bin). */
export const PutAwayInput = z.strictObject({
  lines: z
    .array(z.strictObject({ orderLineId: filledText(60), bin: BinLocation }))
    .check(z.maxLength(100))
    .default([]),
});
export type PutAwayInput = z.input<typeof PutAwayInput>;

export const SettlementInput = z.strictObject({ note: trimmedText(300).optional() });
export type SettlementInput = z.infer<typeof SettlementInput>;

/** A discrepancy report as listed: with the receipt and order it belongs to. */
export const DiscrepancyView = DiscrepancyReport.extend({
  receiptId: z.string(),
  orderId: z.string(),
  supplier: z.string(),
  deliveryNote: z.string(),
  version: Version,
});
export type DiscrepancyView = z.infer<typeof DiscrepancyView>;

const PlanId = z.object({ planId: RequiredText });
const OrderId = z.object({ orderId: RequiredText });
const ReceiptId = z.object({ receiptId: RequiredText, orderId: RequiredText });

/** 采购: parts staff plan and order, two managers approve, the warehouse receives. */
export const PURCHASING = defineCapability({
  aggregates: {
    purchase_plan: ['collect', 'add_line', 'approve_parts', 'approve', 'reject', 'order'],
    purchase_order: ['cancel_lines', 'receive', 'deliver'],
    receipt: ['inspect', 'put_away', 'settle_claim'],
  },
  events: {
    'purchasePlan.statusChanged': PlanId.extend({ from: PlanStatus, to: PlanStatus }),
    'purchaseOrder.placed': OrderId.extend({ planId: z.string(), expectedOn: IsoDate }),
    'purchaseOrder.rescheduled': OrderId.extend({ from: IsoDate, to: IsoDate }),
    'purchaseOrder.closed': OrderId,
    'receipt.recorded': ReceiptId,
    'receipt.inspected': ReceiptId.extend({ discrepancy: z.boolean() }),
    'receipt.putAway': ReceiptId,
  },
  permissions: {
    'purchase:read': ['service_manager', 'parts_manager', 'parts_clerk', 'warehouse_keeper'],
    /** Plans, orders and the first inspection against the delivery note (the purchaser's). */
    'purchase:plan': ['parts_manager', 'parts_clerk'],
    /** The plan's first approval (部门审批): the parts manager. */
    'purchase:approve': ['parts_manager'],
    /** The plan's second approval (售后经理审批): the after-sales manager. */
    'purchase:authorize': ['service_manager'],
    /** Inspection on receipt and put-away: the warehouse. */
    'purchase:receive': ['parts_manager', 'parts_clerk', 'warehouse_keeper'],
  },
});
