import type { Schemas } from '@aftersales/api-client';
import type { Paging, StoreClient } from '../api/store.ts';

/** 报损 calls, on the shared store client; request and answer types come from the generated document. */

export type WriteOff = Schemas['WriteOff'];

export function listWriteOffs(s: StoreClient, q: Paging & { status?: WriteOff['status'] } = {}) {
  return s.data(s.api.GET('/v1/stores/{storeId}/write-offs', { params: { ...s.at(), query: q } }));
}

export function requestWriteOff(s: StoreClient, input: Schemas['WriteOffInput'], idempotencyKey: string) {
  return s.versioned(
    s.api.POST('/v1/stores/{storeId}/write-offs', { params: s.creating(idempotencyKey), body: input }),
  );
}

export function getWriteOff(s: StoreClient, writeOffId: string) {
  return s.versioned(
    s.api.GET('/v1/stores/{storeId}/write-offs/{writeOffId}', { params: s.at({ writeOffId }) }),
  );
}

export function approveWriteOff(
  s: StoreClient,
  writeOffId: string,
  role: Schemas['WriteOffApprovalInput']['role'],
  etag: string,
) {
  return s.data(
    s.api.POST('/v1/stores/{storeId}/write-offs/{writeOffId}/approvals', {
      params: s.changing(etag, { writeOffId }),
      body: { role },
    }),
  );
}

export function postWriteOff(s: StoreClient, writeOffId: string, etag: string) {
  return s.data(
    s.api.POST('/v1/stores/{storeId}/write-offs/{writeOffId}/post', {
      params: s.changing(etag, { writeOffId }),
    }),
  );
}

export function cancelWriteOff(s: StoreClient, writeOffId: string, reason: string, etag: string) {
  return s.data(
    s.api.POST('/v1/stores/{storeId}/write-offs/{writeOffId}/cancel', {
      params: s.changing(etag, { writeOffId }),
      body: { reason },
    }),
  );
}

/** The store's loss split (损失分摊政策): the default, version 0, until the manager first saves one. */
export function getWriteOffPolicy(s: StoreClient) {
  return s.versioned(s.api.GET('/v1/stores/{storeId}/write-offs/policy', { params: s.at() }));
}

/** The split, saved on the version it was read at (`"0"` before the first save). */
export function saveWriteOffPolicy(s: StoreClient, input: Schemas['WriteOffPolicyInput'], etag: string) {
  return s.versioned(
    s.api.PUT('/v1/stores/{storeId}/write-offs/policy', { params: s.changing(etag, {}), body: input }),
  );
}
