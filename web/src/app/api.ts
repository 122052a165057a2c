import { createApiClient } from '@aftersales/api-client';
import type { HttpClient } from '../api/client.ts';
import type { StoreClient } from '../api/store.ts';

/** What the shell loads for every page: who is signed in, and the chosen store's profile. */

export function getMe(http: HttpClient) {
  return http.data(http.api.GET('/v1/me'));
}

export function getStoreProfile(s: StoreClient) {
  return s.data(s.api.GET('/v1/stores/{storeId}', { params: s.at() }));
}

/**
 * Ends the API's server-side session (`POST /v1/session/sign-out`, 204), best effort and `keepalive`:
 * the tab's tokens are already gone, so it takes the access token it had, and the page may be leaving.
 */
export async function endServerSession(apiBase: string, accessToken: string): Promise<void> {
  const api = createApiClient({
    baseUrl: new URL(apiBase || '/', location.origin).href,
    accessToken: () => accessToken,
    fetch: (request) => fetch(request, { keepalive: true }),
  });
  await api.POST('/v1/session/sign-out');
}
