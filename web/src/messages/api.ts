import type { Schemas } from '@aftersales/api-client';
import type { Paging, StoreClient } from '../api/store.ts';

/** 消息 calls, on the shared store client; answer types come from the generated document. */

export type MessageStatus = Schemas['Message']['status'];

export function listMessages(s: StoreClient, q: Paging & { status?: MessageStatus } = {}) {
  return s.data(s.api.GET('/v1/stores/{storeId}/messages', { params: { ...s.at(), query: q } }));
}
