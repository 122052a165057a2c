import { parse } from 'csv-parse/sync';
import type { FieldError } from './errors.ts';
import { HEADER_ALIASES, MAX_IMPORT_ROWS, type RawImportRow } from './import.ts';

/**
 * Reading an uploaded CSV file (server side: csv-parse needs Node). Kept out of the package index so
 * the browser bundle, which shares the schemas, does not carry a parser it never uses.
 */
export type ParsedCsv =
  | { ok: true; rows: RawImportRow[]; unknownHeaders: string[] }
  | { ok: false; fieldErrors: FieldError[] };

/** Parse the upload up front so that a malformed file is a 400 at once, not a failed job later. */
export function parseImportCsv(csv: string): ParsedCsv {
  let records: string[][];
  try {
    records = parse(csv.replace(/^\uFEFF/, ''), {
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
    });
  } catch (e) {
    return {
      ok: false,
      fieldErrors: [{ path: 'csv', code: 'CSV_MALFORMED', message: (e as Error).message }],
    };
  }
  const [header, ...body] = records;
  if (!header)
    return {
      ok: false,
      fieldErrors: [{ path: 'csv', code: 'CSV_EMPTY', message: 'The file has no header row.' }],
    };
  const columns = header.map((h) => HEADER_ALIASES[h.trim().toLowerCase().replace(/\s+/g, '_')]);
  const unknownHeaders = header.filter((_, i) => columns[i] === undefined);
  if (!columns.includes('name') || !columns.includes('phone')) {
    return {
      ok: false,
      fieldErrors: [
        {
          path: 'csv',
          code: 'CSV_COLUMNS',
          message: 'The header needs at least a name (姓名) and a phone (电话) column.',
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
  const rows = body.map((cells) => {
    const row: RawImportRow = {};
    cells.forEach((cell, i) => {
      const col = columns[i];
      if (col && cell !== '') row[col] = cell;
    });
    return row;
  });
  return { ok: true, rows, unknownHeaders };
}
