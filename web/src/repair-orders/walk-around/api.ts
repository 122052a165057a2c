import type { Schemas } from '@aftersales/api-client';
import type { StoreClient } from '../../api/store.ts';

/** 环车检查 calls, on the shared store client; types come from the generated document. */

export type WalkAround = Schemas['WalkAround'];
export type WalkAroundInput = Schemas['WalkAroundInput'];
export type ChecklistAnswer = WalkAroundInput['answers'][number];
export type SealedPhoto = Schemas['SealedPhoto'];
export type PhotoView = Schemas['PhotoView'];
export type PhotoContentType = Schemas['PhotoUploadRequest']['contentType'];
export type ChecklistTemplate = Schemas['ChecklistTemplate'];

export function getWalkAround(s: StoreClient, repairOrderId: string) {
  return s.versioned(
    s.api.GET('/v1/stores/{storeId}/repair-orders/{repairOrderId}/walk-around', {
      params: s.at({ repairOrderId }),
    }),
  );
}

/** The whole form, on the version read (If-Match; `"0"` before the first save). */
export function recordWalkAround(
  s: StoreClient,
  repairOrderId: string,
  input: WalkAroundInput,
  etag: string,
) {
  return s.versioned(
    s.api.PUT('/v1/stores/{storeId}/repair-orders/{repairOrderId}/walk-around', {
      params: s.changing(etag, { repairOrderId }),
      body: input,
    }),
  );
}

/** The store's checklist templates (预检表), the active ones to choose from. */
export function listChecklistTemplates(s: StoreClient) {
  return s.data(
    s.api.GET('/v1/stores/{storeId}/setup/checklist-templates', {
      params: { ...s.at(), query: { limit: 50 } },
    }),
  );
}

export function createPhotoUpload(
  s: StoreClient,
  repairOrderId: string,
  request: { contentType: PhotoContentType; bytes: number },
) {
  return s.data(
    s.api.POST('/v1/stores/{storeId}/repair-orders/{repairOrderId}/photos', {
      params: s.at({ repairOrderId }),
      body: request,
    }),
  );
}

/** The client side of one upload: a URL from the API, then the bytes straight to S3; the photo's id. */
export async function uploadPhoto(
  s: StoreClient,
  repairOrderId: string,
  file: Blob,
  contentType: PhotoContentType,
): Promise<string> {
  const upload = await createPhotoUpload(s, repairOrderId, { contentType, bytes: file.size });
  const put = await fetch(upload.url, { method: upload.method, headers: upload.headers, body: file });
  if (!put.ok) throw new Error(`upload refused: ${put.status}`);
  return upload.photoId;
}

export function sealPhoto(
  s: StoreClient,
  repairOrderId: string,
  photoId: string,
  input: Schemas['PhotoSealInput'],
) {
  return s.data(
    s.api.POST('/v1/stores/{storeId}/repair-orders/{repairOrderId}/photos/{photoId}/seal', {
      params: s.at({ repairOrderId, photoId }),
      body: input,
    }),
  );
}

export function getPhoto(s: StoreClient, repairOrderId: string, photoId: string) {
  return s.data(
    s.api.GET('/v1/stores/{storeId}/repair-orders/{repairOrderId}/photos/{photoId}', {
      params: s.at({ repairOrderId, photoId }),
    }),
  );
}
