import { dataAccessFromEnv, enqueue, IMPORT_WATCH } from '@aftersales/data';
import { NotFoundError } from '@aftersales/domain';
import { logger } from '@aftersales/runtime';
import middy from '@middy/core';
import type { ScheduledEvent } from 'aws-lambda';

/**
 * Every few minutes (EventBridge in AWS, the local clock in development): finds imports that have
 * made no progress for `STALL_MINUTES` and re-enqueues their unfinished chunks. Chunks are idempotent,
 * so a re-enqueued chunk that was merely slow does no harm. After `MAX_REQUEUES` attempts the job is
 * left for people (its chunks are in the dead-letter queue, which alarms).
 */
export const STALL_MINUTES = 10;
const MAX_REQUEUES = 3;

const data = dataAccessFromEnv();

export async function resumeStalledImports(now = new Date()): Promise<{ resumed: number; finished: number }> {
  const cutoff = new Date(now.getTime() - STALL_MINUTES * 60_000).toISOString();
  let resumed = 0;
  let finished = 0;
  for (const w of await data.watch.due(IMPORT_WATCH, cutoff)) {
    const tenant = data.forTenant({
      tenantId: w.tenantId,
      actor: { userId: 'system', name: 'Import watchdog', roles: [] },
    });
    try {
      const job = await tenant.imports.get(w.jobId);
      if (job.status.startsWith('completed')) {
        await data.watch.unwatch(IMPORT_WATCH, w.sk);
        finished++;
        continue;
      }
      if (job.updatedAt > cutoff) continue; // still moving
      if (w.requeues >= MAX_REQUEUES) {
        logger.error('import stalled after re-enqueueing; needs attention', {
          tenantId: w.tenantId,
          jobId: w.jobId,
        });
        await data.watch.unwatch(IMPORT_WATCH, w.sk);
        continue;
      }
      const messages = await tenant.imports.pendingChunkMessages(w.jobId);
      await enqueue('registryImport', messages);
      await data.watch.requeued(IMPORT_WATCH, w.sk);
      logger.warn('re-enqueued a stalled import', {
        tenantId: w.tenantId,
        jobId: w.jobId,
        chunks: messages.length,
      });
      resumed++;
    } catch (e) {
      // The API failed before the job was stored: nothing to resume.
      if (e instanceof NotFoundError) await data.watch.unwatch(IMPORT_WATCH, w.sk);
      else throw e;
    }
  }
  return { resumed, finished };
}

export const handler = middy(async (_event: ScheduledEvent) => resumeStalledImports());
