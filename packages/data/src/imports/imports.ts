import { createHash } from 'node:crypto';
import {
  AppError,
  ConflictError,
  type FieldError,
  IMPORT_CHUNK_ROWS,
  type ImportJob,
  type ImportRowError,
  NotFoundError,
  nameSearchKey,
  newEvent,
  newId,
  parseImportRow,
  type RawImportRow,
  UPLOAD_ID_PREFIX,
  ValidationError,
  type VinPolicy,
  validateVehicle,
} from '@aftersales/domain';
import { parseImportCsv } from '@aftersales/domain/csv';
import { logger } from '@aftersales/runtime';
import { auditOp } from '../platform/audit.ts';
import { eventOp } from '../platform/events.ts';
import { IdempotentReplay } from '../platform/idempotency.ts';
import {
  type Item,
  type Page,
  type PageRequest,
  stripKeys,
  type TenantContext,
  type TenantTable,
  type TxOp,
} from '../platform/tenant-table.ts';
import type { Customers } from '../registry/customers.ts';
import type { Vehicles } from '../registry/vehicles.ts';
import type { ImportUploads } from './uploads.ts';

type StoredJob = Omit<ImportJob, 'status'>;

export interface ChunkOutcome {
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
  errors: ImportRowError[];
}

/** How long a claim without a job holds an upload: well past the API function's 15 s timeout. */
const CLAIM_STALE_MS = 2 * 60_000;
/**
 * A chunk not imported by then is deleted by the table's TTL: the chunks of a start that died before
 * writing its job are never imported and would otherwise stay for good. Longer than the dead-letter
 * queue keeps a message (14 days), so a replayed `import.chunkStored` still finds its chunk; an
 * imported chunk loses the TTL (it keeps the row errors the job reports).
 */
const PENDING_CHUNK_TTL_DAYS = 15;

/** The import an upload starts: the upload id's time and random parts under the import prefix. */
export function importIdOfUpload(uploadId: string): string {
  return `imp_${uploadId.slice(UPLOAD_ID_PREFIX.length + 1)}`;
}

/**
 * Keys:
 * - job    pk `<t>#IMPORT#<id>` sk `#JOB`; gsi1 `<t>#IMPORTS` / `<createdAt>#<id>` (newest first)
 * - chunk  pk `<t>#IMPORT#<id>` sk `CHUNK#<nnnnn>` (raw rows in; row errors out, once `done`)
 * Status is derived from the counters, never stored beside them.
 */
export class Imports {
  constructor(
    private readonly t: TenantTable,
    private readonly ctx: TenantContext,
  ) {}

  private jobKey(id: string) {
    return { pk: this.t.key('IMPORT', id), sk: '#JOB' };
  }

  private claimKey(id: string) {
    return { pk: this.t.key('IMPORT', id), sk: '#CLAIM' };
  }

  private chunkKey(id: string, n: number) {
    return { pk: this.t.key('IMPORT', id), sk: `CHUNK#${String(n).padStart(5, '0')}` };
  }

  /**
   * Stores the rows in chunks, each with its `import.chunkStored` event in the same transaction (the
   * event router delivers it to the import consumer: no separate enqueue that could be lost), then the
   * job with its audit entry and `import.created`. Chunks first, the job last: a job that is visible
   * always has all its chunks, and the consumer waits for the job before it imports a chunk.
   */
  async create(
    fileName: string,
    rows: RawImportRow[],
    opts: {
      /** Each row's number in the file (`ParsedCsv.rowNumbers`); by default the header is row 1 and none is empty. */
      rowNumbers?: number[];
      unknownHeaders?: string[];
      id?: string;
    } = {},
  ): Promise<ImportJob> {
    const { unknownHeaders = [], id = newId('imp') } = opts;
    const rowNumbers = opts.rowNumbers ?? rows.map((_, i) => i + 2);
    const at = new Date().toISOString();
    const partition = ['IMPORT', id];
    const chunks = Math.ceil(rows.length / IMPORT_CHUNK_ROWS);
    const chunkOps: TxOp[] = [];
    for (let n = 0; n < chunks; n++) {
      const slice = rows.slice(n * IMPORT_CHUNK_ROWS, (n + 1) * IMPORT_CHUNK_ROWS);
      chunkOps.push(
        {
          put: {
            ...this.chunkKey(id, n),
            type: 'ImportChunk',
            rows: slice,
            rowNumbers: rowNumbers.slice(n * IMPORT_CHUNK_ROWS, (n + 1) * IMPORT_CHUNK_ROWS),
            status: 'pending',
            expiresAt: Math.floor(Date.parse(at) / 1000) + PENDING_CHUNK_TTL_DAYS * 86_400,
          },
        },
        eventOp(
          this.t,
          this.ctx,
          partition,
          newEvent('import.chunkStored', 'import', id, { importId: id, chunk: n }),
          at,
        ),
      );
    }
    // A chunk and its event always share a transaction (pairs, 12 chunks per transaction).
    for (let i = 0; i < chunkOps.length; i += CHUNK_OPS_PER_TRANSACTION)
      await this.t.transact(chunkOps.slice(i, i + CHUNK_OPS_PER_TRANSACTION));
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
        // A job id is written once: a second start of the same upload replays the first job.
        condition: 'attribute_not_exists(pk)',
        onConditionFailed: () => new IdempotentReplay(id),
      },
      // The start's claim has done its work once the job exists (later starts find the job).
      { delete: this.claimKey(id) },
      auditOp(
        this.t,
        this.ctx,
        partition,
        { action: 'import', entity: 'import', entityId: id, changes: [{ field: 'fileName', to: fileName }] },
        at,
      ),
      eventOp(
        this.t,
        this.ctx,
        partition,
        newEvent('import.created', 'import', id, { importId: id, chunks, totalRows: rows.length }),
        at,
      ),
    ]);
    return withStatus(job);
  }

  /**
   * Starts the import of an uploaded file. The job's id is the upload's, so one upload starts at most one
   * import: a retried start (a lost response, a double click) returns the first job, `created: false`,
   * without reading the file again. Once the job exists its rows live in its chunks, so the file is
   * deleted (customers' names and phones kept no longer than needed; if the delete fails, the bucket's
   * lifecycle rule removes it within a day).
   */
  async createFromUpload(
    fileName: string,
    uploadId: string,
    uploads: ImportUploads,
  ): Promise<{ job: ImportJob; created: boolean }> {
    const id = importIdOfUpload(uploadId);
    const existing = await this.t.get(this.jobKey(id));
    if (existing) return { job: present(existing), created: false };
    const parsed = parseImportCsv(await uploads.read(uploadId));
    if (!parsed.ok) throw new ValidationError(parsed.fieldErrors, 'The file cannot be imported.');
    if (parsed.rows.length === 0)
      throw new ValidationError([
        { path: 'csv', code: 'CSV_NO_ROWS', message: 'The file has a header but no rows.' },
      ]);
    // Claim the upload before any chunk is written: two overlapping starts (a client's retry while the
    // first request still writes a large file's chunks) would otherwise both write chunks and events,
    // and chunks already imported would be pending again under new event ids. Only the claimant writes.
    // A claim with no job after CLAIM_STALE_MS belongs to a start that died (the API function times out
    // after 15 s): a new start takes it over. Its chunks were never imported (the consumer waits for the
    // job), so writing them again is safe.
    const now = new Date();
    try {
      await this.t.transact([
        {
          put: { ...this.claimKey(id), type: 'ImportClaim', at: now.toISOString() },
          condition: 'attribute_not_exists(pk) OR #at < :stale',
          names: { '#at': 'at' },
          values: { ':stale': new Date(now.getTime() - CLAIM_STALE_MS).toISOString() },
          onConditionFailed: () => new IdempotentReplay(id),
        },
        // …and only while there is no job: a finished import is never started again.
        {
          check: this.jobKey(id),
          condition: 'attribute_not_exists(pk)',
          onConditionFailed: () => new IdempotentReplay(id),
        },
      ]);
    } catch (e) {
      if (!(e instanceof IdempotentReplay)) throw e;
      const job = await this.t.get(this.jobKey(id));
      if (job) return { job: present(job), created: false };
      throw new ConflictError(
        409,
        'CONCURRENT_UPDATE',
        'This upload’s import is being started by another request; ask for it again in a moment.',
      );
    }
    let job: ImportJob;
    try {
      job = await this.create(fileName, parsed.rows, {
        rowNumbers: parsed.rowNumbers,
        unknownHeaders: parsed.unknownHeaders,
        id,
      });
    } catch (e) {
      if (e instanceof IdempotentReplay) return { job: await this.get(id), created: false };
      throw e;
    }
    await uploads
      .remove(uploadId)
      .catch((err: unknown) => logger.warn('upload not deleted; the lifecycle rule will', { err, uploadId }));
    return { job, created: true };
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
      items: out.items.flatMap((i) => {
        const errors = (i.errors as ImportRowError[] | undefined) ?? [];
        // Chunks finished before row numbers were kept counted data rows from 1 (the header was 0).
        // A chunk written with `rowNumbers` was always numbered as the spreadsheet is.
        const sheet = i.rowNumbering === 'sheet' || Array.isArray(i.rowNumbers);
        return sheet ? errors : errors.map((e) => ({ ...e, row: e.row + 1 }));
      }),
      ...(out.nextCursor ? { nextCursor: out.nextCursor } : {}),
    };
  }

  async loadChunk(
    id: string,
    n: number,
  ): Promise<{ rows: RawImportRow[]; rowNumbers: number[]; done: boolean } | undefined> {
    const item = await this.t.get(this.chunkKey(id, n));
    if (!item) return undefined;
    // A finished chunk keeps no rows (`completeChunk` removes them).
    const rows = (item.rows as RawImportRow[] | undefined) ?? [];
    // Chunks stored before row numbers were kept have `firstRow` instead, counting data rows from 1
    // (the header row was 0).
    const rowNumbers =
      (item.rowNumbers as number[] | undefined) ?? rows.map((_, i) => (item.firstRow as number) + i + 1);
    return { rows, rowNumbers, done: item.status === 'done' };
  }

  /**
   * Marks a chunk done and adds its counts to the job in one transaction; the transaction that completes
   * the last chunk also writes `import.completed` with the final counts. The job's `chunksDone` is the
   * version checked (concurrent chunks of one job retry on a fresh read), so exactly one transaction
   * sees itself completing the job. A chunk already done (a redelivered event) changes nothing: the
   * counts are added exactly once.
   */
  async completeChunk(id: string, n: number, outcome: ChunkOutcome, rowCount: number): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      const job = await this.t.get(this.jobKey(id));
      if (!job) throw new NotFoundError('Import', id);
      const at = new Date().toISOString();
      const chunksDone = Number(job.chunksDone);
      const ops: TxOp[] = [
        {
          update: this.chunkKey(id, n),
          // `rowNumbering`: these errors cite spreadsheet rows (see `errors`).
          changes: {
            set: { status: 'done', errors: outcome.errors, rowNumbering: 'sheet' },
            remove: ['rows', 'expiresAt'],
          },
          names: { '#status': 'status' },
          values: { ':done': 'done' },
          condition: '#status <> :done',
          onConditionFailed: () => new AlreadyDone(),
        },
        {
          update: this.jobKey(id),
          changes: {
            add: {
              processedRows: rowCount,
              created: outcome.created,
              updated: outcome.updated,
              unchanged: outcome.unchanged,
              failed: outcome.failed,
              chunksDone: 1,
            },
            set: { updatedAt: at },
          },
          values: { ':seen': chunksDone },
          condition: 'chunksDone = :seen',
          onConditionFailed: () => new JobMoved(),
        },
      ];
      if (chunksDone + 1 >= Number(job.chunks)) {
        const totals = newEvent('import.completed', 'import', id, {
          importId: id,
          totalRows: Number(job.totalRows),
          created: Number(job.created) + outcome.created,
          updated: Number(job.updated) + outcome.updated,
          unchanged: Number(job.unchanged) + outcome.unchanged,
          failed: Number(job.failed) + outcome.failed,
        });
        ops.push(eventOp(this.t, this.ctx, ['IMPORT', id], totals, at));
      }
      try {
        await this.t.transact(ops);
        return true;
      } catch (e) {
        if (e instanceof AlreadyDone) return false;
        const contended = e instanceof JobMoved || (e instanceof AppError && e.code === 'CONCURRENT_UPDATE');
        if (!contended || attempt >= MAX_COMPLETE_ATTEMPTS) throw e;
        // Another chunk of this job completed in between: read the job again, after a short jittered pause.
        await new Promise((r) => setTimeout(r, Math.random() * 50 * attempt));
      }
    }
  }
}

/** Two operations per chunk (the chunk and its event); 24 of DynamoDB's 100 per transaction keeps it small. */
const CHUNK_OPS_PER_TRANSACTION = 24;
const MAX_COMPLETE_ATTEMPTS = 20;

class AlreadyDone extends Error {}
/** The job's `chunksDone` moved since it was read: another chunk completed first. */
class JobMoved extends Error {}

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
  rowNumbers: number[],
  deps: Parameters<typeof importRow>[1],
): Promise<ChunkOutcome> {
  const outcome: ChunkOutcome = { created: 0, updated: 0, unchanged: 0, failed: 0, errors: [] };
  for (const [i, row] of rows.entries()) {
    const result = await importRow(row, deps);
    if (result.ok) outcome[result.outcome]++;
    else {
      outcome.failed++;
      outcome.errors.push({ row: rowNumbers[i] ?? i + 1, errors: result.errors });
    }
  }
  return outcome;
}

export type { Item };
