import type { DataAccess } from '@aftersales/data';
import { StockLedger } from '@aftersales/data/parts';
import { WriteOffs } from '@aftersales/data/write-offs';
import type { Store } from '@aftersales/domain';

/**
 * Each demo store's pending write-off (报损): one unit of a part on its shelf, damaged, confirmed by the
 * parts manager and waiting for the service manager and the claims supervisor — what an approver's
 * list shows first. Skipped when the store already has one.
 */
export async function writeDemoWriteOff(data: DataAccess, store: Store): Promise<boolean> {
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
