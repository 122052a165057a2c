import { diffRecords } from '../audit.ts';
import { type Creation, type Decision, editDecision, nextVersion } from '../decision.ts';
import { newEvent } from '../events.ts';
import { ConflictError } from '../platform/errors.ts';
import type {
  Movement,
  NeededPartStatus,
  Part,
  PartFields,
  PartPatch,
  PartStock,
  Reservation,
  StockDocument,
} from './model.ts';
import { WRITE_OFF_BIN } from './model.ts';

export function decidePartCreation(fields: PartFields, where: Creation): Decision<Part> {
  const { id, storeId, at } = where;
  return {
    next: { ...fields, id, storeId, version: 1, createdAt: at, updatedAt: at },
    changes: diffRecords(undefined, fields),
    events: [newEvent('part.created', 'part', id, { partId: id, partNumber: fields.partNumber })],
  };
}

export function decidePartEdit(current: Part, patch: PartPatch, at: string): Decision<Part> | undefined {
  const next = nextVersion(current, patch, at);
  if (next.maxStock < next.minStock)
    throw new ConflictError(409, 'STOCK_LEVELS_INVALID', 'Max stock cannot be below min stock.', {
      minStock: next.minStock,
      maxStock: next.maxStock,
    });
  return editDecision(current, next, (fields) =>
    newEvent('part.updated', 'part', current.id, { partId: current.id, fields }),
  );
}

/**
 * What one movement does, as signed changes: to the part's book, to each bin it touches, and to its
 * document's reservation. The data layer writes these as `ADD`s, each decrease under the condition that
 * it leaves nothing below zero — which is how stock never goes negative and two takes of the last unit
 * never both succeed.
 */
export interface MovementEffects {
  onHand: number;
  reserved: number;
  available: number;
  custody: number;
  bins: { bin: string; delta: number; custody: boolean }[];
  /** Change to the document's reservation (reserve +, release and issue-from-reservation −). */
  reservation: number;
}

export function effectsOf(m: Movement): MovementEffects {
  const none = { onHand: 0, reserved: 0, available: 0, custody: 0, bins: [], reservation: 0 };
  switch (m.kind) {
    case 'receive':
    case 'return':
      return {
        ...none,
        onHand: m.quantity,
        available: m.quantity,
        bins: [{ bin: m.bin, delta: m.quantity, custody: false }],
      };
    case 'reserve':
      return { ...none, reserved: m.quantity, available: -m.quantity, reservation: m.quantity };
    case 'release':
      return { ...none, reserved: -m.quantity, available: m.quantity, reservation: -m.quantity };
    case 'issue':
      return {
        ...none,
        onHand: -m.quantity,
        reserved: m.fromReservation ? -m.quantity : 0,
        available: m.fromReservation ? 0 : -m.quantity,
        bins: [{ bin: m.bin, delta: -m.quantity, custody: false }],
        reservation: m.fromReservation ? -m.quantity : 0,
      };
    case 'transfer':
      return {
        ...none,
        bins: [
          { bin: m.bin, delta: -m.quantity, custody: false },
          { bin: m.toBin, delta: m.quantity, custody: false },
        ],
      };
    case 'adjust':
      return {
        ...none,
        onHand: m.delta,
        available: m.delta,
        bins: [{ bin: m.bin, delta: m.delta, custody: false }],
      };
    case 'write_off':
      return {
        ...none,
        onHand: -m.quantity,
        available: -m.quantity,
        custody: m.quantity,
        bins: [
          { bin: m.bin, delta: -m.quantity, custody: false },
          { bin: WRITE_OFF_BIN, delta: m.quantity, custody: true },
        ],
      };
  }
}

/** Refusals of a movement before anything is written: what the request itself makes impossible. */
export function checkMovement(m: Movement, part: Part): void {
  if (!part.active && (m.kind === 'receive' || m.kind === 'reserve'))
    throw new ConflictError(409, 'PART_INACTIVE', `Part ${part.partNumber} is retired from the catalogue.`);
  if (m.kind === 'transfer' && m.bin === m.toBin)
    throw new ConflictError(409, 'SAME_BIN', 'A transfer moves stock to another bin.');
  if ('bin' in m && m.bin === WRITE_OFF_BIN && m.kind !== 'write_off')
    throw new ConflictError(
      409,
      'CUSTODY_BIN',
      'The write-off location holds written-off stock in custody; nothing is issued from or put into it.',
    );
  if ('toBin' in m && m.toBin === WRITE_OFF_BIN)
    throw new ConflictError(409, 'CUSTODY_BIN', 'Stock reaches the write-off location only by a write-off.');
  // 以旧换新: a repair order's part is issued only once the old one is handed in.
  if (m.kind === 'issue' && m.document.type === 'repair_order' && m.oldPartReturned === false)
    throw new ConflictError(
      409,
      'OLD_PART_NOT_RETURNED',
      'Hand in the old part first (以旧换新): record it as returned before issuing the new one.',
    );
}

/**
 * The moving average after a receipt (移动加权平均): (on-hand × average + quantity × cost) / (on-hand +
 * quantity), kept to 4 decimals of a fen. Only receipts move it; issues, returns and adjustments go at
 * the average, so the book's value is always on-hand × average.
 */
export function averageAfterReceipt(
  stock: Pick<PartStock, 'onHand' | 'avgCostMinor'>,
  quantity: number,
  unitCostMinor: number,
) {
  const total = stock.onHand + quantity;
  if (total <= 0) return unitCostMinor;
  return round4((stock.onHand * stock.avgCostMinor + quantity * unitCostMinor) / total);
}

export const round4 = (n: number) => Math.round(n * 10_000) / 10_000;

/** A movement's value in fen, signed like its change to on-hand. */
export function movementValue(onHandDelta: number, unitCostMinor: number): number {
  return Math.round(onHandDelta * unitCostMinor);
}

/** A part's book before its first movement. */
export function emptyStock(partId: string): PartStock {
  return { partId, onHand: 0, reserved: 0, available: 0, custody: 0, avgCostMinor: 0, valueMinor: 0 };
}

/** The stock item read back as a book: value derived from on-hand and the average, never stored apart. */
export function bookOf(stock: Omit<PartStock, 'valueMinor'>): PartStock {
  return { ...stock, valueMinor: Math.max(0, Math.round(stock.onHand * stock.avgCostMinor)) };
}

/** Why a take was refused: what was asked and what there is, for the 409's details. */
export function shortage(what: 'available' | 'bin' | 'reservation', asked: number, have: number | undefined) {
  const messages = {
    available: 'Not enough stock is available (on hand less reserved).',
    bin: 'That bin does not hold that many.',
    reservation: 'The document has fewer units reserved.',
  };
  return new ConflictError(409, 'INSUFFICIENT_STOCK', messages[what], {
    where: what,
    asked,
    have: have ?? 0,
  });
}

/**
 * A needed part's state for the booking or repair order that needs it: reserved for it; on the shelf
 * (available); or to order, with the date an open purchase order expects it.
 */
export function neededPartStatus(
  need: { partNumber: string; quantity: number },
  part: Pick<Part, 'id' | 'active' | 'supersededBy'> | undefined,
  stock: Pick<PartStock, 'available' | 'expectedOn'> | undefined,
  reservation: Pick<Reservation, 'quantity' | 'issued'> | undefined,
): NeededPartStatus {
  const expectedOn = stock?.expectedOn;
  const base = { partNumber: need.partNumber, quantity: need.quantity };
  if (!part) return { ...base, status: 'unknown_part', reserved: 0, available: 0 };
  const reserved = (reservation?.quantity ?? 0) + (reservation?.issued ?? 0);
  const available = stock?.available ?? 0;
  // What was held before it was retired stays held (and is shown as reserved); the rest cannot be.
  if (!part.active && reserved < need.quantity)
    return {
      ...base,
      partId: part.id,
      status: 'retired',
      reserved,
      available,
      ...(part.supersededBy ? { supersededBy: part.supersededBy } : {}),
    };
  const status =
    reserved >= need.quantity ? 'reserved' : available >= need.quantity - reserved ? 'in_stock' : 'to_order';
  return {
    ...base,
    partId: part.id,
    status,
    reserved,
    available,
    ...(status === 'to_order' && expectedOn ? { expectedOn } : {}),
  };
}

/** The key a document's reservations and movements are found by: `appointment#appt_…`. */
export const documentKey = (d: StockDocument) => `${d.type}#${d.id}`;

/** 呆滞: a part whose stock has not moved for this long is obsolete stock. */
export const OBSOLETE_AFTER_DAYS = 365;
const DAY_MS = 86_400_000;

/** The last-movement time before which stock is obsolete at `now`. */
export function obsoleteBefore(now: Date): string {
  return new Date(now.getTime() - OBSOLETE_AFTER_DAYS * DAY_MS).toISOString();
}

/** When a book last moved at `lastMovedAt` turns obsolete if nothing moves it before. */
export function obsoleteAt(lastMovedAt: string): string {
  return new Date(Date.parse(lastMovedAt) + OBSOLETE_AFTER_DAYS * DAY_MS).toISOString();
}

/**
 * The idle check's finding for one book at `now`: not yet a year idle (check again when it would be),
 * obsolete with its value on hand, or nothing to do (nothing on hand, or already found obsolete; the
 * next movement schedules the next check).
 */
export type IdleVerdict =
  | { kind: 'not_yet'; checkAt: string }
  | { kind: 'obsolete'; valueMinor: number }
  | { kind: 'none' };

export function idleVerdict(book: PartStock, now: Date): IdleVerdict {
  if (!book.lastMovedAt) return { kind: 'none' };
  const at = obsoleteAt(book.lastMovedAt);
  if (Date.parse(at) > now.getTime()) return { kind: 'not_yet', checkAt: at };
  if (book.obsoleteValueMinor !== undefined || book.onHand <= 0 || book.valueMinor <= 0)
    return { kind: 'none' };
  return { kind: 'obsolete', valueMinor: book.valueMinor };
}
