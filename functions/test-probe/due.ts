import { dataAccessFromEnv } from '@aftersales/data';
import { defineConsumer } from '@aftersales/worker';
import { DUE_PROBE_QUEUE, PROBE_KEY_PREFIX } from './probes.ts';

/**
 * Test-only consumer of due jobs (`DUE_PROBE_QUEUE`): records each job it handles as
 * `<tenant>#PROBE#<job id>` / `due#<due time>` with a count of runs.
 */
const data = dataAccessFromEnv();

export const handler = defineConsumer({
  queue: DUE_PROBE_QUEUE,
  handle: async (job) => {
    const { table } = data.forTenant({ tenantId: job.tenantId, actor: job.actor });
    await table.transact([
      {
        update: { pk: table.key(PROBE_KEY_PREFIX, job.jobId), sk: `due#${job.dueAt}` },
        changes: { set: { payload: job.payload }, add: { runs: 1 } },
      },
    ]);
  },
});
