import { dataAccessFromEnv, QUEUES } from '@aftersales/data';
import { LemonRecords } from '@aftersales/data/lemon-law';
import { logger } from '@aftersales/runtime';
import { defineConsumer } from '@aftersales/worker';

/**
 * 三包计数: each delivered order's warranty visit folded into its vehicle's counters and the vehicle
 * weighed again, so the counters follow the orders' events and no screen reads a car's history. A
 * consumer rather than the delivery's own transaction: the weighing reads the vehicle and the store, and
 * a race between two deliveries of one car is retried here. Re-delivery is safe: a visit already
 * counted writes nothing.
 */
const data = dataAccessFromEnv();

export const handler = defineConsumer({
  queue: QUEUES.lemonLaw,
  handle: async (event) => {
    const { repairOrderId } = event.data as { repairOrderId?: unknown };
    if (event.type !== 'repairOrder.delivered' || typeof repairOrderId !== 'string') return;
    const store = await data.directory.getOrganisation(event.tenantId);
    if (store?.kind !== 'store') throw new Error(`No store ${event.tenantId} in the directory.`);
    const tenant = data.forTenant({ tenantId: event.tenantId, actor: event.actor });
    const record = await tenant.repo(LemonRecords).recordDelivery(tenant, store, repairOrderId);
    logger.info('三包 counters', { repairOrderId, level: record?.level ?? 'unchanged' });
  },
});
