import type { DataAccess } from '@aftersales/data';
import { Stocktakes } from '@aftersales/data/stocktakes';
import { AppError, type Store } from '@aftersales/domain';

/**
 * Each demo store's last monthly count (月度盘点) of its filter rack: counted, one bin a unit short and
 * explained, and posted — so the ledger shows a stocktake adjustment with its document, and the list a
 * posted sheet to open and print. Skipped when the store already has a stocktake (a second start).
 */
export async function writeDemoStocktake(data: DataAccess, store: Store, today: string): Promise<boolean> {
  const manager = data.forTenant({
    tenantId: store.id,
    actor: { userId: 'system', name: 'Demo seed', roles: ['parts_manager'] },
  });
  const stocktakes = manager.repo(Stocktakes);
  if ((await stocktakes.list({ limit: 1 })).items.length > 0) return false;
  let opened: Awaited<ReturnType<Stocktakes['open']>>['stocktake'];
  try {
    ({ stocktake: opened } = await stocktakes.open(
      { kind: 'monthly', locationPrefix: 'A-01', date: today, note: '月度盘点（演示）' },
      store.timeZone,
    ));
  } catch (e) {
    // A store whose catalogue has no filter rack (the small test seed) counts nothing.
    if (e instanceof AppError && e.code.startsWith('STOCKTAKE_SCOPE')) return false;
    throw e;
  }
  const short = opened.lines.find((l) => l.book > 0);
  const counted = await stocktakes.count(
    opened.id,
    {
      lines: opened.lines.map((l) =>
        l === short
          ? {
              bin: l.bin,
              partId: l.partId,
              counted: l.book - 1,
              reason: '盘亏 1：包装破损，已领用未登记（演示）',
            }
          : { bin: l.bin, partId: l.partId, counted: l.book },
      ),
    },
    { userId: 'system', name: 'Demo seed' },
  );
  const handedIn = await stocktakes.transition(counted.id, { to: 'counted' }, counted.version);
  await stocktakes.transition(handedIn.id, { to: 'posted' }, handedIn.version);
  return true;
}
