import { describe, expect, it } from 'vitest';
import { CsvSyntaxError, parseCsvRecords, parseImportCsv } from './csv.ts';
import { MAX_IMPORT_CELL_CHARS, MAX_IMPORT_COLUMNS, MAX_IMPORT_ROWS } from './model.ts';

/** The cells of each record, without their row numbers. */
const cellsOf = (text: string, opts?: { maxRecords?: number }) =>
  parseCsvRecords(text, opts).map((r) => r.cells);

describe('parseCsvRecords', () => {
  it('splits cells on commas and records on CRLF, LF or CR', () => {
    expect(cellsOf('a,b\r\nc,d\ne,f\rg,h')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
      ['e', 'f'],
      ['g', 'h'],
    ]);
  });

  it('reads quoted cells with commas, doubled quotes and line breaks inside', () => {
    expect(cellsOf('"王, 伟","say ""hi""","two\r\nlines"\nx,"",y')).toEqual([
      ['王, 伟', 'say "hi"', 'two\r\nlines'],
      ['x', '', 'y'],
    ]);
  });

  it('trims blanks outside quotes only', () => {
    expect(cellsOf('  a ,\t"  b  "  , c\t')).toEqual([['a', '  b  ', 'c']]);
  });

  it('drops a byte-order mark, blank lines and rows of empty cells, and keeps ragged rows', () => {
    expect(cellsOf('\uFEFFname,phone\n\n  \n,,\nLi,1,extra\nWang\n')).toEqual([
      ['name', 'phone'],
      ['Li', '1', 'extra'],
      ['Wang'],
    ]);
  });

  it('keeps a trailing empty cell and reads an empty text as no records', () => {
    expect(cellsOf('a,b,')).toEqual([['a', 'b', '']]);
    expect(cellsOf('')).toEqual([]);
  });

  it('refuses a quote never closed, with the line it opened on', () => {
    const e = (() => {
      try {
        parseCsvRecords('a,b\nc,"open\nstill open');
      } catch (x) {
        return x;
      }
    })();
    expect(e).toBeInstanceOf(CsvSyntaxError);
    expect(e).toMatchObject({ line: 2 });
  });

  it('numbers records as a spreadsheet shows them: empty rows count, a cell with line breaks is one row', () => {
    expect(parseCsvRecords('h\n\n,,\na,"x\ny"\r\nb\n')).toEqual([
      { row: 1, cells: ['h'] },
      { row: 4, cells: ['a', 'x\ny'] },
      { row: 5, cells: ['b'] },
    ]);
  });

  it('refuses text after a closing quote and a quote inside an unquoted cell', () => {
    expect(() => parseCsvRecords('"a"b,c')).toThrow(/Line 1: after a closing quote/);
    expect(() => parseCsvRecords('x\n"multi\nline" z')).toThrow(/Line 3: after a closing quote/);
    expect(() => parseCsvRecords('ok\nsay "hi"')).toThrow(/Line 2: a quote inside an unquoted cell/);
  });
});

/** RFC 4180 as a spreadsheet writes it: quotes around any cell that needs them. */
function toCsv(records: string[][], eol: string): string {
  const cell = (v: string) => (/[",\r\n]|^[ \t]|[ \t]$/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
  return records.map((r) => r.map(cell).join(',')).join(eol);
}

describe('parseCsvRecords, edges', () => {
  it('counts lines ended by a lone CR inside quoted cells too', () => {
    expect(() => parseCsvRecords('x\r"a\rb"\r"c')).toThrow(/^Line 4: a quoted cell is never closed/);
  });

  it('treats the whitespace trim removes (full-width space, NBSP) as blank before and after quotes', () => {
    expect(cellsOf('a,\u3000"b"\u00a0,\u3000c\u3000')).toEqual([['a', 'b', 'c']]);
  });

  it('stops after maxRecords records without reading the rest', () => {
    expect(cellsOf('h\n1\n2\n"never closed', { maxRecords: 3 })).toEqual([['h'], ['1'], ['2']]);
  });
});

describe('parseCsvRecords reads back what a CSV writer wrote', () => {
  it('for a thousand generated files', () => {
    let seed = 42;
    const random = (k: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % k;
    };
    const alphabet = ['a', 'Z', '9', '王', ' ', '\t', ',', '"', '\n', '\r\n', '-', '😀'];
    for (let file = 0; file < 1000; file++) {
      const records = Array.from({ length: 1 + random(5) }, () =>
        Array.from({ length: 1 + random(4) }, () =>
          Array.from({ length: random(6) }, () => alphabet[random(alphabet.length)]).join(''),
        ),
      ).filter((r) => r.some((c) => c !== ''));
      const eol = ['\n', '\r\n', '\r'][random(3)]!;
      expect(cellsOf(toCsv(records, eol))).toEqual(records);
    }
  });
});

describe('parseImportCsv', () => {
  it('refuses a file with too many rows once it has read one more than the limit', () => {
    const rows = Array.from({ length: MAX_IMPORT_ROWS + 1 }, (_, k) => `Li ${k},1380013${k}`);
    const tooMany = parseImportCsv(['name,phone', ...rows, '"never closed'].join('\n'));
    expect(tooMany).toMatchObject({ ok: false, fieldErrors: [{ code: 'CSV_TOO_LARGE' }] });
  });

  it('refuses a header with more columns than an import reads', () => {
    const header = ['name', 'phone', ...Array.from({ length: MAX_IMPORT_COLUMNS - 1 }, (_, k) => `x${k}`)];
    expect(parseImportCsv(`${header.join(',')}\nLi,138`)).toMatchObject({
      ok: false,
      fieldErrors: [{ path: 'csv', code: 'CSV_TOO_MANY_COLUMNS', message: expect.stringContaining('Row 1') }],
    });
  });

  it('refuses a row with more cells than an import reads, naming its row', () => {
    const wide = Array.from({ length: MAX_IMPORT_COLUMNS + 1 }, () => 'a').join(',');
    expect(parseImportCsv(`name,phone\nLi,138\n${wide}`)).toMatchObject({
      ok: false,
      fieldErrors: [{ code: 'CSV_ROW_TOO_LONG', message: expect.stringContaining('Row 3') }],
    });
  });

  it('refuses a cell longer than the limit, naming its row and column; one at the limit is read', () => {
    const at = 'n'.repeat(MAX_IMPORT_CELL_CHARS);
    expect(parseImportCsv(`name,phone,notes\nLi,138,${at}`)).toMatchObject({ ok: true });
    expect(parseImportCsv(`name,phone,notes\nLi,138,${at}n`)).toEqual({
      ok: false,
      fieldErrors: [
        {
          path: 'csv',
          code: 'CSV_CELL_TOO_LONG',
          message: `Row 2, column 3: a cell holds at most ${MAX_IMPORT_CELL_CHARS} characters.`,
        },
      ],
    });
  });

  it('gives each row its number in the file, for the error report', () => {
    expect(parseImportCsv('name,phone\n\nLi,138\n,\n"Wang\nJr.",139\nZhao,137')).toMatchObject({
      ok: true,
      rows: [
        { name: 'Li', phone: '138' },
        { name: 'Wang\nJr.', phone: '139' },
        { name: 'Zhao', phone: '137' },
      ],
      rowNumbers: [3, 5, 6],
    });
  });

  it('answers CSV_MALFORMED with the line for a file that is not CSV', () => {
    expect(parseImportCsv('name,phone\n"Li,138')).toEqual({
      ok: false,
      fieldErrors: [
        { path: 'csv', code: 'CSV_MALFORMED', message: 'Line 2: a quoted cell is never closed.' },
      ],
    });
  });
});
