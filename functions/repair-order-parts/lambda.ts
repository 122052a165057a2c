import { dataAccessFromEnv, QUEUES } from '@aftersales/data';
import { holdRepairOrderParts } from '@aftersales/data/repair-orders';
import { logger } from '@aftersales/runtime';
import { defineConsumer } from '@aftersales/worker';

/**
 * 工单备件: parts held for an order's approved work, and given back when it is delivered or cancelled.
 * A consumer rather than the approval's own transaction: the customer's word is one versioned write of
 * the order (two advisors at once give one approval; the remote link answers at once), whatever the
 * shelf holds; each part's hold is a ledger transaction that may meet contention and is retried here, by
 * the queue; short stock becomes a need to order, never a refused approval. Re-delivery is safe: only
 * what the approved work still lacks is held, and only what is still held is released.
 */
const data = dataAccessFromEnv();

export const handler = defineConsumer({
  queue: QUEUES.repairOrderParts,
  handle: async (event) => {
    const moved = await holdRepairOrderParts(
      data.forTenant({ tenantId: event.tenantId, actor: event.actor }),
      event,
    );
    logger.info('repair order parts held or released', { eventType: event.type, moved });
  },
});
