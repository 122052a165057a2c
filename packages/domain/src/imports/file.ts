import { importRecords, MAX_IMPORT_RECORDS, type ParsedCsv, parseImportCsv } from './csv.ts';
import { CUSTOMERS_VEHICLES_HEADER } from './customers-vehicles.ts';
import type { ImportKindHeader } from './kinds.ts';
import { XLSX_CONTENT_TYPE } from './model.ts';
import { parseXlsxRecords, XlsxError } from './xlsx.ts';

/** An uploaded import file (导入文件), as stored: its bytes and the type declared for it at upload. */
export interface ImportFile {
  bytes: Uint8Array;
  contentType: string | undefined;
}

/**
 * Whether a file is an Excel workbook: its declared type says so, or (a file uploaded before types
 * were declared, or by a client that declared none) its name ends in `.xlsx`.
 */
export const isXlsx = (file: ImportFile, fileName: string): boolean =>
  file.contentType === XLSX_CONTENT_TYPE || /\.xlsx$/i.test(fileName);

/** CSV or the first sheet of a workbook, read into the rows of an import of `kind`, with the same checks. */
export function parseImportFile(
  file: ImportFile,
  fileName: string,
  kind: ImportKindHeader = CUSTOMERS_VEHICLES_HEADER,
): ParsedCsv {
  if (!isXlsx(file, fileName)) return parseImportCsv(new TextDecoder('utf-8').decode(file.bytes), kind);
  try {
    return importRecords(parseXlsxRecords(file.bytes, { maxRecords: MAX_IMPORT_RECORDS }), kind);
  } catch (e) {
    if (!(e instanceof XlsxError)) throw e;
    return { ok: false, fieldErrors: [{ path: 'csv', code: e.code, message: e.message }] };
  }
}
