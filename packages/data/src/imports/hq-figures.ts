import { IMPORTS, ImportKindName } from '@aftersales/domain';
import { declareFigureCounting, everyItem } from '../platform/figures.ts';
import { importListParts } from './imports.ts';

/**
 * The imports' HQ figures from the import lists (every kind): every import, and the failed rows of finished ones
 * only (a running import's `import.completed` event adds its own).
 */
declareFigureCounting(IMPORTS, async (store) => {
  let imports = 0;
  let importFailedRows = 0;
  // Every kind counts, as `import.created` does: each kind's jobs are listed from their own partition.
  for (const kind of ImportKindName.options)
    for await (const job of everyItem((cursor) =>
      store.imports.queryIndex('newestFirst', importListParts(kind), { limit: 200, cursor }),
    )) {
      imports++;
      if (job.chunksDone >= job.chunks) importFailedRows += job.failed;
    }
  return { imports, importFailedRows };
});
