import { createHash } from 'node:crypto';
import {
  AppError,
  type FieldError,
  IMPORT_CHUNK_ROWS,
  type ImportChunkMessage,
  type ImportJob,
  type ImportRowError,
  NotFoundError,
  nameSearchKey,
  newId,
  parseImportRow,
  type RawImportRow,
  type VinPolicy,
  validateVehicle,
} from '@aftersales/domain';
import { auditOp } from './audit.ts';
import type { Customers } from './customers.ts';
import {
  type Item,
  type Page,
  type PageRequest,
  stripKeys,
  type TenantContext,
  type TenantTable,
  type TxOp,
} from './tenant-table.ts';
import type { Vehicles } from './vehicles.ts';

type StoredJob = Omit<ImportJob, 'status'>;

export interface ChunkOutcome {
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
  errors: ImportRowError[];
}

/**
 * Keys:
 * - job    pk `<t>#IMPORT#<id>` sk `#JOB`; gsi1 `<t>#IMPORTS` / `<createdAt>#<id>` (newest first)
 * - chunk  pk `<t>#IMPORT#<id>` sk `CHUNK#<nnnnn>` (raw rows in; row errors out, once `done`)
 * Status is derived from the counters, never stored beside them.
 */
export class RegistryImports {
  constructor(
    private readonly t: TenantTable,
    private readonly ctx: TenantContext,
  ) {}

  private jobKey(id: string) {
    return { pk: this.t.key('IMPORT', id), sk: '#JOB' };
  }

  private chunkKey(id: string, n: number) {
    return { pk: this.t.key('IMPORT', id), sk: `CHUNK#${String(n).padStart(5, '0')}` };
  }

  /** Stores the rows in chunks and the job; the caller enqueues one message per chunk. */
  async create(
    fileName: string,
    rows: RawImportRow[],
    unknownHeaders: string[] = [],
  ): Promise<{ job: ImportJob; messages: ImportChunkMessage[] }> {
    const at = new Date().toISOString();
    const id = newId('imp');
    const chunks = Math.ceil(rows.length / IMPORT_CHUNK_ROWS);
    const chunkOps: TxOp[] = [];
    for (let n = 0; n < chunks; n++) {
      const slice = rows.slice(n * IMPORT_CHUNK_ROWS, (n + 1) * IMPORT_CHUNK_ROWS);
      chunkOps.push({
        put: {
          ...this.chunkKey(id, n),
          type: 'ImportChunk',
          firstRow: n * IMPORT_CHUNK_ROWS + 1,
          rows: slice,
          status: 'pending',
        },
      });
    }
    // Chunks first, the job last: a job that is visible always has all its chunks.
    for (let i = 0; i < chunkOps.length; i += 25) await this.t.transact(chunkOps.slice(i, i + 25));
    const job: StoredJob = {
      id,
      storeId: this.t.tenantId,
      fileName,
      totalRows: rows.length,
      processedRows: 0,
      created: 0,
      updated: 0,
      unchanged: 0,
      failed: 0,
      chunks,
      chunksDone: 0,
      createdAt: at,
      updatedAt: at,
      createdBy: this.ctx.actor.userId,
      unknownHeaders,
    };
    await this.t.transact([
      {
        put: {
          ...this.jobKey(id),
          type: 'ImportJob',
          gsi1pk: this.t.key('IMPORTS'),
          gsi1sk: `${at}#${id}`,
          actor: this.ctx.actor,
          ...job,
        },
      },
      auditOp(
        this.t,
        this.ctx,
        ['IMPORT', id],
        { action: 'import', entity: 'import', entityId: id, changes: [{ field: 'fileName', to: fileName }] },
        at,
      ),
    ]);
    const messages = Array.from({ length: chunks }, (_, chunk) => this.message(id, chunk, this.ctx.actor));
    return { job: withStatus(job), messages };
  }

  private message(jobId: string, chunk: number, actor: TenantContext['actor']): ImportChunkMessage {
    return { kind: 'registry-import-chunk', storeId: this.t.tenantId, jobId, chunk, actor };
  }

  /** Messages for the chunks not yet done, to resume a stalled job (as the user who started it). */
  async pendingChunkMessages(id: string): Promise<ImportChunkMessage[]> {
    const job = await this.t.get(this.jobKey(id));
    if (!job) throw new NotFoundError('Import', id);
    const messages: ImportChunkMessage[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.t.query({
        partition: ['IMPORT', id],
        sk: { beginsWith: 'CHUNK#' },
        limit: 50,
        cursor,
      });
      for (const c of page.items) {
        if (c.status !== 'done')
          messages.push(this.message(id, Number(String(c.sk).slice('CHUNK#'.length)), job.actor));
      }
      cursor = page.nextCursor;
    } while (cursor);
    return messages;
  }

  async get(id: string): Promise<ImportJob> {
    const item = await this.t.get(this.jobKey(id));
    if (!item) throw new NotFoundError('Import', id);
    return present(item);
  }

  async list(page: PageRequest): Promise<Page<ImportJob>> {
    const out = await this.t.query({
      index: 'gsi1',
      partition: ['IMPORTS'],
      newestFirst: true,
      limit: page.limit ?? 20,
      cursor: page.cursor,
    });
    return { items: out.items.map(present), ...(out.nextCursor ? { nextCursor: out.nextCursor } : {}) };
  }

  /** The row-by-row error report, a page of chunks at a time. */
  async errors(id: string, page: { cursor?: string | undefined }): Promise<Page<ImportRowError>> {
    await this.get(id);
    const out = await this.t.query({
      partition: ['IMPORT', id],
      sk: { beginsWith: 'CHUNK#' },
      limit: 20,
      cursor: page.cursor,
    });
    return {
      items: out.items.flatMap((i) => (i.errors as ImportRowError[] | undefined) ?? []),
      ...(out.nextCursor ? { nextCursor: out.nextCursor } : {}),
    };
  }

  async loadChunk(
    id: string,
    n: number,
  ): Promise<{ firstRow: number; rows: RawImportRow[]; done: boolean } | undefined> {
    const item = await this.t.get(this.chunkKey(id, n));
    if (!item) return undefined;
    return { firstRow: item.firstRow, rows: item.rows, done: item.status === 'done' };
  }

  /**
   * Marks a chunk done and adds its counts to the job in one transaction. A chunk already done (a
   * redelivered message) changes nothing: the counts are added exactly once.
   */
  async completeChunk(id: string, n: number, outcome: ChunkOutcome, rowCount: number): Promise<boolean> {
    try {
      await this.t.transact([
        {
          update: this.chunkKey(id, n),
          set: 'SET #status = :done, #errors = :errors REMOVE #rows',
          names: { '#status': 'status', '#errors': 'errors', '#rows': 'rows' },
          values: { ':done': 'done', ':errors': outcome.errors },
          condition: '#status <> :done',
          onConditionFailed: () => new AlreadyDone(),
        },
        {
          update: this.jobKey(id),
          set: 'ADD processedRows :rows, created :c, updated :u, unchanged :n, failed :f, chunksDone :one SET updatedAt = :at',
          values: {
            ':rows': rowCount,
            ':c': outcome.created,
            ':u': outcome.updated,
            ':n': outcome.unchanged,
            ':f': outcome.failed,
            ':one': 1,
            ':at': new Date().toISOString(),
          },
        },
      ]);
      return true;
    } catch (e) {
      if (e instanceof AlreadyDone) return false;
      throw e;
    }
  }
}

class AlreadyDone extends Error {}

function present(item: Item): ImportJob {
  const { actor: _actor, ...job } = stripKeys<StoredJob & { actor: unknown }>(item);
  // Jobs stored before unknownHeaders was recorded have none.
  return withStatus({ ...job, unknownHeaders: job.unknownHeaders ?? [] });
}

function withStatus(job: StoredJob): ImportJob {
  const status =
    job.chunksDone >= job.chunks
      ? job.failed > 0
        ? 'completed_with_errors'
        : 'completed'
      : job.chunksDone > 0
        ? 'running'
        : 'queued';
  return { ...job, status };
}

/** Same store, same name, same phone: the same customer, whichever import (or re-run) brings it. */
function importedCustomerId(storeId: string, name: string, phone: string): string {
  const digest = createHash('sha256')
    .update(`${storeId}|${nameSearchKey(name)}|${phone}`)
    .digest('hex');
  return `cus_I${digest.slice(0, 25).toUpperCase()}`;
}

type RowOutcome = 'created' | 'updated' | 'unchanged';

/**
 * Imports one row idempotently: customers are matched on name and first phone, vehicles on VIN. A
 * re-run or a redelivered message finds what the first run made and creates nothing new.
 */
export async function importRow(
  row: RawImportRow,
  deps: { customers: Customers; vehicles: Vehicles; vinPolicy: VinPolicy; storeId: string },
): Promise<{ ok: true; outcome: RowOutcome } | { ok: false; errors: FieldError[] }> {
  const parsed = parseImportRow(row);
  if (!parsed.ok) return parsed;
  if (parsed.vehicle) {
    const check = validateVehicle(parsed.vehicle, deps.vinPolicy);
    if (!check.ok)
      return {
        ok: false,
        errors: [{ path: `vehicle.${check.path}`, code: check.code, message: check.message }],
      };
  }
  const phone = parsed.customer.phones[0]!.number;
  const key = nameSearchKey(parsed.customer.name);
  let outcome: RowOutcome = 'unchanged';
  let customer = (await deps.customers.findByPhone(phone)).find((c) => nameSearchKey(c.name) === key);
  if (!customer) {
    const made = await deps.customers.create(parsed.customer, {
      id: importedCustomerId(deps.storeId, parsed.customer.name, phone),
      action: 'import',
    });
    customer = made.customer;
    if (made.created) outcome = 'created';
  }
  if (!parsed.vehicle) return { ok: true, outcome };
  const existing = (await deps.vehicles.findByVin(parsed.vehicle.vin, {})).items[0];
  if (!existing) {
    try {
      await deps.vehicles.create(
        { ...parsed.vehicle, ownerCustomerId: customer.id },
        { vinPolicy: deps.vinPolicy, action: 'import' },
      );
      return { ok: true, outcome: 'created' };
    } catch (e) {
      // A concurrent delivery of the same chunk registered it first: nothing to do.
      if (e instanceof AppError && e.code === 'VEHICLE_VIN_EXISTS') return { ok: true, outcome };
      throw e;
    }
  }
  if (!existing.owner) {
    await deps.vehicles.transferOwnership(existing.id, customer.id, existing.version);
    return { ok: true, outcome: outcome === 'created' ? 'created' : 'updated' };
  }
  return { ok: true, outcome };
}

/** Imports every row of a chunk; a bad row is reported and never stops the good ones. */
export async function importChunk(
  rows: RawImportRow[],
  firstRow: number,
  deps: Parameters<typeof importRow>[1],
): Promise<ChunkOutcome> {
  const outcome: ChunkOutcome = { created: 0, updated: 0, unchanged: 0, failed: 0, errors: [] };
  for (const [i, row] of rows.entries()) {
    const result = await importRow(row, deps);
    if (result.ok) outcome[result.outcome]++;
    else {
      outcome.failed++;
      outcome.errors.push({ row: firstRow + i, errors: result.errors });
    }
  }
  return outcome;
}

export type { Item };
