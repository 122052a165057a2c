import type { Schemas } from '@aftersales/api-client';
import type { Paging, StoreClient } from '../api/store.ts';

/** 配件 · 仓库 calls, on the shared store client; request and answer types come from the generated document. */

export function listParts(s: StoreClient, q: { number?: string } & Paging) {
  return s.data(s.api.GET('/v1/stores/{storeId}/parts', { params: { ...s.at(), query: q } }));
}

export function createPart(s: StoreClient, input: Schemas['PartInput'], idempotencyKey: string) {
  return s.versioned(
    s.api.POST('/v1/stores/{storeId}/parts', { params: s.creating(idempotencyKey), body: input }),
  );
}

/** The part with its book and bins, and its ETag for an edit. */
export function getPart(s: StoreClient, partId: string) {
  return s.versioned(s.api.GET('/v1/stores/{storeId}/parts/{partId}', { params: s.at({ partId }) }));
}

export function updatePart(s: StoreClient, partId: string, changes: Schemas['PartPatch'], etag: string) {
  return s.versioned(
    s.api.PATCH('/v1/stores/{storeId}/parts/{partId}', {
      params: s.changing(etag, { partId }),
      body: changes,
    }),
  );
}

export function partHistory(s: StoreClient, partId: string, cursor?: string) {
  return s.data(
    s.api.GET('/v1/stores/{storeId}/parts/{partId}/history', {
      params: { ...s.at({ partId }), query: { cursor } },
    }),
  );
}

/** 卡片帐: the part's movements, newest first. */
export function partMovements(s: StoreClient, partId: string, cursor?: string) {
  return s.data(
    s.api.GET('/v1/stores/{storeId}/parts/{partId}/movements', {
      params: { ...s.at({ partId }), query: { cursor, limit: 50 } },
    }),
  );
}
