import * as z from 'zod';
import { defineCapability } from '../platform/capability.ts';
import type { FieldError } from '../platform/errors.ts';
import { Count, filledText, Instant, RequiredText, WholeNumber } from '../platform/fields.ts';
import { normalizePhone } from '../platform/text.ts';
import { type CustomerFields, CustomerInput, type VehicleFields, VehicleInput } from '../registry/model.ts';

/**
 * CSV import of a store's old-system export (客户/车辆导入). One row is one customer and, optionally,
 * their vehicle. Headers may be English or the Chinese ones DMS exports use.
 */
export const HEADER_ALIASES: Record<string, keyof ImportColumns> = {
  name: 'name',
  姓名: 'name',
  客户名称: 'name',
  客户姓名: 'name',
  kind: 'kind',
  客户类型: 'kind',
  phone: 'phone',
  mobile: 'phone',
  电话: 'phone',
  手机: 'phone',
  手机号: 'phone',
  联系电话: 'phone',
  phone2: 'phone2',
  备用电话: 'phone2',
  email: 'email',
  邮箱: 'email',
  vin: 'vin',
  车架号: 'vin',
  vin码: 'vin',
  plate: 'plate',
  车牌: 'plate',
  车牌号: 'plate',
  brand: 'brand',
  品牌: 'brand',
  model: 'model',
  车型: 'model',
  model_year: 'modelYear',
  year: 'modelYear',
  年款: 'modelYear',
  colour: 'colour',
  color: 'colour',
  颜色: 'colour',
  invoice_date: 'invoiceDate',
  开票日期: 'invoiceDate',
  delivery_date: 'deliveryDate',
  交车日期: 'deliveryDate',
  odometer_km: 'odometerKm',
  mileage: 'odometerKm',
  里程: 'odometerKm',
  行驶里程: 'odometerKm',
  notes: 'notes',
  备注: 'notes',
};

export interface ImportColumns {
  name: string;
  kind: string;
  phone: string;
  phone2: string;
  email: string;
  vin: string;
  plate: string;
  brand: string;
  model: string;
  modelYear: string;
  colour: string;
  invoiceDate: string;
  deliveryDate: string;
  odometerKm: string;
  notes: string;
}

export type RawImportRow = Partial<Record<keyof ImportColumns, string>>;

/** Most rows a single import accepts: bounded work per job, and per API request body. */
export const MAX_IMPORT_ROWS = 20_000;
/**
 * Most columns a file's header (and any row) may have, and most characters in one cell: a file past
 * these is not a customer list (the longest field, notes, takes 2,000), and the bounds keep one row's
 * parse, its error report and its chunk item small.
 */
export const MAX_IMPORT_COLUMNS = 50;
export const MAX_IMPORT_CELL_CHARS = 2_000;
export const IMPORT_CHUNK_ROWS = 100;

export const ImportStatus = z.enum(['queued', 'running', 'completed', 'completed_with_errors']);

/**
 * What an import brings in: every kind is declared by the capability that owns its rows
 * (`defineImportKind`, `kinds.ts`); this is the list of their names, which the consumer's appliers
 * must cover exactly.
 */
export const ImportKindName = z.enum(['customers-vehicles', 'labour-ops', 'parts']);
export type ImportKindName = z.infer<typeof ImportKindName>;

export const ImportJob = z.object({
  id: z.string(),
  storeId: z.string(),
  kind: ImportKindName,
  fileName: z.string(),
  status: ImportStatus,
  totalRows: WholeNumber,
  processedRows: WholeNumber,
  created: WholeNumber,
  updated: WholeNumber,
  unchanged: WholeNumber,
  failed: WholeNumber,
  chunks: WholeNumber,
  chunksDone: WholeNumber,
  createdAt: Instant,
  updatedAt: Instant,
  createdBy: z.string(),
  /** Columns of the file that were not recognised, and so not imported. */
  unknownHeaders: z.array(z.string()),
});
export type ImportJob = z.infer<typeof ImportJob>;

export const ImportRowError = z.object({
  row: z
    .int()
    .describe(
      'The row’s number as a spreadsheet shows the file: its first row (normally the header) is 1, and empty rows count (they are skipped, not imported). A quoted cell with line breaks keeps its row one row.',
    ),
  errors: z.array(z.object({ path: z.string(), message: z.string(), code: z.string().optional() })),
});
export type ImportRowError = z.infer<typeof ImportRowError>;

/** A job as stored: its status is derived from the counters when read, never stored beside them. */
export const StoredImportJob = ImportJob.omit({ status: true }).extend({
  // Jobs stored before unknown headers were recorded have none.
  unknownHeaders: z.array(z.string()).default([]),
  // Jobs stored before import kinds were all of customers and vehicles.
  kind: ImportKindName.default('customers-vehicles'),
});
export type StoredImportJob = z.infer<typeof StoredImportJob>;

/**
 * A chunk of an import's rows (at most `IMPORT_CHUNK_ROWS`): raw rows in while pending, row errors out
 * once done. `rowNumbers` are the rows' numbers in the file; chunks stored before they were kept have
 * `firstRow` (data rows counted from 1) and, once done, errors without `rowNumbering: 'sheet'`.
 */
export const ImportChunk = z.object({
  rows: z.array(z.record(z.string(), z.string())).optional(),
  rowNumbers: z.array(z.int()).optional(),
  firstRow: z.int().optional(),
  status: z.enum(['pending', 'done']),
  errors: z.array(ImportRowError).optional(),
  rowNumbering: z.literal('sheet').optional(),
});
export type ImportChunk = z.infer<typeof ImportChunk>;

/** A start's claim on an upload, while its chunks are written (see `Imports.createFromUpload`). */
export const ImportClaim = z.object({ at: Instant });
export type ImportClaim = z.infer<typeof ImportClaim>;

/** The status a job's counters give. */
export function importStatus(job: StoredImportJob): ImportJob['status'] {
  if (job.chunksDone >= job.chunks) return job.failed > 0 ? 'completed_with_errors' : 'completed';
  return job.chunksDone > 0 ? 'running' : 'queued';
}

/**
 * Largest CSV an import takes (8 MiB, about 20,000 rows with room to spare). The file goes to S3, not
 * through the API: API Gateway → Lambda takes at most 6 MB per request.
 */
export const MAX_IMPORT_FILE_BYTES = 8 * 1024 * 1024;
/** How long an upload URL stays valid: long enough for a slow line, short enough to be useless if leaked. */
export const UPLOAD_URL_TTL_SECONDS = 15 * 60;
export const UPLOAD_ID_PREFIX = 'upl';

// `newId('upl')`: the prefix, 10 time and 16 random Crockford base32 characters.
export const UploadId = z
  .string()
  .regex(/^upl_[0-9A-HJKMNP-TV-Z]{26}$/, 'Not an upload id from POST …/imports/uploads.')
  .meta({
    description: 'The `uploadId` from `POST …/imports/uploads`, of this store.',
    example: 'upl_01JD0000000000000000000000',
  });

const FileName = filledText(200);

/** The types an import file may be declared as: CSV, or an Excel workbook (.xlsx, its first sheet read). */
export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const ImportContentType = z.enum(['text/csv', XLSX_CONTENT_TYPE]);
export type ImportContentType = z.infer<typeof ImportContentType>;

/**
 * Most bytes the parts we read may unzip to, together: a zip bomb (a few KiB inflating to GiBs) is
 * refused from the sizes the archive declares, before anything is inflated; fflate's output buffer is
 * the declared size, so a part that lies about it cannot grow past it either. 20,000 rows of a
 * labour-time guide are about 10 MiB of sheet XML.
 */
export const MAX_XLSX_UNZIPPED_BYTES = 48 * 1024 * 1024;

// Request bodies: an unknown key is a 400 naming it, like every other body.
// The file's name comes with the start of its import: nothing here would keep it.
export const ImportUploadRequest = z.strictObject({
  size: z
    .int()
    .check(z.gte(1, 'The file is empty.'), z.lte(MAX_IMPORT_FILE_BYTES, 'Split files larger than 8 MiB.'))
    .meta({
      description: `The file's exact size in bytes (at most ${MAX_IMPORT_FILE_BYTES}). It is signed into the URL: S3 refuses a body of any other length.`,
    }),
  contentType: ImportContentType.optional().meta({
    description:
      "What the file is: `text/csv` (the default) or an Excel workbook (`.xlsx`), whose first worksheet is read. Signed into the URL as the PUT's `Content-Type`.",
  }),
});
export type ImportUploadRequest = z.infer<typeof ImportUploadRequest>;

export const ImportUpload = z.object({
  uploadId: UploadId,
  url: z.url().meta({
    description: 'Presigned S3 URL: `PUT` the file (UTF-8 CSV, or the .xlsx as saved) to it, with `headers`.',
  }),
  method: z.literal('PUT'),
  headers: z.object({ 'content-type': ImportContentType }).meta({
    description:
      'Headers to send with the PUT, exactly. `Content-Length` must equal the declared `size` (HTTP clients set it from the body).',
  }),
  maxBytes: z
    .int()
    .meta({ description: 'The most any import file may be; this URL takes exactly the declared `size`.' }),
  expiresAt: z.iso.datetime().meta({ description: 'The URL is refused by S3 after this time.' }),
});
export type ImportUpload = z.infer<typeof ImportUpload>;

export const ImportRequest = z.strictObject({ fileName: FileName, uploadId: UploadId });
export type ImportRequest = z.infer<typeof ImportRequest>;

export type ImportRowParse =
  | { ok: true; customer: CustomerFields; vehicle?: VehicleFields }
  | { ok: false; errors: FieldError[] };

const KIND_ALIASES: Record<string, 'individual' | 'company'> = {
  individual: 'individual',
  个人: 'individual',
  company: 'company',
  公司: 'company',
  单位: 'company',
};

/**
 * A row's numbers. A second number that is the first once normalised (old systems often copy the
 * mobile into 备用电话, or write it once with +86) is the same number: merged, not a refused row, since
 * nothing of the customer is lost. (A typed form with a repeat is refused: `DUPLICATE_PHONE`.)
 */
function rowPhones(row: RawImportRow): string[] {
  const { phone, phone2 } = row;
  if (phone && phone2 && normalizePhone(phone) === normalizePhone(phone2)) return [phone];
  return [phone, phone2].filter((n): n is string => Boolean(n));
}

/** Validates one row with the same schemas the API uses, so an imported record is as clean as a typed one. */
export function parseImportRow(row: RawImportRow): ImportRowParse {
  const errors: FieldError[] = [];
  const customer = CustomerInput.safeParse({
    kind: row.kind ? (KIND_ALIASES[row.kind.toLowerCase()] ?? row.kind) : undefined,
    name: row.name ?? '',
    phones: rowPhones(row).map((number) => ({ number })),
    email: row.email,
    notes: row.notes,
  });
  if (!customer.success) errors.push(...issuesToFieldErrors(customer.error.issues, 'customer'));
  let vehicle: VehicleFields | undefined;
  if (row.vin) {
    const parsed = VehicleInput.safeParse({
      vin: row.vin,
      plate: row.plate,
      brand: row.brand ?? '',
      model: row.model ?? '',
      modelYear: row.modelYear ? Number(row.modelYear) : undefined,
      colour: row.colour,
      invoiceDate: row.invoiceDate,
      deliveryDate: row.deliveryDate,
      odometerKm: row.odometerKm ? Number(row.odometerKm) : undefined,
    });
    if (parsed.success) vehicle = parsed.data;
    else errors.push(...issuesToFieldErrors(parsed.error.issues, 'vehicle'));
  }
  if (errors.length > 0 || !customer.success) return { ok: false, errors };
  return vehicle ? { ok: true, customer: customer.data, vehicle } : { ok: true, customer: customer.data };
}

/**
 * zod issues → our field errors (one shape for API responses and import reports). An unknown key is
 * one error per key, at that key's path; a rule's own code (`params.code`) wins over zod's generic one.
 */
export function issuesToFieldErrors(issues: readonly z.core.$ZodIssue[], prefix?: string): FieldError[] {
  const at = (path: readonly PropertyKey[]) =>
    [prefix, ...path.map(String)].filter(Boolean).join('.') || '(body)';
  return issues.flatMap((i): FieldError[] => {
    if (i.code === 'unrecognized_keys') {
      return i.keys.map((key) => ({
        path: at([...i.path, key]),
        message: `Unknown field "${key}": it is not part of this request.`,
        code: i.code,
      }));
    }
    const own = i.code === 'custom' ? i.params?.code : undefined;
    return [{ path: at(i.path), message: i.message, code: typeof own === 'string' ? own : i.code }];
  });
}

const EventCount = z.int();

/** 数据导入: the events of an import job, and who may run imports. */
export const IMPORTS = defineCapability({
  aggregates: { import: [] },
  events: {
    'import.created': z.object({
      importId: RequiredText,
      chunks: Count,
      totalRows: EventCount,
    }),
    'import.chunkStored': z.object({ importId: RequiredText, chunk: Count }),
    'import.completed': z.object({
      importId: RequiredText,
      totalRows: EventCount,
      created: EventCount,
      updated: EventCount,
      unchanged: EventCount,
      failed: EventCount,
    }),
  },
  permissions: { 'registry:import': ['service_manager', 'front_desk_supervisor'] },
  figures: {
    figures: {
      imports: { label: { en: 'Imports', 'zh-CN': '导入次数' } },
      // 错误行: the CSV rows an import could not take.
      importFailedRows: { label: { en: 'Failed import rows', 'zh-CN': '导入错误行' } },
    },
    on: {
      'import.created': () => ({ imports: 1 }),
      'import.completed': ({ data }) => ({ importFailedRows: data.failed }),
    },
  },
});
