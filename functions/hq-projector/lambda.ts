import { DataAccess, HqFiguresProjector } from '@aftersales/data';
import { parseEvent } from '@aftersales/domain';
import { logger, optionalEnv, requireEnv } from '@aftersales/runtime';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';

/**
 * Projects store events into their group's HQ figures. Its DynamoDB sessions come from the group
 * projection role (`GROUP_PROJECTION_ROLE_ARN`, which reaches `grp_*#*` keys only), each narrowed to the
 * one target group: never a store's data, never "all tenants". Directory reads use its own role.
 */
const data = new DataAccess({
  tableName: requireEnv('TABLE_NAME'),
  tenantAccessRoleArn: optionalEnv('GROUP_PROJECTION_ROLE_ARN'),
});
const projector = new HqFiguresProjector(data.directory, (groupId) => data.groupFigures(groupId));

/** One SQS message per event (its body the event envelope); a failure is reported for that record alone. */
export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    try {
      const domainEvent = parseEvent(JSON.parse(record.body));
      const outcome = await projector.project(domainEvent);
      logger.info('event projected', { tenantId: domainEvent.tenantId, eventId: domainEvent.id, outcome });
    } catch (err) {
      logger.error('event not projected; it will be retried', { messageId: record.messageId, err });
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
}
