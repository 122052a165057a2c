import { appFromEnv } from '@aftersales/api';
import { WORKSHOP } from '@aftersales/api/route-groups/workshop';
import { dataAccessFromEnv } from '@aftersales/data';
import { handle } from 'hono/aws-lambda';

/**
 * API Gateway (HTTP API) → the Hono app with the workshop's routes (车间: repair orders;
 * `WORKSHOP_STORE_PATHS`). /openapi.json is the office function's.
 */
export const app = appFromEnv([WORKSHOP], dataAccessFromEnv(), () =>
  Promise.reject(new Error('/openapi.json is served by the office function')),
);
export const handler = handle(app);
