import { appFromEnv } from '@aftersales/api';
import { WAREHOUSE } from '@aftersales/api/route-groups/warehouse';
import { dataAccessFromEnv } from '@aftersales/data';
import { handle } from 'hono/aws-lambda';

/**
 * API Gateway (HTTP API) → the Hono app with the warehouse's routes (配件 · 仓库: parts, stock,
 * purchasing, stocktakes, write-offs; `WAREHOUSE_STORE_PATHS`). /openapi.json is the office function's.
 */
export const app = appFromEnv([WAREHOUSE], dataAccessFromEnv(), () =>
  Promise.reject(new Error('/openapi.json is served by the office function')),
);
export const handler = handle(app);
