import { appFromEnv } from '@aftersales/api';
import { OEM } from '@aftersales/api/route-groups/oem';
import { dataAccessFromEnv } from '@aftersales/data';
import { handle } from 'hono/aws-lambda';

/**
 * API Gateway (HTTP API) → the Hono app with the manufacturer API's routes (厂家: `/v1/oems/{oemId}/…`,
 * `OEM_PATH_PREFIX`). /openapi.json is the office function's.
 */
export const app = appFromEnv([OEM], dataAccessFromEnv(), () =>
  Promise.reject(new Error('/openapi.json is served by the office function')),
);
export const handler = handle(app);
