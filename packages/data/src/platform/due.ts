import { newId } from '@aftersales/domain';
import type * as z from 'zod';
import { MESSAGE_DUE } from '../messages/due.ts';
import { STOCK_IDLE_DUE } from '../parts/idle-due.ts';
import { WEBHOOK_DELIVERY_DUE } from '../webhooks/due.ts';
import { KEY_PREFIXES } from './keys.ts';
import { DueMessage, type QueueDefinition, type RoutedOrDue } from './table.ts';
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
const DUE_PREFIX = KEY_PREFIXES.due;

/**
 * A type of due job: its name (stored on each job and carried by its message), its payload schema and
 * the queue it goes to. The queue is its declaration itself (`QUEUES.x`), whose consumer takes
 * `DueMessage`s: a queue that is not declared, or one that takes other messages, fails `tsc`.
 */
export interface DueJobType<N extends string = string, P extends z.ZodType = z.ZodType> {
  name: N;
  payload: P;
  /** A queue of due jobs only, or one also fed by the router (its message exactly `RoutedOrDue`). */
  queue: QueueDefinition<DueMessage> | (QueueDefinition<RoutedOrDue> & { message: typeof RoutedOrDue });
}

export function defineDueJobType<const N extends string, P extends z.ZodType>(
  type: DueJobType<N, P>,
): DueJobType<N, P> {
  return type;
}

/**
 * The product's due job types, each made with `defineDueJobType`: the sweeper hands a job to the queue
 * its type names.
 */
export const DUE_JOB_TYPES: readonly DueJobType[] = [MESSAGE_DUE, STOCK_IDLE_DUE, WEBHOOK_DELIVERY_DUE];

const declaredTypes = new Map<string, DueJobType>();

/**
 * Adds due job types beside `DUE_JOB_TYPES` in this process (the integration tests' local stack adds
 * its own this way; nothing deployed knows them). Refuses a name a type of another queue holds.
 */
export function declareDueJobTypes(types: readonly DueJobType[]): void {
  for (const type of types) {
    const holder = declaredTypes.get(type.name);
    if (holder && holder.queue.id !== type.queue.id)
      throw new Error(`due job type ${type.name} is already declared for queue ${holder.queue.id}`);
    declaredTypes.set(type.name, type);
  }
}
declareDueJobTypes(DUE_JOB_TYPES);

/** The declared type of a job by its name; an undeclared one has nowhere to go. */
export function dueJobType(name: string): DueJobType {
  const type = declaredTypes.get(name);
  if (!type) throw new Error(`due job type ${name} is not declared (DUE_JOB_TYPES)`);
  return type;
}

export interface DueJob<T extends DueJobType> {
  type: T;
  /** Stable per piece of work (e.g. the repair order it follows up): scheduling again moves it. */
  id?: string;
  dueAt: Date;
  payload: z.input<T['payload']>;
}

function dueKey(table: TenantTable, type: string, id: string) {
  return { pk: table.key(DUE_PREFIX, type, id), sk: '#DUE' };
}

/**
 * The TxOp that schedules (or moves) a due job, for the transaction of the change that causes it. Its
 * type must be declared where the sweeper looks (`DUE_JOB_TYPES`): a job nobody could hand on is
 * refused here, with the change, rather than left in the due index.
 */
export function scheduleDue<T extends DueJobType>(
  table: TenantTable,
  ctx: Pick<TenantContext, 'tenantId' | 'actor'>,
  job: DueJob<T>,
): TxOp {
  if (dueJobType(job.type.name).queue.id !== job.type.queue.id)
    throw new Error(`due job type ${job.type.name} is declared for another queue`);
  const id = job.id ?? newId('due');
  const dueAt = job.dueAt.toISOString();
  const item: Item = {
    ...dueKey(table, job.type.name, id),
    type: 'DueJob',
    gsi2pk: table.key(DUE_PREFIX),
    gsi2sk: `${dueAt}#${job.type.name}#${id}`,
    jobType: job.type.name,
    jobId: id,
    dueAt,
    payload: job.type.payload.parse(job.payload),
    actor: ctx.actor,
  };
  return { put: item };
}

/** The TxOp that cancels a due job (nothing happens if it already ran). */
export function cancelDue(table: TenantTable, type: DueJobType, id: string): TxOp {
  return { delete: dueKey(table, type.name, id) };
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
