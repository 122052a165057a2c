import type { DataAccess } from '@aftersales/data';
import { type Actor, AppError } from '@aftersales/domain';
import { writeDemoAppointments } from '../appointments/appointments.ts';
import { writeDemoClaims } from '../claims/claims.ts';
import { ensureGroupFigures, rebuildGroupFigures } from '../hq/rebuild-hq-figures.ts';
import { writeDemoMessages } from '../messages/messages.ts';
import { catalogueSizeFor } from '../parts/catalogue.ts';
import { reserveTomorrowsParts, writeDemoParts } from '../parts/parts.ts';
import { writeDemoPurchasing } from '../purchasing/purchasing.ts';
import {
  buildDemoPlan,
  type DemoPlan,
  type PlannedCustomer,
  planCounts,
  type StorePlan,
} from '../registry/generate.ts';
import { writeDemoRepairOrders } from '../repair-orders/repair-orders.ts';
import { writeDemoSetup } from '../setup/setup.ts';
import { writeDemoStaff } from '../staff/staff.ts';
import { writeDemoStocktake } from '../stocktakes/stocktakes.ts';
import { DEFAULT_WEBHOOK_RECEIVER_URL, writeDemoWebhookEndpoints } from '../webhooks/endpoints.ts';
import { writeDemoWriteOff } from '../write-offs/write-offs.ts';
import { DEMO_GROUP, FIRST_STORE } from './orgs.ts';

export interface SeedOptions {
  /** Default 100 (400 customers, ~500 vehicles); `SMALL_CUSTOMERS_PER_STORE` for fast tests. */
  customersPerStore?: number | undefined;
  /** Anchor day for relative dates (YYYY-MM-DD); default today. */
  today?: string | undefined;
  /** Writes in flight at once; DynamoDB Local on two cores is happiest around 8. */
  concurrency?: number | undefined;
  log?: ((msg: string) => void) | undefined;
  /** The local webhook receiver each demo OEM's endpoint points at (default `DEFAULT_WEBHOOK_RECEIVER_URL`). */
  webhookReceiverUrl?: string | undefined;
}

const SEED_ACTOR: Actor = { userId: 'system', name: 'Demo seed', roles: ['service_manager'] };
const MAX_ATTEMPTS = 5;

/** Runs `work` over `items` with at most `limit` in flight. */
export async function pool<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Parallel transactions can collide (TransactionConflict → CONCURRENT_UPDATE); they are safe to repeat. */
async function retrying<T>(op: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await op();
    } catch (e) {
      if (!(e instanceof AppError && e.code === 'CONCURRENT_UPDATE') || attempt >= MAX_ATTEMPTS) throw e;
      await new Promise((r) => setTimeout(r, 20 * attempt));
    }
  }
}

async function writeCustomer(data: DataAccess, plan: StorePlan, c: PlannedCustomer): Promise<void> {
  const tenant = data.forTenant({ tenantId: plan.store.id, actor: SEED_ACTOR });
  // A fixed id makes a re-run after an interrupted seed return the existing customer instead of a copy.
  await retrying(() => tenant.customers.create(c.fields, { id: c.id }));
  for (const v of c.vehicles) {
    try {
      await retrying(() =>
        tenant.vehicles.create(v.fields, {
          vinPolicy: plan.vinPolicy,
          ...(v.lastServedAt ? { lastServedAt: v.lastServedAt } : {}),
        }),
      );
    } catch (e) {
      // Already registered by an interrupted earlier run.
      if (!(e instanceof AppError && e.code === 'VEHICLE_VIN_EXISTS')) throw e;
    }
  }
}

/** Writes a plan. The first store's organisation goes last: its presence means "seed complete". */
export async function writeDemoPlan(
  data: DataAccess,
  plan: DemoPlan,
  opts: Pick<SeedOptions, 'concurrency' | 'log' | 'webhookReceiverUrl'> = {},
): Promise<void> {
  const log = opts.log ?? (() => undefined);
  const dir = data.directory;

  for (const org of plan.organisations) if (org.id !== FIRST_STORE.id) await dir.putOrganisation(org);
  await pool(plan.users, 8, async ({ memberships, ...profile }) => {
    await dir.putUser(profile);
    for (const m of memberships) await dir.putMembership(profile.id, m);
  });
  const work = plan.stores.flatMap((s) => s.customers.map((c) => ({ store: s, customer: c })));
  await pool(work, opts.concurrency ?? 8, (w) => writeCustomer(data, w.store, w.customer));
  await pool(plan.stores, 4, (s) => writeDemoSetup(data, s.store, SEED_ACTOR));
  await pool(plan.stores, 4, (s) => writeDemoStaff(data, s.store, SEED_ACTOR));
  await pool(plan.stores, 4, (s) => writeDemoMessages(data, s, plan.today, SEED_ACTOR));
  // Parts before the bookings' reservations: the history fills the shelves tomorrow's bookings take from.
  const partsCatalogue = catalogueSizeFor(Math.max(0, ...plan.stores.map((s) => s.customers.length)));
  let partsWritten = 0;
  let movements = 0;
  await pool(plan.stores, 2, async (s) => {
    const written = await writeDemoParts(data, s.store, SEED_ACTOR, plan.today, partsCatalogue, pool);
    partsWritten += written.parts;
    movements += written.movements;
  });
  await pool(plan.stores, 2, (s) =>
    writeDemoAppointments(data, s, SEED_ACTOR, plan.today, partsCatalogue, pool),
  );
  await pool(plan.stores, 4, async (s) => {
    await reserveTomorrowsParts(data, s.store, SEED_ACTOR, plan.today);
  });
  await pool(plan.stores, 2, (s) => writeDemoPurchasing(data, s.store));
  // Counted and written off after the history: the sheet freezes today's shelves.
  await pool(plan.stores, 2, async (s) => {
    await writeDemoStocktake(data, s.store, plan.today);
    await writeDemoWriteOff(data, s.store);
  });
  // A few cars on each workshop board (接车), after the registry's readings they continue.
  await pool(plan.stores, 2, async (s) => {
    await writeDemoRepairOrders(data, s.store, plan.today);
    // 索赔: claims in every state, filed from the month's delivered warranty work.
    await writeDemoClaims(data, s.store, plan.today);
  });
  await writeDemoWebhookEndpoints(data, opts.webhookReceiverUrl ?? DEFAULT_WEBHOOK_RECEIVER_URL);
  // HQ figures of what was just written (the projector counts only what comes after). The first
  // store is not in the directory yet: the group's stores come from the plan.
  for (const group of plan.organisations.filter((o) => o.kind === 'group')) {
    const stores = plan.stores.filter((s) => s.store.groupId === group.id).map((s) => s.store);
    await rebuildGroupFigures(data, group.id, stores);
  }
  const marker = plan.organisations.find((o) => o.id === FIRST_STORE.id);
  if (marker) await dir.putOrganisation(marker);
  const n = planCounts(plan);
  log(
    `Demo data: ${n.organisations} organisations, ${n.users} users, ${n.customers} customers, ${n.vehicles} vehicles (${n.recentlyServed} served in the last 60 days), ${partsWritten} parts with ${movements} stock movements`,
  );
}

/**
 * Seeds the demo dataset once: when the first store already exists it writes nothing. Deterministic:
 * the same options give the same records on every machine (dates count back from `today`).
 */
export async function seedDemo(data: DataAccess, opts: SeedOptions = {}): Promise<{ seeded: boolean }> {
  if (await data.directory.getOrganisation(FIRST_STORE.id)) {
    // Demo data kept from before the HQ projector existed (`.data/`) gets its figures once.
    await ensureGroupFigures(data, DEMO_GROUP.id);
    return { seeded: false };
  }
  const plan = buildDemoPlan({ customersPerStore: opts.customersPerStore, today: opts.today });
  await writeDemoPlan(data, plan, opts);
  return { seeded: true };
}
