import type { Schemas } from '@aftersales/api-client';
import type { Paging, StoreClient } from '../api/store.ts';

/** 三包预警 calls, on the shared store client; answer types come from the generated document. */

export type LemonVehicleStatus = Schemas['LemonVehicleStatus'];
export type LemonWatchItem = Schemas['LemonWatchItem'];
export type LemonFinding = NonNullable<LemonWatchItem['top']>;

export function getLemonStatus(s: StoreClient, vehicleId: string) {
  return s.data(
    s.api.GET('/v1/stores/{storeId}/lemon-law/vehicles/{vehicleId}', { params: s.at({ vehicleId }) }),
  );
}

export function listLemonWatch(s: StoreClient, q: Paging = {}) {
  return s.data(s.api.GET('/v1/stores/{storeId}/lemon-law/watch', { params: { ...s.at(), query: q } }));
}
