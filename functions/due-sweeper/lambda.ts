import {
  type DueMessage,
  dataAccessFromEnv,
  dueHandedOn,
  dueJobs,
  dueJobType,
  type QueueDefinition,
  queueUrlEnv,
  sendBatch,
} from '@aftersales/data';
import { logger, requireEnv } from '@aftersales/runtime';
import type { ScheduledEvent } from 'aws-lambda';

/**
 * Every minute (EventBridge in AWS, the local clock in development): for each store and OEM, one Query of its
 * sparse due index up to `now`, the due jobs sent to the queues their types declare, then removed
 * (see `scheduleDue` in @aftersales/data). `now` is the schedule's own time, so a test (or a replay)
 * controls the clock.
 */
const data = dataAccessFromEnv();
const SWEEPER = { userId: 'system', name: 'Due sweeper', roles: [] };
const PAGE = 100;

/** Stores, then OEMs (their webhook deliveries' next attempts): every tenant that schedules due work. */
async function* tenantsWithDueWork(): AsyncGenerator<string> {
  yield* data.directory.organisationIds('store');
  yield* data.directory.organisationIds('oem');
}

export async function sweepDue(now: Date): Promise<{ stores: number; sent: number }> {
  let stores = 0;
  let sent = 0;
  for await (const tenantId of tenantsWithDueWork()) {
    stores++;
    sent += await sweepTenant(tenantId, now);
  }
  if (sent > 0) logger.info('due jobs handed on', { stores, sent });
  return { stores, sent };
}

/** One tenant's due jobs up to `now`, handed to their queues and removed: how many. */
export async function sweepTenant(tenantId: string, now: Date): Promise<number> {
  const { table } = data.forTenant({ tenantId, actor: SWEEPER });
  let sent = 0;
  let due: DueMessage[];
  do {
    due = await dueJobs(table, now, PAGE);
    const byQueue = new Map<QueueDefinition, DueMessage[]>();
    for (const job of due) {
      // The job's type names its queue's declaration (an undeclared type throws: nowhere to send it).
      const { queue } = dueJobType(job.type);
      byQueue.set(queue, [...(byQueue.get(queue) ?? []), job]);
    }
    for (const [queue, jobs] of byQueue) await sendBatch(requireEnv(queueUrlEnv(queue)), jobs);
    // Sent before removed: a sweep that dies in between sends again, and consumers are idempotent.
    for (const job of due) await dueHandedOn(table, job);
    sent += due.length;
  } while (due.length === PAGE);
  return sent;
}

export const handler = (event: ScheduledEvent) => sweepDue(new Date(event.time));
