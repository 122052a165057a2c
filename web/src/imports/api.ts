import type { StoreClient } from '../api/store.ts';

/** 数据导入 calls, on the shared store client; request and answer types come from the generated document. */

export function startImport(s: StoreClient, fileName: string, csv: string) {
  return s.data(s.api.POST('/v1/stores/{storeId}/imports', { params: s.at(), body: { fileName, csv } }));
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
