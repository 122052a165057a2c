import { LABOUR_OPS_HEADER, MAX_XLSX_UNZIPPED_BYTES, XLSX_CONTENT_TYPE } from '@aftersales/domain';
import { parseImportFile } from '@aftersales/domain/import-file';
import { writeXlsx } from '@aftersales/domain/xlsx-write';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';

const xlsx = (bytes: Uint8Array) => ({ bytes, contentType: XLSX_CONTENT_TYPE });
const parse = (bytes: Uint8Array) => parseImportFile(xlsx(bytes), 'guide.xlsx', LABOUR_OPS_HEADER);
const HEADER = ['工时代码', '工时名称', '标准工时', '技能', '技师等级', '工位类型'];

/** A workbook of hand-written parts: what Excel writes that our writer does not. */
function rawWorkbook(sheet: string, extra: Record<string, string> = {}): Uint8Array {
  return zipSync({
    'xl/workbook.xml': strToU8(
      '<workbook><sheets><sheet name="A" sheetId="1" r:id="rId1"/></sheets></workbook>',
    ),
    'xl/_rels/workbook.xml.rels': strToU8(
      '<Relationships><Relationship Id="rId1" Target="/xl/worksheets/data.xml"/></Relationships>',
    ),
    'xl/worksheets/data.xml': strToU8(
      `<worksheet><cols><col min="1"/></cols><sheetData>${sheet}</sheetData></worksheet>`,
    ),
    ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, strToU8(v)])),
  });
}

describe('reading an .xlsx import file (导入文件)', () => {
  it('reads the first sheet: shared and inline strings, numbers, gaps, empty rows keep their numbers', () => {
    // Act
    const parsed = parse(
      writeXlsx([
        HEADER,
        ['OP-1', { inline: '更换 <机油> & 滤芯' }, 1.1000000000000001, 'engine', 'junior', 'general'],
        [null, null],
        ['OP-2', '四轮定位', 1, null, 'senior', 'alignment'],
      ]),
    );

    // Assess
    expect(parsed).toEqual({
      ok: true,
      rows: [
        {
          code: 'OP-1',
          nameZh: '更换 <机油> & 滤芯',
          hours: '1.1',
          skill: 'engine',
          level: 'junior',
          bayType: 'general',
        },
        { code: 'OP-2', nameZh: '四轮定位', hours: '1', level: 'senior', bayType: 'alignment' },
      ],
      rowNumbers: [2, 4],
      unknownHeaders: [],
    });
  });

  it('reads date-formatted numbers as ISO dates, booleans, rich text without its phonetic guide', () => {
    // Prepare: style 1 is a built-in date format, style 2 a custom one
    const styles =
      '<styleSheet><numFmts><numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/></numFmts><cellXfs><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/></cellXfs></styleSheet>';
    const strings = '<sst><si><r><t>保</t></r><r><t>养</t></r><rPh sb="0" eb="1"><t>bao</t></rPh></si></sst>';
    const bytes = rawWorkbook(
      '<row r="3"><c r="A3" t="s"><v>0</v></c><c r="C3" s="1"><v>45658</v></c><c r="D3" s="2"><v>45658.5</v></c><c r="E3" t="b"><v>1</v></c></row>',
      { 'xl/styles.xml': styles, 'xl/sharedStrings.xml': strings },
    );

    // Act
    const parsed = parseImportFile(xlsx(bytes), 'x.xlsx', {
      ...LABOUR_OPS_HEADER,
      columns: { ...LABOUR_OPS_HEADER.columns, required: [] },
    });

    // Assess: the only row is the header, as read (the empty B3 between filled cells is an empty header)
    expect(parsed).toMatchObject({
      ok: true,
      rows: [],
      unknownHeaders: ['保养', '', '2025-01-01', '2025-01-01T12:00:00', 'TRUE'],
    });
  });

  it('refuses what is not a workbook, and a sheet whose XML is broken, as XLSX_MALFORMED', () => {
    // Act
    const notZip = parse(strToU8('工时代码,工时名称\n'));
    const broken = parse(rawWorkbook('<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is>'));
    const noSheet = parse(zipSync({ 'docProps/app.xml': strToU8('<x/>') }));

    // Assess
    for (const parsed of [notZip, broken, noSheet])
      expect(parsed).toMatchObject({ ok: false, fieldErrors: [{ path: 'csv', code: 'XLSX_MALFORMED' }] });
  });

  it('refuses a zip bomb from its declared size, before inflating it', () => {
    // Prepare: a sheet of blanks that compresses a thousandfold, just past the cap
    const sheet = new Uint8Array(MAX_XLSX_UNZIPPED_BYTES + 1).fill(32);
    const bomb = zipSync({ 'xl/worksheets/sheet1.xml': sheet }, { level: 9 });

    // Act
    const parsed = parse(bomb);

    // Assess
    expect(bomb.byteLength).toBeLessThan(200_000);
    expect(parsed).toMatchObject({ ok: false, fieldErrors: [{ code: 'XLSX_TOO_LARGE' }] });
  });

  it('holds a workbook to the CSV limits: too many rows, a missing column', () => {
    // Prepare
    const many = writeXlsx([HEADER, ...Array.from({ length: 20_001 }, (_, i) => [`OP-${i}`, '保养', 1])]);

    // Act
    const tooMany = parse(many);
    const missing = parse(writeXlsx([['工时代码'], ['X1']]));

    // Assess
    expect(tooMany).toMatchObject({ ok: false, fieldErrors: [{ code: 'CSV_TOO_LARGE' }] });
    expect(missing).toMatchObject({ ok: false, fieldErrors: [{ code: 'CSV_COLUMNS' }] });
  });

  it('reads a CSV declared as one, whatever its name, and an .xlsx named so without a declared type', () => {
    // Act
    const csv = parseImportFile(
      { bytes: strToU8(`${HEADER.join(',')}\nX1,保养,1,engine,junior,general\n`), contentType: 'text/csv' },
      'a.csv',
      LABOUR_OPS_HEADER,
    );
    const named = parseImportFile(
      { bytes: writeXlsx([HEADER]), contentType: undefined },
      'GUIDE.XLSX',
      LABOUR_OPS_HEADER,
    );

    // Assess
    expect(csv).toMatchObject({ ok: true, rows: [{ code: 'X1' }] });
    expect(named).toMatchObject({ ok: true, rows: [] });
  });
});
