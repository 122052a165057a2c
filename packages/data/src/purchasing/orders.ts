import {
  bookExpected,
  type CancelLinesInput,
  decideCancellation,
  decideExpectedDate,
  decideOrder,
  diffRecords,
  type ExpectedChange,
  type ExpectedDateInput,
  IsoDate,
  type NewEvent,
  needsOtherOrders,
  newEvent,
  newId,
  type OrderFields,
  outstanding,
  PurchaseOrder,
} from '@aftersales/domain';
import * as z from 'zod';
import { Parts } from '../parts/parts.ts';
import { StockLedger } from '../parts/stock.ts';
import { AggregateRepository, defineAggregate } from '../platform/aggregate.ts';
import { type IdempotencyRequest, idempotentResult } from '../platform/idempotency.ts';
import { registerKeyPrefix } from '../platform/keys.ts';
import type { Page, PageRequest, TenantContext, TenantTable, TxOp } from '../platform/tenant-table.ts';
import { PurchasePlans, signatureOf } from './plans.ts';

/** Where a part's open order lines are listed (its expected date and what is on order). */
export const PART_ORDERS_PREFIX = 'PORDPART';
registerKeyPrefix(PART_ORDERS_PREFIX, 'purchase_order.openLines');

/** An open order line of one part, as the part's expected date is worked out from (在途). */
export const OpenLine = z.object({
  orderId: z.string(),
  orderLineId: z.string(),
  partId: z.string(),
  expectedOn: IsoDate,
  outstanding: z.int(),
});
export type OpenLine = z.infer<typeof OpenLine>;

/**
 * 采购订单, one item per order with its lines inline. Keys:
 * - order      pk `<t>#PORDER#<id>` sk `#PORDER`; gsi1 `<t>#PORDERS` / `<createdAt>#<id>` (newest first)
 * - open lines sk `OPEN#<lineId>`; gsi2 `<t>#PORDPART#<partId>` / `DUE#<expectedOn>#<orderId>#<lineId>`:
 *              a part's open order lines, earliest first — its expected date is the first one, and
 *              what is on order their sum. Deleted when the line is received or cancelled in full.
 */
export const PURCHASE_ORDER = defineAggregate({
  name: 'purchase_order',
  label: 'PurchaseOrder',
  idParam: 'orderId',
  prefix: 'PORDER',
  recordSk: '#PORDER',
  schema: PurchaseOrder,
  indexes: {
    byTime: { index: 'gsi1', prefix: 'PORDERS', key: (o) => ({ pk: [], sk: `${o.createdAt}#${o.id}` }) },
  },
  children: {
    open: {
      skPrefix: 'OPEN#',
      type: 'OpenOrderLine',
      schema: OpenLine,
      sk: (l: OpenLine) => l.orderLineId,
      index: {
        index: 'gsi2',
        pk: (l: OpenLine) => [PART_ORDERS_PREFIX, l.partId],
        skPrefix: 'DUE#',
        sk: (l: OpenLine) => `${l.expectedOn}#${l.orderId}#${l.orderLineId}`,
      },
    },
  },
});

export class PurchaseOrders extends AggregateRepository<typeof PURCHASE_ORDER> {
  constructor(t: TenantTable, ctx: TenantContext) {
    super(t, ctx, PURCHASE_ORDER);
  }

  /** Orders, newest first: one Query a page. */
  list(page: PageRequest): Promise<Page<PurchaseOrder>> {
    return this.queryIndex('byTime', [], { newestFirst: true, ...page });
  }

  /** A part's open order lines, earliest expected first: one Query. */
  async openLinesOf(partId: string): Promise<OpenLine[]> {
    return (await this.childrenIn('open', [PART_ORDERS_PREFIX, partId], { limit: 100 })).items;
  }

  /**
   * 下单: an order to one supplier from approved plan lines. In one transaction: the order, the plan's
   * lines marked ordered (on the version read), each line's open-line item, and each part's expected
   * date on its book (the earliest of its open orders) — so a booking waiting for a part shows the date.
   */
  async place(
    input: OrderFields,
    opts: { idempotency?: IdempotencyRequest | undefined } = {},
  ): Promise<{ order: PurchaseOrder; created: boolean }> {
    if (opts.idempotency) {
      const done = await idempotentResult(this.t, opts.idempotency, this.declaration.name, this.now());
      if (done) return { order: await this.require(done), created: false };
    }
    const plans = new PurchasePlans(this.t, this.ctx);
    const plan = await plans.require(input.planId);
    const parts = await new Parts(this.t, this.ctx).getMany([...new Set(plan.lines.map((l) => l.partId))]);
    const by = signatureOf(this.ctx);
    const decided = decideOrder(plan, input, (id) => parts.find((p) => p.id === id)?.cost, {
      id: newId('po'),
      storeId: this.t.tenantId,
      by,
      today: by.at.slice(0, 10),
    });
    const { order } = decided;
    const open = order.lines.map((l) => this.openLine(order, l.id, l.partId, outstanding(l)));
    const expected = await this.expectedOps(order.id, expectedChanges(undefined, order));
    const { record, created } = await this.createRecord(order, {
      changes: diffRecords(undefined, order),
      events: [
        newEvent('purchaseOrder.placed', 'purchase_order', order.id, {
          orderId: order.id,
          planId: plan.id,
          expectedOn: order.expectedOn,
        }),
      ],
      extra: [
        plans.saveOp(plan, decided.plan),
        ...open.map((l) => ({ put: this.childItem('open', order.id, l) })),
        ...expected,
      ],
      idempotency: opts.idempotency,
    });
    return { order: record, created };
  }

  /**
   * 改期: the supplier moved the delivery. In one transaction: the order, its open lines re-filed under
   * the new date, and each part's book moved to its earliest open date.
   */
  async reschedule(id: string, input: ExpectedDateInput, expectedVersion: number): Promise<PurchaseOrder> {
    const current = await this.requireVersion(id, expectedVersion);
    const now = this.now().toISOString();
    const decision = decideExpectedDate(current, input, { today: now.slice(0, 10), at: now });
    if (!decision) return current;
    const next = decision.next;
    const open = next.lines
      .filter((l) => outstanding(l) > 0)
      .map((l) => this.openLine(next, l.id, l.partId, outstanding(l)));
    return this.save(current, next, {
      changes: decision.changes,
      events: decision.events,
      extra: [
        ...open.map((l) => ({ put: this.childItem('open', next.id, l) })),
        ...(await this.expectedOps(next.id, expectedChanges(current, next))),
      ],
    });
  }

  async cancelLines(id: string, input: CancelLinesInput, expectedVersion: number): Promise<PurchaseOrder> {
    const current = await this.requireVersion(id, expectedVersion);
    const next = decideCancellation(current, input, this.now().toISOString());
    return this.saveWithOpenLines(current, next, { action: 'cancel_lines' });
  }

  /**
   * Saves the order after a receipt or a cancellation, keeping its open lines and its parts' expected
   * dates in step in the same transaction (`extra`: the receipt's own write): a part whose last open
   * line is done loses its date, or moves on to its next order's.
   */
  async saveWithOpenLines(
    current: PurchaseOrder,
    next: PurchaseOrder,
    opts: { action: 'cancel_lines' | 'receive'; extra?: TxOp[] },
  ): Promise<PurchaseOrder> {
    const open = next.lines
      .filter((l) => outstanding(l) > 0)
      .map((l) => this.openLine(next, l.id, l.partId, outstanding(l)));
    const wasOpen = (id: string) => current.lines.some((l) => l.id === id && outstanding(l) > 0);
    const done = next.lines.filter((l) => outstanding(l) === 0 && wasOpen(l.id));
    const events: NewEvent[] =
      next.status === 'closed' && current.status !== 'closed'
        ? [newEvent('purchaseOrder.closed', 'purchase_order', next.id, { orderId: next.id })]
        : [];
    return this.save(current, next, {
      action: opts.action,
      changes: diffRecords(current, next),
      events,
      extra: [
        ...(opts.extra ?? []),
        ...open.map((l) => ({ put: this.childItem('open', next.id, l) })),
        ...done.map((l) => ({ delete: this.childKeyAt('open', next.id, l.id) })),
        ...(await this.expectedOps(next.id, expectedChanges(current, next))),
      ],
    });
  }

  private openLine(order: PurchaseOrder, orderLineId: string, partId: string, left: number): OpenLine {
    return { orderId: order.id, orderLineId, partId, expectedOn: order.expectedOn, outstanding: left };
  }

  /**
   * Each touched part's book date: the earliest open one (`bookExpected`). The other orders' open
   * lines are read only when this order held the book's date and gives it up; the write is guarded by
   * the date read, so a concurrent order of the same part makes one of the two retry.
   */
  private async expectedOps(orderId: string, changes: ReadonlyMap<string, ExpectedChange>): Promise<TxOp[]> {
    const ledger = new StockLedger(this.t, this.ctx);
    const books = await ledger.books([...changes.keys()]);
    return Promise.all(
      [...changes].map(async ([partId, change]) => {
        const seen = books.get(partId)?.expectedOn;
        const others = needsOtherOrders(seen, change)
          ? (await this.openLinesOf(partId)).filter((l) => l.orderId !== orderId).map((l) => l.expectedOn)
          : [];
        return ledger.expectedOp(partId, bookExpected(seen, change, others), seen);
      }),
    );
  }
}

/** The order's date for each part whose open state or date changes between `current` and `next`. */
function expectedChanges(
  current: PurchaseOrder | undefined,
  next: PurchaseOrder,
): Map<string, ExpectedChange> {
  const dateOf = (order: PurchaseOrder | undefined, partId: string) =>
    order?.lines.some((l) => l.partId === partId && outstanding(l) > 0) ? order.expectedOn : undefined;
  const changes = new Map<string, ExpectedChange>();
  for (const { partId } of next.lines) {
    const change = { before: dateOf(current, partId), after: dateOf(next, partId) };
    if (change.before !== change.after) changes.set(partId, change);
  }
  return changes;
}
