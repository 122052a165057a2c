import {
  ConflictError,
  type DiscrepancyView,
  decideInspection,
  decidePutAway,
  decideReceipt,
  decideSettlement,
  diffRecords,
  type InspectionFields,
  newEvent,
  newId,
  orderWithDelivery,
  type PutAwayInput,
  Receipt,
  type ReceiptInput,
  ValidationError,
  VersionConflictError,
} from '@aftersales/domain';
import * as z from 'zod';
import { Parts } from '../parts/parts.ts';
import { StockLedger } from '../parts/stock.ts';
import { AggregateRepository, defineAggregate } from '../platform/aggregate.ts';
import { auditOp } from '../platform/audit.ts';
import { eventOp } from '../platform/events.ts';
import { type IdempotencyRequest, idempotentResult } from '../platform/idempotency.ts';
import type { Page, PageRequest, TenantContext, TenantTable } from '../platform/tenant-table.ts';
import { PurchaseOrders } from './orders.ts';
import { signatureOf } from './plans.ts';

/** A line put away: written in the `receive` movement's own transaction, so ledger and receipt agree. */
export const PutAwayMark = z.object({ orderLineId: z.string(), bin: z.string() });
export type PutAwayMark = z.infer<typeof PutAwayMark>;

/**
 * 入库单, one item per delivery with its lines inline. Keys:
 * - receipt     pk `<t>#PRCPT#<id>` sk `#PRCPT`; gsi1 `<t>#PRCPTS` / `<createdAt>#<id>` (newest first);
 *               gsi2 `<t>#PORDRCPT#<orderId>` / `<createdAt>#<id>` (an order's deliveries);
 *               gsi3 `<t>#PDISCREP` / `<reportedAt>#<id>` only with a discrepancy report (差损单)
 * - put-away    sk `PUT#<orderLineId>`: one per line moved into a bin, written with its movement
 */
export const RECEIPT = defineAggregate({
  name: 'receipt',
  label: 'Receipt',
  idParam: 'receiptId',
  prefix: 'PRCPT',
  recordSk: '#PRCPT',
  schema: Receipt,
  indexes: {
    byTime: { index: 'gsi1', prefix: 'PRCPTS', key: (r) => ({ pk: [], sk: `${r.createdAt}#${r.id}` }) },
    byOrder: {
      index: 'gsi2',
      prefix: 'PORDRCPT',
      key: (r) => ({ pk: [r.orderId], sk: `${r.createdAt}#${r.id}` }),
    },
    discrepancies: {
      index: 'gsi3',
      prefix: 'PDISCREP',
      key: (r) => (r.discrepancy ? { pk: [], sk: `${r.discrepancy.reportedAt}#${r.id}` } : undefined),
    },
  },
  children: {
    putAway: {
      skPrefix: 'PUT#',
      type: 'ReceiptPutAway',
      schema: PutAwayMark,
      sk: (m: PutAwayMark) => m.orderLineId,
    },
  },
});

export class Receipts extends AggregateRepository<typeof RECEIPT> {
  constructor(t: TenantTable, ctx: TenantContext) {
    super(t, ctx, RECEIPT);
  }

  list(page: PageRequest): Promise<Page<Receipt>> {
    return this.queryIndex('byTime', [], { newestFirst: true, ...page });
  }

  /** An order's deliveries, oldest first: one Query. */
  ofOrder(orderId: string, page: PageRequest): Promise<Page<Receipt>> {
    return this.queryIndex('byOrder', [orderId], page);
  }

  /** 差损单: discrepancy reports, newest first (one Query of the sparse index). */
  async discrepancies(page: PageRequest): Promise<Page<DiscrepancyView>> {
    const out = await this.queryIndex('discrepancies', [], { newestFirst: true, ...page });
    return { ...out, items: out.items.map(discrepancyView) };
  }

  /** 第一检: the purchaser records a delivery checked against its note. */
  async record(
    input: ReceiptInput,
    opts: { idempotency?: IdempotencyRequest | undefined } = {},
  ): Promise<{ receipt: Receipt; created: boolean }> {
    if (opts.idempotency) {
      const done = await idempotentResult(this.t, opts.idempotency, this.declaration.name, this.now());
      if (done) return { receipt: await this.require(done), created: false };
    }
    const orders = new PurchaseOrders(this.t, this.ctx);
    const id = newId('rc');
    for (let attempt = 1; ; attempt++) {
      const order = await orders.require(input.orderId);
      const receipt = decideReceipt(order, input, {
        id,
        storeId: this.t.tenantId,
        by: signatureOf(this.ctx),
      });
      const next = orderWithDelivery(order, receipt);
      // The order's in-transit counts in the receipt's own transaction: a delivery recorded meanwhile
      // (the order's version moved) makes this one read the order again and be checked against it.
      const { record, created } =
        (await this.createRecord(receipt, {
          changes: diffRecords(undefined, receipt),
          events: [
            newEvent('receipt.recorded', 'receipt', receipt.id, { receiptId: receipt.id, orderId: order.id }),
          ],
          idempotency: opts.idempotency,
          extra: orders.saveOps(order, next, { action: 'deliver', changes: diffRecords(order, next) }),
        }).catch((e: unknown) => {
          if (e instanceof VersionConflictError && attempt < 4) return undefined;
          throw e;
        })) ?? {};
      if (record) return { receipt: record, created: created ?? false };
    }
  }

  /** 第二检: the keeper accepts or refuses each line; refusals and shortfalls make the 差损单. */
  async inspect(id: string, input: InspectionFields, expectedVersion: number): Promise<Receipt> {
    const current = await this.requireVersion(id, expectedVersion);
    const decision = decideInspection(current, input, signatureOf(this.ctx));
    return this.save(current, decision.next, decision);
  }

  /**
   * 第三检 · 上架: each accepted line into its bin as a `receive` movement, the put-away mark in the
   * movement's transaction (a line is never received twice, even if this is retried after a failure);
   * then, in one transaction, the receipt done and the order's received counts, open lines and the
   * parts' expected dates.
   */
  async putAway(id: string, input: z.output<typeof PutAwayInput>, expectedVersion: number): Promise<Receipt> {
    const current = await this.requireVersion(id, expectedVersion);
    if (current.status !== 'inspected')
      throw new ConflictError(
        409,
        'RECEIPT_STEP_NOT_ALLOWED',
        `A ${current.status} receipt cannot be put away.`,
        {
          status: current.status,
          allowed: current.status === 'delivered' ? ['inspection'] : [],
        },
      );
    const orders = new PurchaseOrders(this.t, this.ctx);
    const order = await orders.require(current.orderId);
    const accepted = current.lines.filter((l) => (l.accepted ?? 0) > 0);
    const parts = await new Parts(this.t, this.ctx).getMany(accepted.map((l) => l.partId));
    const errors = accepted.flatMap((l, i) => {
      const bin = input.lines.find((x) => x.orderLineId === l.orderLineId)?.bin;
      const part = parts.find((p) => p.id === l.partId);
      return bin || part?.defaultBin
        ? []
        : [{ path: `lines.${i}.bin`, message: `Give a bin for ${l.partNumber}: it has no default bin.` }];
    });
    if (errors.length) throw new ValidationError(errors);
    const ledger = new StockLedger(this.t, this.ctx);
    const document = { type: 'receipt' as const, id };
    for (const line of accepted) {
      // Retried after a failure part-way: a line already moved is not received twice.
      if (await this.getChild('putAway', id, line.orderLineId)) continue;
      const part = parts.find((p) => p.id === line.partId)!;
      const bin = input.lines.find((x) => x.orderLineId === line.orderLineId)?.bin ?? part.defaultBin!;
      await ledger.move(
        part,
        {
          kind: 'receive',
          bin,
          quantity: line.accepted!,
          unitCost: line.unitCost,
          document,
          reason: `${current.supplier} ${current.deliveryNote}`,
        },
        { extra: [this.markOp(id, { orderLineId: line.orderLineId, bin })] },
      );
    }
    // The receipt's lines name their ledger lines, read back from the ledger itself.
    const moved = (await ledger.movementsOf(document, { limit: 100 })).items;
    const marks = new Map(
      accepted.flatMap((l) => {
        const m = moved.find((x) => x.partId === l.partId && x.kind === 'receive');
        return m ? [[l.orderLineId, { bin: m.bin ?? '', movementId: m.id }] as const] : [];
      }),
    );
    const decided = decidePutAway(current, order, marks, signatureOf(this.ctx));
    const receipt = decided.receipt;
    const at = receipt.next.updatedAt;
    const partition = this.partition(id);
    await orders.saveWithOpenLines(order, decided.order, {
      action: 'receive',
      extra: [
        {
          put: this.toItem(receipt.next),
          condition: 'version = :v',
          values: { ':v': current.version },
          onConditionFailed: (stored) =>
            new VersionConflictError('Receipt', id, stored?.version as number | undefined),
        },
        auditOp(
          this.t,
          this.ctx,
          partition,
          { action: receipt.action, entity: 'receipt', entityId: id, changes: receipt.changes },
          at,
        ),
        ...receipt.events.map((e) => eventOp(this.t, this.ctx, partition, e, at)),
      ],
    });
    return receipt.next;
  }

  /** 索赔结案: the supplier or carrier settled the claim. */
  async settle(id: string, note: string | undefined, expectedVersion: number): Promise<Receipt> {
    const current = await this.requireVersion(id, expectedVersion);
    const decision = decideSettlement(current, note, signatureOf(this.ctx));
    return this.save(current, decision.next, decision);
  }

  /**
   * The put-away mark, conditioned on the line not being marked yet: two keepers putting the same
   * receipt away at once cannot both receive a line.
   */
  private markOp(id: string, mark: PutAwayMark) {
    return {
      put: this.childItem('putAway', id, mark),
      condition: 'attribute_not_exists(pk)',
      onConditionFailed: () =>
        new ConflictError(409, 'RECEIPT_LINE_PUT_AWAY', `Line ${mark.orderLineId} is already put away.`),
    };
  }
}

function discrepancyView(r: Receipt): DiscrepancyView {
  return {
    ...r.discrepancy!,
    receiptId: r.id,
    orderId: r.orderId,
    supplier: r.supplier,
    deliveryNote: r.deliveryNote,
    version: r.version,
  };
}
