import { Actor, Instant, newId, RequiredText } from '@aftersales/domain';
import * as z from 'zod';
import type { Item, TenantContext, TenantTable, TxOp } from './tenant-table.ts';

/**
 * Work due later (a follow-up call in two days, a maintenance reminder in six months): one pattern.
 *
 * A due job is an item written in the transaction of the change that causes it (`scheduleDue`), so the
 * change and its future work exist together or not at all. Its tenant's sparse due index (gsi2
 * `<tenant>#DUE` / `<dueAt>#<type>#<id>`, tenant-leading like every key) lists it in time order; the
 * due sweeper (a scheduled function, the local clock in development) Queries each tenant's index up to
 * now, sends what is due to the queue its type declares and then deletes it. Consumers are built with
 * the one consumer helper and are idempotent on the message id (type, job id and due time), so a sweep
 * that dies between sending and deleting only sends again.
 *
 * Chosen over EventBridge Scheduler one-off schedules: the due item is part of the change's own
 * transaction (a schedule is a second API call that can be lost or left behind), rescheduling and
 * cancelling are item writes, it costs nothing at rest beyond storage, and it runs unchanged on
 * DynamoDB Local with a clock the tests control. The price is latency up to the sweep interval.
 */
export const DUE_INDEX = 'gsi2' as const;
const DUE_PREFIX = 'DUE';

/** Due job types with their payload schemas and the queue (`QUEUES` / `TEST_QUEUES` key) they go to. */
export const DUE_JOBS = {
  /** Test-only: exercises the mechanism; delivered to the test probe's due queue. */
  'test.ping': { payload: z.object({ note: z.string() }), queue: 'dueProbe' },
} as const satisfies Record<string, { payload: z.ZodType; queue: string }>;

export type DueJobType = keyof typeof DUE_JOBS;
export type DuePayload<T extends DueJobType> = z.infer<(typeof DUE_JOBS)[T]['payload']>;

/** What a due job's queue carries; `id` (the business id) is unique per job and due time. */
export const DueMessage = z.object({
  id: RequiredText,
  tenantId: RequiredText,
  type: z.enum(Object.keys(DUE_JOBS) as [DueJobType, ...DueJobType[]]),
  jobId: RequiredText,
  dueAt: Instant,
  actor: Actor,
  payload: z.record(z.string(), z.unknown()),
});
export type DueMessage = z.infer<typeof DueMessage>;

export interface DueJob<T extends DueJobType = DueJobType> {
  type: T;
  /** Stable per piece of work (e.g. the repair order it follows up): scheduling again moves it. */
  id?: string;
  dueAt: Date;
  payload: DuePayload<T>;
}

function dueKey(table: TenantTable, type: string, id: string) {
  return { pk: table.key(DUE_PREFIX, type, id), sk: '#DUE' };
}

/** The TxOp that schedules (or moves) a due job, for the transaction of the change that causes it. */
export function scheduleDue<T extends DueJobType>(
  table: TenantTable,
  ctx: TenantContext,
  job: DueJob<T>,
): TxOp {
  const id = job.id ?? newId('due');
  const dueAt = job.dueAt.toISOString();
  const item: Item = {
    ...dueKey(table, job.type, id),
    type: 'DueJob',
    gsi2pk: table.key(DUE_PREFIX),
    gsi2sk: `${dueAt}#${job.type}#${id}`,
    jobType: job.type,
    jobId: id,
    dueAt,
    payload: DUE_JOBS[job.type].payload.parse(job.payload),
    actor: ctx.actor,
  };
  return { put: item };
}

/** The TxOp that cancels a due job (nothing happens if it already ran). */
export function cancelDue(table: TenantTable, type: DueJobType, id: string): TxOp {
  return { delete: dueKey(table, type, id) };
}

/** One tenant's due jobs up to `now`, oldest first (one Query on its sparse due index). */
export async function dueJobs(table: TenantTable, now: Date, limit = 100): Promise<DueMessage[]> {
  const out = await table.query({
    index: DUE_INDEX,
    partition: [DUE_PREFIX],
    // `~` sorts after every `#<type>#<id>` suffix: everything due at or before now.
    sk: { lessThan: `${now.toISOString()}~` },
    limit,
  });
  return out.items.map((i) =>
    DueMessage.parse({
      id: `${i.jobType}#${i.jobId}#${i.dueAt}`,
      tenantId: table.tenantId,
      type: i.jobType,
      jobId: i.jobId,
      dueAt: i.dueAt,
      actor: i.actor,
      payload: i.payload,
    }),
  );
}

/**
 * Removes a job once it was handed on, unless it was moved meanwhile (its due time changed): a
 * rescheduled job stays for its new time.
 */
export async function dueHandedOn(table: TenantTable, job: DueMessage): Promise<void> {
  try {
    await table.transact([
      {
        delete: dueKey(table, job.type, job.jobId),
        condition: 'dueAt = :at',
        values: { ':at': job.dueAt },
        onConditionFailed: () => new DueJobMoved(),
      },
    ]);
  } catch (e) {
    if (!(e instanceof DueJobMoved)) throw e;
  }
}

class DueJobMoved extends Error {}
