import type { Schemas } from '@aftersales/api-client';
import type { Paging, StoreClient } from '../api/store.ts';

/** 门店设置 calls, on the shared store client; request and answer types come from the generated document. */

export function getStoreSetup(s: StoreClient) {
  return s.versioned(s.api.GET('/v1/stores/{storeId}/setup', { params: s.at() }));
}

/** The whole set-up, saved on the version it was read at (`"0"` before the first save). */
export function saveStoreSetup(s: StoreClient, input: Schemas['StoreSetupInput'], etag: string) {
  return s.versioned(s.api.PUT('/v1/stores/{storeId}/setup', { params: s.changing(etag, {}), body: input }));
}

export function listLabourOps(s: StoreClient, q: { code?: string } & Paging) {
  return s.data(s.api.GET('/v1/stores/{storeId}/setup/labour-ops', { params: { ...s.at(), query: q } }));
}

export function createLabourOp(s: StoreClient, input: Schemas['LabourOpInput'], idempotencyKey: string) {
  return s.versioned(
    s.api.POST('/v1/stores/{storeId}/setup/labour-ops', { params: s.creating(idempotencyKey), body: input }),
  );
}

export function updateLabourOp(
  s: StoreClient,
  labourOpId: string,
  changes: Schemas['LabourOpPatch'],
  etag: string,
) {
  return s.versioned(
    s.api.PATCH('/v1/stores/{storeId}/setup/labour-ops/{labourOpId}', {
      params: s.changing(etag, { labourOpId }),
      body: changes,
    }),
  );
}

export function listChecklistTemplates(s: StoreClient, q: Paging = {}) {
  return s.data(
    s.api.GET('/v1/stores/{storeId}/setup/checklist-templates', { params: { ...s.at(), query: q } }),
  );
}

export function createChecklistTemplate(
  s: StoreClient,
  input: Schemas['ChecklistTemplateInput'],
  idempotencyKey: string,
) {
  return s.versioned(
    s.api.POST('/v1/stores/{storeId}/setup/checklist-templates', {
      params: s.creating(idempotencyKey),
      body: input,
    }),
  );
}

export function updateChecklistTemplate(
  s: StoreClient,
  checklistTemplateId: string,
  changes: Schemas['ChecklistTemplatePatch'],
  etag: string,
) {
  return s.versioned(
    s.api.PATCH('/v1/stores/{storeId}/setup/checklist-templates/{checklistTemplateId}', {
      params: s.changing(etag, { checklistTemplateId }),
      body: changes,
    }),
  );
}
