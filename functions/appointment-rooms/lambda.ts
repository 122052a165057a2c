import { dataAccessFromEnv, QUEUES } from '@aftersales/data';
import { projectStoreRoom } from '@aftersales/data/appointments';
import { logger } from '@aftersales/runtime';
import { defineConsumer } from '@aftersales/worker';

/**
 * Keeps each group's rooms by day (集团内调剂): on a store's booking, set-up or staff event, that store's
 * free tenths per bay type on the days it changes, recomputed from the store's own records (a read-only
 * session narrowed to the store) and written to the group's partition (a session narrowed to the group).
 * The booking path then reads one group item, never a sister store's tables. Re-delivery is safe: the
 * item is recomputed from the records, not added to.
 */
const data = dataAccessFromEnv();

export const handler = defineConsumer({
  queue: QUEUES.appointmentRooms,
  handle: async (event) => {
    const outcome = await projectStoreRoom(
      {
        directory: data.directory,
        storeData: (storeId) => data.forTenant({ tenantId: storeId, actor: event.actor, readOnly: true }),
        rooms: (groupId) => data.groupRooms(groupId),
        now: () => new Date(),
      },
      event,
    );
    logger.info('store room projected', { eventType: event.type, outcome });
  },
});
