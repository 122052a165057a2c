import {
  decideLemonVisit,
  type LemonRecord,
  LemonRecord as LemonRecordSchema,
  type LemonStore,
  type LemonVehicleStatus,
  type LemonWatchItem,
  lemonVehicleStatus,
  lemonWatchItem,
  repairVisitOf,
  VersionConflictError,
} from '@aftersales/domain';
import type { TenantData } from '../index.ts';
import { AggregateRepository, defineAggregate } from '../platform/aggregate.ts';
import type { Page, PageRequest, TenantContext, TenantTable } from '../platform/tenant-table.ts';
import { RepairOrders } from '../repair-orders/repair-orders.ts';

/**
 * 三包档案, one item per vehicle that has had a delivered warranty order. Keys, all from this declaration:
 * - record        pk `<t>#LEMON#<vehicleId>` sk `#LEMON`
 * - 三包预警 list  gsi3 `<t>#LEMONWATCH` / `<level>#<vehicleId>` (only at warning or alert: a sparse index,
 *                 so the store's list is one Query; `alert` sorts before `warning`)
 * - audit         pk `<t>#LEMON#<vehicleId>` sk `~AUDIT#…`
 */
export const LEMON_RECORD = defineAggregate({
  name: 'lemonCounters',
  label: 'LemonCounters',
  // Named by the vehicle's id in every path (`vehicleId`, the vehicle's 404): its own never appears.
  idParam: 'lemonVehicleId',
  prefix: 'LEMON',
  recordSk: '#LEMON',
  schema: LemonRecordSchema,
  indexes: {
    watch: {
      index: 'gsi3',
      prefix: 'LEMONWATCH',
      key: (r) => (r.level === 'none' ? undefined : { pk: [], sk: `${r.level}#${r.id}` }),
    },
  },
});

/** A write that lost a race with another delivery of the same vehicle is read again and re-applied. */
const ATTEMPTS = 3;

export class LemonRecords extends AggregateRepository<typeof LEMON_RECORD> {
  constructor(t: TenantTable, ctx: TenantContext) {
    super(t, ctx, LEMON_RECORD);
  }

  /**
   * 三包计数 from a delivered order: reads the order (one GetItem), builds its visit and folds it into its
   * vehicle's counters, weighed again by the vehicle's ruleset; written only if the record is still the
   * version read (a concurrent delivery for the same car is re-read and re-applied). An order not
   * delivered, or whose visit changes nothing (the event delivered again), writes nothing. The days
   * excluded from the visit (parts, battery shipping, loaner) are those the advisor stated at delivery.
   * Returns the record as now stored, or undefined when nothing was written.
   */
  async recordDelivery(
    tenant: TenantData,
    store: LemonStore,
    repairOrderId: string,
  ): Promise<LemonRecord | undefined> {
    const order = await tenant.repo(RepairOrders).get(repairOrderId);
    const visit = order && repairVisitOf(order);
    if (!order || !visit) return undefined;
    const vehicle = await tenant.vehicles.require(order.vehicleId);
    for (let attempt = 1; ; attempt++) {
      const current = await this.get(vehicle.id);
      const next = decideLemonVisit(current, {
        store,
        vehicle,
        visit,
        odometerKm: Math.max(vehicle.lastOdometerKm ?? 0, order.odometerKm),
        at: this.now().toISOString(),
      });
      if (!next) return undefined;
      const changes = [
        { field: 'visits', from: current?.counters.visits.length ?? 0, to: next.counters.visits.length },
        ...(current?.level !== next.level ? [{ field: 'level', from: current?.level, to: next.level }] : []),
      ];
      try {
        if (current) return await this.save(current, next, { changes });
        if ((await this.createRecord(next, { changes })).created) return next;
      } catch (e) {
        if (!(e instanceof VersionConflictError)) throw e;
      }
      // Another delivery of this car was written in between: read it and apply this visit again.
      if (attempt >= ATTEMPTS) throw new VersionConflictError(LEMON_RECORD.label, vehicle.id);
    }
  }

  /**
   * A vehicle's status now: its record and the vehicle (two GetItems) and its latest order (one Query),
   * whose days count when it is still open.
   */
  async statusOf(tenant: TenantData, store: LemonStore, vehicleId: string): Promise<LemonVehicleStatus> {
    const [vehicle, record, latest] = await Promise.all([
      tenant.vehicles.require(vehicleId),
      this.get(vehicleId),
      tenant.repo(RepairOrders).ofVehicle(vehicleId, { limit: 1 }),
    ]);
    const open = latest.items.find((ro) => ro.status !== 'delivered' && ro.status !== 'cancelled');
    return lemonVehicleStatus(record, {
      store,
      vehicle,
      asOf: this.now().toISOString(),
      odometerKm: Math.max(vehicle.lastOdometerKm ?? 0, open?.odometerKm ?? 0),
      openRepair: open ? { repairOrderId: open.id, signedAt: open.createdAt } : undefined,
    });
  }

  /** 三包预警车辆: the store's vehicles under alert, then warning, each weighed again today; one Query a page. */
  async watch(page: PageRequest): Promise<Page<LemonWatchItem>> {
    const found = await this.queryIndex('watch', [], page);
    const asOf = this.now().toISOString();
    return { ...found, items: found.items.map((r) => lemonWatchItem(r, asOf)) };
  }
}
