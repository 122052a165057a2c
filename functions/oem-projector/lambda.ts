import { DataAccess, QUEUES } from '@aftersales/data';
import { OEM_PROJECTION_ACTOR, OemClaims, OemClaimsProjector } from '@aftersales/data/claims';
import { logger, optionalEnv, requireEnv } from '@aftersales/runtime';
import { defineConsumer } from '@aftersales/worker';

/**
 * Projects a store's claim changes into the OEM's partition and announces them to the OEM's webhook
 * endpoints (the `OemClaims` queue, fed by the event router with `claim.changed`). Its DynamoDB sessions
 * come from the OEM projection role (`OEM_PROJECTION_ROLE_ARN`, which reaches `oem_*#*` keys only), each
 * narrowed to the one OEM the claim is filed with: never a store's data, never another OEM's. Directory
 * reads use its own role.
 */
const data = new DataAccess({
  tableName: requireEnv('TABLE_NAME'),
  tenantAccessRoleArn: optionalEnv('OEM_PROJECTION_ROLE_ARN'),
});
// Each OEM's session comes from the projection role (above), narrowed to that OEM's keys.
const projector = new OemClaimsProjector(data.directory, (oemId) =>
  data.forTenant({ tenantId: oemId, actor: OEM_PROJECTION_ACTOR }).repo(OemClaims),
);

export const handler = defineConsumer({
  queue: QUEUES.oemClaims,
  handle: async (event) => {
    const outcome = await projector.project(event);
    logger.info('claim projected to its OEM', { eventType: event.type, outcome });
  },
});
