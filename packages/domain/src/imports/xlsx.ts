import { type UnzipFileInfo, unzipSync } from 'fflate';
import type { CsvRecord } from './csv.ts';
import { MAX_XLSX_UNZIPPED_BYTES } from './model.ts';

/**
 * Reading an uploaded Excel workbook (.xlsx, 导入文件) into the records a CSV file gives: the first
 * worksheet, a row per record numbered as Excel numbers it, cells as the text Excel shows for text,
 * numbers, booleans and dates (ISO). Formulas give their cached value. Other sheets, styles of text and
 * anything but the cell values are ignored.
 *
 * fflate unzips (8 kB, no dependencies, maintained); the sheet's XML is read here with `indexOf`, never
 * with a backtracking regular expression over the whole part, so a hostile file costs linear time.
 */

/** Excel's own last column (XFD): a cell reference past it is not from a spreadsheet. */
const MAX_SHEET_COLUMNS = 16_384;

/** A file that is not a workbook we can read, or one too large once unzipped. */
export class XlsxError extends Error {
  constructor(
    readonly code: 'XLSX_MALFORMED' | 'XLSX_TOO_LARGE',
    message: string,
  ) {
    super(message);
  }
}

const malformed = (why: string) => new XlsxError('XLSX_MALFORMED', `Not a readable .xlsx workbook: ${why}`);

interface Element {
  attrs: string;
  body: string;
  /** Where the element starts and ends in the text searched. */
  start: number;
  end: number;
}

/**
 * The `<name …>…</name>` (or `<name …/>`) elements in `xml[from, to)`, in order. Elements of one name
 * never nest in the parts read here; a start without its end is a malformed file.
 */
function* elements(xml: string, name: string, from = 0, to = xml.length): Generator<Element> {
  const open = `<${name}`;
  const close = `</${name}>`;
  let i = from;
  for (;;) {
    const at = xml.indexOf(open, i);
    if (at < 0 || at >= to) return;
    const after = xml.charCodeAt(at + open.length);
    // `<c` must not match `<cols`: the name ends at a blank, `>` or `/`.
    if (after !== 62 && after !== 47 && after !== 32 && after !== 9 && after !== 10 && after !== 13) {
      i = at + open.length;
      continue;
    }
    const tagEnd = xml.indexOf('>', at);
    if (tagEnd < 0 || tagEnd >= to) throw malformed(`an unterminated <${name}> tag.`);
    if (xml.charCodeAt(tagEnd - 1) === 47) {
      yield { attrs: xml.slice(at + open.length, tagEnd - 1), body: '', start: at, end: tagEnd + 1 };
      i = tagEnd + 1;
      continue;
    }
    const end = xml.indexOf(close, tagEnd);
    if (end < 0 || end >= to) throw malformed(`a <${name}> element is never closed.`);
    yield {
      attrs: xml.slice(at + open.length, tagEnd),
      body: xml.slice(tagEnd + 1, end),
      start: at,
      end: end + close.length,
    };
    i = end + close.length;
  }
}

const first = (xml: string, name: string): Element | undefined => elements(xml, name).next().value;

function attr(attrs: string, name: string): string | undefined {
  // Attributes are short; the name is anchored at a blank so `r` never matches `xr:r`'s tail.
  const m = new RegExp(`(?:^|\\s)${name}="([^"]*)"`).exec(attrs);
  return m ? unescapeXml(m[1] as string) : undefined;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** XML's entities and character references, then OOXML's `_xHHHH_` escapes of control characters. */
function unescapeXml(text: string): string {
  const decoded = text.includes('&')
    ? text.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-z]{2,4});/g, (whole, ref: string) => {
        if (ref[0] !== '#') return ENTITIES[ref] ?? whole;
        const code = ref[1] === 'x' ? Number.parseInt(ref.slice(2), 16) : Number(ref.slice(1));
        return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
      })
    : text;
  return decoded.includes('_x')
    ? decoded.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) =>
        String.fromCharCode(Number.parseInt(hex, 16)),
      )
    : decoded;
}

/** A string item's text: its `<t>`, or its rich-text runs' `<t>`s; phonetic guides (`<rPh>`) are not text. */
function textOf(si: string): string {
  let text = '';
  let plain = si;
  // Drop phonetic runs first: their `<t>` is a reading (furigana/pinyin), not the cell's text.
  if (si.includes('<rPh')) {
    plain = '';
    let from = 0;
    for (const ph of elements(si, 'rPh')) {
      plain += si.slice(from, ph.start);
      from = ph.end;
    }
    plain += si.slice(from);
  }
  for (const t of elements(plain, 't')) text += t.body;
  return unescapeXml(text);
}

/** Built-in number formats that are dates or times (ECMA-376 §18.8.30). */
const DATE_FORMAT_IDS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47]);

/** Which cell styles (`s`) show their number as a date: from the built-in ids and custom format codes. */
function dateStyles(styles: string | undefined): Set<number> {
  const out = new Set<number>();
  if (!styles) return out;
  const dateFormats = new Set(DATE_FORMAT_IDS);
  for (const f of elements(styles, 'numFmt')) {
    // A custom format is a date when it has d, m, y or h outside quoted text and [colour] brackets.
    const code = (attr(f.attrs, 'formatCode') ?? '').replace(/"[^"]*"|\[[^\]]*\]|\\./g, '');
    if (/[dmyh]/i.test(code)) dateFormats.add(Number(attr(f.attrs, 'numFmtId')));
  }
  const xfs = first(styles, 'cellXfs');
  if (!xfs) return out;
  let index = 0;
  for (const xf of elements(xfs.body, 'xf')) {
    if (dateFormats.has(Number(attr(xf.attrs, 'numFmtId') ?? 0))) out.add(index);
    index++;
  }
  return out;
}

/** An Excel date serial (1900 system: day 25569 is 1970-01-01) as ISO: a date, or a date and time. */
function serialToIso(serial: number): string {
  const ms = Math.round((serial - 25_569) * 86_400_000);
  const iso = new Date(ms).toISOString();
  return ms % 86_400_000 === 0 ? iso.slice(0, 10) : iso.slice(0, 19);
}

/**
 * A number as Excel shows it in General: at most 15 significant digits, so a stored
 * 1.1000000000000001 reads as 1.1.
 */
const numberText = (n: number) => String(Number(n.toPrecision(15)));

/** `BC12` → 54 (0-based column 54 is BC). */
function columnIndex(ref: string): number {
  let col = 0;
  for (let i = 0; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c < 65 || c > 90) break;
    col = col * 26 + (c - 64);
    if (col > MAX_SHEET_COLUMNS) throw malformed(`the cell reference ${ref} is past Excel's last column.`);
  }
  return col - 1;
}

/** The parts of the archive we read, unzipped under the size cap. */
function unzipParts(bytes: Uint8Array): Record<string, Uint8Array> {
  const wanted = (name: string) =>
    name === 'xl/workbook.xml' ||
    name === 'xl/_rels/workbook.xml.rels' ||
    name === 'xl/sharedStrings.xml' ||
    name === 'xl/styles.xml' ||
    name.startsWith('xl/worksheets/');
  let total = 0;
  let worksheets = 0;
  try {
    return unzipSync(bytes, {
      filter: (file: UnzipFileInfo) => {
        if (!wanted(file.name)) return false;
        // Only the first worksheet is read, but which one is first is known only from the workbook:
        // each is counted against the cap, and a workbook of very many sheets is refused with it.
        if (file.name.startsWith('xl/worksheets/') && ++worksheets > 256)
          throw new XlsxError('XLSX_TOO_LARGE', 'The workbook has more than 256 worksheets.');
        total += file.originalSize;
        if (total > MAX_XLSX_UNZIPPED_BYTES)
          throw new XlsxError(
            'XLSX_TOO_LARGE',
            `The workbook unzips to more than ${MAX_XLSX_UNZIPPED_BYTES / 1024 / 1024} MiB: split it, or save it as CSV.`,
          );
        return true;
      },
    });
  } catch (e) {
    if (e instanceof XlsxError) throw e;
    throw malformed(`the zip archive cannot be read (${e instanceof Error ? e.message : String(e)}).`);
  }
}

/** The first worksheet's part: the workbook's first `<sheet>`, through the workbook's relationships. */
function firstSheetPath(workbook: string | undefined, rels: string | undefined): string {
  const sheet = workbook && first(workbook, 'sheet');
  const rid = sheet && attr(sheet.attrs, 'r:id');
  if (!rid || !rels) return 'xl/worksheets/sheet1.xml';
  for (const rel of elements(rels, 'Relationship')) {
    if (attr(rel.attrs, 'Id') !== rid) continue;
    const target = attr(rel.attrs, 'Target') ?? '';
    return target.startsWith('/') ? target.slice(1) : `xl/${target}`;
  }
  throw malformed('the first sheet’s part is not in the workbook’s relationships.');
}

/**
 * The first worksheet's records: rows whose every cell is empty are dropped (their numbers stay
 * unused, as in CSV); cells between filled ones are `''`; each cell is trimmed. Reading stops after
 * `maxRecords` records, so a sheet of a million rows costs no more than the import's limit.
 */
export function parseXlsxRecords(bytes: Uint8Array, opts: { maxRecords?: number } = {}): CsvRecord[] {
  const maxRecords = opts.maxRecords ?? Number.POSITIVE_INFINITY;
  const parts = unzipParts(bytes);
  const decoder = new TextDecoder('utf-8');
  const text = (name: string) => {
    const part = parts[name];
    return part ? decoder.decode(part) : undefined;
  };
  const sheetPath = firstSheetPath(text('xl/workbook.xml'), text('xl/_rels/workbook.xml.rels'));
  const sheet = text(sheetPath);
  if (sheet === undefined) throw malformed('it has no worksheet.');
  const shared = text('xl/sharedStrings.xml');
  const strings = shared === undefined ? [] : Array.from(elements(shared, 'si'), (si) => textOf(si.body));
  const dates = dateStyles(text('xl/styles.xml'));
  const data = first(sheet, 'sheetData');
  if (!data) throw malformed('its first worksheet has no <sheetData>.');

  const records: CsvRecord[] = [];
  let row = 0;
  for (const r of elements(data.body, 'row')) {
    row = Number(attr(r.attrs, 'r') ?? row + 1);
    if (!Number.isSafeInteger(row) || row < 1) throw malformed(`a row number ${attr(r.attrs, 'r')}.`);
    const cells: string[] = [];
    let col = -1;
    for (const c of elements(r.body, 'c')) {
      const ref = attr(c.attrs, 'r');
      col = ref ? columnIndex(ref) : col + 1;
      const value = cellText(c, strings, dates).trim();
      if (value === '') continue;
      while (cells.length < col) cells.push('');
      cells[col] = value;
    }
    if (cells.length > 0) records.push({ row, cells });
    if (records.length >= maxRecords) break;
  }
  return records;
}

function cellText(c: Element, strings: string[], dates: Set<number>): string {
  const type = attr(c.attrs, 't') ?? 'n';
  if (type === 'inlineStr') {
    const is = first(c.body, 'is');
    return is ? textOf(is.body) : '';
  }
  const v = first(c.body, 'v');
  if (!v) return '';
  const raw = unescapeXml(v.body);
  switch (type) {
    case 's': {
      const s = strings[Number(raw)];
      if (s === undefined) throw malformed(`a cell names shared string ${raw}, which does not exist.`);
      return s;
    }
    case 'b':
      return raw === '1' ? 'TRUE' : 'FALSE';
    case 'n': {
      const n = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(n)) throw malformed(`a number cell holds “${raw}”.`);
      return dates.has(Number(attr(c.attrs, 's') ?? 0)) ? serialToIso(n) : numberText(n);
    }
    default:
      // `str` (a formula's text), `e` (an error such as #N/A), `d` (an ISO date): the text as stored.
      return raw;
  }
}
