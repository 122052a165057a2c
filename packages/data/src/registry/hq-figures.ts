import { keptDays, REGISTRY } from '@aftersales/domain';
import { declareFigureCounting, everyItem } from '../platform/figures.ts';
import { CUSTOMER } from './customers.ts';

const SERVED = REGISTRY.figures!.figures.servedLast30Days.daily;

/**
 * The registry's HQ figures from its records, with queries only (no Scan): customers from the name
 * index, vehicles through the customers' vehicle links (a vehicle never linked to any customer is not
 * reachable without a Scan and is not counted), services from the recently-served index, the kept days
 * only.
 */
declareFigureCounting(REGISTRY, async (store, { now, countedUntil }) => {
  const { customers, vehicles } = store;
  let customerCount = 0;
  const vehicleIds = new Set<string>();
  for await (const customer of everyItem((cursor) => customers.searchByName('', { limit: 200, cursor }))) {
    customerCount++;
    for await (const link of everyItem((cursor) =>
      vehicles.childrenIn('link', [CUSTOMER.prefix, customer.id], { limit: 200, cursor }),
    ))
      vehicleIds.add(link.vehicleId);
  }
  const oldestKept = new Date(now.getTime() - keptDays(SERVED.days) * 86_400_000).toISOString();
  const served: string[] = [];
  for await (const vehicle of everyItem((cursor) =>
    vehicles.queryIndex('recentlyServed', [], {
      sk: { between: [oldestKept, `${countedUntil}~`] },
      limit: 200,
      cursor,
    }),
  ))
    if (vehicle.lastServedAt) served.push(vehicle.lastServedAt);
  return { customers: customerCount, vehicles: vehicleIds.size, servedLast30Days: served };
});
