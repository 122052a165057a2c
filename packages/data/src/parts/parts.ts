import {
  ConflictError,
  decidePartCreation,
  decidePartEdit,
  documentKey,
  newId,
  Part,
  type PartFields,
  type PartPatch,
  PartStock,
  Reservation,
  StockMovement,
} from '@aftersales/domain';
import * as z from 'zod';
import { AggregateRepository, defineAggregate } from '../platform/aggregate.ts';
import type { IdempotencyRequest } from '../platform/idempotency.ts';
import { registerKeyPrefix } from '../platform/keys.ts';
import type { Page, PageRequest, TenantContext, TenantTable, TxOp } from '../platform/tenant-table.ts';

/** Where the shelves are listed: every bin item of the store, by location then part number. */
export const BINS_PREFIX = 'BINS';
registerKeyPrefix(BINS_PREFIX, 'part.bins');
/** A document's reservations and movements (a booking's pick list, a receipt's lines). */
export const PART_DOCUMENT_PREFIX = 'PARTDOC';
registerKeyPrefix(PART_DOCUMENT_PREFIX, 'part.documents');
/** Books by their last movement: stock idle for 12 months (呆滞库存) is one range of it. */
export const IDLE_PREFIX = 'STOCKIDLE';
registerKeyPrefix(IDLE_PREFIX, 'part.idle');

/** A bin item as stored: the shelf count of one part in one bin. */
export const StoredBin = z.object({
  partId: z.string(),
  partNumber: z.string(),
  name: Part.shape.name,
  bin: z.string(),
  onHand: z.int(),
  custody: z.boolean(),
});
export type StoredBin = z.infer<typeof StoredBin>;

/**
 * Needs the shelf could not fill (缺件): a reservation marked short is also listed under
 * `<t>#PARTSHORT` / `<partId>#<document>` (gsi3, sparse), where the purchase plan collects them.
 */
export const SHORT_NEEDS_PREFIX = 'PARTSHORT';
registerKeyPrefix(SHORT_NEEDS_PREFIX, 'part.shortNeeds');

export const StoredStock = PartStock.omit({ valueMinor: true });
export const StoredReservation = Reservation.extend({
  /** Asked for when the shelf could not fill it: its issue does not count as filled on first request. */
  short: z.boolean().default(false),
  /** Marked short: the document's whole need of the part (what it lacks beyond this, the plan buys). */
  shortQuantity: z.int().check(z.nonnegative()).optional(),
});
export type StoredReservation = z.infer<typeof StoredReservation>;

/**
 * 配件, one partition per part, holding everything about its stock. Keys, all from this declaration:
 * - part          pk `<t>#PART#<id>` sk `#PART`; gsi1 `<t>#PARTS` / `<NUMBER>#<id>` (the catalogue by number)
 * - number guard  pk `<t>#PARTNO#<NUMBER>` sk `#PARTNO`: one part per number per store
 * - book          sk `#STOCK`: on-hand, reserved, available, custody, moving-average cost (帐);
 *                 gsi3 `<t>#STOCKIDLE` / `<lastMovedAt>#<partId>` (idle stock: one range, oldest first)
 * - bins          sk `BIN#<location>`; gsi1 `<t>#BINS` / `<location>#<NUMBER>`: the shelves (物), one
 *                 Query per page of a warehouse, rack or shelf whatever the ledger's length
 * - ledger        sk `MOVE#<id>` (ids sort by time); gsi2 `<t>#PARTDOC#<type>#<docId>` / `MOVE#<id>` (卡)
 * - reservations  sk `RES#<type>#<docId>`; gsi2 `<t>#PARTDOC#<type>#<docId>` / `RES#<partId>`: a pick list
 *                 is one Query of its document; marked short also gsi3 `<t>#PARTSHORT` / `<partId>#<doc>`
 * The book, the bins, the ledger line and the reservation of one movement are written in one
 * transaction, each decrease under a condition: the three can never disagree, and nothing goes below 0.
 */
export const PART = defineAggregate({
  name: 'part',
  label: 'Part',
  idParam: 'partId',
  prefix: 'PART',
  recordSk: '#PART',
  schema: Part,
  indexes: {
    byNumber: { index: 'gsi1', prefix: 'PARTS', key: (p) => ({ pk: [], sk: `${p.partNumber}#${p.id}` }) },
  },
  lookups: {
    number: {
      prefix: 'PARTNO',
      type: 'PartNumberGuard',
      values: (p) => [p.partNumber],
      unique: (partNumber, existingPartId) =>
        new ConflictError(409, 'PART_NUMBER_EXISTS', `The catalogue already has part ${partNumber}.`, {
          existingPartId,
        }),
    },
  },
  children: {
    stock: {
      skPrefix: '#STOCK',
      type: 'PartStock',
      schema: StoredStock,
      sk: () => '',
      index: {
        index: 'gsi3',
        pk: () => [IDLE_PREFIX],
        skPrefix: '',
        sk: (s: z.output<typeof StoredStock>) => `${s.lastMovedAt ?? ''}#${s.partId}`,
      },
    },
    bins: {
      skPrefix: 'BIN#',
      type: 'BinStock',
      schema: StoredBin,
      sk: (b: StoredBin) => b.bin,
      index: {
        index: 'gsi1',
        pk: () => [BINS_PREFIX],
        skPrefix: '',
        sk: (b: StoredBin) => `${b.bin}#${b.partNumber}`,
      },
    },
    movements: {
      skPrefix: 'MOVE#',
      type: 'StockMovement',
      schema: StockMovement,
      sk: (m: StockMovement) => m.id,
      index: {
        index: 'gsi2',
        pk: (m: StockMovement) => [PART_DOCUMENT_PREFIX, m.document ? documentKey(m.document) : 'none'],
        skPrefix: 'MOVE#',
        sk: (m: StockMovement) => m.id,
      },
    },
    reservations: {
      skPrefix: 'RES#',
      type: 'Reservation',
      schema: StoredReservation,
      sk: (r: StoredReservation) => documentKey(r.document),
      index: {
        index: 'gsi2',
        pk: (r: StoredReservation) => [PART_DOCUMENT_PREFIX, documentKey(r.document)],
        skPrefix: 'RES#',
        sk: (r: StoredReservation) => r.partId,
      },
    },
  },
});

export class Parts extends AggregateRepository<typeof PART> {
  constructor(t: TenantTable, ctx: TenantContext) {
    super(t, ctx, PART);
  }

  async create(
    fields: PartFields,
    opts: { idempotency?: IdempotencyRequest | undefined; id?: string } = {},
  ): Promise<{ part: Part; created: boolean }> {
    const decision = decidePartCreation(fields, {
      id: opts.id ?? newId('prt'),
      storeId: this.t.tenantId,
      at: this.now().toISOString(),
    });
    const { record, created } = await this.createRecord(decision.next, {
      ...decision,
      idempotency: opts.idempotency,
    });
    return { part: record, created };
  }

  /** A part's creation as a transaction's operations, not written: for writing many parts at once. */
  creationOps(fields: PartFields, id: string): { part: Part; ops: TxOp[] } {
    const decision = decidePartCreation(fields, {
      id,
      storeId: this.t.tenantId,
      at: this.now().toISOString(),
    });
    return { part: decision.next, ops: this.createOps(decision.next, decision) };
  }

  async update(id: string, patch: PartPatch, expectedVersion: number): Promise<Part> {
    const current = await this.requireVersion(id, expectedVersion);
    const decision = decidePartEdit(current, patch, this.now().toISOString());
    return decision ? this.save(current, decision.next, decision) : current;
  }

  /** The catalogue by part number, from a number prefix when given: one Query a page. */
  list(numberPrefix: string, page: PageRequest): Promise<Page<Part>> {
    return this.queryIndex('byNumber', [], {
      ...(numberPrefix ? { sk: { beginsWith: numberPrefix.replace(/\s+/g, '').toUpperCase() } } : {}),
      ...page,
    });
  }

  /** The part holding a number (one Query of its guard, one read), or undefined. */
  async byNumber(partNumber: string): Promise<Part | undefined> {
    const [id] = await this.lookup('number', partNumber);
    return id ? this.get(id) : undefined;
  }
}
