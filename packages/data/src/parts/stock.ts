import {
  AppError,
  averageAfterReceipt,
  type BinStock,
  bookOf,
  checkMovement,
  documentKey,
  effectsOf,
  emptyStock,
  type Movement,
  type MovementEffects,
  MovementRequest,
  movementValue,
  newEvent,
  newId,
  type ObsoleteStock,
  obsoleteAt,
  obsoleteBefore,
  type Part,
  type PartStock,
  type StockDocument,
  type StockMovement,
  shortage,
  WRITE_OFF_BIN,
} from '@aftersales/domain';
import { scheduleDue } from '../platform/due.ts';
import { eventOp } from '../platform/events.ts';
import { type IdempotencyRequest, IdempotentReplay, idempotencyOp } from '../platform/idempotency.ts';
import {
  type Item,
  type Page,
  type PageRequest,
  stripKeys,
  type TenantContext,
  type TenantTable,
  type TxOp,
} from '../platform/tenant-table.ts';
import { STOCK_IDLE_DUE } from './idle-due.ts';
import {
  BINS_PREFIX,
  IDLE_PREFIX,
  PART,
  PART_DOCUMENT_PREFIX,
  Parts,
  SHORT_NEEDS_PREFIX,
  type StoredBin,
  type StoredReservation,
  StoredStock,
} from './parts.ts';

/** Another writer moved the average cost (a receipt) or the count a receipt averaged over: read again. */
class BookMoved extends Error {}

/** A take that lost a transaction conflict, or a receipt that lost the average to another: tried again. */
const MAX_ATTEMPTS = 8;

const isRetryable = (e: unknown) =>
  e instanceof BookMoved || (e instanceof AppError && e.code === 'CONCURRENT_UPDATE');

/** Book attributes by effect field: each is an `ADD`, each decrease conditioned on staying ≥ 0. */
const BOOK_FIELDS = ['onHand', 'reserved', 'available', 'custody'] as const;

export interface MoveOptions {
  idempotency?: IdempotencyRequest | undefined;
  /** Further operations of the same transaction (the document's own record: a receipt's line). */
  extra?: TxOp[];
}

/**
 * 出入库: the one path every quantity of stock takes. A movement is one transaction: the book's counts,
 * each bin's count and the document's reservation move by `ADD`, every decrease conditioned on leaving
 * nothing below zero; the ledger line and the `stock.moved` event are written beside them. Concurrent
 * takes of the last units therefore cannot both succeed — DynamoDB evaluates each condition against the
 * item as the other transaction left it, and a transaction that collides is cancelled and re-read here.
 *
 * Transactions rather than a single conditional update because the book, the shelf and the card are
 * three items that must agree; a conditional update of the book alone would leave a crash between it
 * and the ledger line able to make them disagree.
 */
export class StockLedger {
  private readonly parts: Parts;

  constructor(
    private readonly t: TenantTable,
    private readonly ctx: TenantContext,
  ) {
    this.parts = new Parts(t, ctx);
  }

  /** A part's book; one that never moved reads empty. */
  async book(partId: string): Promise<PartStock> {
    const stored = await this.parts.getChild('stock', partId, '');
    return stored ? bookOf(stored) : emptyStock(partId);
  }

  /** Books of up to 100 parts in one BatchGet (the catalogue page's stock column). */
  async books(partIds: readonly string[]): Promise<Map<string, PartStock>> {
    const keys = partIds.map((id) => this.parts.childKeyAt('stock', id, ''));
    const items = keys.length ? await this.t.getMany(keys) : [];
    const books = new Map(partIds.map((id) => [id, emptyStock(id)]));
    for (const item of items) books.set(String(item.partId), bookOf(StoredStock.parse(stripKeys(item))));
    return books;
  }

  /** A part's ledger (卡片帐), newest first: one Query a page. */
  ledger(partId: string, page: PageRequest): Promise<Page<StockMovement>> {
    return this.parts.children('movements', partId, { newestFirst: true, ...page });
  }

  /** A part's movements from `fromId` on (ids sort by time: a time window of its card), oldest first. */
  since(partId: string, fromId: string, page: PageRequest): Promise<Page<StockMovement>> {
    return this.parts.children('movements', partId, { sk: { between: [fromId, '~'] }, ...page });
  }

  /**
   * Books whose last movement is before `before` (呆滞: idle for 12 months is obsolete stock), the
   * longest idle first: one Query a page. Books of parts with nothing on hand are among them.
   */
  async idleSince(before: string, page: PageRequest): Promise<Page<PartStock>> {
    const out = await this.parts.childrenIn('stock', [IDLE_PREFIX], {
      sk: { between: ['0', before] },
      ...page,
    });
    return { ...out, items: out.items.map(bookOf) };
  }

  /**
   * 呆滞库存: parts with stock on hand and no movement for a year, the longest idle first. One Query of
   * the idle index and one BatchGet of their parts per page; idle books with nothing on hand are passed
   * over, so a page can hold fewer lines than asked (its cursor goes on).
   */
  async obsolete(now: Date, page: PageRequest): Promise<Page<ObsoleteStock>> {
    const idle = await this.idleSince(obsoleteBefore(now), page);
    const held = idle.items.filter((b) => b.onHand > 0 && b.lastMovedAt);
    const parts = new Map((await this.parts.getMany(held.map((b) => b.partId))).map((p) => [p.id, p]));
    const items = held.flatMap((b) => {
      const part = parts.get(b.partId);
      return part && b.lastMovedAt
        ? [
            {
              partId: b.partId,
              partNumber: part.partNumber,
              name: part.name,
              onHand: b.onHand,
              valueMinor: b.valueMinor,
              lastMovedAt: b.lastMovedAt,
            },
          ]
        : [];
    });
    return { items, ...(idle.nextCursor ? { nextCursor: idle.nextCursor } : {}) };
  }

  /** One part's bins, by location. */
  async binsOf(partId: string): Promise<BinStock[]> {
    const page = await this.parts.children('bins', partId, { limit: 100 });
    return page.items.map(binView);
  }

  /**
   * Stock by location (货位): every bin of the store in location order, narrowed to a warehouse, rack or
   * shelf by prefix (`A-03`). One Query a page, whatever the ledger's length.
   */
  async byLocation(locationPrefix: string, page: PageRequest): Promise<Page<BinStock>> {
    const out = await this.parts.childrenIn('bins', [BINS_PREFIX], {
      ...(locationPrefix ? { sk: { beginsWith: locationPrefix.toUpperCase() } } : {}),
      ...page,
    });
    return { ...out, items: out.items.map(binView) };
  }

  /** A document's reservations (a booking's or repair order's parts held): one Query. */
  async reservationsOf(document: StockDocument): Promise<StoredReservation[]> {
    const page = await this.parts.childrenIn('reservations', [PART_DOCUMENT_PREFIX, documentKey(document)], {
      limit: 100,
    });
    return page.items;
  }

  /** The movements a document made (a receipt's put-aways, a repair order's issues), oldest first. */
  movementsOf(document: StockDocument, page: PageRequest): Promise<Page<StockMovement>> {
    return this.parts.childrenIn('movements', [PART_DOCUMENT_PREFIX, documentKey(document)], page);
  }

  /** A document's reservation of one part, if any. */
  reservation(partId: string, document: StockDocument): Promise<StoredReservation | undefined> {
    return this.parts.getChild('reservations', partId, documentKey(document));
  }

  /**
   * Posts one movement of `part`. Refusals: 409 `INSUFFICIENT_STOCK` (available, bin or reservation
   * short, with what there is), and the movement's own rules (`checkMovement`). Retried with an
   * Idempotency-Key, it answers the first movement.
   */
  async move(part: Part, request: MovementRequest, opts: MoveOptions = {}): Promise<StockMovement> {
    const movement: Movement = MovementRequest.parse(request);
    checkMovement(movement, part);
    // The tenant's clock, not the machine's: ledger ids sort by time, and a back-dated movement (the
    // demo seed's month of history) must sort where its time puts it.
    const id = newId('mov', this.ctx.now().getTime());
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.attempt(part, movement, id, opts);
      } catch (e) {
        if (e instanceof IdempotentReplay) return this.replayed(e.resultId);
        if (!isRetryable(e) || attempt >= MAX_ATTEMPTS) {
          if (e instanceof BookMoved)
            throw new AppError(409, 'CONCURRENT_UPDATE', 'The stock kept changing; try again.');
          throw e;
        }
        // Jittered back-off: colliding takes spread out instead of colliding again.
        await new Promise((r) => setTimeout(r, Math.random() * 8 * attempt));
      }
    }
  }

  /** Releases what a document still holds of every part (a cancelled booking, a closed repair order). */
  async releaseAll(document: StockDocument, reason: string): Promise<StockMovement[]> {
    const held = (await this.reservationsOf(document)).filter((r) => r.quantity > 0);
    const parts = await this.parts.getMany(held.map((r) => r.partId));
    const out: StockMovement[] = [];
    for (const r of held) {
      const part = parts.find((p) => p.id === r.partId);
      if (part) out.push(await this.move(part, { kind: 'release', quantity: r.quantity, document, reason }));
    }
    return out;
  }

  private async replayed(resultId: string): Promise<StockMovement> {
    const [partId, movementId] = resultId.split('/');
    const found =
      partId && movementId ? await this.parts.getChild('movements', partId, movementId) : undefined;
    if (!found)
      throw new AppError(409, 'CONCURRENT_UPDATE', 'The first attempt is still in progress; retry.');
    return found;
  }

  private async attempt(part: Part, m: Movement, id: string, opts: MoveOptions): Promise<StockMovement> {
    const effects = effectsOf(m);
    const usesReservation = effects.reservation !== 0;
    const [stored, reservation] = await Promise.all([
      this.parts.getChild('stock', part.id, ''),
      usesReservation && 'document' in m ? this.reservation(part.id, m.document) : undefined,
    ]);
    const before = stored ?? emptyStock(part.id);
    const at = this.ctx.now().toISOString();
    const unitCostMinor =
      m.kind === 'receive'
        ? (m.unitCost ?? part.cost).amountMinor
        : effects.onHand !== 0
          ? before.avgCostMinor
          : 0;
    const avgAfter =
      m.kind === 'receive' ? averageAfterReceipt(before, m.quantity, unitCostMinor) : before.avgCostMinor;
    const document = 'document' in m ? m.document : undefined;
    const movement: StockMovement = {
      id,
      partId: part.id,
      partNumber: part.partNumber,
      kind: m.kind,
      quantity: m.kind === 'adjust' ? m.delta : m.quantity,
      ...('bin' in m ? { bin: m.bin } : {}),
      ...(m.kind === 'transfer'
        ? { toBin: m.toBin }
        : m.kind === 'write_off'
          ? { toBin: WRITE_OFF_BIN }
          : {}),
      onHandDelta: effects.onHand,
      reservedDelta: effects.reserved,
      custodyDelta: effects.custody,
      valueMinor: movementValue(effects.onHand, unitCostMinor),
      unitCostMinor,
      ...(document ? { document } : {}),
      ...(m.reason ? { reason: m.reason } : {}),
      ...(m.kind === 'issue' ? { firstRequestFilled: !reservation?.short } : {}),
      // A movement of obsolete stock (呆滞) ends it: the book's mark goes, and the figure with it.
      ...(stored?.obsoleteValueMinor
        ? { obsoleteReleasedMinor: stored.obsoleteValueMinor, obsoleteSince: stored.obsoleteSince }
        : {}),
      by: { userId: this.ctx.actor.userId, name: this.ctx.actor.name },
      at,
    };
    const partition = this.parts.partition(part.id);
    const ops: TxOp[] = [
      this.bookOp(part.id, effects, stored, m.kind === 'receive' ? avgAfter : undefined, unitCostMinor, at),
      ...effects.bins.map((b) => this.binOp(part, b)),
      ...(usesReservation && document
        ? [this.reservationOp(part, document, m, effects, reservation, at)]
        : []),
      { put: this.parts.childItem('movements', part.id, movement) },
      eventOp(
        this.t,
        this.ctx,
        partition,
        newEvent('stock.moved', 'part', part.id, {
          partId: part.id,
          movementId: id,
          kind: m.kind,
          quantity: movement.quantity,
          onHandDelta: effects.onHand,
          valueMinor: movement.valueMinor,
          ...(document ? { document } : {}),
          ...(movement.firstRequestFilled === undefined
            ? {}
            : { firstRequestFilled: movement.firstRequestFilled }),
          ...(movement.obsoleteReleasedMinor
            ? { obsoleteReleasedMinor: movement.obsoleteReleasedMinor }
            : {}),
          at,
        }),
        at,
      ),
      // The book's idle check, when none is pending: a year from now (it moves itself on from there).
      ...(stored?.idleCheckAt
        ? []
        : [
            scheduleDue(this.t, this.ctx, {
              type: STOCK_IDLE_DUE,
              id: part.id,
              dueAt: new Date(obsoleteAt(at)),
              payload: { partId: part.id },
            }),
          ]),
      ...(opts.extra ?? []),
    ];
    if (opts.idempotency)
      ops.push(idempotencyOp(this.t, opts.idempotency, 'stockMovement', `${part.id}/${id}`, new Date(at)));
    await this.t.transact(ops);
    return movement;
  }

  /**
   * The book's update: counts by `ADD`, each decrease conditioned on staying ≥ 0; a movement valued at
   * the average also conditioned on the average it read (only a receipt moves it, and a receipt also on
   * the on-hand it averaged over); every movement on the idle check's marks as it read them.
   */
  private bookOp(
    partId: string,
    effects: MovementEffects,
    stored: Omit<PartStock, 'valueMinor'> | undefined,
    avgAfter: number | undefined,
    avgRead: number,
    at: string,
  ): TxOp {
    const add: Record<string, number> = {};
    const values: Item = {};
    const names: Record<string, string> = {};
    const conditions: string[] = [];
    for (const field of BOOK_FIELDS) {
      const delta = effects[field];
      // Every count is added, zeros too, so that the book item always holds all four.
      add[field] = delta;
      if (delta === 0) continue;
      if (delta < 0) {
        names[`#${field}`] = field;
        values[`:${field}`] = -delta;
        conditions.push(`#${field} >= :${field}`);
      }
    }
    const valued = effects.onHand !== 0;
    if ((valued || avgAfter !== undefined) && stored) {
      names['#avg'] = 'avgCostMinor';
      values[':avg'] = stored.avgCostMinor;
      // A book made by purchasing's expected date has no average until its first receipt.
      conditions.push(
        stored.avgCostMinor === 0 ? '(attribute_not_exists(#avg) OR #avg = :avg)' : '#avg = :avg',
      );
      if (avgAfter !== undefined) {
        names['#seenOnHand'] = 'onHand';
        values[':seenOnHand'] = stored.onHand;
        conditions.push('#seenOnHand = :seenOnHand');
      }
    }
    // The idle check's marks as read: a check that found the book obsolete, or moved its own due time
    // away, in between makes this movement read again (a mark is never lost nor ended twice).
    if (!stored) conditions.push('attribute_not_exists(pk)');
    else {
      names['#idleCheck'] = 'idleCheckAt';
      names['#obsolete'] = 'obsoleteValueMinor';
      conditions.push(
        stored.idleCheckAt ? 'attribute_exists(#idleCheck)' : 'attribute_not_exists(#idleCheck)',
      );
      if (stored.obsoleteValueMinor === undefined) conditions.push('attribute_not_exists(#obsolete)');
      else {
        values[':obsolete'] = stored.obsoleteValueMinor;
        conditions.push('#obsolete = :obsolete');
      }
    }
    const key = this.parts.childKeyAt('stock', partId, '');
    const set: Item = {
      type: 'PartStock',
      partId,
      lastMovedAt: at,
      gsi3pk: this.t.key(IDLE_PREFIX),
      gsi3sk: `${at}#${partId}`,
      idleCheckAt: stored?.idleCheckAt ?? obsoleteAt(at),
    };
    const remove = stored?.obsoleteValueMinor === undefined ? [] : ['obsoleteValueMinor', 'obsoleteSince'];
    if (avgAfter !== undefined) set.avgCostMinor = avgAfter;
    else if (!stored) set.avgCostMinor = avgRead;
    const takes = BOOK_FIELDS.filter((f) => effects[f] < 0);
    return {
      update: key,
      changes: { add, set, ...(remove.length ? { remove } : {}) },
      condition: conditions.join(' AND '),
      names,
      ...(Object.keys(values).length ? { values } : {}),
      onConditionFailed: (current: Item | undefined) => {
        const short = takes.find((f) => Number(current?.[f] ?? 0) < -effects[f]);
        if (short) {
          const what = short === 'reserved' ? 'reservation' : 'available';
          return shortage(what, -effects[short], Number(current?.[short] ?? 0));
        }
        return new BookMoved();
      },
    };
  }

  private binOp(part: Part, b: MovementEffects['bins'][number]): TxOp {
    const child: StoredBin = {
      partId: part.id,
      partNumber: part.partNumber,
      name: part.name,
      bin: b.bin,
      onHand: 0,
      custody: b.custody,
    };
    const { onHand: _onHand, ...fixed } = this.parts.childItem('bins', part.id, child);
    const { pk: _pk, sk: _sk, ...set } = fixed;
    return {
      update: this.parts.childKey('bins', part.id, child),
      changes: { add: { onHand: b.delta }, set },
      ...(b.delta < 0
        ? {
            condition: '#n >= :q',
            names: { '#n': 'onHand' },
            values: { ':q': -b.delta },
            onConditionFailed: (current: Item | undefined) =>
              shortage('bin', -b.delta, Number(current?.onHand ?? 0)),
          }
        : {}),
    };
  }

  private reservationOp(
    part: Part,
    document: StockDocument,
    m: Movement,
    effects: MovementEffects,
    current: StoredReservation | undefined,
    at: string,
  ): TxOp {
    const { key, set } = this.reservationUpdate(part, document, {
      short: current?.short ?? false,
      updatedAt: at,
    });
    const add = {
      quantity: effects.reservation,
      issued: m.kind === 'issue' ? -effects.reservation : 0,
      released: m.kind === 'release' ? -effects.reservation : 0,
    };
    return {
      update: key,
      changes: { add, set },
      ...(effects.reservation < 0
        ? {
            condition: '#q >= :q',
            names: { '#q': 'quantity' },
            values: { ':q': -effects.reservation },
            onConditionFailed: (item: Item | undefined) =>
              shortage('reservation', -effects.reservation, Number(item?.quantity ?? 0)),
          }
        : {}),
    };
  }

  /** A reservation item's key and its fixed attributes: its counts are only ever `ADD`ed, never set. */
  private reservationUpdate(
    part: Part,
    document: StockDocument,
    fixed: Pick<StoredReservation, 'short' | 'shortQuantity' | 'updatedAt'>,
  ) {
    const child: StoredReservation = {
      partId: part.id,
      partNumber: part.partNumber,
      name: part.name,
      document,
      quantity: 0,
      issued: 0,
      released: 0,
      ...fixed,
    };
    const {
      quantity: _q,
      issued: _i,
      released: _r,
      pk: _pk,
      sk: _sk,
      ...set
    } = this.parts.childItem('reservations', part.id, child);
    return { key: this.parts.childKey('reservations', part.id, child), set };
  }

  /**
   * Sets (or clears) when the part is next expected in: purchasing writes it in the transaction that
   * places, reschedules or receives an order, so the bookings waiting for the part show the date from
   * their book. Guarded by the date purchasing read (`seen`): two orders of the part written at once
   * cannot leave the later one's date — the second fails with a retryable conflict.
   */
  expectedOp(partId: string, expectedOn: string | undefined, seen: string | undefined): TxOp {
    return {
      update: this.parts.childKeyAt('stock', partId, ''),
      changes: {
        // Zeros keep a part that never moved a whole book item.
        add: { onHand: 0, reserved: 0, available: 0, custody: 0 },
        set: { type: 'PartStock', partId, ...(expectedOn ? { expectedOn } : {}) },
        ...(expectedOn ? {} : { remove: ['expectedOn'] }),
      },
      condition: seen ? '#expectedOn = :seenExpected' : 'attribute_not_exists(#expectedOn)',
      names: { '#expectedOn': 'expectedOn' },
      ...(seen ? { values: { ':seenExpected': seen } } : {}),
      onConditionFailed: () =>
        new AppError(
          409,
          'CONCURRENT_UPDATE',
          'Another order of the part changed its expected date; try again.',
        ),
    };
  }

  /**
   * Clears a document's short marks (an ended booking: nothing is to be bought for it any more): the
   * reservations leave `SHORT_NEEDS_PREFIX`. One Query and one transaction; a second call finds none.
   */
  async clearShortMarks(document: StockDocument): Promise<number> {
    const marked = (await this.reservationsOf(document)).filter((r) => r.short);
    const ops: TxOp[] = marked.map((r) => ({
      update: this.parts.childKey('reservations', r.partId, r),
      changes: { set: { short: false }, remove: ['shortQuantity', 'gsi3pk', 'gsi3sk'] },
      condition: 'attribute_exists(pk)',
    }));
    // A document holds at most 100 reservations (`reservationsOf`'s one page): one transaction.
    if (ops.length) await this.t.transact(ops);
    return ops.length;
  }

  /**
   * Marks a document's need of a part as short when asked: the purchase plan finds it under
   * `SHORT_NEEDS_PREFIX` and buys what `needed` (the document's whole need) exceeds its reservation.
   */
  markShort(part: Part, document: StockDocument, needed = 1): TxOp {
    const { key, set } = this.reservationUpdate(part, document, {
      short: true,
      shortQuantity: needed,
      updatedAt: this.ctx.now().toISOString(),
    });
    return {
      update: key,
      changes: {
        add: { quantity: 0, issued: 0, released: 0 },
        set: {
          ...set,
          gsi3pk: this.t.key(SHORT_NEEDS_PREFIX),
          gsi3sk: `${part.id}#${documentKey(document)}`,
        },
      },
    };
  }
}

function binView(b: StoredBin): BinStock {
  return { ...b, onHand: Math.max(0, b.onHand) };
}

export { PART };
