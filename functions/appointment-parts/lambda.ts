import { dataAccessFromEnv, QUEUES } from '@aftersales/data';
import { releaseEndedBooking } from '@aftersales/data/parts';
import { logger } from '@aftersales/runtime';
import { defineConsumer } from '@aftersales/worker';

/**
 * 预约备件释放: a booking cancelled or missed gives its reserved parts back to the shelf. A consumer rather
 * than the transition route: the booking's status changes in one transaction of its own, whatever its
 * parts; each release is a ledger transaction that may meet contention and is retried here, by the
 * queue, without failing the advisor's click; and every way a booking ends (the desk, later sweeps)
 * releases through the one event. Re-delivery is safe: only what is still held is released.
 */
const data = dataAccessFromEnv();

export const handler = defineConsumer({
  queue: QUEUES.appointmentParts,
  handle: async (event) => {
    const released = await releaseEndedBooking(
      data.forTenant({ tenantId: event.tenantId, actor: event.actor }),
      event,
    );
    logger.info('booking parts released', { eventType: event.type, released });
  },
});
