import type { DataAccess } from '@aftersales/data';
import { Appointments } from '@aftersales/data/appointments';
import { Parts, StockLedger } from '@aftersales/data/parts';
import { type Actor, AppError, addDays, type Part, type Store, zonedInstant } from '@aftersales/domain';
import { Rng } from '../platform/random.ts';
import { DEMO_USERS } from '../platform/users.ts';
import { type CatalogueSize, type DemoPart, demoCatalogue } from './catalogue.ts';
import { dormantSince, HISTORY_DAYS, type PartHistory, planHistory, type Step } from './history.ts';

/**
 * Each demo store's parts (配件): its catalogue, stock received into bins, a month of ledger history and
 * the reservations of tomorrow's bookings. Every quantity goes through `StockLedger.move` with the
 * tenant's clock set to the movement's time, so the ledger, the book, the bins and the HQ figures are
 * what a month of real work would have left. A re-run after an interruption skips each part whose book
 * already exists and each booking that already holds stock.
 */

/** DynamoDB's limit of items in one transaction. */
const MAX_TRANSACTION_ITEMS = 100;

type Pool = <T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>) => Promise<void>;

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A fixed id per store and number: a re-run finds the part it made before instead of a copy. */
const partId = (store: Store, partNumber: string) =>
  `prt_${new Rng(`part:${store.id}:${partNumber}`).chars(CROCKFORD, 26)}`;

/** Who posts the store's movements: its warehouse keeper where the demo has one. */
function keeperOf(store: Store, fallback: Actor): Actor {
  const keeper = DEMO_USERS.find((u) =>
    u.memberships.some((m) => m.tenantId === store.id && m.roles.includes('warehouse_keeper')),
  );
  return keeper ? { userId: keeper.id, name: keeper.displayName, roles: ['warehouse_keeper'] } : fallback;
}

export async function writeDemoParts(
  data: DataAccess,
  store: Store,
  actor: Actor,
  today: string,
  size: CatalogueSize,
  pool: Pool,
): Promise<{ parts: number; movements: number }> {
  const keeper = keeperOf(store, actor);
  const catalogue = demoCatalogue(store, size);
  const created = addDays(today, -HISTORY_DAYS - 5);
  const base = data.forTenant({
    tenantId: store.id,
    actor: keeper,
    now: () => zonedInstant(created, '09:00', store.timeZone),
  });
  const parts = new Map<string, Part>();
  // A dormant part entered the catalogue the day its last units came in, over a year ago.
  const repoOf = (p: DemoPart) =>
    (p.dormant
      ? data.forTenant({
          tenantId: store.id,
          actor: keeper,
          now: () => zonedInstant(dormantSince(p, today), '09:00', store.timeZone),
        })
      : base
    ).repo(Parts);
  // Several parts a transaction (a few hundred a store, at most 100 items a transaction); a batch that
  // finds one made by an earlier, interrupted run is written part by part instead, each finding its own.
  const batches: ({ demo: DemoPart } & ReturnType<Parts['creationOps']>)[][] = [[]];
  for (const demo of catalogue) {
    const made = { demo, ...repoOf(demo).creationOps(demo.fields, partId(store, demo.fields.partNumber)) };
    const last = batches[batches.length - 1]!;
    if (last.reduce((n, m) => n + m.ops.length, 0) + made.ops.length > MAX_TRANSACTION_ITEMS)
      batches.push([made]);
    else last.push(made);
  }
  await pool(batches, 4, async (batch) => {
    try {
      await base.table.transact(batch.flatMap((m) => m.ops));
      for (const { part } of batch) parts.set(part.partNumber, part);
    } catch {
      for (const { demo } of batch) {
        const { part } = await repoOf(demo).create(demo.fields, {
          id: partId(store, demo.fields.partNumber),
        });
        parts.set(demo.fields.partNumber, part);
      }
    }
  });
  // Parts whose book exists moved in an earlier, interrupted run: their history is not written twice.
  const ids = [...parts.values()].map((p) => p.id);
  const moved = new Set<string>();
  for (let i = 0; i < ids.length; i += 100) {
    const books = await base.repo(StockLedger).books(ids.slice(i, i + 100));
    for (const [id, book] of books) if (book.lastMovedAt) moved.add(id);
  }
  const histories = planHistory(store.id, catalogue, today).filter(
    (h) => !moved.has(parts.get(h.part.fields.partNumber)!.id),
  );
  let movements = 0;
  await pool(histories, 8, async (h: PartHistory) => {
    const part = parts.get(h.part.fields.partNumber)!;
    for (const step of h.steps) {
      await writeStep(data, store, keeper, part, step);
      movements++;
    }
  });
  return { parts: parts.size, movements };
}

async function writeStep(
  data: DataAccess,
  store: Store,
  actor: Actor,
  part: Part,
  step: Step,
): Promise<void> {
  const at = zonedInstant(step.at.day, step.at.time, store.timeZone);
  const tenant = data.forTenant({ tenantId: store.id, actor, now: () => at });
  const ledger = tenant.repo(StockLedger);
  if ('short' in step) await tenant.table.transact([ledger.markShort(part, step.short)]);
  else await ledger.move(part, step.move);
}

/**
 * 备件: tomorrow's bookings hold their parts, as the parts clerk pre-picks them the day before; a part
 * the shelf cannot fill is marked short (it goes on the purchase plan). Run after the bookings exist.
 */
export async function reserveTomorrowsParts(
  data: DataAccess,
  store: Store,
  actor: Actor,
  today: string,
): Promise<number> {
  const tenant = data.forTenant({ tenantId: store.id, actor: keeperOf(store, actor) });
  const tomorrow = addDays(today, 1);
  const bookings = await tenant.repo(Appointments).between(tomorrow, tomorrow, { limit: 100 });
  const ledger = tenant.repo(StockLedger);
  const partsRepo = tenant.repo(Parts);
  let reserved = 0;
  for (const booking of bookings.items) {
    if (booking.status === 'cancelled' || booking.parts.length === 0) continue;
    const document = { type: 'appointment' as const, id: booking.id };
    if ((await ledger.reservationsOf(document)).length > 0) continue;
    for (const line of booking.parts) {
      const part = await partsRepo.byNumber(line.partNumber);
      if (!part) continue;
      try {
        await ledger.move(part, {
          kind: 'reserve',
          quantity: line.quantity,
          document,
          reason: '明日预约备件 Pre-picked for tomorrow’s booking',
        });
        reserved++;
      } catch (e) {
        if (!(e instanceof AppError && e.code === 'INSUFFICIENT_STOCK')) throw e;
        await tenant.table.transact([ledger.markShort(part, document)]);
      }
    }
  }
  return reserved;
}
