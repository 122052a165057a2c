import { CUSTOMERS_VEHICLES_IMPORTER, dataAccessFromEnv, type Importers, QUEUES } from '@aftersales/data';
import { PARTS_IMPORTER } from '@aftersales/data/parts';
import { LABOUR_OPS_IMPORTER } from '@aftersales/data/setup';
import { type DomainEvent, NotFoundError, type StoredImportJob, vinPolicyFor } from '@aftersales/domain';
import { logger } from '@aftersales/runtime';
import { defineConsumer, payloadOf, RetryLaterError } from '@aftersales/worker';

/**
 * Imports one chunk of an import's rows per `import.chunkStored` event (the router delivers them from
 * the table's stream), with the decoder and applier of the job's kind. Re-delivery is safe: the
 * consumer helper runs an event id once, a chunk that is done is skipped, and rows are matched on
 * natural keys (name+phone and VIN; op code; part number).
 */
const data = dataAccessFromEnv();

/** Every import kind with the applier that writes its rows, each from its owner: a kind left out fails `tsc`. */
const IMPORTERS: Importers = {
  'customers-vehicles': CUSTOMERS_VEHICLES_IMPORTER,
  'labour-ops': LABOUR_OPS_IMPORTER,
  parts: PARTS_IMPORTER,
};

/**
 * The API stores the chunks before the job (a visible job always has all its chunks), so a chunk's
 * event can arrive before its job is written. The API gives up after 15 s: a job that is not there a
 * minute after its chunk was stored never will be (the request failed), and the chunk is left alone.
 */
const ORPHAN_AFTER_MS = 60_000;

export async function importStoredChunk(event: DomainEvent, receiveCount = 1): Promise<void> {
  const { importId, chunk } = payloadOf(event, 'import.chunkStored');
  const store = await data.directory.getOrganisation(event.tenantId);
  if (store?.kind !== 'store') throw new Error(`Import for unknown store ${event.tenantId}`);
  const tenant = data.forTenant({ tenantId: event.tenantId, actor: event.actor });
  const stored = await tenant.imports.loadChunk(importId, chunk);
  if (!stored || stored.done) {
    logger.info('chunk already imported or gone; nothing to do', { importId, chunk });
    return;
  }
  let job: StoredImportJob;
  try {
    job = await tenant.imports.require(importId);
  } catch (e) {
    if (!(e instanceof NotFoundError)) throw e;
    if (Date.now() - Date.parse(event.at) > ORPHAN_AFTER_MS) {
      logger.warn('chunk of an import that was never created; left alone', { importId, chunk });
      return;
    }
    // 5, 10, 20, 40 s: past ORPHAN_AFTER_MS before the queue's maxReceiveCount runs out.
    throw new RetryLaterError(
      'IMPORT_NOT_VISIBLE_YET',
      `Import ${importId} is not stored yet`,
      5 * 2 ** (receiveCount - 1),
    );
  }
  const outcome = await IMPORTERS[job.kind].importChunk(stored.rows, stored.rowNumbers, {
    tenant,
    vinPolicy: vinPolicyFor(store.jurisdiction),
  });
  await tenant.imports.completeChunk(importId, chunk, outcome, stored.rows.length);
  logger.info('chunk imported', {
    importId,
    kind: job.kind,
    chunk,
    ...outcome,
    errors: outcome.errors.length,
  });
}

export const handler = defineConsumer({
  queue: QUEUES.imports,
  handle: (event, { receiveCount }) => importStoredChunk(event, receiveCount),
});
