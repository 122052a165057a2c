import { readFile } from 'node:fs/promises';
import { appFromEnv } from '@aftersales/api';
import { OFFICE } from '@aftersales/api/route-groups/office';
import { dataAccessFromEnv } from '@aftersales/data';
import { handle } from 'hono/aws-lambda';

/**
 * /openapi.json, written next to the bundle when it is built (infra/lib/bundling.ts): the function
 * serves the document without carrying its generator. Read on the first request for it.
 */
const OPENAPI_JSON = new URL('./openapi.json', import.meta.url);

/**
 * API Gateway (HTTP API) → the Hono app with the office's routes (every path but the warehouse's, which
 * functions/api-warehouse serves). Configuration is read once, at cold start.
 */
export const app = appFromEnv([OFFICE], dataAccessFromEnv(), () => readFile(OPENAPI_JSON, 'utf8'));
export const handler = handle(app);
