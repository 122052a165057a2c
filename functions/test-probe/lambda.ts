import { dataAccessFromEnv, KEY_PREFIXES, TEST_QUEUES } from '@aftersales/data';
import { defineConsumer } from '@aftersales/worker';

/**
 * Test-only consumer (declared in `TEST_QUEUES`, never deployed): records every event it handles as
 * `<tenant>#PROBE#<aggregate id>` / `<event type>#<event id>` with a count of runs, so the integration
 * tests can see an event arrive and prove it was handled once however often it was delivered.
 */
const data = dataAccessFromEnv();

export const handler = defineConsumer({
  queue: TEST_QUEUES.eventProbe,
  handle: async (event) => {
    const { table } = data.forTenant({ tenantId: event.tenantId, actor: event.actor });
    await table.transact([
      {
        update: {
          pk: table.key(KEY_PREFIXES.eventProbe, event.aggregateId),
          sk: `${event.type}#${event.id}`,
        },
        changes: { set: { eventId: event.id }, add: { runs: 1 } },
      },
    ]);
  },
});
