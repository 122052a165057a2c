import type { Schemas } from '@aftersales/api-client';
import type { Paging, StoreClient } from '../api/store.ts';

/** 出入库 calls, on the shared store client; request and answer types come from the generated document. */

export type BinStock = Schemas['BinStock'];
export type ObsoleteStock = Schemas['ObsoleteStock'];
export type MovementRequest = Schemas['MovementRequest'];
export type NeededPartStatus = Schemas['DocumentParts']['parts'][number];
export type StockDocumentType = Schemas['PickList']['document']['type'];

/** Stock by location (货位), from a warehouse, rack or shelf prefix. */
export function listBins(s: StoreClient, q: { location?: string } & Paging = {}) {
  return s.data(s.api.GET('/v1/stores/{storeId}/stock/bins', { params: { ...s.at(), query: q } }));
}

/** 呆滞库存: stock on hand that has not moved for 12 months. */
export function listObsoleteStock(s: StoreClient, q: Paging = {}) {
  return s.data(s.api.GET('/v1/stores/{storeId}/stock/obsolete', { params: { ...s.at(), query: q } }));
}

export function moveStock(s: StoreClient, partId: string, body: MovementRequest, idempotencyKey: string) {
  return s.data(
    s.api.POST('/v1/stores/{storeId}/parts/{partId}/movements', {
      params: { ...s.at({ partId }), header: { 'idempotency-key': idempotencyKey } },
      body,
    }),
  );
}

/** 拣货单: a document's reservations with each part's bins. */
export function getPickList(s: StoreClient, documentType: StockDocumentType, documentId: string) {
  return s.data(
    s.api.GET('/v1/stores/{storeId}/stock/pick-lists/{documentType}/{documentId}', {
      params: s.at({ documentType, documentId }),
    }),
  );
}

/** Whether parts a booking is about to need are on the shelf or to order: holds nothing. */
export function checkPartsAvailability(s: StoreClient, parts: Schemas['PartsAvailabilityQuery']['parts']) {
  return s.data(s.api.POST('/v1/stores/{storeId}/stock/availability', { params: s.at(), body: { parts } }));
}

export function getAppointmentParts(s: StoreClient, appointmentId: string) {
  return s.data(
    s.api.GET('/v1/stores/{storeId}/appointments/{appointmentId}/parts', {
      params: s.at({ appointmentId }),
    }),
  );
}

/** 备件: reserve what the booking needs (a retry reserves nothing more). */
export function reserveAppointmentParts(s: StoreClient, appointmentId: string, idempotencyKey: string) {
  return s.data(
    s.api.POST('/v1/stores/{storeId}/appointments/{appointmentId}/parts/reserve', {
      params: { ...s.at({ appointmentId }), header: { 'idempotency-key': idempotencyKey } },
    }),
  );
}
