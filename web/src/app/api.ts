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
 * Ends the API's server-side session (`POST /v1/session/sign-out`, 204), best effort. A plain fetch:
 * the route is being added beside this change, and the generated client does not have it yet — once it
 * does, call `http.api.POST('/v1/session/sign-out')` instead.
 */
export async function endServerSession(apiBase: string, accessToken: string): Promise<void> {
  await fetch(`${apiBase}/v1/session/sign-out`, {
    method: 'POST',
    headers: { authorization: `Bearer ${accessToken}` },
    keepalive: true,
  });
}
