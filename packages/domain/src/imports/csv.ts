import type { FieldError } from '../platform/errors.ts';
import { CUSTOMERS_VEHICLES_HEADER } from './customers-vehicles.ts';
import { columnOf, describeColumn, type ImportKindHeader, type RawImportRecord } from './kinds.ts';
import { MAX_IMPORT_CELL_CHARS, MAX_IMPORT_COLUMNS, MAX_IMPORT_ROWS } from './model.ts';

/** Reading an uploaded CSV file (导入文件) into raw import rows. */
export type ParsedCsv =
  | {
      ok: true;
      rows: RawImportRecord[];
      /** Each row's number as a spreadsheet shows the file (`CsvRecord.row`): what error reports cite. */
      rowNumbers: number[];
      unknownHeaders: string[];
    }
  | { ok: false; fieldErrors: FieldError[] };

/** One record of a CSV file. */
export interface CsvRecord {
  /**
   * Its number as a spreadsheet shows the file: the first record is 1, and empty records count though
   * they are dropped. A quoted cell with line breaks keeps its record one row, so this is not a line.
   */
  row: number;
  cells: string[];
}

/** A file that is not CSV as RFC 4180 writes it; `line` is 1-based. */
export class CsvSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`Line ${line}: ${message}`);
  }
}

const QUOTE = 34; // "
const COMMA = 44; // ,
const CR = 13;
const LF = 10;

/** Whitespace other than a line break: what `String.prototype.trim` removes (U+3000 and NBSP too). */
const WIDE_BLANK = /[^\S\r\n]/;
function isBlank(code: number): boolean {
  if (code === 32 || code === 9 || code === 11 || code === 12) return true;
  return code > 127 && WIDE_BLANK.test(String.fromCharCode(code));
}

/**
 * The records of an RFC 4180 file: comma-separated, fields optionally in double quotes (`""` is a quote
 * inside them, and they may span lines), lines ending in CRLF, LF or CR. Each cell is trimmed of
 * whitespace outside its quotes; records whose every cell is empty (blank lines, a spreadsheet's `,,,`
 * rows) are dropped; records may have different numbers of cells.
 *
 * Strict where leniency would import the wrong data: a quote inside an unquoted cell, anything but
 * blanks after a closing quote, or a quote never closed throws `CsvSyntaxError` with the line.
 *
 * Our own instead of csv-parse: this grammar is the whole of what imports accept, and it keeps 27 KiB
 * of parser (with its stream machinery) out of every function that starts an import.
 */
export function parseCsvRecords(text: string, opts: { maxRecords?: number } = {}): CsvRecord[] {
  const maxRecords = opts.maxRecords ?? Number.POSITIVE_INFINITY;
  const records: CsvRecord[] = [];
  let record: string[] = [];
  let row = 0;
  let line = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; // a byte-order mark is not part of the first header
  const n = text.length;
  const endRecord = () => {
    row++;
    if (record.some((cell) => cell !== '')) records.push({ row, cells: record });
    record = [];
  };
  while (i <= n) {
    while (i < n && isBlank(text.charCodeAt(i))) i++;
    let cell: string;
    if (text.charCodeAt(i) === QUOTE) {
      const startLine = line;
      let value = '';
      let from = ++i;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) throw new CsvSyntaxError('a quoted cell is never closed.', startLine);
        for (let k = i; k < q; k++) {
          const c = text.charCodeAt(k);
          if (c === LF || (c === CR && text.charCodeAt(k + 1) !== LF)) line++;
        }
        if (text.charCodeAt(q + 1) === QUOTE) {
          value += `${text.slice(from, q)}"`;
          i = from = q + 2;
          continue;
        }
        value += text.slice(from, q);
        i = q + 1;
        break;
      }
      while (i < n && isBlank(text.charCodeAt(i))) i++;
      const next = text.charCodeAt(i);
      if (i < n && next !== COMMA && next !== CR && next !== LF)
        throw new CsvSyntaxError(
          'after a closing quote only a comma or the end of the line may follow.',
          line,
        );
      cell = value;
    } else {
      const from = i;
      while (i < n) {
        const code = text.charCodeAt(i);
        if (code === COMMA || code === CR || code === LF) break;
        if (code === QUOTE)
          throw new CsvSyntaxError(
            'a quote inside an unquoted cell (put the cell in quotes, with "" for a quote).',
            line,
          );
        i++;
      }
      cell = text.slice(from, i).trim();
    }
    record.push(cell);
    const code = text.charCodeAt(i);
    if (code === COMMA) {
      i++;
      continue;
    }
    // End of line (CRLF, LF or CR) or of the text.
    endRecord();
    if (i >= n || records.length >= maxRecords) break;
    i += code === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
    line++;
    if (i === n) break;
  }
  return records;
}

const fileError = (code: string, message: string): ParsedCsv => ({
  ok: false,
  fieldErrors: [{ path: 'csv', code, message }],
});

/**
 * Parse the upload up front so that a malformed file is a 400 at once, not a failed job later. Headers
 * are read as `kind` names its columns; rows are decoded later, one by one, by the consumer.
 */
export function parseImportCsv(csv: string, kind: ImportKindHeader = CUSTOMERS_VEHICLES_HEADER): ParsedCsv {
  let records: CsvRecord[];
  try {
    // A header, the most rows an import takes, and one more to know the file has too many.
    records = parseCsvRecords(csv, { maxRecords: MAX_IMPORT_RECORDS });
  } catch (e) {
    if (!(e instanceof CsvSyntaxError)) throw e;
    return { ok: false, fieldErrors: [{ path: 'csv', code: 'CSV_MALFORMED', message: e.message }] };
  }
  return importRecords(records, kind);
}

/** Records a file reader needs to return at most: a header, the most rows an import takes, and one more. */
export const MAX_IMPORT_RECORDS = MAX_IMPORT_ROWS + 2;

/**
 * A file's records (CSV or a workbook's first sheet) as the rows of an import of `kind`: the header
 * names the columns, and every file is held to the same bounds. The codes keep their `CSV_` names
 * whatever the format: clients already know them.
 */
export function importRecords(records: CsvRecord[], kind: ImportKindHeader): ParsedCsv {
  const [header, ...body] = records;
  if (!header)
    return {
      ok: false,
      fieldErrors: [{ path: 'csv', code: 'CSV_EMPTY', message: 'The file has no header row.' }],
    };
  const tooWide = records.find((r) => r.cells.length > MAX_IMPORT_COLUMNS);
  if (tooWide)
    return fileError(
      tooWide === header ? 'CSV_TOO_MANY_COLUMNS' : 'CSV_ROW_TOO_LONG',
      `Row ${tooWide.row} has ${tooWide.cells.length} cells: at most ${MAX_IMPORT_COLUMNS} columns are read.`,
    );
  for (const record of records) {
    const at = record.cells.findIndex((cell) => cell.length > MAX_IMPORT_CELL_CHARS);
    if (at >= 0)
      return fileError(
        'CSV_CELL_TOO_LONG',
        `Row ${record.row}, column ${at + 1}: a cell holds at most ${MAX_IMPORT_CELL_CHARS} characters.`,
      );
  }
  const columns = header.cells.map((h) => columnOf(kind, h));
  const unknownHeaders = header.cells.filter((_, i) => columns[i] === undefined);
  const missing = kind.columns.required.filter((c) => !columns.includes(c));
  if (missing.length > 0) {
    return {
      ok: false,
      fieldErrors: [
        {
          path: 'csv',
          code: 'CSV_COLUMNS',
          message: `The header needs at least these columns: ${kind.columns.required.map((c) => describeColumn(kind, c)).join(', ')}.`,
        },
      ],
    };
  }
  if (body.length > MAX_IMPORT_ROWS) {
    return {
      ok: false,
      fieldErrors: [
        { path: 'csv', code: 'CSV_TOO_LARGE', message: `Import at most ${MAX_IMPORT_ROWS} rows at a time.` },
      ],
    };
  }
  const rows = body.map(({ cells }) => {
    const row: RawImportRecord = {};
    cells.forEach((cell, i) => {
      const col = columns[i];
      if (col && cell !== '') row[col] = cell;
    });
    return row;
  });
  return { ok: true, rows, rowNumbers: body.map((r) => r.row), unknownHeaders };
}
