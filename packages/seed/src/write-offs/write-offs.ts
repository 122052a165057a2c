import type { DataAccess } from '@aftersales/data';
import { StockLedger } from '@aftersales/data/parts';
import { WriteOffPolicies, WriteOffs } from '@aftersales/data/write-offs';
import type { LossSplit, Store } from '@aftersales/domain';

/**
 * The demo stores' own loss splits (损失分摊政策): Tianjin charges its service manager more (60/20/10/10);
 * the others keep the default 70/10/10/10.
 */
const DEMO_POLICIES: Readonly<Record<string, LossSplit>> = {
  st_HCAUDITJ: { store: 6000, service_manager: 2000, parts_manager: 1000, warehouse_keeper: 1000 },
};

/** Sets the store's split before its demo write-off is asked for, so the write-off carries it. */
async function writeDemoPolicy(data: DataAccess, store: Store): Promise<void> {
  const split = DEMO_POLICIES[store.id];
  if (!split) return;
  const manager = data.forTenant({
    tenantId: store.id,
    actor: { userId: 'system', name: 'Demo seed', roles: ['service_manager'] },
  });
  const policies = manager.repo(WriteOffPolicies);
  const current = await policies.current();
  if (current.version === 0) await policies.replace({ split }, 0);
}

/**
 * Each demo store's pending write-off (报损): one unit of a part on its shelf, damaged, confirmed by the
 * parts manager and waiting for the service manager and the claims supervisor — what an approver's
 * list shows first, split by the store's policy. Skipped when the store already has one.
 */
export async function writeDemoWriteOff(data: DataAccess, store: Store): Promise<boolean> {
  await writeDemoPolicy(data, store);
  const keeper = data.forTenant({
    tenantId: store.id,
    actor: { userId: 'system', name: 'Demo seed', roles: ['warehouse_keeper'] },
  });
  const writeOffs = keeper.repo(WriteOffs);
  if ((await writeOffs.list(undefined, { limit: 1 })).items.length > 0) return false;
  const [bin] = (await keeper.repo(StockLedger).byLocation('A-', { limit: 50 })).items.filter(
    (b) => !b.custody && b.onHand > 0,
  );
  if (!bin) return false;
  const { writeOff } = await writeOffs.request({
    partNumber: bin.partNumber,
    bin: bin.bin,
    quantity: 1,
    condition: 'damaged',
    notRecoverable: true,
    reason: '搬运中外包装压坏，滤芯变形，供应商不予退换（演示）',
  });
  const manager = data.forTenant({
    tenantId: store.id,
    actor: { userId: 'system', name: 'Demo seed', roles: ['parts_manager'] },
  });
  await manager.repo(WriteOffs).approve(writeOff.id, 'parts_manager', ['parts_manager'], writeOff.version);
  return true;
}
