import { DataAccess, HqFiguresProjector, QUEUES } from '@aftersales/data';
import { logger, optionalEnv, requireEnv } from '@aftersales/runtime';
import { defineConsumer } from '@aftersales/worker';

/**
 * Projects store events into their group's HQ figures (the `HqFigures` queue, fed by the event router
 * with the event types the `HQ_FIGURES` projection handles). Its DynamoDB sessions come from the group projection
 * role (`GROUP_PROJECTION_ROLE_ARN`, which reaches `grp_*#*` keys only), each narrowed to the one
 * target group: never a store's data, never "all tenants". Directory reads use its own role.
 */
const data = new DataAccess({
  tableName: requireEnv('TABLE_NAME'),
  tenantAccessRoleArn: optionalEnv('GROUP_PROJECTION_ROLE_ARN'),
});
const projector = new HqFiguresProjector(data.directory, (groupId) => data.groupFigures(groupId));

export const handler = defineConsumer({
  queue: QUEUES.hqFigures,
  handle: async (event) => {
    const outcome = await projector.project(event);
    logger.info('event projected', { eventType: event.type, outcome });
  },
});
