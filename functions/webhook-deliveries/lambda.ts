import { dataAccessFromEnv, QUEUES } from '@aftersales/data';
import {
  fetchPost,
  sendAttempts,
  WEBHOOK_DELIVERY_DUE,
  WEBHOOK_SENDER,
  WebhookDeliveries,
  WebhookDeliveryCopies,
} from '@aftersales/data/webhooks';
import { logger } from '@aftersales/runtime';
import { defineConsumer } from '@aftersales/worker';

/**
 * 推送: the WebhookDeliveries queue's consumer. Each message is one attempt of one delivery, in the OEM's
 * partition (`tenantId`): made only if it is the attempt due (so a repeated or stale message does
 * nothing), signed, posted, recorded; a retry within 15 minutes goes back on the queue with its delay,
 * a longer one waits as a due job (written with the attempt). A delivery about a store's record keeps
 * its copy in that store's partition, through a session of the store.
 */
const data = dataAccessFromEnv();

export const handler = defineConsumer({
  queue: QUEUES.webhookDeliveries,
  handle: async (job) => {
    const { deliveryId, attempt } = WEBHOOK_DELIVERY_DUE.payload.parse(job.payload);
    const oem = data.forTenant({ tenantId: job.tenantId, actor: WEBHOOK_SENDER });
    const result = await oem.repo(WebhookDeliveries).attempt(deliveryId, attempt, fetchPost, Math.random());
    const { delivery } = result;
    if (result.attempted)
      logger.info('webhook attempt', {
        deliveryId,
        attempt,
        status: delivery.status,
        statusCode: delivery.attempts.at(-1)?.statusCode,
      });
    // Kept even when nothing was attempted: a copy a failed earlier run left behind catches up.
    if (delivery.subject)
      await data
        .forTenant({ tenantId: delivery.subject.storeId, actor: WEBHOOK_SENDER })
        .repo(WebhookDeliveryCopies)
        .keep(delivery);
    if (result.sendNext) {
      const { attempt: next, delaySeconds } = result.sendNext;
      // Lost, the due job written with the attempt makes it a few minutes later.
      await sendAttempts(
        [{ tenantId: job.tenantId, deliveryId, attempt: next, delaySeconds, at: delivery.updatedAt }],
        WEBHOOK_SENDER,
      ).catch((e: unknown) =>
        logger.warn('webhook retry left to its due job', { deliveryId, error: String(e) }),
      );
    }
  },
});
