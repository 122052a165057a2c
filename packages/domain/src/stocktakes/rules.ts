import { diffRecords } from '../audit.ts';
import type { Decision } from '../decision.ts';
import { newEvent } from '../events.ts';
import type { BinStock } from '../parts/model.ts';
import { ConflictError, type FieldError, ValidationError } from '../platform/errors.ts';
import { wallClock } from '../platform/local-time.ts';
import {
  type CountInput,
  MAX_SHEET_LINES,
  type Stocktake,
  type StocktakeFields,
  type StocktakeLine,
  type StocktakeMove,
  type StocktakeStatus,
} from './model.ts';

/** Who counted: kept on each line (the counter signs the sheet). */
export interface Counter {
  userId: string;
  name: string;
}

/** open → counted → posted, or cancelled before posting; a counted sheet may be reopened to recount. */
const MOVES: Record<StocktakeStatus, readonly StocktakeStatus[]> = {
  open: ['counted', 'cancelled'],
  counted: ['open', 'posted', 'cancelled'],
  posted: [],
  cancelled: [],
};

export function allowedStocktakeMoves(status: StocktakeStatus): readonly StocktakeStatus[] {
  return MOVES[status];
}

/** The line's identity on the sheet: one part in one bin. */
export const lineKey = (l: { bin: string; partId: string }) => `${l.bin}#${l.partId}`;

/**
 * The count sheet from the bins in scope, in location order: the write-off location is not counted
 * here (custody has its own ledger), and a sheet longer than `MAX_SHEET_LINES` is refused with how many
 * there were, so the counter narrows the location instead of getting a partial sheet.
 */
export function countSheet(bins: readonly BinStock[]): StocktakeLine[] {
  const shelves = bins.filter((b) => !b.custody);
  if (shelves.length === 0)
    throw new ConflictError(409, 'STOCKTAKE_SCOPE_EMPTY', 'No bins in this scope to count.');
  if (shelves.length > MAX_SHEET_LINES) throw scopeTooLarge(shelves.length);
  return shelves
    .map((b) => ({ partId: b.partId, partNumber: b.partNumber, name: b.name, bin: b.bin, book: b.onHand }))
    .sort((a, b) => a.bin.localeCompare(b.bin) || a.partNumber.localeCompare(b.partNumber));
}

export function scopeTooLarge(found: number): ConflictError {
  return new ConflictError(
    409,
    'STOCKTAKE_SCOPE_TOO_LARGE',
    `More than ${MAX_SHEET_LINES} bins in this scope: count a warehouse, rack or shelf at a time.`,
    { max: MAX_SHEET_LINES, found },
  );
}

/** 日常抽盘: only the bins of parts whose last movement fell on `date` in the store's time zone. */
export function movedOn(
  bins: readonly BinStock[],
  lastMovedAt: ReadonlyMap<string, string | undefined>,
  date: string,
  timeZone: string,
): BinStock[] {
  return bins.filter((b) => {
    const at = lastMovedAt.get(b.partId);
    return at !== undefined && wallClock(at, timeZone).date === date;
  });
}

export function summarize(lines: readonly StocktakeLine[]): Stocktake['summary'] {
  const counted = lines.filter((l) => l.counted !== undefined);
  const variances = counted.filter((l) => l.variance !== 0);
  return {
    lines: lines.length,
    counted: counted.length,
    variances: variances.length,
    unexplained: variances.filter((l) => !l.reason).length,
    net: variances.reduce((n, l) => n + (l.variance ?? 0), 0),
  };
}

export function decideStocktakeCreation(
  fields: StocktakeFields & { date: string },
  lines: StocktakeLine[],
  at: { id: string; storeId: string; at: string },
): Decision<Stocktake> {
  const next: Stocktake = {
    id: at.id,
    storeId: at.storeId,
    kind: fields.kind,
    status: 'open',
    locationPrefix: fields.locationPrefix,
    date: fields.date,
    ...(fields.note ? { note: fields.note } : {}),
    lines,
    summary: summarize(lines),
    version: 1,
    createdAt: at.at,
    updatedAt: at.at,
  };
  return { next, changes: [], events: [] };
}

function closed(current: Stocktake): ConflictError {
  return new ConflictError(409, 'STOCKTAKE_CLOSED', `A ${current.status} stocktake takes no counts.`, {
    status: current.status,
  });
}

/**
 * Counts (and reasons) entered on the sheet while it is open or under review. Each entry names its
 * line by bin and part; one naming no line of the sheet is a 400 on that entry. A count equal to the
 * book clears a reason given for an earlier, different count.
 */
export function decideCounts(
  current: Stocktake,
  input: CountInput,
  by: Counter,
  at: string,
  /** The bins' on-hand now, by line key: what each new count is set against (else the sheet's book). */
  onHandNow: ReadonlyMap<string, number> = new Map(),
): Decision<Stocktake> | undefined {
  if (current.status !== 'open' && current.status !== 'counted') throw closed(current);
  const index = new Map(current.lines.map((l, i) => [lineKey(l), i]));
  const errors: FieldError[] = [];
  const lines = [...current.lines];
  input.lines.forEach((entry, n) => {
    const i = index.get(lineKey({ bin: entry.bin.toUpperCase(), partId: entry.partId }));
    if (i === undefined) {
      errors.push({
        path: `lines.${n}`,
        code: 'STOCKTAKE_LINE_NOT_FOUND',
        message: `The sheet has no line for this part in ${entry.bin}.`,
      });
      return;
    }
    const line = lines[i]!;
    if (entry.counted === undefined && entry.reason === undefined) {
      errors.push({ path: `lines.${n}`, message: 'Send a count, a reason or both.' });
      return;
    }
    const counted = entry.counted ?? line.counted;
    const seen =
      entry.counted === undefined ? bookAtCount(line) : (onHandNow.get(lineKey(line)) ?? line.book);
    const variance = counted === undefined ? undefined : counted - seen;
    const reason = variance === 0 ? undefined : (entry.reason ?? line.reason);
    const { reason: _r, counted: _c, variance: _v, onHandAtCount: _o, ...rest } = line;
    lines[i] = {
      ...rest,
      ...(counted === undefined ? {} : { counted, variance, onHandAtCount: seen }),
      ...(reason ? { reason } : {}),
      ...(entry.counted === undefined ? {} : { countedBy: by, countedAt: at }),
    };
  });
  if (errors.length) throw new ValidationError(errors);
  const next: Stocktake = {
    ...current,
    lines,
    summary: summarize(lines),
    version: current.version + 1,
    updatedAt: at,
  };
  // The audit entry names the lines that changed, not the whole sheet twice.
  const changes = lines.flatMap((line, i) => {
    const before = current.lines[i]!;
    const was = { counted: before.counted, reason: before.reason };
    const is = { counted: line.counted, reason: line.reason };
    return JSON.stringify(was) === JSON.stringify(is)
      ? []
      : [{ field: `lines.${line.bin}.${line.partNumber}`, from: was, to: is }];
  });
  return changes.length ? { next, changes, events: [] } : undefined;
}

/** The book a line's count is set against: the bin's on-hand when counted (older sheets: when opened). */
export const bookAtCount = (line: StocktakeLine): number => line.onHandAtCount ?? line.book;

/**
 * Before anything posts: the lines with a difference whose bin moved since they were counted. Their
 * difference no longer says what is on the shelf (a take after the count could even leave the book
 * below zero), so posting is refused whole, 409 `STOCK_MOVED_SINCE_COUNT` with those lines, and the
 * counter recounts exactly them. A line with no difference posts nothing and is not asked again.
 */
export function checkNotMovedSinceCount(stocktake: Stocktake, onHandNow: ReadonlyMap<string, number>): void {
  const moved = adjustmentsOf(stocktake)
    .map((a) => a.line)
    .filter((l) => !l.posted && (onHandNow.get(lineKey(l)) ?? 0) !== bookAtCount(l));
  if (moved.length) throw stockMovedSinceCount(moved, onHandNow);
}

export function stockMovedSinceCount(
  lines: readonly StocktakeLine[],
  onHandNow: ReadonlyMap<string, number>,
): ConflictError {
  return new ConflictError(
    409,
    'STOCK_MOVED_SINCE_COUNT',
    `${lines.length} lines moved since they were counted: recount them, then post.`,
    {
      lines: lines.slice(0, MAX_SHEET_LINES).map((l) => ({
        bin: l.bin,
        partId: l.partId,
        partNumber: l.partNumber,
        onHandAtCount: bookAtCount(l),
        onHandNow: onHandNow.get(lineKey(l)) ?? 0,
      })),
    },
  );
}

/** The adjustments a counted sheet posts: one per line whose count differs from its book. */
export function adjustmentsOf(
  stocktake: Stocktake,
): { line: StocktakeLine; delta: number; reason: string }[] {
  return stocktake.lines.flatMap((line) =>
    line.variance ? [{ line, delta: line.variance, reason: line.reason ?? '' }] : [],
  );
}

/**
 * A move of the sheet. To `counted`, every line needs its count (409 `STOCKTAKE_NOT_COUNTED` with the
 * bins left); to `posted`, every difference needs its reason (409 `VARIANCE_UNEXPLAINED` with the
 * lines). An illegal move is 409 `STOCKTAKE_TRANSITION_NOT_ALLOWED` with the allowed ones.
 */
export function decideStocktakeTransition(
  current: Stocktake,
  input: StocktakeMove,
  at: string,
): (Decision<Stocktake> & { action: 'counted' | 'reopen' | 'post' | 'cancel' }) | undefined {
  if (current.status === input.to) return undefined;
  if (!MOVES[current.status].includes(input.to))
    throw new ConflictError(
      409,
      'STOCKTAKE_TRANSITION_NOT_ALLOWED',
      `A ${current.status} stocktake cannot become ${input.to}.`,
      { from: current.status, to: input.to, allowed: MOVES[current.status] },
    );
  if (input.to === 'counted') {
    const uncounted = current.lines.filter((l) => l.counted === undefined);
    if (uncounted.length)
      throw new ConflictError(
        409,
        'STOCKTAKE_NOT_COUNTED',
        `${uncounted.length} lines are not counted yet.`,
        {
          uncounted: uncounted.slice(0, 50).map((l) => ({ bin: l.bin, partNumber: l.partNumber })),
        },
      );
  }
  if (input.to === 'posted') {
    const unexplained = current.lines.filter((l) => l.variance && !l.reason);
    if (unexplained.length)
      throw new ConflictError(
        409,
        'VARIANCE_UNEXPLAINED',
        `${unexplained.length} differences have no reason: explain each before posting.`,
        { lines: unexplained.slice(0, 50).map((l) => ({ bin: l.bin, partNumber: l.partNumber })) },
      );
  }
  const lines =
    input.to === 'posted'
      ? current.lines.map((l) => (l.variance ? { ...l, posted: true } : l))
      : current.lines;
  const next: Stocktake = {
    ...current,
    status: input.to,
    lines,
    ...(input.to === 'cancelled' && 'reason' in input && input.reason ? { cancelReason: input.reason } : {}),
    ...(input.to === 'posted' ? { postedAt: at } : {}),
    version: current.version + 1,
    updatedAt: at,
  };
  const action = ({ open: 'reopen', counted: 'counted', posted: 'post', cancelled: 'cancel' } as const)[
    input.to
  ];
  const summary = summarize(lines);
  return {
    next,
    action,
    changes: diffRecords(current, next).filter((c) => c.field !== 'lines'),
    events:
      input.to === 'posted'
        ? [
            newEvent('stocktake.posted', 'stocktake', current.id, {
              stocktakeId: current.id,
              adjustments: summary.variances,
              net: summary.net,
            }),
          ]
        : [],
  };
}
