import {
  AppError,
  adjustmentsOf,
  type BinStock,
  type Counter,
  type CountInput,
  checkNotMovedSinceCount,
  countSheet,
  decideCounts,
  decideStocktakeCreation,
  decideStocktakeTransition,
  lineKey,
  MAX_SHEET_LINES,
  movedOn,
  NotFoundError,
  newId,
  type Part,
  Stocktake,
  type StocktakeFields,
  type StocktakeMove,
  scopeTooLarge,
  stockMovedSinceCount,
  VersionConflictError,
} from '@aftersales/domain';
import * as z from 'zod';
import { Parts, StockLedger } from '../parts/index.ts';
import { AggregateRepository, defineAggregate } from '../platform/aggregate.ts';
import type { IdempotencyRequest } from '../platform/idempotency.ts';
import type { Page, PageRequest, TenantContext, TenantTable, TxOp } from '../platform/tenant-table.ts';

/** The mark of one line's adjustment, written in the adjustment's own transaction. */
const Posting = z.object({ bin: z.string(), partId: z.string(), delta: z.int(), at: z.string() });
type Posting = z.infer<typeof Posting>;

/**
 * 盘点, one record per stocktake holding its count sheet (at most `MAX_SHEET_LINES` lines). Keys:
 * - stocktake  pk `<t>#STK#<id>` sk `#STK`; gsi1 `<t>#STKS` / `<createdAt>#<id>` (the list, newest first)
 * - postings   sk `POSTED#<bin>#<partId>`: written with each line's adjustment, conditioned on not
 *              existing, so a retried posting never adjusts a line twice
 */
export const STOCKTAKE = defineAggregate({
  name: 'stocktake',
  label: 'Stocktake',
  idParam: 'stocktakeId',
  prefix: 'STK',
  recordSk: '#STK',
  schema: Stocktake,
  indexes: {
    recent: { index: 'gsi1', prefix: 'STKS', key: (s) => ({ pk: [], sk: `${s.createdAt}#${s.id}` }) },
  },
  children: {
    postings: {
      skPrefix: 'POSTED#',
      type: 'StocktakePosting',
      schema: Posting,
      sk: (p: Posting) => lineKey(p),
    },
  },
});

/** A line found already adjusted by an earlier attempt: skipped, never adjusted again. */
class AlreadyPosted extends Error {}

/** A spot check reads at most this many bins of its scope to find the parts moved that day. */
const SPOT_READ_LIMIT = 3000;
/** Several counters on one sheet: a count that lost the record's version to another is merged again. */
const COUNT_ATTEMPTS = 5;

export class Stocktakes extends AggregateRepository<typeof STOCKTAKE> {
  private readonly ledger: StockLedger;
  private readonly parts: Parts;

  constructor(t: TenantTable, ctx: TenantContext) {
    super(t, ctx, STOCKTAKE);
    this.ledger = new StockLedger(t, ctx);
    this.parts = new Parts(t, ctx);
  }

  /**
   * Opens a stocktake: its count sheet is the bins in scope with their counts frozen now, read from
   * stock by location a page at a time (a spot check keeps the bins of parts moved on its day, judged
   * by each book's last movement).
   */
  async open(
    fields: StocktakeFields & { date: string },
    timeZone: string,
    opts: { idempotency?: IdempotencyRequest | undefined } = {},
  ): Promise<{ stocktake: Stocktake; created: boolean }> {
    const spot = fields.kind === 'spot';
    const bins = await this.binsIn(fields.locationPrefix, spot ? SPOT_READ_LIMIT : MAX_SHEET_LINES);
    let scope = bins;
    if (spot) {
      const ids = [...new Set(bins.map((b) => b.partId))];
      const moved = new Map<string, string | undefined>();
      for (let i = 0; i < ids.length; i += 100)
        for (const [id, book] of await this.ledger.books(ids.slice(i, i + 100)))
          moved.set(id, book.lastMovedAt);
      scope = movedOn(bins, moved, fields.date, timeZone);
    }
    const decision = decideStocktakeCreation(fields, countSheet(scope), {
      id: newId('stk'),
      storeId: this.t.tenantId,
      at: this.now().toISOString(),
    });
    const { record, created } = await this.createRecord(decision.next, {
      ...decision,
      idempotency: opts.idempotency,
    });
    return { stocktake: record, created };
  }

  /** Bins under `prefix` in location order, shelves only; more than `limit` is refused, not cut. */
  private async binsIn(prefix: string, limit: number): Promise<BinStock[]> {
    const out: BinStock[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.ledger.byLocation(prefix, { limit: 200, cursor });
      out.push(...page.items.filter((b) => !b.custody));
      if (out.length > limit) throw scopeTooLarge(out.length);
      cursor = page.nextCursor;
    } while (cursor);
    return out;
  }

  /** Stocktakes, newest first: one Query a page. */
  list(page: PageRequest): Promise<Page<Stocktake>> {
    return this.queryIndex('recent', [], { newestFirst: true, ...page });
  }

  /**
   * Counts entered on the sheet. Counters work side by side on one sheet, so a count is merged into
   * the version it finds (each names its own line), not refused for another's: no If-Match here.
   */
  async count(id: string, input: CountInput, by: Counter): Promise<Stocktake> {
    // What each counted bin holds on the book now: the count is set against what the counter saw.
    const onHand = await this.onHandOf(
      input.lines.filter((l) => l.counted !== undefined).map((l) => ({ ...l, bin: l.bin.toUpperCase() })),
    );
    for (let attempt = 1; ; attempt++) {
      const current = await this.require(id);
      const decision = decideCounts(current, input, by, this.now().toISOString(), onHand);
      if (!decision) return current;
      try {
        return await this.save(current, decision.next, { ...decision, action: 'count' });
      } catch (e) {
        if (!(e instanceof VersionConflictError) || attempt >= COUNT_ATTEMPTS) throw e;
      }
    }
  }

  /**
   * A move of the sheet. Posting writes one adjustment per difference through the stock ledger, each
   * with its line's posting mark in the same transaction, then the stocktake as posted: a retry after
   * a failure part-way posts only the lines not yet posted.
   */
  async transition(id: string, input: StocktakeMove, expectedVersion: number): Promise<Stocktake> {
    const current = await this.requireVersion(id, expectedVersion);
    const decision = decideStocktakeTransition(current, input, this.now().toISOString());
    if (!decision) return current;
    if (input.to === 'posted') await this.postAdjustments(current);
    return this.save(current, decision.next, decision);
  }

  private async postAdjustments(stocktake: Stocktake): Promise<void> {
    const adjustments = adjustmentsOf(stocktake);
    if (adjustments.length === 0) return;
    const done = await this.t.queryAll({
      partition: this.partition(stocktake.id),
      sk: { beginsWith: 'POSTED#' },
    });
    const posted = new Set(done.map((i) => String(i.sk).slice('POSTED#'.length)));
    const todo = adjustments.filter((a) => !posted.has(lineKey(a.line)));
    // Every line is checked before the first posts: one whose bin moved since its count refuses the
    // whole posting (nothing is adjusted), naming the lines to recount.
    const onHand = await this.onHandOf(todo.map((a) => a.line));
    checkNotMovedSinceCount({ ...stocktake, lines: todo.map((a) => a.line) }, onHand);
    const parts = new Map<string, Part>();
    const ids = [...new Set(todo.map((a) => a.line.partId))];
    for (let i = 0; i < ids.length; i += 100)
      for (const p of await this.parts.getMany(ids.slice(i, i + 100))) parts.set(p.id, p);
    const document = { type: 'stocktake' as const, id: stocktake.id };
    for (const { line, delta, reason } of todo) {
      const part = parts.get(line.partId);
      if (!part) throw new NotFoundError('Part', line.partId);
      try {
        await this.ledger.move(
          part,
          { kind: 'adjust', bin: line.bin, delta, document, reason },
          {
            extra: [
              this.postingOp(stocktake.id, {
                bin: line.bin,
                partId: part.id,
                delta,
                at: this.now().toISOString(),
              }),
            ],
          },
        );
      } catch (e) {
        if (e instanceof AlreadyPosted) continue;
        // Taken from the bin between the check and this line (milliseconds): the lines before it are
        // posted, each with its mark, so the posting after its recount adjusts only the rest.
        if (e instanceof AppError && e.code === 'INSUFFICIENT_STOCK') {
          const now = await this.onHandOf([line]);
          throw stockMovedSinceCount([line], now);
        }
        throw e;
      }
    }
  }

  /** The bins' on-hand on the book now, by line key: one BatchGet per 100 bins. */
  private async onHandOf(lines: readonly { bin: string; partId: string }[]): Promise<Map<string, number>> {
    const items = await this.t.getMany(lines.map((l) => this.parts.childKeyAt('bins', l.partId, l.bin)));
    const out = new Map<string, number>(lines.map((l) => [lineKey(l), 0]));
    for (const item of items)
      out.set(lineKey({ bin: String(item.bin), partId: String(item.partId) }), Number(item.onHand ?? 0));
    return out;
  }

  private postingOp(id: string, posting: Posting): TxOp {
    return {
      put: this.childItem('postings', id, posting),
      condition: 'attribute_not_exists(pk)',
      onConditionFailed: () => new AlreadyPosted(),
      decisive: true,
    };
  }
}
