import { dataAccessFromEnv, QUEUES } from '@aftersales/data';
import { reconcileBookingTexts } from '@aftersales/data/appointments';
import { logger } from '@aftersales/runtime';
import { defineConsumer } from '@aftersales/worker';

/**
 * A booking's texts to its customer (预约短信): on each of its events, the confirmation and the reminders
 * one day and one hour before are queued in the outbox, and those of a slot it left or of a booking
 * that ended are cancelled. The outbox's sender then checks consent and quiet hours. Re-delivery is
 * safe: every text has its key.
 */
const data = dataAccessFromEnv();

export const handler = defineConsumer({
  queue: QUEUES.appointmentTexts,
  handle: async (event) => {
    const store = await data.directory.getOrganisation(event.tenantId);
    if (store?.kind !== 'store') return;
    const outcome = await reconcileBookingTexts(
      data.forTenant({ tenantId: store.id, actor: event.actor }),
      event,
      { name: store.name, timeZone: store.timeZone },
    );
    logger.info('booking texts reconciled', { eventType: event.type, ...outcome });
  },
});
