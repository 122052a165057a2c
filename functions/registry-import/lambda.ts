import { dataAccessFromEnv, importChunk } from '@aftersales/data';
import { ImportChunkMessage, vinPolicyFor } from '@aftersales/domain';
import { logger } from '@aftersales/runtime';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';

/**
 * Imports one chunk of a registry CSV per message. Each record is handled on its own: a failure is
 * reported back (ReportBatchItemFailures) so that only that message is retried, and after
 * `maxReceiveCount` tries it moves to the dead-letter queue. Re-delivery is safe: a chunk that is done
 * is skipped, and rows are matched on natural keys (name+phone, VIN).
 */
const data = dataAccessFromEnv();

export async function processRecord(record: SQSRecord): Promise<void> {
  const msg = ImportChunkMessage.parse(JSON.parse(record.body));
  const store = await data.directory.getOrganisation(msg.storeId);
  if (store?.kind !== 'store') throw new Error(`Import for unknown store ${msg.storeId}`);
  const tenant = data.forTenant({ tenantId: msg.storeId, actor: msg.actor });
  const chunk = await tenant.imports.loadChunk(msg.jobId, msg.chunk);
  if (!chunk || chunk.done) {
    logger.info('chunk already imported or gone; nothing to do', { jobId: msg.jobId, chunk: msg.chunk });
    return;
  }
  const outcome = await importChunk(chunk.rows, chunk.firstRow, {
    customers: tenant.customers,
    vehicles: tenant.vehicles,
    vinPolicy: vinPolicyFor(store.jurisdiction),
    storeId: msg.storeId,
  });
  await tenant.imports.completeChunk(msg.jobId, msg.chunk, outcome, chunk.rows.length);
  logger.info('chunk imported', {
    tenantId: msg.storeId,
    jobId: msg.jobId,
    chunk: msg.chunk,
    ...outcome,
    errors: outcome.errors.length,
  });
}

export const handler = middy(async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    try {
      await processRecord(record);
    } catch (err) {
      logger.error('import chunk failed; it will be retried', { messageId: record.messageId, err });
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
});
