import createClient, { type Client } from 'openapi-fetch';
import type { components, operations, paths } from './generated/openapi.ts';

/**
 * A typed client for the Aftersales Cloud API, built from nothing but /openapi.json: the types in
 * `generated/openapi.ts` are openapi-typescript's output for the live document (a test fails when
 * they are stale), and openapi-fetch turns them into typed calls, bodies and error codes.
 */
export type { components, operations, paths };
export type Schemas = components['schemas'];
export type ApiClient = Client<paths>;

export interface ApiClientOptions {
  /** Where the API is served, e.g. `http://localhost:3000`. */
  baseUrl: string;
  /**
   * The caller's access token, asked for on every request (it may be refreshed in between); none sends
   * no Authorization header (a signed-out browser), so the API answers 401 rather than a bad token.
   */
  accessToken: () => string | null | Promise<string | null>;
  fetch?: typeof globalThis.fetch;
}

export function createApiClient(opts: ApiClientOptions): ApiClient {
  const client = createClient<paths>({ baseUrl: opts.baseUrl, ...(opts.fetch ? { fetch: opts.fetch } : {}) });
  client.use({
    async onRequest({ request }) {
      const token = await opts.accessToken();
      if (token) request.headers.set('authorization', `Bearer ${token}`);
      return request;
    },
  });
  return client;
}
