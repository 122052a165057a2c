import {
  AppError,
  ConflictError,
  CUSTOMERS_VEHICLES_IMPORT,
  type CustomerVehicleRow,
  decideChunkCompletion,
  decodeImportRow,
  type FieldError,
  IMPORT_CHUNK_ROWS,
  ImportChunk,
  ImportClaim,
  type ImportJob,
  type ImportKind,
  type ImportKindHeader,
  type ImportKindName,
  type ImportRowError,
  importStatus,
  NotFoundError,
  nameSearchKey,
  newEvent,
  newId,
  type RawImportRecord,
  StoredImportJob,
  UPLOAD_ID_PREFIX,
  ValidationError,
  type VinPolicy,
  validateVehicle,
} from '@aftersales/domain';
import { parseImportFile } from '@aftersales/domain/import-file';
import { logger } from '@aftersales/runtime';
import type { TenantData } from '../index.ts';
import { AggregateRepository, defineAggregate } from '../platform/aggregate.ts';
import { auditOp } from '../platform/audit.ts';
import { eventOp } from '../platform/events.ts';
import { IdempotentReplay } from '../platform/idempotency.ts';
import type { Page, PageRequest, TenantContext, TenantTable, TxOp } from '../platform/tenant-table.ts';
import type { ImportUploads } from './uploads.ts';

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
 * The jobs of a kind are listed from their own index partition: `<t>#IMPORTS` for customers and vehicles
 * (where every job stored before import kinds already is), `<t>#IMPORTS#<kind>` for the others.
 */
export const importListParts = (kind: ImportKindName): string[] =>
  kind === 'customers-vehicles' ? [] : [kind];

/**
 * 数据导入. Keys, all from this declaration:
 * - job    pk `<t>#IMPORT#<id>` sk `#JOB`; gsi1 `<t>#IMPORTS[#<kind>]` / `<createdAt>#<id>` (newest first)
 * - claim  pk `<t>#IMPORT#<id>` sk `#CLAIM` (a start's hold on its upload, see `createFromUpload`)
 * - chunk  pk `<t>#IMPORT#<id>` sk `CHUNK#<nnnnn>` (raw rows in; row errors out, once `done`)
 * Status is derived from the counters, never stored beside them.
 */
export const IMPORT = defineAggregate({
  name: 'import',
  label: 'Import',
  idParam: 'importId',
  prefix: 'IMPORT',
  recordSk: '#JOB',
  schema: StoredImportJob,
  indexes: {
    newestFirst: {
      index: 'gsi1',
      prefix: 'IMPORTS',
      key: (j) => ({ pk: importListParts(j.kind), sk: `${j.createdAt}#${j.id}` }),
    },
  },
  children: {
    claim: { skPrefix: '#CLAIM', type: 'ImportClaim', schema: ImportClaim, sk: () => '' },
    chunk: { skPrefix: 'CHUNK#', type: 'ImportChunk', schema: ImportChunk, sk: () => '' },
  },
});

/** A chunk's sort key after its prefix: zero-padded, so chunks sort in file order. */
const chunkNumber = (n: number) => String(n).padStart(5, '0');

export class Imports extends AggregateRepository<typeof IMPORT> {
  constructor(t: TenantTable, ctx: TenantContext) {
    super(t, ctx, IMPORT);
  }

  private claimKey(id: string) {
    return this.childKeyAt('claim', id, '');
  }

  private chunkKey(id: string, n: number) {
    return this.childKeyAt('chunk', id, chunkNumber(n));
  }

  /**
   * Stores the rows in chunks, each with its `import.chunkStored` event in the same transaction (the
   * event router delivers it to the import consumer: no separate enqueue that could be lost), then the
   * job with its audit entry and `import.created`. Chunks first, the job last: a job that is visible
   * always has all its chunks, and the consumer waits for the job before it imports a chunk.
   */
  async create(
    fileName: string,
    rows: RawImportRecord[],
    opts: {
      /** What the rows are; customers and vehicles unless said. */
      kind?: ImportKindName;
      /** Each row's number in the file (`ParsedCsv.rowNumbers`); by default the header is row 1 and none is empty. */
      rowNumbers?: number[];
      unknownHeaders?: string[];
      id?: string;
    } = {},
  ): Promise<ImportJob> {
    const { unknownHeaders = [], id = newId('imp'), kind = 'customers-vehicles' } = opts;
    const rowNumbers = opts.rowNumbers ?? rows.map((_, i) => i + 2);
    const at = this.now().toISOString();
    const partition = this.partition(id);
    const chunks = Math.ceil(rows.length / IMPORT_CHUNK_ROWS);
    const chunkOps: TxOp[] = [];
    for (let n = 0; n < chunks; n++) {
      const slice = rows.slice(n * IMPORT_CHUNK_ROWS, (n + 1) * IMPORT_CHUNK_ROWS);
      chunkOps.push(
        {
          put: {
            ...this.childItemAt('chunk', id, chunkNumber(n), {
              rows: slice,
              rowNumbers: rowNumbers.slice(n * IMPORT_CHUNK_ROWS, (n + 1) * IMPORT_CHUNK_ROWS),
              status: 'pending',
            }),
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
    const job: StoredImportJob = {
      id,
      storeId: this.t.tenantId,
      kind,
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
        put: { ...this.toItem(job), actor: this.ctx.actor },
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
    kind: ImportKindHeader,
    fileName: string,
    uploadId: string,
    uploads: ImportUploads,
  ): Promise<{ job: ImportJob; created: boolean }> {
    const id = importIdOfUpload(uploadId);
    const existing = await this.get(id);
    // The upload already started an import of another kind: not one this route may show.
    if (existing && existing.kind !== kind.kind) throw new NotFoundError('Upload', uploadId);
    if (existing) return { job: withStatus(existing), created: false };
    const parsed = parseImportFile(await uploads.read(uploadId), fileName, kind);
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
    const now = this.now();
    try {
      await this.t.transact([
        {
          put: this.childItemAt('claim', id, '', { at: now.toISOString() }),
          condition: 'attribute_not_exists(pk) OR #at < :stale',
          names: { '#at': 'at' },
          values: { ':stale': new Date(now.getTime() - CLAIM_STALE_MS).toISOString() },
          onConditionFailed: () => new IdempotentReplay(id),
        },
        // …and only while there is no job: a finished import is never started again.
        {
          check: this.key(id),
          condition: 'attribute_not_exists(pk)',
          onConditionFailed: () => new IdempotentReplay(id),
        },
      ]);
    } catch (e) {
      if (!(e instanceof IdempotentReplay)) throw e;
      const job = await this.get(id);
      if (job?.kind === kind.kind) return { job: withStatus(job), created: false };
      if (job) throw new NotFoundError('Upload', uploadId);
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
        kind: kind.kind,
      });
    } catch (e) {
      if (e instanceof IdempotentReplay) return { job: await this.job(id, kind.kind), created: false };
      throw e;
    }
    await uploads
      .remove(uploadId)
      .catch((err: unknown) => logger.warn('upload not deleted; the lifecycle rule will', { err, uploadId }));
    return { job, created: true };
  }

  /**
   * A job of `kind` (each kind's routes need their own permission): a job of another kind is not found,
   * as if it did not exist.
   */
  async requireOfKind(id: string, kind: ImportKindName): Promise<StoredImportJob> {
    const job = await this.require(id);
    if (job.kind !== kind) throw new NotFoundError(this.declaration.label, id);
    return job;
  }

  /** The job with its status. */
  async job(id: string, kind: ImportKindName): Promise<ImportJob> {
    return withStatus(await this.requireOfKind(id, kind));
  }

  /** The jobs of one kind, newest first. */
  async list(kind: ImportKindName, page: PageRequest): Promise<Page<ImportJob>> {
    const out = await this.queryIndex('newestFirst', importListParts(kind), {
      newestFirst: true,
      limit: 20,
      ...page,
    });
    return { ...out, items: out.items.map(withStatus) };
  }

  /** The row-by-row error report, a page of chunks at a time. */
  async errors(
    id: string,
    kind: ImportKindName,
    page: { cursor?: string | undefined },
  ): Promise<Page<ImportRowError>> {
    // The page first: a cursor that is not ours is a 400 whatever the job (as on every list).
    const out = await this.children('chunk', id, { limit: 20, cursor: page.cursor });
    await this.requireOfKind(id, kind);
    return {
      items: out.items.flatMap((chunk) => {
        const errors = chunk.errors ?? [];
        // Chunks finished before row numbers were kept counted data rows from 1 (the header was 0).
        // A chunk written with `rowNumbers` was always numbered as the spreadsheet is.
        const sheet = chunk.rowNumbering === 'sheet' || Array.isArray(chunk.rowNumbers);
        return sheet ? errors : errors.map((e) => ({ ...e, row: e.row + 1 }));
      }),
      ...(out.nextCursor ? { nextCursor: out.nextCursor } : {}),
    };
  }

  async loadChunk(
    id: string,
    n: number,
  ): Promise<{ rows: RawImportRecord[]; rowNumbers: number[]; done: boolean } | undefined> {
    const chunk = await this.getChild('chunk', id, chunkNumber(n));
    if (!chunk) return undefined;
    // A finished chunk keeps no rows (`completeChunk` removes them).
    const rows: RawImportRecord[] = chunk.rows ?? [];
    // Chunks stored before row numbers were kept have `firstRow` instead, counting data rows from 1
    // (the header row was 0).
    const rowNumbers = chunk.rowNumbers ?? rows.map((_, i) => (chunk.firstRow ?? 0) + i + 1);
    return { rows, rowNumbers, done: chunk.status === 'done' };
  }

  /**
   * Marks a chunk done and adds its counts to the job in one transaction; the transaction that completes
   * the last chunk also writes `import.completed` with the final counts (`decideChunkCompletion`). The
   * job's `chunksDone` is the version checked (concurrent chunks of one job retry on a fresh read), so
   * exactly one transaction sees itself completing the job. A chunk already done (a redelivered event)
   * changes nothing: the counts are added exactly once.
   */
  async completeChunk(id: string, n: number, outcome: ChunkOutcome, rowCount: number): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      const job = await this.require(id);
      const at = this.now().toISOString();
      const { counts, events } = decideChunkCompletion(job, outcome, rowCount);
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
          update: this.key(id),
          changes: { add: counts, set: { updatedAt: at } },
          values: { ':seen': job.chunksDone },
          condition: 'chunksDone = :seen',
          onConditionFailed: () => new JobMoved(),
        },
        ...events.map((e) => eventOp(this.t, this.ctx, this.partition(id), e, at)),
      ];
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

function withStatus(job: StoredImportJob): ImportJob {
  return { ...job, status: importStatus(job) };
}

/** What importing one decoded row did. */
export type RowOutcome = 'created' | 'updated' | 'unchanged';
export type RowResult = { ok: true; outcome: RowOutcome } | { ok: false; errors: FieldError[] };

/** What a row applier may use: the store's repositories, and the store's own rules. */
export interface ImportRowContext {
  tenant: TenantData;
  vinPolicy: VinPolicy;
}

/**
 * Writes one decoded row of a kind, idempotently: a retried chunk (a redelivered message, a consumer
 * that died half-way) finds what the first run wrote and counts it `unchanged`, never a duplicate.
 * Declared by the capability that owns the rows, beside its repository.
 */
export type ImportRowApplier<T> = (row: T, ctx: ImportRowContext) => Promise<RowResult>;

/** An import kind with the applier of its rows, as the consumer runs it. */
export interface Importer<K extends ImportKindName = ImportKindName> {
  kind: K;
  importChunk(rows: RawImportRecord[], rowNumbers: number[], ctx: ImportRowContext): Promise<ChunkOutcome>;
}

/** A kind and its applier, typed together: the applier takes exactly the rows the kind decodes. */
export function defineImporter<K extends ImportKindName, T>(
  kind: ImportKind<K, string, T>,
  apply: ImportRowApplier<T>,
): Importer<K> {
  return {
    kind: kind.kind,
    importChunk: (rows, rowNumbers, ctx) => importChunk(rows, rowNumbers, kind, apply, ctx),
  };
}

/** One importer per import kind: a kind left out fails `tsc`. */
export type Importers = { [K in ImportKindName]: Importer<K> };

/**
 * Imports one registry row idempotently: customers are matched on name and first phone, vehicles on
 * VIN. A re-run or a redelivered message finds what the first run made and creates nothing new.
 */
export const applyCustomerVehicleRow: ImportRowApplier<CustomerVehicleRow> = async (parsed, ctx) => {
  const { customers, vehicles } = ctx.tenant;
  if (parsed.vehicle) {
    const check = validateVehicle(parsed.vehicle, ctx.vinPolicy);
    if (!check.ok)
      return {
        ok: false,
        errors: [{ path: `vehicle.${check.path}`, code: check.code, message: check.message }],
      };
  }
  const phone = parsed.customer.phones[0]!.number;
  const key = nameSearchKey(parsed.customer.name);
  let outcome: RowOutcome = 'unchanged';
  let customer = (await customers.findByPhone(phone)).find((c) => nameSearchKey(c.name) === key);
  if (!customer) {
    const made = await customers.importRow(parsed.customer, parsed.customer.name, phone);
    customer = made.customer;
    if (made.created) outcome = 'created';
  }
  if (!parsed.vehicle) return { ok: true, outcome };
  const existing = (await vehicles.findByVin(parsed.vehicle.vin, {})).items[0];
  if (!existing) {
    try {
      await vehicles.create(
        { ...parsed.vehicle, ownerCustomerId: customer.id },
        { vinPolicy: ctx.vinPolicy, action: 'import' },
      );
      return { ok: true, outcome: 'created' };
    } catch (e) {
      // A concurrent delivery of the same chunk registered it first: nothing to do.
      if (e instanceof AppError && e.code === 'VEHICLE_VIN_EXISTS') return { ok: true, outcome };
      throw e;
    }
  }
  if (!existing.owner) {
    await vehicles.transferOwnership(existing.id, customer.id, existing.version);
    return { ok: true, outcome: outcome === 'created' ? 'created' : 'updated' };
  }
  return { ok: true, outcome };
};

export const CUSTOMERS_VEHICLES_IMPORTER = /* @__PURE__ */ defineImporter(
  CUSTOMERS_VEHICLES_IMPORT,
  applyCustomerVehicleRow,
);

/**
 * Imports every row of a chunk with its kind's decoder and applier; a bad row is reported and never
 * stops the good ones.
 */
export async function importChunk<T>(
  rows: RawImportRecord[],
  rowNumbers: number[],
  kind: ImportKind<ImportKindName, string, T>,
  apply: ImportRowApplier<T>,
  ctx: ImportRowContext,
): Promise<ChunkOutcome> {
  const outcome: ChunkOutcome = { created: 0, updated: 0, unchanged: 0, failed: 0, errors: [] };
  for (const [i, row] of rows.entries()) {
    const decoded = decodeImportRow(kind, row);
    const result = decoded.ok ? await apply(decoded.value, ctx) : decoded;
    if (result.ok) outcome[result.outcome]++;
    else {
      outcome.failed++;
      outcome.errors.push({ row: rowNumbers[i] ?? i + 1, errors: result.errors });
    }
  }
  return outcome;
}
