import { readFileSync, writeFileSync } from 'node:fs';
import { parseCsvRecords } from '@aftersales/domain/csv';
import { writeXlsx, type XlsxCell } from '@aftersales/domain/xlsx-write';

/**
 * A CSV file's rows as a workbook's, each at its own row (empty ones stay empty rows): cells that are
 * numbers become number cells, as Excel would keep them.
 */
export function csvToXlsx(csv: string): Uint8Array {
  const rows: XlsxCell[][] = [];
  for (const { row, cells } of parseCsvRecords(csv)) {
    while (rows.length < row - 1) rows.push([]);
    rows.push(cells.map((cell) => (cell === '' ? null : /^-?\d+(\.\d+)?$/.test(cell) ? Number(cell) : cell)));
  }
  return writeXlsx(rows, { sheetName: '工时目录' });
}

// `tsx packages/seed/src/setup/xlsx.ts`: writes the sample guide's workbook beside its CSV.
if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = new URL('../../samples/', import.meta.url);
  const csv = readFileSync(new URL('labour-operations.csv', dir), 'utf8');
  writeFileSync(new URL('labour-operations.xlsx', dir), csvToXlsx(csv));
}
