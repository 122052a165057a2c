import { DataAccess, dueJobs, extendPlatform, type Item, scheduleDue } from '@aftersales/data';
import { PING_DUE, PROBE_KEY_PREFIX, TEST_PROBES } from '@aftersales/functions/test-probe/probes';
import { beforeAll, describe, expect, it } from 'vitest';
import { eventually, stack, useStackEnv } from '../support/api.ts';
import { demo, uniqueSuffix } from '../support/demo.ts';

/**
 * Work due later: a due job written in a change's transaction, found by the sweeper on the tenant's
 * sparse due index once the (injected) clock passes its time, handed to its queue and consumed once
 * by the test probe (built with the consumer helper).
 */
beforeAll(() => {
  useStackEnv();
  // The sweeper runs in this worker too: it must know the probe's due job type and queue.
  extendPlatform(TEST_PROBES);
});

const DAY = 86_400_000;
const actor = { userId: demo.managerAId, name: 'Manager', roles: ['service_manager' as const] };

function tenantTable() {
  return new DataAccess({ tableName: stack.tableName }).forTenant({ tenantId: demo.storeA, actor }).table;
}

/** What the probe recorded for a due job: one item per due time it handled, with its run count. */
async function probed(jobId: string): Promise<Item[]> {
  return (await tenantTable().query({ partition: [PROBE_KEY_PREFIX, jobId] })).items;
}

async function sweeper() {
  return (await import('@aftersales/functions/due-sweeper/lambda')).sweepDue;
}

describe('due work (sparse due index, swept on a schedule)', () => {
  it('hands a job due in two days to its consumer once the clock passes its time, and only once', async () => {
    // Prepare: a follow-up due in two days, written in a transaction as a change would
    const sweepDue = await sweeper();
    const table = tenantTable();
    const jobId = `due_T${uniqueSuffix()}`;
    const now = new Date();
    const dueAt = new Date(now.getTime() + 2 * DAY);
    await table.transact([
      scheduleDue(
        table,
        { tenantId: demo.storeA, actor },
        {
          type: PING_DUE,
          id: jobId,
          dueAt,
          payload: { note: 'call the customer' },
        },
      ),
    ]);

    // Act
    await sweepDue(now);
    await sweepDue(new Date(dueAt.getTime() - 60_000));
    const early = await probed(jobId);
    const later = new Date(dueAt.getTime() + 60_000);
    await sweepDue(later);
    const handled = await eventually(async () => {
      const items = await probed(jobId);
      return items.length > 0 ? items : undefined;
    });
    // Other suites schedule due work in this store too, so the second sweep's count is not ours to
    // assert: what is ours is the job gone from the due index, and the probe still at one run.
    // (The due index is a GSI: read until it shows the job's removal, as DynamoDB may lag.)
    const stillDue = await eventually(async () => {
      const ours = (await dueJobs(table, later, 1_000)).filter((job) => job.jobId === jobId);
      return ours.length === 0 ? ours : undefined;
    });
    await sweepDue(later);
    await new Promise((r) => setTimeout(r, 1_500));
    const after = await probed(jobId);

    // Assess
    expect(early).toEqual([]);
    expect(handled).toHaveLength(1);
    expect(handled[0]).toMatchObject({
      sk: `due#${dueAt.toISOString()}`,
      payload: { note: 'call the customer' },
    });
    expect(stillDue).toEqual([]);
    expect(after).toHaveLength(1);
    expect(after[0]!.runs).toBe(1);
  });

  it('sends a rescheduled job at its new time, not its old one', async () => {
    // Prepare: due in one day, then moved to three days
    const sweepDue = await sweeper();
    const table = tenantTable();
    const ctx = { tenantId: demo.storeA, actor };
    const jobId = `due_T${uniqueSuffix()}`;
    const now = new Date();
    const first = new Date(now.getTime() + DAY);
    const moved = new Date(now.getTime() + 3 * DAY);
    const job = { type: PING_DUE, id: jobId, payload: { note: 'reminder' } };
    await table.transact([scheduleDue(table, ctx, { ...job, dueAt: first })]);
    await table.transact([scheduleDue(table, ctx, { ...job, dueAt: moved })]);

    // Act
    await sweepDue(new Date(first.getTime() + 60_000));
    await new Promise((r) => setTimeout(r, 1_500));
    const atOldTime = await probed(jobId);
    await sweepDue(new Date(moved.getTime() + 60_000));
    const atNewTime = await eventually(async () => {
      const items = await probed(jobId);
      return items.length > 0 ? items : undefined;
    });

    // Assess
    expect(atOldTime).toEqual([]);
    expect(atNewTime.map((i) => i.sk)).toEqual([`due#${moved.toISOString()}`]);
  });
});
