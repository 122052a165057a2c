import * as z from 'zod';
import { AppointmentPart, AppointmentView, DayBeforeList, IsoDate } from '../appointments/model.ts';
import { defineCapability } from '../platform/capability.ts';
import { Count, filledText, Instant, RequiredText, trimmedText, Version } from '../platform/fields.ts';
import { Money } from '../platform/money.ts';
import { patchSchema } from '../platform/patch.ts';
import { Brand } from '../platform/tenancy.ts';
import { Bilingual } from '../setup/model.ts';

/**
 * 配件 · 仓库: the store's parts catalogue and its stock, kept as a ledger of movements by four-part
 * location. On-hand, reserved and available are never edited: each is the sum of the movements that
 * touched it, written in the movement's own transaction (帐卡物相符: book, card and shelf agree).
 * DOMAIN.md § Parts and warehouse.
 */

/** A manufacturer's part number (零件号), compared without case or spaces: `06l 115 562 b` is `06L115562B`. */
export const PartNumber = z
  .string()
  .transform((v) => v.replace(/[\s\u3000]+/g, '').toUpperCase())
  .pipe(
    z
      .string()
      .check(
        z.minLength(1, 'The part number is required.'),
        z.maxLength(40),
        z.regex(/^[A-Z0-9][A-Z0-9.\-_/]*$/, 'Use letters, digits and . - _ / in a part number.'),
      ),
  )
  .meta({ example: '06L115562B' });

/**
 * 四号定位: warehouse-rack-shelf-bin (库号-架号-层号-位号), each 1–4 letters or digits, e.g. `A-03-2-05`.
 * Stored upper-case so that a bin typed `a-03-2-05` is the same bin.
 */
export const BinLocation = z
  .string()
  .transform((v) => v.trim().toUpperCase())
  .pipe(
    z
      .string()
      .check(
        z.regex(
          /^[A-Z0-9]{1,4}-[A-Z0-9]{1,4}-[A-Z0-9]{1,4}-[A-Z0-9]{1,4}$/,
          'Use a four-part location like A-03-2-05 (库号-架号-层号-位号).',
        ),
      ),
  )
  .meta({ example: 'A-03-2-05' });
export type BinLocation = z.output<typeof BinLocation>;

/**
 * Where written-off stock stays in custody (报损库): never on the shelves that issue parts, never sold
 * or thrown away. Its quantity is the part's `custody`, not on-hand.
 */
export const WRITE_OFF_BIN = 'BS-00-0-00';

/**
 * 备货架: the store's dedicated pick shelf. Pre-picking a booking's reserved parts (备件) is a `transfer`
 * of the reserved quantity into it, so the technician collects everything for a job from one bin.
 */
export const PICK_SHELF_BIN = 'P-00-0-01';

/** The unit a part is counted and issued in (计量单位). */
export const PartUnit = z.enum(['piece', 'set', 'litre', 'bottle', 'metre', 'kg', 'box']);
export type PartUnit = z.infer<typeof PartUnit>;

/** Whole units: quantities are counted, never fractions (a litre is a unit; oil comes in bottles). */
export const Quantity = z.int().check(z.gte(1, 'A quantity is at least 1.'), z.lte(100_000));

const StockLevel = z.int().check(z.gte(0), z.lte(100_000));

/** 配件目录: one part of the store's catalogue. */
export const PartInput = z
  .strictObject({
    partNumber: PartNumber,
    name: Bilingual,
    brand: Brand,
    /** Models it fits (适用车型); empty: every model of its brand. */
    models: z.array(filledText(40)).check(z.maxLength(50)).default([]),
    unit: PartUnit.default('piece'),
    /** Price to the customer (销售价), before VAT. */
    listPrice: Money,
    /** The supplier's price (进价): what a receipt costs at unless the delivery says otherwise. */
    cost: Money,
    /** 替代: the number this part replaced, and the one that replaces it (an old part still sells down). */
    supersedes: PartNumber.optional(),
    supersededBy: PartNumber.optional(),
    /** 最低/最高库存: below min it goes on the purchase plan, ordered up to max. */
    minStock: StockLevel.default(0),
    maxStock: StockLevel.default(0),
    /** The bin it is put away to unless the keeper says otherwise. */
    defaultBin: BinLocation.optional(),
    active: z.boolean().default(true),
  })
  .check(
    z.superRefine((p, ctx) => {
      if (p.maxStock < p.minStock)
        ctx.addIssue({ code: 'custom', path: ['maxStock'], message: 'Max stock cannot be below min stock.' });
      if (p.supersededBy && p.supersededBy === p.partNumber)
        ctx.addIssue({ code: 'custom', path: ['supersededBy'], message: 'A part cannot replace itself.' });
    }),
  );
export type PartInput = z.input<typeof PartInput>;
export type PartFields = z.output<typeof PartInput>;

/** Edits: every field but the part number, which stock, orders and repair orders print and match on. */
export const PartPatch = patchSchema({
  name: Bilingual,
  brand: Brand,
  models: z.array(filledText(40)).check(z.maxLength(50)),
  unit: PartUnit,
  listPrice: Money,
  cost: Money,
  supersedes: PartNumber.optional(),
  supersededBy: PartNumber.optional(),
  minStock: StockLevel,
  maxStock: StockLevel,
  defaultBin: BinLocation.optional(),
  active: z.boolean(),
});
export type PartPatch = z.output<typeof PartPatch>;

export const Part = z.object({
  id: RequiredText,
  storeId: RequiredText,
  partNumber: z.string(),
  name: Bilingual,
  brand: Brand,
  models: z.array(z.string()),
  unit: PartUnit,
  listPrice: Money,
  cost: Money,
  supersedes: z.string().optional(),
  supersededBy: z.string().optional(),
  minStock: Count,
  maxStock: Count,
  defaultBin: z.string().optional(),
  active: z.boolean(),
  version: Version,
  createdAt: Instant,
  updatedAt: Instant,
});
export type Part = z.infer<typeof Part>;

/**
 * A part's book (帐): counts kept by the ledger's transactions, never edited. `available` = `onHand` −
 * `reserved`, stored so that a take can be refused by a condition on one attribute. `avgCostMinor` is
 * the moving average unit cost in fen (up to 4 decimals): receipts move it, issues never do.
 */
export const PartStock = z.object({
  partId: RequiredText,
  onHand: Count,
  reserved: Count,
  available: Count,
  /** Written off and kept in the write-off location (报损在库): not on-hand, not for sale. */
  custody: Count,
  avgCostMinor: z.number().check(z.gte(0)).default(0),
  /** On-hand valued at the moving average, in fen. */
  valueMinor: Count,
  /** The last movement's time: what obsolete stock (no movement in 12 months) is judged by. */
  lastMovedAt: Instant.optional(),
  /** When the earliest open purchase order expects it (预计到货): kept by purchasing, told to customers. */
  expectedOn: IsoDate.optional(),
  /**
   * 呆滞: the value the idle check found on hand when the part had not moved for a year. Set by the check,
   * cleared by the next movement (whose event takes it off the HQ figure).
   */
  obsoleteValueMinor: Count.optional(),
  obsoleteSince: Instant.optional(),
  /** When the idle check is next due (one due job per part, moved forward by the check itself). */
  idleCheckAt: Instant.optional(),
});
export type PartStock = z.infer<typeof PartStock>;

/** What a quantity on a shelf is: one part in one bin (货位卡). */
export const BinStock = z.object({
  partId: RequiredText,
  partNumber: z.string(),
  name: Bilingual,
  bin: z.string(),
  onHand: Count,
  /** True for the write-off location: stock in custody, not for issue. */
  custody: z.boolean(),
});
export type BinStock = z.infer<typeof BinStock>;

/** 呆滞库存: a part with stock on hand that has not moved for a year (`OBSOLETE_AFTER_DAYS`). */
export const ObsoleteStock = z.object({
  partId: RequiredText,
  partNumber: z.string(),
  name: Bilingual,
  onHand: Count,
  /** On hand at moving-average cost, fen. */
  valueMinor: Count,
  lastMovedAt: Instant,
});
export type ObsoleteStock = z.infer<typeof ObsoleteStock>;

/** 单据: what a movement belongs to, so that every quantity traces to a paper (no 白条). */
export const StockDocumentType = z.enum([
  'purchase_order',
  'receipt',
  'appointment',
  'repair_order',
  'requisition',
  'stocktake',
  'write_off',
  'transfer',
  'opening',
]);
export type StockDocumentType = z.infer<typeof StockDocumentType>;
export const StockDocument = z.strictObject({ type: StockDocumentType, id: filledText(60) });
export type StockDocument = z.infer<typeof StockDocument>;

/**
 * The kinds of movement (出入库): receive (入库), reserve (预留) and release (释放), issue (出库/领料),
 * return (退料), transfer between bins (移库), stocktake adjustment (盘点调整), write-off (报损).
 */
export const MovementKind = z.enum([
  'receive',
  'reserve',
  'release',
  'issue',
  'return',
  'transfer',
  'adjust',
  'write_off',
]);
export type MovementKind = z.infer<typeof MovementKind>;

const Reason = trimmedText(300).optional();

/**
 * A movement asked for. Each kind names what it needs: a receipt its cost, an issue its bin and its
 * document, an adjustment its signed delta and its reason. One object per kind (a union on `kind`),
 * so a client generated from the document knows which fields each kind takes.
 */
export const MovementRequest = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('receive'),
    bin: BinLocation,
    quantity: Quantity,
    /** The delivery's unit cost; absent: the catalogue's cost. */
    unitCost: Money.optional(),
    document: StockDocument,
    reason: Reason,
  }),
  z.strictObject({ kind: z.literal('reserve'), quantity: Quantity, document: StockDocument, reason: Reason }),
  z.strictObject({ kind: z.literal('release'), quantity: Quantity, document: StockDocument, reason: Reason }),
  z.strictObject({
    kind: z.literal('issue'),
    bin: BinLocation,
    quantity: Quantity,
    document: StockDocument,
    /** Taken from the document's reservation (pre-picked) rather than from free stock. */
    fromReservation: z.boolean().default(false),
    /** 以旧换新: the technician handed in the old part (required when issuing against a repair order). */
    oldPartReturned: z.boolean().optional(),
    reason: Reason,
  }),
  z.strictObject({
    kind: z.literal('return'),
    bin: BinLocation,
    quantity: Quantity,
    document: StockDocument,
    reason: Reason,
  }),
  z.strictObject({
    kind: z.literal('transfer'),
    bin: BinLocation,
    toBin: BinLocation,
    quantity: Quantity,
    reason: Reason,
  }),
  z.strictObject({
    kind: z.literal('adjust'),
    bin: BinLocation,
    /** Signed: a stocktake gain (+) or loss (−). */
    delta: z.int().check(
      z.gte(-100_000),
      z.lte(100_000),
      z.refine((n) => n !== 0, 'An adjustment changes the count.'),
    ),
    document: StockDocument,
    reason: filledText(300, 'Explain the difference (盘点差异说明).'),
  }),
  z.strictObject({
    kind: z.literal('write_off'),
    bin: BinLocation,
    quantity: Quantity,
    document: StockDocument,
    reason: filledText(300, 'Say why it is written off.'),
  }),
]);
export type MovementRequest = z.input<typeof MovementRequest>;
export type Movement = z.output<typeof MovementRequest>;

/** The movement kinds staff post by hand on the stock screens; the rest come from their documents. */
export const MANUAL_KINDS = ['receive', 'issue', 'return', 'transfer', 'reserve', 'release'] as const;

/** 卡片帐: one line of a part's ledger, as written. Quantities are signed changes. */
export const StockMovement = z.object({
  id: RequiredText,
  partId: RequiredText,
  partNumber: z.string(),
  kind: MovementKind,
  quantity: z.int(),
  /** The bin it left or entered (a transfer: the one it left). */
  bin: z.string().optional(),
  toBin: z.string().optional(),
  /** Signed changes it made to the book. */
  onHandDelta: z.int(),
  reservedDelta: z.int(),
  custodyDelta: z.int(),
  /** Its value at moving-average cost (a receipt: at its own cost), fen, signed like on-hand. */
  valueMinor: z.int(),
  unitCostMinor: z.number(),
  document: StockDocument.optional(),
  reason: z.string().optional(),
  /** An issue that found the part on the shelf when first asked (fill rate, 一次满足率). */
  firstRequestFilled: z.boolean().optional(),
  /** The obsolete value this movement ended (the part had been idle a year), fen, and since when. */
  obsoleteReleasedMinor: Count.optional(),
  obsoleteSince: Instant.optional(),
  by: z.object({ userId: z.string(), name: z.string() }),
  at: Instant,
});
export type StockMovement = z.infer<typeof StockMovement>;

/** 预留: stock held for one booking or repair order, released when unused and consumed when issued. */
export const Reservation = z.object({
  partId: RequiredText,
  partNumber: z.string(),
  name: Bilingual,
  document: StockDocument,
  /** Still held (reserved, not yet issued or released). */
  quantity: Count,
  issued: Count,
  released: Count,
  updatedAt: Instant,
});
export type Reservation = z.infer<typeof Reservation>;

/** A needed part's state for a booking or repair order line: what the advisor tells the customer. */
/** `retired`: the catalogue no longer sells it (停用), so nothing is held or bought for it: name its replacement. */
export const PartAvailability = z.enum(['in_stock', 'reserved', 'to_order', 'unknown_part', 'retired']);
export type PartAvailability = z.infer<typeof PartAvailability>;

export const NeededPartStatus = z.object({
  partNumber: z.string(),
  quantity: Count,
  status: PartAvailability,
  partId: z.string().optional(),
  reserved: Count,
  available: Count,
  /** When it is expected (an open purchase order's date), for `to_order`. */
  expectedOn: IsoDate.optional(),
  /** For `retired`: the number that replaces it (被替代件号), when the catalogue names one. */
  supersededBy: z.string().optional(),
});
export type NeededPartStatus = z.infer<typeof NeededPartStatus>;

/** 拣货单: what to pick for one booking or repair order, bin by bin. */
export const PickList = z.object({
  document: StockDocument,
  lines: z.array(
    Reservation.extend({
      /** Bins holding it, fullest first, with their counts. */
      bins: z.array(z.object({ bin: z.string(), onHand: Count })),
    }),
  ),
});
export type PickList = z.infer<typeof PickList>;

/** A booking's (or repair order's) needed parts, each with its state: what reserving answers too. */
export const DocumentParts = z.object({ document: StockDocument, parts: z.array(NeededPartStatus) });
export type DocumentParts = z.infer<typeof DocumentParts>;

/**
 * Parts a booking or quote is about to ask for, before there is a document to hold them: what the
 * booking form shows beside each line (in stock, to order with its expected date, unknown number).
 */
export const PartsAvailabilityQuery = z.strictObject({
  parts: z.array(AppointmentPart).check(z.minLength(1, 'Name at least one part.'), z.maxLength(30)),
});
export const PartsAvailability = z.object({ parts: z.array(NeededPartStatus) });
export type PartsAvailability = z.infer<typeof PartsAvailability>;

/** 明日预约 with each booking's part states: what to pre-pick, and what to chase or tell the customer. */
export const DayBeforeWithParts = DayBeforeList.extend({
  items: z.array(AppointmentView.extend({ partStatuses: z.array(NeededPartStatus) })),
});
export type DayBeforeWithParts = z.infer<typeof DayBeforeWithParts>;

const PartId = z.object({ partId: RequiredText });

/** 配件: who keeps the catalogue and moves stock (parts staff); who reads it (the service floor). */
export const PARTS = defineCapability({
  aggregates: { part: [] },
  events: {
    'part.created': PartId.extend({ partNumber: z.string() }),
    'part.updated': PartId.extend({ fields: z.array(z.string()) }),
    'stock.moved': PartId.extend({
      movementId: RequiredText,
      kind: MovementKind,
      quantity: z.int(),
      onHandDelta: z.int(),
      valueMinor: z.int(),
      document: StockDocument.optional(),
      /** An issue that found the part on the shelf when first asked (fill rate, 一次满足率). */
      firstRequestFilled: z.boolean().optional(),
      /** The part had been obsolete: the value that stops counting as obsolete stock. */
      obsoleteReleasedMinor: Count.optional(),
      at: Instant,
    }),
    /** 呆滞: a year without movement, with stock on hand (the idle check's finding). */
    'stock.obsoleted': PartId.extend({ valueMinor: Count, lastMovedAt: Instant, at: Instant }),
  },
  permissions: {
    'part:read': [
      'service_manager',
      'technical_director',
      'workshop_manager',
      'front_desk_supervisor',
      'service_advisor',
      'claims_specialist',
      'parts_manager',
      'parts_clerk',
      'warehouse_keeper',
    ],
    /** The catalogue: numbers, prices, min/max. */
    'part:manage': ['parts_manager', 'parts_clerk'],
    /** Receive, put away, transfer, issue and return: the warehouse's hands. */
    'stock:move': ['parts_manager', 'parts_clerk', 'warehouse_keeper'],
    /** Hold stock for a booking or repair order: also the advisors who book and quote. */
    'stock:reserve': [
      'parts_manager',
      'parts_clerk',
      'warehouse_keeper',
      'service_manager',
      'front_desk_supervisor',
      'service_advisor',
    ],
  },
  figures: {
    figures: {
      stockValueMinor: { label: { en: 'Stock value', 'zh-CN': '库存金额' }, unit: 'money' },
      // At moving-average cost, net of nothing: what left the shelves for jobs (turnover, days of supply).
      partsIssuedCostLast30Days: {
        label: { en: 'Issued at cost (30 d)', 'zh-CN': '出库成本（30天）' },
        unit: 'money',
        daily: { stored: 'partsIssuedCostByDay', days: 30 },
      },
      partLinesIssuedLast30Days: {
        label: { en: 'Part lines issued (30 d)', 'zh-CN': '发料行（30天）' },
        daily: { stored: 'partLinesIssuedByDay', days: 30 },
      },
      partLinesFilledLast30Days: {
        label: { en: 'Filled from stock (30 d)', 'zh-CN': '一次满足（30天）' },
        daily: { stored: 'partLinesFilledByDay', days: 30 },
      },
      writeOffsLast365Days: {
        label: { en: 'Write-offs (365 d)', 'zh-CN': '报损（365天）' },
        daily: { stored: 'writeOffsByDay', days: 365 },
      },
      // 呆滞库存: on-hand value of parts without a movement for a year, as the idle check found it.
      obsoleteStockValueMinor: {
        label: { en: 'Obsolete stock', 'zh-CN': '呆滞库存金额' },
        unit: 'money',
      },
    },
    on: {
      'stock.moved': (e) => ({
        stockValueMinor: e.data.valueMinor,
        partsIssuedCostLast30Days:
          e.data.kind === 'issue' ? { at: e.data.at, amount: -e.data.valueMinor } : undefined,
        partLinesIssuedLast30Days: e.data.kind === 'issue' ? e.data.at : undefined,
        partLinesFilledLast30Days:
          e.data.kind === 'issue' && e.data.firstRequestFilled ? e.data.at : undefined,
        writeOffsLast365Days: e.data.kind === 'write_off' ? e.data.at : undefined,
        obsoleteStockValueMinor: e.data.obsoleteReleasedMinor ? -e.data.obsoleteReleasedMinor : undefined,
      }),
      'stock.obsoleted': (e) => ({ obsoleteStockValueMinor: e.data.valueMinor }),
    },
    ratios: {
      // 库存可用天数: how many days of the last 30 days' issues the stock would cover.
      daysOfSupply: {
        label: { en: 'Days of supply', 'zh-CN': '库存可用天数' },
        numerator: 'stockValueMinor',
        denominator: ['partsIssuedCostLast30Days'],
        unit: 'days',
        scale: 30,
      },
      // 库存周转率: a year's issues at cost over the stock's value, from the last 30 days' pace.
      stockTurnover: {
        label: { en: 'Stock turnover (a year)', 'zh-CN': '库存周转率（年化）' },
        numerator: 'partsIssuedCostLast30Days',
        denominator: ['stockValueMinor'],
        unit: 'times',
        scale: 365 / 30,
      },
      fillRate: {
        label: { en: 'Fill rate (30 d)', 'zh-CN': '一次满足率（30天）' },
        numerator: 'partLinesFilledLast30Days',
        denominator: ['partLinesIssuedLast30Days'],
      },
    },
  },
});
