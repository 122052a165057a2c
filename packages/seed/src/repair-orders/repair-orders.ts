import type { DataAccess } from '@aftersales/data';
import { RepairOrders } from '@aftersales/data/repair-orders';
import { type Actor, AppError, type CheckInFields, type Store } from '@aftersales/domain';
import { demoUsersOf } from '../platform/users.ts';
import { writeDemoWalkAround } from './walk-around.ts';

/** What the demo cars came in with (问诊), in the customer's words. */
const CONCERNS: readonly (readonly string[])[] = [
  ['刹车时前轮有异响', '常规保养'],
  ['空调不制冷'],
  ['仪表盘发动机故障灯亮', '右后车窗升降缓慢'],
];

/**
 * A few cars on each store's workshop board (接车): walk-ins of recently served vehicles, checked in by
 * the store's advisor, one of them already in diagnosis. Skipped when the store has open orders (a
 * second start); a vehicle whose readings refuse the demo odometer is passed over.
 */
export async function writeDemoRepairOrders(data: DataAccess, store: Store): Promise<number> {
  const advisor = demoUsersOf(store).find((u) =>
    u.memberships.some((m) => m.tenantId === store.id && m.roles.includes('service_advisor')),
  );
  const actor: Actor = advisor
    ? { userId: advisor.id, name: advisor.displayName, roles: ['service_advisor'] }
    : { userId: 'system', name: 'Demo seed', roles: ['service_advisor'] };
  const tenant = data.forTenant({ tenantId: store.id, actor });
  const repo = tenant.repo(RepairOrders);
  if ((await repo.open({ limit: 1 })).items.length > 0) return 0;
  const vehicles = (await tenant.vehicles.recent({ limit: 20 })).items;
  let written = 0;
  for (const v of vehicles) {
    const concerns = CONCERNS[written];
    if (!concerns) break;
    if (!v.owner) continue;
    const input: CheckInFields = {
      source: { kind: 'walk_in' },
      vehicleId: v.id,
      customerId: v.owner.customerId,
      odometerKm: (v.lastOdometerKm ?? 0) + 1_200,
      fuelLevel: 2 + written * 2,
      promisedAt: new Date(tenant.now().getTime() + (3 + written * 2) * 3_600_000).toISOString(),
      concerns: concerns.map((words) => ({ words, payer: 'customer' })),
    };
    try {
      const { repairOrder } = await repo.checkIn(tenant, input);
      await writeDemoWalkAround(tenant, repairOrder.id, written);
      if (written === 1) await repo.transition(repairOrder.id, { to: 'diagnosing' }, repairOrder.version);
      written += 1;
    } catch (e) {
      if (!(e instanceof AppError && e.status < 500)) throw e;
    }
  }
  return written;
}
