import * as z from 'zod';
import { IsoDate } from '../appointments/model.ts';
import { defineCapability } from '../platform/capability.ts';
import { Count, filledText, Instant, RequiredText, trimmedText, Version } from '../platform/fields.ts';
import { Bilingual } from '../setup/model.ts';

/**
 * 盘点: counting the shelves against the book. A stocktake freezes the book count of every bin in its
 * scope when it opens (the count sheet), takes a count per line, and posts each explained difference
 * as one stocktake adjustment through the stock ledger. Nothing posts silently: a count equal to the
 * book posts nothing, and a difference without a reason cannot post. DOMAIN.md § Parts and warehouse.
 */

/** 日常抽盘 (items moved that day), 月盘, 季度全盘 (with finance). */
export const StocktakeKind = z.enum(['spot', 'monthly', 'quarterly']);
export type StocktakeKind = z.infer<typeof StocktakeKind>;

export const StocktakeStatus = z.enum(['open', 'counted', 'posted', 'cancelled']);
export type StocktakeStatus = z.infer<typeof StocktakeStatus>;

/** The most lines one count sheet holds: a sheet is one record, and one person's afternoon. */
export const MAX_SHEET_LINES = 300;

/**
 * A scope by four-part location, from the warehouse down (`A`, `A-03`, `A-03-2`): empty is the whole
 * store. Upper-cased like a bin.
 */
export const LocationPrefix = z
  .string()
  .transform((v) => v.trim().toUpperCase())
  .pipe(
    z
      .string()
      .check(
        z.regex(
          /^([A-Z0-9]{1,4}(-[A-Z0-9]{1,4}){0,3})?$/,
          'Use the start of a location, like A or A-03 (库号-架号-层号-位号).',
        ),
      ),
  )
  .meta({ example: 'A-03' });

export const StocktakeInput = z.strictObject({
  kind: StocktakeKind,
  locationPrefix: LocationPrefix.default(''),
  /** The store-local day counted (a spot check's items are those moved that day); default today. */
  date: IsoDate.optional(),
  note: trimmedText(300).optional(),
});
export type StocktakeInput = z.input<typeof StocktakeInput>;
export type StocktakeFields = z.output<typeof StocktakeInput>;

/** A reason for a difference (盘点差异说明): what the counter found. */
const VarianceReason = filledText(300, 'Explain the difference (盘点差异说明).');

/** One line of the count sheet: one part in one bin, its book count frozen when the sheet opened. */
export const StocktakeLine = z.object({
  partId: RequiredText,
  partNumber: z.string(),
  name: Bilingual,
  bin: z.string(),
  /** 帐面数: the bin's count when the stocktake opened. */
  book: Count,
  /** 实盘数: absent until counted. */
  counted: Count.optional(),
  /**
   * The bin's book when the count was entered: what the counter saw, moves since the sheet opened
   * included. The difference is set against it; a bin that moves again after it is recounted.
   */
  onHandAtCount: Count.optional(),
  /** Counted − the book at the count (`onHandAtCount`, else `book`); absent until counted. */
  variance: z.int().optional(),
  reason: z.string().optional(),
  countedBy: z.object({ userId: z.string(), name: z.string() }).optional(),
  countedAt: Instant.optional(),
  /** The adjustment was written to the ledger. */
  posted: z.boolean().optional(),
});
export type StocktakeLine = z.infer<typeof StocktakeLine>;

export const Stocktake = z.object({
  id: RequiredText,
  storeId: RequiredText,
  kind: StocktakeKind,
  status: StocktakeStatus,
  locationPrefix: z.string(),
  date: IsoDate,
  note: z.string().optional(),
  lines: z.array(StocktakeLine),
  /** Lines counted, lines with a difference, and the net difference in units. */
  summary: z.object({ lines: Count, counted: Count, variances: Count, unexplained: Count, net: z.int() }),
  cancelReason: z.string().optional(),
  postedAt: Instant.optional(),
  version: Version,
  createdAt: Instant,
  updatedAt: Instant,
});
export type Stocktake = z.infer<typeof Stocktake>;

/** Counts and reasons entered on the sheet: a line is named by its bin and part. */
export const CountEntry = z.strictObject({
  bin: filledText(20),
  partId: filledText(60),
  /** Absent: the reason alone is being given (at review). */
  counted: z.int().check(z.gte(0, 'A count is 0 or more.'), z.lte(100_000)).optional(),
  reason: VarianceReason.optional(),
});
export type CountEntry = z.infer<typeof CountEntry>;

export const CountInput = z.strictObject({
  lines: z.array(CountEntry).check(z.minLength(1, 'Send at least one line.'), z.maxLength(MAX_SHEET_LINES)),
});
export type CountInput = z.infer<typeof CountInput>;

/** The counters' moves; posting is the parts manager's own operation. A cancellation says why. */
export const StocktakeTransitionInput = z
  .strictObject({
    to: z.enum(['open', 'counted', 'cancelled']),
    reason: trimmedText(300).optional(),
  })
  .check(
    z.superRefine((input, ctx) => {
      if (input.to === 'cancelled' && !input.reason)
        ctx.addIssue({ code: 'custom', path: ['reason'], message: 'Say why it is cancelled.' });
    }),
  );
export type StocktakeTransitionInput = z.infer<typeof StocktakeTransitionInput>;
/** Every move of a stocktake, posting included. */
export type StocktakeMove = StocktakeTransitionInput | { to: 'posted' };

const StocktakeId = z.object({ stocktakeId: RequiredText });

/** 盘点: the warehouse counts, the parts manager posts the differences. */
export const STOCKTAKES = defineCapability({
  aggregates: { stocktake: ['count', 'counted', 'reopen', 'post', 'cancel'] },
  events: {
    'stocktake.posted': StocktakeId.extend({ adjustments: Count, net: z.int() }),
  },
  permissions: {
    'stocktake:read': ['service_manager', 'parts_manager', 'parts_clerk', 'warehouse_keeper'],
    /** Open a sheet, count, hand it in, cancel it. */
    'stocktake:count': ['parts_manager', 'parts_clerk', 'warehouse_keeper'],
    /** Post the explained differences to the books: the parts manager's signature. */
    'stocktake:post': ['parts_manager'],
  },
});
