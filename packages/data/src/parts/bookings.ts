import {
  AppError,
  type Appointment,
  ConflictError,
  type DocumentParts,
  documentKey,
  type NeededPartStatus,
  neededPartStatus,
  type Part,
  PartNumber,
  type PartStock,
  type StockDocument,
} from '@aftersales/domain';
import type { TenantData } from '../index.ts';
import type { IdempotencyRequest } from '../platform/idempotency.ts';
import { stripKeys, type TxOp } from '../platform/tenant-table.ts';
import { Parts, type StoredReservation } from './parts.ts';
import { StockLedger } from './stock.ts';

/**
 * 备件: a booking's needed parts against the stock. Reserving holds what the shelf has; what it cannot
 * is marked short (it goes on the purchase plan) and shown `to_order` with its book's expected date.
 */

/** How many part numbers are resolved through the number guard at once (one Query each). */
const GUARD_FAN_OUT = 8;

const bookingDocument = (appointmentId: string): StockDocument => ({
  type: 'appointment',
  id: appointmentId,
});

/** A number as the catalogue keys it (`06l 115 562 b` → `06L115562B`); undefined when it cannot be one. */
function normalised(partNumber: string): string | undefined {
  const parsed = PartNumber.safeParse(partNumber);
  return parsed.success ? parsed.data : undefined;
}

/**
 * Part numbers → part ids through the number guard: one Query per distinct number, at most
 * `GUARD_FAN_OUT` in flight. A day-before page is at most 100 bookings × 30 parts, so at most 3,000
 * distinct numbers; a store's day has a few dozen in practice.
 */
async function partIdsByNumber(parts: Parts, numbers: Iterable<string>): Promise<Map<string, string>> {
  const distinct = [...new Set([...numbers].map(normalised).filter((n): n is string => !!n))];
  const out = new Map<string, string>();
  for (let i = 0; i < distinct.length; i += GUARD_FAN_OUT) {
    const batch = distinct.slice(i, i + GUARD_FAN_OUT);
    const ids = await Promise.all(batch.map((n) => parts.lookup('number', n)));
    batch.forEach((n, j) => {
      const id = ids[j]?.[0];
      if (id) out.set(n, id);
    });
  }
  return out;
}

/**
 * The part states of many bookings with a bounded number of reads, whatever the bookings: the number
 * guards (see `partIdsByNumber`), the books and records of every part in BatchGets of 100, and each booking's
 * reservation of each of its parts in BatchGets of 100. No read per booking.
 */
export async function partStatusesOf(
  tenant: TenantData,
  bookings: readonly Pick<Appointment, 'id' | 'parts'>[],
): Promise<Map<string, NeededPartStatus[]>> {
  return (await statusesAndParts(tenant, bookings)).statuses;
}

/** The part states, and the parts' records they were judged by (whether each is still sold). */
async function statusesAndParts(
  tenant: TenantData,
  bookings: readonly Pick<Appointment, 'id' | 'parts'>[],
): Promise<{ statuses: Map<string, NeededPartStatus[]>; records: Map<string, Part> }> {
  const parts = tenant.repo(Parts);
  const ledger = tenant.repo(StockLedger);
  const ids = await partIdsByNumber(
    parts,
    bookings.flatMap((b) => b.parts.map((p) => p.partNumber)),
  );
  const partIds = [...new Set(ids.values())];
  // A booking not yet made (`id` empty: the booking form's question) holds nothing to look up.
  const pairs = bookings.flatMap((b) =>
    (b.id ? b.parts : []).flatMap((p) => {
      const id = ids.get(normalised(p.partNumber) ?? '');
      return id ? [parts.childKeyAt('reservations', id, documentKey(bookingDocument(b.id)))] : [];
    }),
  );
  const [books, records, reservationItems] = await Promise.all([
    booksOf(ledger, partIds),
    recordsOf(parts, partIds),
    pairs.length ? tenant.table.getMany(pairs) : [],
  ]);
  const reservations = new Map<string, StoredReservation>();
  for (const item of reservationItems) {
    const r = stripKeys(item) as StoredReservation;
    reservations.set(`${r.partId}|${r.document.id}`, r);
  }
  const statuses = new Map(
    bookings.map((b) => [
      b.id,
      b.parts.map((need) => {
        const id = ids.get(normalised(need.partNumber) ?? '');
        return neededPartStatus(
          need,
          id ? records.get(id) : undefined,
          id ? books.get(id) : undefined,
          id ? reservations.get(`${id}|${b.id}`) : undefined,
        );
      }),
    ]),
  );
  return { statuses, records };
}

/** Part records in BatchGets of 100. */
async function recordsOf(parts: Parts, partIds: string[]): Promise<Map<string, Part>> {
  const out = new Map<string, Part>();
  for (let i = 0; i < partIds.length; i += 100)
    for (const p of await parts.getMany(partIds.slice(i, i + 100))) out.set(p.id, p);
  return out;
}

/** Books in BatchGets of 100 (the ledger's `books` takes at most 100 at once). */
async function booksOf(ledger: StockLedger, partIds: string[]): Promise<Map<string, PartStock>> {
  const out = new Map<string, PartStock>();
  for (let i = 0; i < partIds.length; i += 100)
    for (const [id, book] of await ledger.books(partIds.slice(i, i + 100))) out.set(id, book);
  return out;
}

/** One booking's needed parts and their states (a few reads: its parts' guards, books, reservations). */
export async function bookingParts(tenant: TenantData, booking: Appointment): Promise<DocumentParts> {
  const statuses = await partStatusesOf(tenant, [booking]);
  return { document: bookingDocument(booking.id), parts: statuses.get(booking.id) ?? [] };
}

/**
 * Reserves, for each part the booking needs, what it still lacks (needed less what is held or issued):
 * a retry, or a second press of the button, reserves nothing more. Where the shelf has less than that,
 * what there is is held and the need is marked short (to order). A number not in the catalogue is left
 * as `unknown_part`, a retired part as `retired`. Every quantity goes through `StockLedger.move`.
 *
 * Pre-picking to the pick shelf (`PICK_SHELF_BIN`) is not done here: it is the keeper's act at the
 * shelf, posted as a `transfer` when the parts are carried there, so the card says where each part is
 * only once it is (帐卡物相符). Reserving is an advisor's act (`stock:reserve`), the move a keeper's
 * (`stock:move`); the pick list tells the keeper what to carry from which bins.
 */
export async function reserveForBooking(
  tenant: TenantData,
  booking: Appointment,
  idempotency?: IdempotencyRequest,
): Promise<DocumentParts> {
  if (booking.status !== 'requested' && booking.status !== 'confirmed')
    throw new ConflictError(
      409,
      'APPOINTMENT_CLOSED',
      'This booking is checked in, missed or cancelled: nothing is reserved for it any more.',
    );
  const document = bookingDocument(booking.id);
  const ledger = tenant.repo(StockLedger);
  // Every line is judged before anything moves: a retired part (停用) is skipped and answered
  // `retired` with its replacement, like a number the catalogue lacks, so the rest are still held
  // and nothing stops half-way on it. The clerk swaps the number on the booking and reserves again.
  const { statuses, records } = await statusesAndParts(tenant, [booking]);
  const before = statuses.get(booking.id) ?? [];
  // The same part named twice on a booking is one need.
  const needs = new Map<string, NeededPartStatus>();
  for (const s of before) {
    if (!s.partId || s.status === 'retired') continue;
    const seen = needs.get(s.partId);
    needs.set(s.partId, seen ? { ...s, quantity: seen.quantity + s.quantity } : s);
  }
  const shortOps: TxOp[] = [];
  for (const need of needs.values()) {
    const lacking = need.quantity - need.reserved;
    const part = need.partId ? records.get(need.partId) : undefined;
    if (lacking <= 0 || !part) continue;
    const take = Math.min(lacking, need.available);
    let held = 0;
    if (take > 0)
      try {
        // A retry with the same Idempotency-Key, racing this one, answers this part's first movement.
        const key = idempotency && { ...idempotency, key: `${idempotency.key}.${part.id}` };
        await ledger.move(part, { kind: 'reserve', quantity: take, document }, { idempotency: key });
        held = take;
      } catch (e) {
        // Taken by another since it was read: the need is short, as if the shelf had not had it.
        if (!(e instanceof AppError && e.code === 'INSUFFICIENT_STOCK')) throw e;
      }
    // The booking's whole need: the plan buys what it exceeds the reservation by.
    if (held < lacking) shortOps.push(ledger.markShort(part, document, need.quantity));
  }
  if (shortOps.length) await tenant.table.transact(shortOps);
  return bookingParts(tenant, booking);
}

/**
 * A booking that ended without its customer (cancelled, missed) gives back what it held: on its
 * `appointment.statusChanged` event, read by the appointment-parts consumer. Re-delivery is safe: only
 * what is still held is released, and a release that lost a race to another finds nothing left.
 */
export async function releaseEndedBooking(
  tenant: TenantData,
  event: { type: string; data: unknown },
): Promise<number> {
  const data = event.data as { appointmentId?: unknown; to?: unknown };
  if (event.type !== 'appointment.statusChanged' || typeof data.appointmentId !== 'string') return 0;
  if (data.to !== 'cancelled' && data.to !== 'no_show') return 0;
  const reason = data.to === 'cancelled' ? 'Booking cancelled (预约取消)' : 'No-show (爽约)';
  const ledger = tenant.repo(StockLedger);
  const document = bookingDocument(data.appointmentId);
  let released = 0;
  try {
    released = (await ledger.releaseAll(document, reason)).length;
  } catch (e) {
    if (!(e instanceof AppError && e.code === 'INSUFFICIENT_STOCK')) throw e;
  }
  // After the release, and idempotent: the purchase plan stops buying for a booking that ended.
  await ledger.clearShortMarks(document);
  return released;
}
