import type { operations, Schemas } from '@aftersales/api-client';
import type { Paging, StoreClient } from '../api/store.ts';

/** 车辆档案 calls, on the shared store client; request and answer types come from the generated document. */

type Query = NonNullable<operations['listVehicles']['parameters']['query']>;
/** One look-up at a time: the document lets a search name one of `plate`, `vin` and `recent`. */
export type VehicleQuery = Pick<Query, 'plate'> | Pick<Query, 'vin'> | { recent: 'true' };
export type VehicleChanges = Schemas['VehiclePatch'];
/** The roles a link other than ownership can have (ownership changes by transfer). */
export type SecondaryRole = Schemas['AddLinkInput']['role'];

export function searchVehicles(s: StoreClient, q: VehicleQuery & Paging, signal?: AbortSignal) {
  return s.data(s.api.GET('/v1/stores/{storeId}/vehicles', { params: { ...s.at(), query: q }, signal }));
}

export function createVehicle(s: StoreClient, input: Schemas['VehicleInput'], idempotencyKey: string) {
  return s.versioned(
    s.api.POST('/v1/stores/{storeId}/vehicles', { params: s.creating(idempotencyKey), body: input }),
  );
}

export function getVehicle(s: StoreClient, vehicleId: string) {
  return s.versioned(s.api.GET('/v1/stores/{storeId}/vehicles/{vehicleId}', { params: s.at({ vehicleId }) }));
}

export function updateVehicle(s: StoreClient, vehicleId: string, changes: VehicleChanges, etag: string) {
  return s.versioned(
    s.api.PATCH('/v1/stores/{storeId}/vehicles/{vehicleId}', {
      params: s.changing(etag, { vehicleId }),
      body: changes,
    }),
  );
}

export function transferVehicle(s: StoreClient, vehicleId: string, newOwnerCustomerId: string, etag: string) {
  return s.versioned(
    s.api.POST('/v1/stores/{storeId}/vehicles/{vehicleId}/transfer', {
      params: s.changing(etag, { vehicleId }),
      body: { newOwnerCustomerId },
    }),
  );
}

/** A customer linked to a vehicle as driver or fleet contact. */
export type SecondaryLink = { customerId: string; role: SecondaryRole };

export function linkCustomer(s: StoreClient, vehicleId: string, link: SecondaryLink, etag: string) {
  return s.versioned(
    s.api.POST('/v1/stores/{storeId}/vehicles/{vehicleId}/links', {
      params: s.changing(etag, { vehicleId }),
      body: link,
    }),
  );
}

export function unlinkCustomer(s: StoreClient, vehicleId: string, link: SecondaryLink, etag: string) {
  return s.versioned(
    s.api.DELETE('/v1/stores/{storeId}/vehicles/{vehicleId}/links/{customerId}/{role}', {
      params: s.changing(etag, { vehicleId, ...link }),
    }),
  );
}

export function recordOdometer(s: StoreClient, vehicleId: string, km: number, etag: string) {
  return s.versioned(
    s.api.POST('/v1/stores/{storeId}/vehicles/{vehicleId}/odometer', {
      params: s.changing(etag, { vehicleId }),
      // `manual` is the API's default; the generated body type asks for it, as defaults are members.
      body: { km, source: 'manual' },
    }),
  );
}

export function vehicleHistory(s: StoreClient, vehicleId: string, cursor?: string) {
  return s.data(
    s.api.GET('/v1/stores/{storeId}/vehicles/{vehicleId}/history', {
      params: { ...s.at({ vehicleId }), query: { cursor } },
    }),
  );
}
