import { dataAccessFromEnv, importChunk, QUEUES } from '@aftersales/data';
import { type DomainEvent, NotFoundError, vinPolicyFor } from '@aftersales/domain';
import { logger } from '@aftersales/runtime';
import { defineConsumer, payloadOf, RetryLaterError } from '@aftersales/worker';

/**
 * Imports one chunk of a registry CSV per `import.chunkStored` event (the router delivers them from the
 * table's stream). Re-delivery is safe: the consumer helper runs an event id once, a chunk that is done
 * is skipped, and rows are matched on natural keys (name+phone, VIN).
 */
const data = dataAccessFromEnv();

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
  try {
    await tenant.imports.require(importId);
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
  const outcome = await importChunk(stored.rows, stored.rowNumbers, {
    customers: tenant.customers,
    vehicles: tenant.vehicles,
    vinPolicy: vinPolicyFor(store.jurisdiction),
    storeId: event.tenantId,
  });
  await tenant.imports.completeChunk(importId, chunk, outcome, stored.rows.length);
  logger.info('chunk imported', { importId, chunk, ...outcome, errors: outcome.errors.length });
}

export const handler = defineConsumer({
  queue: QUEUES.imports,
  handle: (event, { receiveCount }) => importStoredChunk(event, receiveCount),
});
