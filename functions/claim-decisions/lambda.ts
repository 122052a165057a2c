import { dataAccessFromEnv, QUEUES } from '@aftersales/data';
import { applyOemClaimAction } from '@aftersales/data/claims';
import { logger } from '@aftersales/runtime';
import { defineConsumer } from '@aftersales/worker';

/**
 * 厂家审核: what an OEM did to a claim, applied to the store's claim (and, when the store's claim refuses
 * it, taken off the OEM's copy). Sessions through the tenant access role, narrowed to the store, then to
 * the OEM; re-delivery is safe (the action's id is the claim's idempotency key).
 */
const data = dataAccessFromEnv();

export const handler = defineConsumer({
  queue: QUEUES.claimDecisions,
  handle: async (event) => {
    const outcome = await applyOemClaimAction(data, event);
    logger.info('OEM action applied to the claim', { eventType: event.type, outcome });
  },
});
