import { dataAccessFromEnv, QUEUES } from '@aftersales/data';
import { IdleStock, STOCK_IDLE_DUE } from '@aftersales/data/parts';
import { logger } from '@aftersales/runtime';
import { defineConsumer } from '@aftersales/worker';

/**
 * 呆滞检查: the StockIdle queue's consumer. Each message is one part's idle check, handed on by the due
 * sweeper a year after the movement that scheduled it; the check is judged at the job's own time and
 * is safe to run twice (its writes are conditioned on the book as it read it).
 */
const data = dataAccessFromEnv();

export const handler = defineConsumer({
  queue: QUEUES.stockIdle,
  handle: async (job) => {
    const { partId } = STOCK_IDLE_DUE.payload.parse(job.payload);
    const now = new Date(Math.max(Date.now(), Date.parse(job.dueAt)));
    const verdict = await data
      .forTenant({ tenantId: job.tenantId, actor: job.actor })
      .repo(IdleStock)
      .check(partId, now);
    logger.info('idle check', { partId, verdict });
  },
});
