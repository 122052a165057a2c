import type { Schemas } from '@aftersales/api-client';
import type { Paging, StoreClient } from '../api/store.ts';

/** 人员 calls, on the shared store client; request and answer types come from the generated document. */

export function listStaff(s: StoreClient, q: Paging = {}) {
  return s.data(s.api.GET('/v1/stores/{storeId}/staff', { params: { ...s.at(), query: q } }));
}

export function inviteStaff(s: StoreClient, input: Schemas['StaffInput'], idempotencyKey: string) {
  return s.versioned(
    s.api.POST('/v1/stores/{storeId}/staff', { params: s.creating(idempotencyKey), body: input }),
  );
}

export function getStaff(s: StoreClient, staffId: string) {
  return s.versioned(s.api.GET('/v1/stores/{storeId}/staff/{staffId}', { params: s.at({ staffId }) }));
}

export function updateStaff(s: StoreClient, staffId: string, changes: Schemas['StaffPatch'], etag: string) {
  return s.versioned(
    s.api.PATCH('/v1/stores/{storeId}/staff/{staffId}', {
      params: s.changing(etag, { staffId }),
      body: changes,
    }),
  );
}

export type StatusAction = 'disable' | 'enable' | 'remove';

/** Disable, enable again or remove, on the version the page shows. */
export function changeStaffStatus(s: StoreClient, staffId: string, action: StatusAction, etag: string) {
  const params = s.changing(etag, { staffId });
  if (action === 'disable')
    return s.versioned(s.api.POST('/v1/stores/{storeId}/staff/{staffId}/disable', { params }));
  if (action === 'enable')
    return s.versioned(s.api.POST('/v1/stores/{storeId}/staff/{staffId}/enable', { params }));
  return s.versioned(s.api.POST('/v1/stores/{storeId}/staff/{staffId}/remove', { params }));
}
