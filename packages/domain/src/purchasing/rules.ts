import { diffRecords } from '../audit.ts';
import { type Decision, editDecision, nextVersion } from '../decision.ts';
import { newEvent } from '../events.ts';
import type { Part, PartStock, StockDocument } from '../parts/model.ts';
import { ConflictError, ValidationError } from '../platform/errors.ts';
import type {
  ApprovalInput,
  CancelLinesInput,
  DiscrepancyReport,
  ExpectedDateInput,
  InspectionFields,
  OrderFields,
  OrderLine,
  PlanLine,
  PlanStatus,
  PurchaseOrder,
  PurchasePlan,
  Receipt,
  ReceiptInput,
  ReceiptLine,
  Signature,
} from './model.ts';

/** A new plan: its hand-added lines resolved to parts by the caller. */
export function decidePlanCreation(
  fields: { note?: string | undefined; lines: PlanLine[] },
  where: { id: string; storeId: string; by: Signature },
): Decision<PurchasePlan> {
  const at = where.by.at;
  const next: PurchasePlan = {
    id: where.id,
    storeId: where.storeId,
    status: 'draft',
    ...(fields.note ? { note: fields.note } : {}),
    lines: fields.lines,
    createdBy: where.by,
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  return { next, changes: diffRecords(undefined, { note: fields.note, lines: fields.lines }), events: [] };
}

/** A decision that names its audit action (declared on the capability's aggregates). */
export type ActionDecision<S> = Decision<S> & {
  action: 'approve_parts' | 'approve' | 'reject' | 'inspect' | 'put_away' | 'settle_claim';
};

/** The plan's moves: two approvals in order, either of which may reject instead (计划 → 部门 → 售后经理). */
const PLAN_MOVES: Record<PlanStatus, readonly PlanStatus[]> = {
  draft: ['parts_approved', 'rejected'],
  parts_approved: ['approved', 'rejected'],
  approved: [],
  rejected: [],
};

/** Which approval step a plan in `from` waits for. */
export type ApprovalStep = 'parts' | 'final';
const STEP_FROM: Record<ApprovalStep, PlanStatus> = { parts: 'draft', final: 'parts_approved' };
const STEP_TO: Record<ApprovalStep, PlanStatus> = { parts: 'parts_approved', final: 'approved' };

function planMoveRefused(plan: PurchasePlan, to: PlanStatus): ConflictError {
  return new ConflictError(
    409,
    'PURCHASE_PLAN_TRANSITION_NOT_ALLOWED',
    `A ${plan.status} purchase plan cannot become ${to}.`,
    { from: plan.status, to, allowed: PLAN_MOVES[plan.status] },
  );
}

/**
 * One approval step's verdict. Each step is the move from its own state only: the after-sales
 * manager cannot sign a plan the parts manager has not, and nobody signs one twice (409 with the
 * allowed moves).
 */
export function decidePlanApproval(
  plan: PurchasePlan,
  step: ApprovalStep,
  input: ApprovalInput,
  by: Signature,
): ActionDecision<PurchasePlan> {
  const to = input.verdict === 'approve' ? STEP_TO[step] : 'rejected';
  if (plan.status !== STEP_FROM[step] || !PLAN_MOVES[plan.status].includes(to))
    throw planMoveRefused(plan, to);
  if (to !== 'rejected' && plan.lines.every((l) => l.quantity === 0))
    throw new ConflictError(409, 'PURCHASE_PLAN_EMPTY', 'The plan has no line to buy.');
  const next: PurchasePlan = {
    ...plan,
    status: to,
    ...(input.verdict === 'reject'
      ? { rejection: { ...by, reason: input.reason ?? '' } }
      : step === 'parts'
        ? { partsApproval: by }
        : { finalApproval: by }),
    version: plan.version + 1,
    updatedAt: by.at,
  };
  return {
    next,
    changes: diffRecords(plan, next),
    events: [
      newEvent('purchasePlan.statusChanged', 'purchase_plan', plan.id, {
        planId: plan.id,
        from: plan.status,
        to,
      }),
    ],
    action: input.verdict === 'reject' ? 'reject' : step === 'parts' ? 'approve_parts' : 'approve',
  };
}

/** Lines change only while the plan is a draft: what was approved is what gets ordered. */
export function requireDraft(plan: PurchasePlan): void {
  if (plan.status !== 'draft')
    throw new ConflictError(
      409,
      'PURCHASE_PLAN_NOT_DRAFT',
      `The plan is ${plan.status}: its lines are fixed.`,
      {
        status: plan.status,
      },
    );
}

/** What one part needs, as collection sees it. */
export interface ShortageCandidate {
  part: Part;
  book: PartStock;
  /** Still to come on open purchase orders (在途). */
  onOrder: number;
  /** Documents short of it, with how many each still lacks. */
  needs: { document: StockDocument; quantity: number }[];
}

/**
 * 缺件汇总: the lines a part's shortage asks for. The short needs come first (a customer waits), then
 * a part below its minimum is ordered up to its maximum; whatever is already on order counts against
 * both, so collecting twice never buys twice.
 */
export function shortageLines(candidates: readonly ShortageCandidate[], newLineId: () => string): PlanLine[] {
  const lines: PlanLine[] = [];
  for (const { part, book, onOrder, needs } of candidates) {
    const waiting = needs.reduce((n, x) => n + x.quantity, 0);
    const afterNeeds = book.available + onOrder - waiting;
    const topUp = part.minStock > 0 && afterNeeds < part.minStock ? part.maxStock - afterNeeds : 0;
    const forNeeds = Math.max(0, waiting - book.available - onOrder);
    const quantity = Math.max(forNeeds, topUp);
    if (quantity <= 0) continue;
    lines.push({
      id: newLineId(),
      partId: part.id,
      partNumber: part.partNumber,
      name: part.name,
      quantity,
      source: forNeeds > 0 ? 'short_need' : 'below_min',
      documents: forNeeds > 0 ? needs.map((n) => n.document) : [],
    });
  }
  return lines;
}

/** Adds lines to a draft: a part already on it gets the larger quantity, not a second line. */
export function mergeLines(existing: readonly PlanLine[], added: readonly PlanLine[]): PlanLine[] {
  const lines = [...existing];
  for (const line of added) {
    const at = lines.findIndex((l) => l.partId === line.partId);
    const existing = at >= 0 ? lines[at] : undefined;
    if (!existing) lines.push(line);
    else
      lines[at] = {
        ...existing,
        quantity: Math.max(existing.quantity, line.quantity),
        documents: [
          ...existing.documents,
          ...line.documents.filter(
            (d) => !existing.documents.some((e) => e.id === d.id && e.type === d.type),
          ),
        ],
      };
  }
  if (lines.length > 200)
    throw new ConflictError(409, 'PURCHASE_PLAN_TOO_LONG', 'A plan holds at most 200 lines; start another.');
  return lines;
}

/** What an order line still waits for. */
export const outstanding = (l: OrderLine) => l.quantity - l.received - l.cancelled;
/** What a delivery or a cancellation may still take: outstanding, less deliveries not yet put away. */
export const receivable = (l: OrderLine) => outstanding(l) - l.inTransit;

/**
 * 下单: an order to one supplier from lines of an approved plan, each line ordered once. Unknown lines
 * are field errors; a plan not (yet) approved or a line already ordered are conflicts.
 */
export function decideOrder(
  plan: PurchasePlan,
  input: OrderFields,
  costOf: (partId: string) => OrderLine['unitCost'] | undefined,
  where: { id: string; storeId: string; by: Signature; today: string },
): { order: PurchaseOrder; plan: PurchasePlan } {
  if (plan.status !== 'approved')
    throw new ConflictError(
      409,
      'PURCHASE_PLAN_NOT_APPROVED',
      `The plan is ${plan.status}: order only from an approved plan.`,
      {
        status: plan.status,
      },
    );
  if (input.expectedOn < where.today)
    throw new ValidationError([{ path: 'expectedOn', message: 'The expected date cannot be in the past.' }]);
  const errors = input.lines.flatMap((l, i) =>
    plan.lines.some((p) => p.id === l.planLineId)
      ? []
      : [
          {
            path: `lines.${i}.planLineId`,
            message: 'No such line on the plan.',
            code: 'PLAN_LINE_NOT_FOUND',
          },
        ],
  );
  if (errors.length) throw new ValidationError(errors);
  const ids = input.lines.map((l) => l.planLineId);
  const taken = plan.lines.filter((p) => ids.includes(p.id) && p.orderId);
  if (taken.length || new Set(ids).size !== ids.length)
    throw new ConflictError(409, 'PLAN_LINE_ALREADY_ORDERED', 'A line of the plan is ordered once.', {
      planLineIds: taken.map((l) => l.id),
    });
  const lines: OrderLine[] = input.lines.map((l, i) => {
    const p = plan.lines.find((x) => x.id === l.planLineId)!;
    const unitCost = l.unitCost ?? costOf(p.partId) ?? { amountMinor: 0, currency: 'CNY' };
    return {
      id: `L${i + 1}`,
      planLineId: p.id,
      partId: p.partId,
      partNumber: p.partNumber,
      name: p.name,
      quantity: p.quantity,
      unitCost,
      received: 0,
      refused: 0,
      cancelled: 0,
      inTransit: 0,
    };
  });
  const at = where.by.at;
  const order: PurchaseOrder = {
    id: where.id,
    storeId: where.storeId,
    planId: plan.id,
    supplier: input.supplier,
    payment: input.payment,
    origin: input.origin,
    expectedOn: input.expectedOn,
    status: 'open',
    lines,
    placedBy: where.by,
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  const nextPlan: PurchasePlan = {
    ...plan,
    lines: plan.lines.map((l) => (ids.includes(l.id) ? { ...l, orderId: order.id } : l)),
    version: plan.version + 1,
    updatedAt: at,
  };
  return { order, plan: nextPlan };
}

/** A request names each order line once: a second mention would otherwise be silently dropped. */
function repeatedLines(ids: readonly string[]): { path: string; message: string }[] {
  return new Set(ids).size === ids.length ? [] : [{ path: 'lines', message: 'Each order line once.' }];
}

function orderClosed(order: PurchaseOrder): ConflictError {
  return new ConflictError(409, 'PURCHASE_ORDER_CLOSED', `Order ${order.id} is closed.`, {
    status: order.status,
  });
}

/**
 * 改期: an open order's expected date moved (the supplier's new date), never into the past. The same
 * date is no change: nothing written, no version spent.
 */
export function decideExpectedDate(
  order: PurchaseOrder,
  input: ExpectedDateInput,
  where: { today: string; at: string },
): Decision<PurchaseOrder> | undefined {
  if (order.status !== 'open') throw orderClosed(order);
  if (input.expectedOn === order.expectedOn) return undefined;
  if (input.expectedOn < where.today)
    throw new ValidationError([{ path: 'expectedOn', message: 'The expected date cannot be in the past.' }]);
  const next = nextVersion(order, { expectedOn: input.expectedOn }, where.at);
  return editDecision(order, next, () =>
    newEvent('purchaseOrder.rescheduled', 'purchase_order', order.id, {
      orderId: order.id,
      from: order.expectedOn,
      to: input.expectedOn,
    }),
  );
}

/** The order after some of its lines are cancelled; it closes when nothing is outstanding. */
export function decideCancellation(order: PurchaseOrder, input: CancelLinesInput, at: string): PurchaseOrder {
  if (order.status !== 'open') throw orderClosed(order);
  const errors = input.lines.flatMap((c, i) => {
    const line = order.lines.find((l) => l.id === c.orderLineId);
    if (!line) return [{ path: `lines.${i}.orderLineId`, message: 'No such line on the order.' }];
    return c.quantity > receivable(line)
      ? [
          {
            path: `lines.${i}.quantity`,
            message: `At most ${receivable(line)} is outstanding and not on its way.`,
          },
        ]
      : [];
  });
  errors.push(...repeatedLines(input.lines.map((l) => l.orderLineId)));
  if (errors.length) throw new ValidationError(errors);
  const lines = order.lines.map((l) => {
    const c = input.lines.find((x) => x.orderLineId === l.id);
    return c ? { ...l, cancelled: l.cancelled + c.quantity } : l;
  });
  return withClosure({ ...order, lines, version: order.version + 1, updatedAt: at }, at);
}

function withClosure(order: PurchaseOrder, at: string): PurchaseOrder {
  return order.lines.every((l) => outstanding(l) === 0)
    ? { ...order, status: 'closed', closedAt: at }
    : order;
}

/** 第一检: a delivery checked against its note. A line cannot bring more than is outstanding. */
export function decideReceipt(
  order: PurchaseOrder,
  input: ReceiptInput,
  where: { id: string; storeId: string; by: Signature },
): Receipt {
  if (order.status !== 'open') throw orderClosed(order);
  const errors = input.lines.flatMap((r, i) => {
    const line = order.lines.find((l) => l.id === r.orderLineId);
    if (!line) return [{ path: `lines.${i}.orderLineId`, message: 'No such line on the order.' }];
    if (r.delivered > r.noted)
      return [{ path: `lines.${i}.delivered`, message: 'More than the delivery note says: check the note.' }];
    return r.noted > receivable(line)
      ? [
          {
            path: `lines.${i}.noted`,
            message: `Only ${receivable(line)} is outstanding on the order and not already delivered.`,
          },
        ]
      : [];
  });
  errors.push(...repeatedLines(input.lines.map((l) => l.orderLineId)));
  if (errors.length) throw new ValidationError(errors);
  const at = where.by.at;
  return {
    id: where.id,
    storeId: where.storeId,
    orderId: order.id,
    supplier: order.supplier.name,
    deliveryNote: input.deliveryNote,
    status: 'delivered',
    lines: input.lines.map((r) => {
      const l = order.lines.find((x) => x.id === r.orderLineId)!;
      return {
        orderLineId: l.id,
        partId: l.partId,
        partNumber: l.partNumber,
        name: l.name,
        unitCost: l.unitCost,
        noted: r.noted,
        delivered: r.delivered,
        refused: [],
      };
    }),
    checked: where.by,
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
}

/**
 * The order once a delivery is recorded: each line holds what the note brought as in transit until
 * the put-away, so two deliveries recorded before either is put away cannot together bring more than
 * was ordered.
 */
export function orderWithDelivery(order: PurchaseOrder, receipt: Receipt): PurchaseOrder {
  const lines = order.lines.map((l) => {
    const r = receipt.lines.find((x) => x.orderLineId === l.id);
    return r ? { ...l, inTransit: l.inTransit + r.noted } : l;
  });
  return { ...order, lines, version: order.version + 1, updatedAt: receipt.createdAt };
}

function receiptStepRefused(receipt: Receipt, step: string): ConflictError {
  const next =
    receipt.status === 'delivered' ? 'inspection' : receipt.status === 'inspected' ? 'put-away' : 'none';
  return new ConflictError(
    409,
    'RECEIPT_STEP_NOT_ALLOWED',
    `A ${receipt.status} receipt cannot take ${step}.`,
    {
      status: receipt.status,
      allowed: next === 'none' ? [] : [next],
    },
  );
}

/**
 * 第二检: the keeper accepts or refuses each delivered line (accepted + refused = delivered). What the
 * note promised but did not come, and what was refused, make the discrepancy report (差损单) with its
 * claim: damage against the carrier, the rest against the supplier, unless the keeper says otherwise.
 */
export function decideInspection(
  receipt: Receipt,
  input: InspectionFields,
  by: Signature,
): ActionDecision<Receipt> {
  if (receipt.status !== 'delivered') throw receiptStepRefused(receipt, 'inspection');
  const errors = receipt.lines.flatMap((l) => {
    const i = input.lines.findIndex((x) => x.orderLineId === l.orderLineId);
    const got = input.lines[i];
    if (!got) return [{ path: 'lines', message: `Inspect line ${l.orderLineId} too.` }];
    const refused = got.refused.reduce((n, r) => n + r.quantity, 0);
    return got.accepted + refused === l.delivered
      ? []
      : [
          {
            path: `lines.${i}.accepted`,
            message: `Accepted and refused must add up to the ${l.delivered} delivered.`,
          },
        ];
  });
  const unknown = input.lines.findIndex((x) => !receipt.lines.some((l) => l.orderLineId === x.orderLineId));
  if (unknown >= 0)
    errors.push({ path: `lines.${unknown}.orderLineId`, message: 'Not a line of this delivery.' });
  errors.push(...repeatedLines(input.lines.map((l) => l.orderLineId)));
  if (errors.length) throw new ValidationError(errors);
  const lines: ReceiptLine[] = receipt.lines.map((l) => {
    const got = input.lines.find((x) => x.orderLineId === l.orderLineId)!;
    const short = l.noted - l.delivered;
    return {
      ...l,
      accepted: got.accepted,
      refused: [...got.refused, ...(short > 0 ? [{ quantity: short, reason: 'short' as const }] : [])],
    };
  });
  const discrepancy = discrepancyOf(receipt, lines, input, by.at);
  const next: Receipt = {
    ...receipt,
    lines,
    status: 'inspected',
    inspected: by,
    ...(discrepancy ? { discrepancy } : {}),
    version: receipt.version + 1,
    updatedAt: by.at,
  };
  return {
    next,
    changes: diffRecords(receipt, next),
    events: [
      newEvent('receipt.inspected', 'receipt', receipt.id, {
        receiptId: receipt.id,
        orderId: receipt.orderId,
        discrepancy: Boolean(discrepancy),
      }),
    ],
    action: 'inspect',
  };
}

function discrepancyOf(
  receipt: Receipt,
  lines: readonly ReceiptLine[],
  input: Pick<InspectionFields, 'claimAgainst' | 'carrier'>,
  at: string,
): DiscrepancyReport | undefined {
  const items = lines.flatMap((l) =>
    l.refused.map((r) => ({
      orderLineId: l.orderLineId,
      partNumber: l.partNumber,
      name: l.name,
      quantity: r.quantity,
      reason: r.reason,
      amount: { amountMinor: r.quantity * l.unitCost.amountMinor, currency: l.unitCost.currency },
    })),
  );
  if (items.length === 0) return undefined;
  const against = input.claimAgainst ?? (items.every((i) => i.reason === 'damaged') ? 'carrier' : 'supplier');
  const amountMinor = items.reduce((n, i) => n + i.amount.amountMinor, 0);
  return {
    lines: items,
    claim: {
      against,
      party: against === 'carrier' ? (input.carrier ?? '') || 'carrier' : receipt.supplier,
      amount: { amountMinor, currency: 'CNY' },
      status: 'open',
    },
    reportedAt: at,
  };
}

/** 第三检 done: the order's lines count what this receipt put away and refused; it closes when complete. */
export function decidePutAway(
  receipt: Receipt,
  order: PurchaseOrder,
  bins: ReadonlyMap<string, { bin: string; movementId: string }>,
  by: Signature,
): { receipt: ActionDecision<Receipt>; order: PurchaseOrder } {
  if (receipt.status !== 'inspected') throw receiptStepRefused(receipt, 'put-away');
  const lines = receipt.lines.map((l) => ({ ...l, ...bins.get(l.orderLineId) }));
  const next: Receipt = {
    ...receipt,
    lines,
    status: 'put_away',
    putAway: by,
    version: receipt.version + 1,
    updatedAt: by.at,
  };
  const orderLines = order.lines.map((l) => {
    const r = receipt.lines.find((x) => x.orderLineId === l.id);
    if (!r) return l;
    const accepted = Math.min(r.accepted ?? 0, outstanding(l));
    return {
      ...l,
      received: l.received + accepted,
      refused: l.refused + (r.delivered - (r.accepted ?? 0)),
      inTransit: Math.max(0, l.inTransit - r.noted),
    };
  });
  return {
    receipt: {
      next,
      changes: diffRecords(receipt, next),
      events: [
        newEvent('receipt.putAway', 'receipt', receipt.id, { receiptId: receipt.id, orderId: order.id }),
      ],
      action: 'put_away',
    },
    order: withClosure({ ...order, lines: orderLines, version: order.version + 1, updatedAt: by.at }, by.at),
  };
}

/** Settles a receipt's claim (索赔结案). */
export function decideSettlement(
  receipt: Receipt,
  note: string | undefined,
  by: Signature,
): ActionDecision<Receipt> {
  const report = receipt.discrepancy;
  if (!report)
    throw new ConflictError(409, 'NO_DISCREPANCY', 'The receipt has no discrepancy report to settle.');
  if (report.claim.status === 'settled')
    throw new ConflictError(409, 'CLAIM_SETTLED', 'The claim is already settled.', { allowed: [] });
  const next: Receipt = {
    ...receipt,
    discrepancy: {
      ...report,
      claim: { ...report.claim, status: 'settled', settled: by, ...(note ? { note } : {}) },
    },
    version: receipt.version + 1,
    updatedAt: by.at,
  };
  return { next, changes: diffRecords(receipt, next), events: [], action: 'settle_claim' };
}

/**
 * 预计到货: the date a part is next expected, from its open order lines — the earliest; none when
 * nothing is on order.
 */
export function earliestExpected(dates: readonly string[]): string | undefined {
  return dates.length ? [...dates].sort()[0] : undefined;
}

/** One order's date for one part, before and after a change (absent: the order has no open line of it). */
export interface ExpectedChange {
  before?: string | undefined;
  after?: string | undefined;
}

/**
 * Whether the book's date can only be worked out again from the part's other open orders: this order
 * held the earliest date (or tied it) and now leaves it or moves it later.
 */
export function needsOtherOrders(book: string | undefined, change: ExpectedChange): boolean {
  if (change.after && (!book || change.after <= book)) return false;
  return Boolean(book && change.before && book >= change.before);
}

/**
 * 预计到货 on the part's book after one order's date for it changes: the book holds the earliest open
 * date. An earlier (or first) date replaces it; a later one or none leaves it to whichever order holds
 * it, unless this order was that one — then the earliest of `others` (the other open orders' dates,
 * needed only when `needsOtherOrders`) and this order's new date.
 */
export function bookExpected(
  book: string | undefined,
  change: ExpectedChange,
  others: readonly string[] = [],
): string | undefined {
  if (!needsOtherOrders(book, change)) {
    return change.after && (!book || change.after <= book) ? change.after : book;
  }
  return earliestExpected([...others, ...(change.after ? [change.after] : [])]);
}
