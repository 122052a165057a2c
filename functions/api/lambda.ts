import { appFromEnv } from '@aftersales/api';
import { dataAccessFromEnv } from '@aftersales/data';
import { handle } from 'hono/aws-lambda';

/** API Gateway (HTTP API) → the Hono app. Configuration is read once, at cold start. */
export const app = appFromEnv(dataAccessFromEnv());
export const handler = handle(app);
