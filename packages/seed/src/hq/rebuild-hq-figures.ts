import { parseArgs } from 'node:util';
import { DataAccess, rebuildStoreFigures } from '@aftersales/data';
// Every capability whose figures the rebuild counts declares its counting in its data folder.
import '@aftersales/data/setup';
import '@aftersales/data/appointments';
import '@aftersales/data/claims';
import '@aftersales/data/parts';
import '@aftersales/data/repair-orders';
import '@aftersales/data/staff';
import type { Actor, Store, StoreFigures } from '@aftersales/domain';
import { DEMO_GROUP } from '../platform/orgs.ts';

/**
 * Rebuilds a dealer group's HQ figures from its stores' records: for data written before the HQ
 * projector existed (a deployment's stores, the demo seed). Queries only (each store's customer list
 * and their vehicle links, the recently-served index, the import list), one store at a time; each
 * store's item is replaced and stamped `countedUntil`, so events from before the rebuild that arrive
 * later are not counted twice. Safe to run again.
 *
 *   TABLE_NAME=… npx tsx packages/seed/src/hq/rebuild-hq-figures.ts [--group grp_…]…
 *   (locally add AWS_ENDPOINT_URL_DYNAMODB=http://localhost:<port>; without --group: the demo group)
 */
const REBUILD_ACTOR: Actor = { userId: 'system:hq-figures', name: 'HQ figures rebuild', roles: [] };

type StoreToRebuild = Pick<Store, 'id' | 'timeZone'>;

/** The group's stores with their time zones, from the directory; one listed without a profile is skipped. */
async function storesOf(
  data: DataAccess,
  groupId: string,
  ids?: readonly string[],
): Promise<StoreToRebuild[]> {
  const stores: StoreToRebuild[] = [];
  for (const id of ids ?? (await data.directory.groupStores(groupId)).map((s) => s.id)) {
    const org = await data.directory.getOrganisation(id);
    if (org?.kind === 'store') stores.push(org);
    else console.warn(`${groupId} lists ${id} as a store, but it has no store profile: not rebuilt`);
  }
  return stores;
}

/** `stores`: the group's stores, when the directory does not list them all yet (the seed). */
export async function rebuildGroupFigures(
  data: DataAccess,
  groupId: string,
  stores?: readonly StoreToRebuild[],
  now = new Date(),
): Promise<StoreFigures[]> {
  const figures = data.groupFigures(groupId);
  const rebuilt: StoreFigures[] = [];
  for (const { id: storeId, timeZone } of stores ?? (await storesOf(data, groupId))) {
    const store = data.forTenant({ tenantId: storeId, actor: REBUILD_ACTOR });
    const storeFigures = await rebuildStoreFigures(store, timeZone, now);
    await figures.replace(storeFigures);
    rebuilt.push(storeFigures);
  }
  return rebuilt;
}

/**
 * Rebuilds the figures of each of the group's stores that were never rebuilt (no `countedUntil`):
 * data written before the HQ projector existed, or before the store joined the group, is then counted
 * once; after that the projector keeps the figures current. Items without a time zone (written before
 * figures counted the store's own days) are rebuilt too. Returns whether it rebuilt any.
 */
export async function ensureGroupFigures(data: DataAccess, groupId: string): Promise<boolean> {
  const [figures, stores] = await Promise.all([
    data.groupFigures(groupId).list(),
    data.directory.groupStores(groupId),
  ]);
  const rebuilt = new Set(figures.filter((f) => f.countedUntil && f.timeZone).map((f) => f.storeId));
  const missing = stores.map((s) => s.id).filter((id) => !rebuilt.has(id));
  if (missing.length > 0) await rebuildGroupFigures(data, groupId, await storesOf(data, groupId, missing));
  return missing.length > 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { group: { type: 'string', multiple: true } } });
  const tableName = process.env.TABLE_NAME;
  if (!tableName) throw new Error('Set TABLE_NAME (and AWS_ENDPOINT_URL_DYNAMODB for a local table).');
  const data = new DataAccess({ tableName });
  for (const groupId of values.group ?? [DEMO_GROUP.id]) {
    const rebuilt = await rebuildGroupFigures(data, groupId);
    console.log(JSON.stringify({ groupId, stores: rebuilt }, null, 2));
  }
}
