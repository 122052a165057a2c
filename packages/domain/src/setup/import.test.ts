import { describe, expect, it } from 'vitest';
import { parseImportCsv } from '../imports/csv.ts';
import { decodeImportRow } from '../imports/kinds.ts';
import { LABOUR_OPS_IMPORT } from './import.ts';

describe('the labour-op import kind', () => {
  it('reads Chinese and English headers into the same columns, and names what it ignored', () => {
    // Act
    const zh = parseImportCsv(
      '工时代码,工时名称,标准工时,技能,技师等级,工位类型,备注\nA1,换油,0.5,发动机,初级,通用,x',
      LABOUR_OPS_IMPORT,
    );
    const en = parseImportCsv(
      'Op code,Name zh,Hours,Skill,Level,Bay type\nA1,换油,0.5,engine,junior,general',
      LABOUR_OPS_IMPORT,
    );

    // Assess
    expect(zh).toMatchObject({ ok: true, unknownHeaders: ['备注'] });
    expect(zh.ok && en.ok && zh.rows[0]).toEqual(
      en.ok && en.rows[0] && { ...en.rows[0], skill: '发动机', level: '初级', bayType: '通用' },
    );
  });

  it('decodes Chinese enum words, model hours with full-width separators, and an absent English name', () => {
    // Act
    const row = decodeImportRow(LABOUR_OPS_IMPORT, {
      code: 'BRK-01',
      nameZh: '更换刹车片',
      hours: '1.5',
      modelHours: 'A6L：1.8；Q5L:2',
      skill: '底盘',
      level: '高级',
      bayType: '四轮定位',
    });

    // Assess
    expect(row).toEqual({
      ok: true,
      value: {
        code: 'BRK-01',
        name: { zh: '更换刹车片' },
        hours: 1.5,
        modelHours: [
          { model: 'A6L', hours: 1.8 },
          { model: 'Q5L', hours: 2 },
        ],
        skill: 'chassis',
        level: 'senior',
        bayType: 'alignment',
      },
    });
  });

  it('reports each bad cell at its column, an entry of model hours by its place', () => {
    // Act
    const row = decodeImportRow(LABOUR_OPS_IMPORT, {
      code: 'x y',
      hours: '0.25',
      modelHours: 'A6L:1;a6l:2;Q5L',
      skill: 'magic',
      level: 'junior',
      bayType: 'general',
    });

    // Assess
    expect(row.ok ? [] : row.errors.map((e) => e.path)).toEqual([
      'code',
      'nameZh',
      'hours',
      'modelHours.2.hours',
      'skill',
    ]);
  });
});
