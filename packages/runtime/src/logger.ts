import { Logger } from '@aws-lambda-powertools/logger';

export type { Logger };

/**
 * One structured JSON logger for every function. Per-request keys (tenant, user) go on a child made for
 * that request, never on this one: concurrent requests (the local server, Lambda's future concurrency)
 * would otherwise log under each other's tenant.
 */
export const logger = new Logger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'aftersales',
  logLevel: (process.env.LOG_LEVEL as 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT' | undefined) ?? 'INFO',
});
