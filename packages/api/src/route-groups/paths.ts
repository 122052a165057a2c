/**
 * Which function serves which paths. The API is one Hono app in code but two Lambda functions in AWS,
 * each bundling only its own routes: one function's bundle stays small (its cold start is the import of
 * what it carries), and a capability's weight lands in the function that serves it. API Gateway routes
 * these store paths to the warehouse function and everything else to the office function; the local
 * server and the tests serve both groups in one app.
 *
 * Kept free of route code: the CDK app reads it to declare the routes.
 */

/** Path segments under `/v1/stores/{storeId}/` that the warehouse function serves (配件 · 仓库). */
export const WAREHOUSE_STORE_PATHS = [
  'parts',
  'part-imports',
  'stock',
  'purchasing',
  'stocktakes',
  'write-offs',
] as const;

export type RouteGroupName = 'office' | 'warehouse';

/** The group a request path belongs to. */
export function routeGroupOf(path: string): RouteGroupName {
  const match = /^\/v1\/stores\/[^/]+\/([^/]+)/.exec(path);
  return match && (WAREHOUSE_STORE_PATHS as readonly string[]).includes(match[1] ?? '')
    ? 'warehouse'
    : 'office';
}
