import { addService, emptyStoreFigures, SERVED_DAYS_KEPT, type StoreFigures } from '@aftersales/domain';
import { KEY_PREFIXES } from '../platform/keys.ts';
import type { TenantTable } from '../platform/tenant-table.ts';

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
  store: TenantTable,
  timeZone: string,
  now = new Date(),
): Promise<StoreFigures> {
  const countedUntil = now.toISOString();
  let figures: StoreFigures = {
    ...emptyStoreFigures(store.tenantId),
    timeZone,
    countedUntil,
    updatedAt: countedUntil,
  };
  const vehicleIds = new Set<string>();
  for await (const customer of pages(store, { index: 'gsi1', partition: [KEY_PREFIXES.customerName] })) {
    figures.customers++;
    for await (const link of pages(store, {
      index: 'gsi1',
      partition: [KEY_PREFIXES.customer, String(customer.id)],
      sk: { beginsWith: 'VLINK#' },
    }))
      vehicleIds.add(String(link.vehicleId));
  }
  figures.vehicles = vehicleIds.size;
  const oldestKept = new Date(now.getTime() - SERVED_DAYS_KEPT * 86_400_000).toISOString();
  for await (const vehicle of pages(store, {
    index: 'gsi3',
    partition: [KEY_PREFIXES.vehicleRecent],
    sk: { between: [oldestKept, `${countedUntil}~`] },
  }))
    figures = addService(figures, String(vehicle.lastServedAt), countedUntil);
  for await (const job of pages(store, { index: 'gsi1', partition: [KEY_PREFIXES.importList] })) {
    figures.imports++;
    if (Number(job.chunksDone) >= Number(job.chunks)) figures.importFailedRows += Number(job.failed);
  }
  return figures;
}

async function* pages(
  store: TenantTable,
  query: Omit<Parameters<TenantTable['query']>[0], 'cursor' | 'limit'>,
) {
  let cursor: string | undefined;
  do {
    const page = await store.query({ ...query, limit: 200, cursor });
    yield* page.items;
    cursor = page.nextCursor;
  } while (cursor);
}
