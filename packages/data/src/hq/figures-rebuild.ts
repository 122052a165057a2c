import { addService, emptyStoreFigures, SERVED_DAYS_KEPT, type StoreFigures } from '@aftersales/domain';
import type { Imports } from '../imports/imports.ts';
import type { Page } from '../platform/tenant-table.ts';
import { CUSTOMER, type Customers } from '../registry/customers.ts';
import type { Vehicles } from '../registry/vehicles.ts';

/**
 * Recomputes a store's figures from its records, for data written before the projector existed: the
 * counterpart of the domain's `HQ_FIGURES` projection, counting from records what its handlers count
 * from events (a figure added there is added here). Queries only, no Scan. Customers from the name index, vehicles through the customers' vehicle links
 * (a vehicle never linked to any customer is not reachable without a Scan and is not counted), services
 * from the recently-served index, imports from the import list (failed rows of finished imports only:
 * a running import's `import.completed` event adds its own). The result's `countedUntil` is the time
 * the reads began, so events up to then are not counted twice when they arrive later. `timeZone` is
 * the store's (services are counted on its days).
 */
export async function rebuildStoreFigures(
  store: { table: { tenantId: string }; customers: Customers; vehicles: Vehicles; imports: Imports },
  timeZone: string,
  now: Date,
): Promise<StoreFigures> {
  const { customers, vehicles, imports } = store;
  const countedUntil = now.toISOString();
  let figures: StoreFigures = {
    ...emptyStoreFigures(store.table.tenantId),
    timeZone,
    countedUntil,
    updatedAt: countedUntil,
  };
  const vehicleIds = new Set<string>();
  for await (const customer of every((cursor) => customers.searchByName('', { limit: 200, cursor }))) {
    figures.customers++;
    for await (const link of every((cursor) =>
      vehicles.childrenIn('link', [CUSTOMER.prefix, customer.id], { limit: 200, cursor }),
    ))
      vehicleIds.add(link.vehicleId);
  }
  figures.vehicles = vehicleIds.size;
  const oldestKept = new Date(now.getTime() - SERVED_DAYS_KEPT * 86_400_000).toISOString();
  for await (const vehicle of every((cursor) =>
    vehicles.queryIndex('recentlyServed', [], {
      sk: { between: [oldestKept, `${countedUntil}~`] },
      limit: 200,
      cursor,
    }),
  ))
    if (vehicle.lastServedAt) figures = addService(figures, vehicle.lastServedAt, countedUntil);
  for await (const job of every((cursor) => imports.queryIndex('newestFirst', [], { limit: 200, cursor }))) {
    figures.imports++;
    if (job.chunksDone >= job.chunks) figures.importFailedRows += job.failed;
  }
  return figures;
}

/** Every item of a paged read, page after page. */
async function* every<V>(read: (cursor: string | undefined) => Promise<Page<V>>): AsyncGenerator<V> {
  let cursor: string | undefined;
  do {
    const page = await read(cursor);
    yield* page.items;
    cursor = page.nextCursor;
  } while (cursor);
}
