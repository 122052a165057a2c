import type { Schemas } from '@aftersales/api-client';
import type { Paging, StoreClient } from '../api/store.ts';

/** 索赔 calls, on the shared store client; request and answer types come from the generated document. */

export type Claim = Schemas['WarrantyClaim'];
export type ClaimLine = Claim['lines'][number];
export type ClaimedPart = Claim['parts'][number];
export type ClaimStatus = Claim['status'];
export type Finding = Schemas['ClaimPrecheck']['findings'][number];
export type ClaimEdit = Schemas['ClaimEdit'];

/** The archive's criteria: one of VIN, status or OEM (the API refuses two), within creation days. */
export type ClaimSearch = { vin?: string; status?: ClaimStatus; oemId?: string; from?: string; to?: string };

export function searchClaims(s: StoreClient, q: ClaimSearch & Paging) {
  return s.data(s.api.GET('/v1/stores/{storeId}/claims', { params: { ...s.at(), query: q } }));
}

/** 旧件回运: claims with a kept part the OEM asked back and the store has not shipped yet. */
export function listPartsAsked(s: StoreClient) {
  return s.data(s.api.GET('/v1/stores/{storeId}/claims/parts-asked', { params: s.at() }));
}

/** 建索赔单 from a settled or delivered order (Idempotency-Key: a retry answers the first draft). */
export function fileClaim(s: StoreClient, input: Schemas['ClaimCreateInput'], idempotencyKey: string) {
  return s.data(
    s.api.POST('/v1/stores/{storeId}/claims', { params: s.creating(idempotencyKey), body: input }),
  );
}

export function getClaim(s: StoreClient, claimId: string) {
  return s.versioned(s.api.GET('/v1/stores/{storeId}/claims/{claimId}', { params: s.at({ claimId }) }));
}

export function updateClaim(s: StoreClient, claimId: string, edit: ClaimEdit, etag: string) {
  return s.versioned(
    s.api.PATCH('/v1/stores/{storeId}/claims/{claimId}', {
      params: s.changing(etag, { claimId }),
      body: edit,
    }),
  );
}

/** 预审: the OEM's rules on the claim as it is now, nothing sent. */
export function precheckClaim(s: StoreClient, claimId: string) {
  return s.data(s.api.GET('/v1/stores/{storeId}/claims/{claimId}/precheck', { params: s.at({ claimId }) }));
}

/** 提交, or for a returned claim 补充后重新提交 with the answer to the OEM's question. */
export function submitClaim(s: StoreClient, claimId: string, answer: string | undefined, etag: string) {
  return s.data(
    s.api.POST('/v1/stores/{storeId}/claims/{claimId}/submissions', {
      params: s.changing(etag, { claimId }),
      body: answer === undefined ? {} : { answer },
    }),
  );
}

export function withdrawClaim(s: StoreClient, claimId: string, reason: string, etag: string) {
  return s.data(
    s.api.POST('/v1/stores/{storeId}/claims/{claimId}/withdrawal', {
      params: s.changing(etag, { claimId }),
      body: { reason },
    }),
  );
}

export function appealClaim(s: StoreClient, claimId: string, text: string, etag: string) {
  return s.data(
    s.api.POST('/v1/stores/{storeId}/claims/{claimId}/appeals', {
      params: s.changing(etag, { claimId }),
      body: { text },
    }),
  );
}

/** 旧件回运: a part the OEM asked back, shipped with the carrier's reference. */
export function shipPart(s: StoreClient, claimId: string, partId: string, reference: string) {
  return s.data(
    s.api.POST('/v1/stores/{storeId}/claims/{claimId}/parts/{partId}/shipments', {
      params: s.at({ claimId, partId }),
      body: { reference },
    }),
  );
}

export function claimHistory(s: StoreClient, claimId: string, cursor?: string) {
  return s.data(
    s.api.GET('/v1/stores/{storeId}/claims/{claimId}/history', {
      params: { ...s.at({ claimId }), query: cursor ? { cursor } : {} },
    }),
  );
}

/** 推送记录: what the OEM's systems were sent about the claim. */
export function claimDeliveries(s: StoreClient, claimId: string) {
  return s.data(
    s.api.GET('/v1/stores/{storeId}/claims/{claimId}/deliveries', {
      params: { ...s.at({ claimId }), query: { limit: 50 } },
    }),
  );
}
