import { type NewEvent, newEvent } from '../events.ts';
import type { StoredImportJob } from './model.ts';

/** What importing one chunk's rows came to. */
export interface ChunkCounts {
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
}

/**
 * A chunk done: the counts to add to its job, and — when it is the job's last chunk — the
 * `import.completed` event with the job's final counts. `job` is the job as read before the write
 * that adds them (its `chunksDone` is the version that write checks).
 */
export function decideChunkCompletion(
  job: StoredImportJob,
  outcome: ChunkCounts,
  rowCount: number,
): { counts: Record<'processedRows' | 'chunksDone' | keyof ChunkCounts, number>; events: NewEvent[] } {
  const { created, updated, unchanged, failed } = outcome;
  const counts = { processedRows: rowCount, created, updated, unchanged, failed, chunksDone: 1 };
  if (job.chunksDone + 1 < job.chunks) return { counts, events: [] };
  return {
    counts,
    events: [
      newEvent('import.completed', 'import', job.id, {
        importId: job.id,
        totalRows: job.totalRows,
        created: job.created + created,
        updated: job.updated + updated,
        unchanged: job.unchanged + unchanged,
        failed: job.failed + failed,
      }),
    ],
  };
}
