import type { HttpClient } from '../api/client.ts';
import type { StoreClient } from '../api/store.ts';

/** What the shell loads for every page: who is signed in, and the chosen store's profile. */

export function getMe(http: HttpClient) {
  return http.data(http.api.GET('/v1/me'));
}

export function getStoreProfile(s: StoreClient) {
  return s.data(s.api.GET('/v1/stores/{storeId}', { params: s.at() }));
}
