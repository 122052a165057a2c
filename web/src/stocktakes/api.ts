import type { Schemas } from '@aftersales/api-client';
import type { Paging, StoreClient } from '../api/store.ts';

/** 盘点 calls, on the shared store client; request and answer types come from the generated document. */

export type Stocktake = Schemas['Stocktake'];
export type StocktakeLine = Stocktake['lines'][number];

export function listStocktakes(s: StoreClient, q: Paging = {}) {
  return s.data(s.api.GET('/v1/stores/{storeId}/stocktakes', { params: { ...s.at(), query: q } }));
}

export function openStocktake(s: StoreClient, input: Schemas['StocktakeInput'], idempotencyKey: string) {
  return s.versioned(
    s.api.POST('/v1/stores/{storeId}/stocktakes', { params: s.creating(idempotencyKey), body: input }),
  );
}

export function getStocktake(s: StoreClient, stocktakeId: string) {
  return s.versioned(
    s.api.GET('/v1/stores/{storeId}/stocktakes/{stocktakeId}', { params: s.at({ stocktakeId }) }),
  );
}

/** Counts merge into the sheet as it is now (several counters at once): no If-Match. */
export function countStocktake(s: StoreClient, stocktakeId: string, input: Schemas['CountInput']) {
  return s.data(
    s.api.POST('/v1/stores/{storeId}/stocktakes/{stocktakeId}/counts', {
      params: s.at({ stocktakeId }),
      body: input,
    }),
  );
}

export function transitionStocktake(
  s: StoreClient,
  stocktakeId: string,
  move: Schemas['StocktakeTransitionInput'],
  etag: string,
) {
  return s.data(
    s.api.POST('/v1/stores/{storeId}/stocktakes/{stocktakeId}/transitions', {
      params: s.changing(etag, { stocktakeId }),
      body: move,
    }),
  );
}

export function postStocktake(s: StoreClient, stocktakeId: string, etag: string) {
  return s.data(
    s.api.POST('/v1/stores/{storeId}/stocktakes/{stocktakeId}/post', {
      params: s.changing(etag, { stocktakeId }),
    }),
  );
}
