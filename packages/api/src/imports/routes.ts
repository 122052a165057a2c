import { IMPORT } from '@aftersales/data';
import {
  CUSTOMERS_VEHICLES_HEADER,
  type ImportKindHeader,
  type ImportKindName,
  MAX_IMPORT_CELL_CHARS,
  MAX_IMPORT_COLUMNS,
  MAX_IMPORT_FILE_BYTES,
  MAX_IMPORT_ROWS,
  MAX_XLSX_UNZIPPED_BYTES,
  UPLOAD_URL_TTL_SECONDS,
  XLSX_CONTENT_TYPE,
} from '@aftersales/domain';
import type { Access } from '../platform/auth.ts';
import { json, PageQuery, recordParams, StoreParams } from '../platform/http.ts';
import { ApiRoutes } from '../platform/route.ts';
import { Bodies, Pages } from './bodies.ts';

/** How one import kind's operations are named and described in the document. */
export interface ImportRoutesOptions {
  /** `LabourOp` → `createLabourOpImportUpload`, `startLabourOpImport`, `listLabourOpImports`…; `''` for the registry's. */
  name: string;
  tags: string[];
  /** What the header may name, for the start's description (the kind's own columns). */
  columnsHelp: string;
}

/**
 * The imports platform's five operations (upload, start, list, progress, failed rows) for one import
 * kind. Each kind has routes of its own, under its owner's path, so every operation's `x-permission` is
 * the kind's permission, enforced before anything is read; a job of another kind is not found here.
 */
export function importRoutes<K extends ImportKindName>(
  kind: ImportKindHeader<K, Access>,
  opts: ImportRoutesOptions,
) {
  const app = new ApiRoutes();
  const { permission } = kind;
  const { name, tags } = opts;
  const ImportParams = recordParams(IMPORT);

  app.openapi(
    {
      method: 'post',
      path: '/uploads',
      operationId: `create${name}ImportUpload`,
      permission,
      tags,
      summary: 'Get a URL to upload a CSV or .xlsx file to, then start its import with the `uploadId`',
      // 200, not 201: nothing exists until the file is PUT; this answers how to put it.
      description: `The file goes straight to S3: \`PUT\` its bytes to \`url\` with \`headers\` before \`expiresAt\` (${UPLOAD_URL_TTL_SECONDS / 60} minutes). Its size is declared here (at most ${MAX_IMPORT_FILE_BYTES} bytes) and signed into the URL, so S3 refuses a body of any other length. Uploads not imported are deleted after a day.`,
      request: {
        params: StoreParams,
        body: { required: true, content: { 'application/json': { schema: Bodies.ImportUploadRequest } } },
      },
      responses: { 200: json(Bodies.ImportUpload, 'Where and how to upload the file') },
    },
    async (c) => {
      const { size, contentType } = c.req.valid('json');
      return c.json(await c.get('tenant').uploads.presign(size, c.get('tenant').now(), contentType), 200);
    },
  );

  app.openapi(
    {
      method: 'post',
      path: '/',
      operationId: `start${name}Import`,
      permission,
      errors: ['UPLOAD_NOT_FOUND', 'UPLOAD_TOO_LARGE'],
      tags,
      summary: 'Start the import of an uploaded file: it is checked now, rows are imported by a queued job',
      description: [
        'One upload starts one import: repeating the request with the same `uploadId` (a retry) returns the first job with `Idempotent-Replayed: true`. A repeat that arrives while the first request is still storing the rows answers 409 `CONCURRENT_UPDATE`: send it again a moment later.',
        `The file is read now, as UTF-8 CSV (RFC 4180): comma-separated; a cell may be in double quotes (then \`""\` is a quote, and commas and line breaks are part of it); lines end in CRLF, LF or CR; whitespace around a cell outside its quotes is dropped; rows whose every cell is empty are skipped and not counted as rows to import. ${opts.columnsHelp} A file that cannot be imported is a 400 \`VALIDATION_FAILED\` whose field error on \`csv\` says why: \`CSV_MALFORMED\` (with the line: a quote never closed, text after a closing quote, a quote inside an unquoted cell), \`CSV_EMPTY\` (no header), \`CSV_COLUMNS\` (a required column missing), \`CSV_NO_ROWS\`, \`CSV_TOO_LARGE\` (more than ${MAX_IMPORT_ROWS} rows), \`CSV_TOO_MANY_COLUMNS\` (a header of more than ${MAX_IMPORT_COLUMNS} columns), \`CSV_ROW_TOO_LONG\` (a row of more than ${MAX_IMPORT_COLUMNS} cells) or \`CSV_CELL_TOO_LONG\` (a cell of more than ${MAX_IMPORT_CELL_CHARS} characters; with its row and column). An Excel workbook (declared \`contentType\` \`${XLSX_CONTENT_TYPE}\`, or a \`fileName\` ending in \`.xlsx\`) is read from its first worksheet, whose first filled row is the header: text (shared or inline), numbers as Excel shows them, booleans as \`TRUE\`/\`FALSE\`, date-formatted cells as ISO dates, formulas as their last computed value; empty cells are empty. The same limits and codes apply, and two more: \`XLSX_MALFORMED\` (not a zip, no worksheet, broken sheet XML) and \`XLSX_TOO_LARGE\` (its parts unzip to more than ${MAX_XLSX_UNZIPPED_BYTES / 1024 / 1024} MiB, or it has more than 256 worksheets). Rows that are readable but invalid do not fail the file: the job reports them one by one, by their row number in a spreadsheet (the file’s first row, normally the header, is 1; empty rows keep their place).`,
      ].join('\n\n'),
      request: {
        params: StoreParams,
        body: { required: true, content: { 'application/json': { schema: Bodies.ImportRequest } } },
      },
      responses: {
        202: json(Bodies.ImportJob, 'Accepted; poll the job for progress', [
          'Location',
          'Idempotent-Replayed',
        ]),
      },
    },
    async (c) => {
      const { fileName, uploadId } = c.req.valid('json');
      const { imports: repo, uploads } = c.get('tenant');
      // Each stored chunk's event reaches the import consumer through the table's stream: nothing to send.
      const { job, created } = await repo.createFromUpload(kind, fileName, uploadId, uploads);
      c.header('location', `${c.req.path.replace(/\/$/, '')}/${job.id}`);
      if (!created) c.header('idempotent-replayed', 'true');
      return c.json(job, 202);
    },
  );

  app.openapi(
    {
      method: 'get',
      path: '/',
      operationId: `list${name}Imports`,
      permission,
      tags,
      summary: 'Recent imports, newest first',
      request: { params: StoreParams, query: PageQuery },
      responses: { 200: json(Pages.ImportJobPage, 'Import jobs') },
    },
    async (c) => {
      return c.json(await c.get('tenant').imports.list(kind.kind, c.req.valid('query')), 200);
    },
  );

  app.openapi(
    {
      method: 'get',
      path: '/{importId}',
      operationId: `get${name}Import`,
      permission,
      tags,
      summary: 'Progress of one import',
      request: { params: ImportParams },
      responses: { 200: json(Bodies.ImportJob, 'The job') },
    },
    async (c) => {
      return c.json(await c.get('tenant').imports.job(c.req.valid('param').importId, kind.kind), 200);
    },
  );

  app.openapi(
    {
      method: 'get',
      path: '/{importId}/errors',
      operationId: `get${name}ImportErrors`,
      permission,
      tags,
      summary: 'Row-by-row error report',
      request: { params: ImportParams, query: PageQuery.pick({ cursor: true }) },
      responses: { 200: json(Pages.ImportRowErrorPage, 'Rows that were not imported, with reasons') },
    },
    async (c) => {
      const { importId } = c.req.valid('param');
      return c.json(await c.get('tenant').imports.errors(importId, kind.kind, c.req.valid('query')), 200);
    },
  );
  return app;
}

/** CSV import of customers and vehicles from a store's old system, run as a queued job. */
export const imports = importRoutes(CUSTOMERS_VEHICLES_HEADER, {
  name: '',
  tags: ['Imports'],
  columnsHelp:
    'The first row names the columns (English or Chinese, e.g. `name`/`姓名`, `phone`/`电话`, `vin`/`车架号`, `plate`/`车牌`); unknown columns are ignored.',
});
