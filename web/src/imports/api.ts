import type { StoreClient } from '../api/store.ts';

/** 数据导入 calls, on the shared store client; request and answer types come from the generated document. */

/** The file did not reach storage (network, or the upload URL refused): nothing was imported. */
export class UploadFailed extends Error {
  override readonly name = 'UploadFailed';
}

/**
 * Sends the file (as UTF-8) straight to S3 with a presigned URL from the API, then starts its import:
 * the API itself takes no file. A refused or failed upload throws `UploadFailed`.
 */
export async function startImport(s: StoreClient, fileName: string, csv: string) {
  const bytes = new TextEncoder().encode(csv);
  const upload = await s.data(
    s.api.POST('/v1/stores/{storeId}/imports/uploads', {
      params: s.at(),
      body: { size: bytes.byteLength },
    }),
  );
  const sent = await fetch(upload.url, { method: upload.method, headers: upload.headers, body: bytes }).then(
    (res) => res.ok,
    () => false,
  );
  if (!sent) throw new UploadFailed();
  return s.data(
    s.api.POST('/v1/stores/{storeId}/imports', {
      params: s.at(),
      body: { fileName, uploadId: upload.uploadId },
    }),
  );
}

export function listImports(s: StoreClient, cursor?: string) {
  return s.data(
    s.api.GET('/v1/stores/{storeId}/imports', { params: { ...s.at(), query: { cursor, limit: 20 } } }),
  );
}

export function getImport(s: StoreClient, importId: string, signal?: AbortSignal) {
  return s.data(s.api.GET('/v1/stores/{storeId}/imports/{importId}', { params: s.at({ importId }), signal }));
}

export function importErrors(s: StoreClient, importId: string, cursor?: string) {
  return s.data(
    s.api.GET('/v1/stores/{storeId}/imports/{importId}/errors', {
      params: { ...s.at({ importId }), query: { cursor } },
    }),
  );
}
