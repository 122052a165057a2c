import { dataAccessFromEnv, KEY_PREFIXES, TEST_QUEUES } from '@aftersales/data';
import { defineConsumer } from '@aftersales/worker';

/**
 * Test-only consumer of due jobs (`TEST_QUEUES.dueProbe`): records each job it handles as
 * `<tenant>#PROBE#<job id>` / `due#<due time>` with a count of runs.
 */
const data = dataAccessFromEnv();

export const handler = defineConsumer({
  queue: TEST_QUEUES.dueProbe,
  handle: async (job) => {
    const { table } = data.forTenant({ tenantId: job.tenantId, actor: job.actor });
    await table.transact([
      {
        update: { pk: table.key(KEY_PREFIXES.eventProbe, job.jobId), sk: `due#${job.dueAt}` },
        changes: { set: { payload: job.payload }, add: { runs: 1 } },
      },
    ]);
  },
});
