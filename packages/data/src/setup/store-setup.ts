import {
  decideStoreSetup,
  type StoreSetup,
  type StoreSetupFields,
  StoreSetupRecord,
  storeSetupView,
} from '@aftersales/domain';
import { AggregateRepository, defineAggregate } from '../platform/aggregate.ts';
import type { TenantContext, TenantTable } from '../platform/tenant-table.ts';

/**
 * 门店设置, one per store. Keys, all from this declaration:
 * - set-up       pk `<t>#SETUP#<storeId>` sk `#SETUP`
 * - audit, events pk `<t>#SETUP#<storeId>` sk `~AUDIT#…`, `~EVT#…`
 * Read with one GetItem (a store that never saved reads the defaults).
 */
export const STORE_SETUP = defineAggregate({
  name: 'storeSetup',
  label: 'StoreSetup',
  // One per store: no path names it (the store's own id does), so its id parameter never appears.
  idParam: 'storeSetupId',
  prefix: 'SETUP',
  recordSk: '#SETUP',
  schema: StoreSetupRecord,
});

export class StoreSetups extends AggregateRepository<typeof STORE_SETUP> {
  constructor(t: TenantTable, ctx: TenantContext) {
    super(t, ctx, STORE_SETUP);
  }

  /** The store's set-up, or its defaults (version 0) before the first save. */
  async current(timeZone?: string): Promise<StoreSetup> {
    return storeSetupView(await this.get(this.t.tenantId), this.t.tenantId, timeZone);
  }

  /**
   * Saves the whole set-up if the stored version is still `expectedVersion` (0: nothing saved yet, so
   * two managers' first saves cannot both win).
   */
  async replace(fields: StoreSetupFields, expectedVersion: number): Promise<StoreSetup> {
    const saved = await this.replaceStoreRecord(expectedVersion, (stored, id) =>
      decideStoreSetup(stored, fields, { id, storeId: id, at: this.now().toISOString() }),
    );
    return storeSetupView(saved, this.t.tenantId);
  }
}
