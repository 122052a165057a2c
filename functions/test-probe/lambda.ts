import { dataAccessFromEnv } from '@aftersales/data';
import { defineConsumer } from '@aftersales/worker';
import { EVENT_PROBE_QUEUE, PROBE_KEY_PREFIX } from './probes.ts';

/**
 * Test-only consumer (declared in probes.ts, never deployed): records every event it handles as
 * `<tenant>#PROBE#<aggregate id>` / `<event type>#<event id>` with a count of runs, so the integration
 * tests can see an event arrive and prove it was handled once however often it was delivered.
 */
const data = dataAccessFromEnv();

export const handler = defineConsumer({
  queue: EVENT_PROBE_QUEUE,
  handle: async (event) => {
    const { table } = data.forTenant({ tenantId: event.tenantId, actor: event.actor });
    await table.transact([
      {
        update: {
          pk: table.key(PROBE_KEY_PREFIX, event.aggregateId),
          sk: `${event.type}#${event.id}`,
        },
        changes: { set: { eventId: event.id }, add: { runs: 1 } },
      },
    ]);
  },
});
