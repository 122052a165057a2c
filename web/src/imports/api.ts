import type { ImportContentType, ImportKindName } from '@aftersales/domain';
import type { StoreClient } from '../api/store.ts';

/** 数据导入 calls, on the shared store client; request and answer types come from the generated document. */

/** The file did not reach storage (network, or the upload URL refused): nothing was imported. */
export class UploadFailed extends Error {
  override readonly name = 'UploadFailed';
}

/** Each import kind's operations, under its owner's path (each with the kind's permission). */
const BASES = {
  'customers-vehicles': '/v1/stores/{storeId}/imports',
  'labour-ops': '/v1/stores/{storeId}/setup/labour-op-imports',
  parts: '/v1/stores/{storeId}/part-imports',
} as const satisfies Record<ImportKindName, string>;
type Base = (typeof BASES)[ImportKindName];

/** A file to upload: a CSV as UTF-8, or a workbook's bytes as they are. */
export interface UploadFile {
  bytes: Uint8Array<ArrayBuffer>;
  contentType: ImportContentType;
}

/**
 * Sends the file straight to S3 with a presigned URL from the API (its type signed with it), then
 * starts its import: the API itself takes no file. A refused or failed upload throws `UploadFailed`.
 */
export async function startImport(
  s: StoreClient,
  kind: ImportKindName,
  fileName: string,
  { bytes, contentType }: UploadFile,
) {
  const base: Base = BASES[kind];
  const upload = await s.data(
    s.api.POST(`${base}/uploads`, {
      params: s.at(),
      body: { size: bytes.byteLength, contentType },
    }),
  );
  const sent = await fetch(upload.url, { method: upload.method, headers: upload.headers, body: bytes }).then(
    (res) => res.ok,
    () => false,
  );
  if (!sent) throw new UploadFailed();
  return s.data(s.api.POST(base, { params: s.at(), body: { fileName, uploadId: upload.uploadId } }));
}

export function listImports(s: StoreClient, kind: ImportKindName, cursor?: string) {
  const base: Base = BASES[kind];
  return s.data(s.api.GET(base, { params: { ...s.at(), query: { cursor, limit: 20 } } }));
}

export function getImport(s: StoreClient, kind: ImportKindName, importId: string, signal?: AbortSignal) {
  const base: Base = BASES[kind];
  return s.data(s.api.GET(`${base}/{importId}`, { params: s.at({ importId }), signal }));
}

export function importErrors(s: StoreClient, kind: ImportKindName, importId: string, cursor?: string) {
  const base: Base = BASES[kind];
  return s.data(
    s.api.GET(`${base}/{importId}/errors`, { params: { ...s.at({ importId }), query: { cursor } } }),
  );
}
