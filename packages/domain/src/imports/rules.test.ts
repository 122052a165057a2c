import { describe, expect, it } from 'vitest';
import type { StoredImportJob } from './model.ts';
import { decideChunkCompletion } from './rules.ts';

const job: StoredImportJob = {
  id: 'imp_1',
  storeId: 'st_TEST01',
  fileName: 'old-system.csv',
  totalRows: 250,
  processedRows: 200,
  created: 150,
  updated: 20,
  unchanged: 25,
  failed: 5,
  chunks: 3,
  chunksDone: 2,
  createdAt: '2026-11-23T08:00:00.000Z',
  updatedAt: '2026-11-23T08:01:00.000Z',
  createdBy: 'u',
  unknownHeaders: [],
  kind: 'customers-vehicles',
};
const outcome = { created: 40, updated: 5, unchanged: 3, failed: 2 };

describe('a chunk done', () => {
  it('adds its counts, and completes the import with the final totals when it is the last chunk', () => {
    // Act
    const d = decideChunkCompletion(job, outcome, 50);
    // Assess
    expect(d.counts).toEqual({
      processedRows: 50,
      created: 40,
      updated: 5,
      unchanged: 3,
      failed: 2,
      chunksDone: 1,
    });
    expect(d.events).toEqual([
      expect.objectContaining({
        type: 'import.completed',
        aggregateId: 'imp_1',
        data: { importId: 'imp_1', totalRows: 250, created: 190, updated: 25, unchanged: 28, failed: 7 },
      }),
    ]);
  });

  it('announces nothing while other chunks are still to come', () => {
    expect(decideChunkCompletion({ ...job, chunksDone: 1 }, outcome, 100).events).toEqual([]);
  });
});
