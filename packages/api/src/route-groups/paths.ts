/**
 * Which function serves which paths. The API is one Hono app in code but a Lambda function per group in AWS,
 * each bundling only its own routes: one function's bundle stays small (its cold start is the import of
 * what it carries), and a capability's weight lands in the function that serves it. API Gateway routes
 * each group's store paths to its function and everything else to the office function; the local
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

/** Path segments under `/v1/stores/{storeId}/` that the workshop function serves (车间 · 维修工单 · 索赔). */
export const WORKSHOP_STORE_PATHS = ['repair-orders', 'workshop-board', 'claims', 'lemon-law'] as const;

/** Public path segments under `/public/v1/stores/{storeId}/` the workshop serves (the customer's quote link). */
export const WORKSHOP_PUBLIC_STORE_PATHS = ['approval-links'] as const;

/** The groups with a function of their own, and their store paths; the office serves every other path. */
export const GROUP_STORE_PATHS = {
  warehouse: WAREHOUSE_STORE_PATHS,
  workshop: WORKSHOP_STORE_PATHS,
} as const satisfies Record<string, readonly string[]>;

/** The manufacturer API (厂家): every path under it is the `oem` group's. */
export const OEM_PATH_PREFIX = '/v1/oems/';

export type RouteGroupName = 'office' | 'oem' | keyof typeof GROUP_STORE_PATHS;

/** The group a request path belongs to. */
export function routeGroupOf(path: string): RouteGroupName {
  if (path.startsWith(OEM_PATH_PREFIX)) return 'oem';
  const publicSegment = /^\/public\/v1\/stores\/[^/]+\/([^/]+)/.exec(path)?.[1];
  if (publicSegment && (WORKSHOP_PUBLIC_STORE_PATHS as readonly string[]).includes(publicSegment))
    return 'workshop';
  const segment = /^\/v1\/stores\/[^/]+\/([^/]+)/.exec(path)?.[1] ?? '';
  for (const [group, segments] of Object.entries(GROUP_STORE_PATHS))
    if ((segments as readonly string[]).includes(segment)) return group as RouteGroupName;
  return 'office';
}
