import { IMPORTS } from '@aftersales/domain';
import { declareFigureCounting, everyItem } from '../platform/figures.ts';

/**
 * The imports' HQ figures from the import list: every import, and the failed rows of finished ones
 * only (a running import's `import.completed` event adds its own).
 */
declareFigureCounting(IMPORTS, async (store) => {
  let imports = 0;
  let importFailedRows = 0;
  for await (const job of everyItem((cursor) =>
    store.imports.queryIndex('newestFirst', [], { limit: 200, cursor }),
  )) {
    imports++;
    if (job.chunksDone >= job.chunks) importFailedRows += job.failed;
  }
  return { imports, importFailedRows };
});
