import { describe, expect, it } from 'vitest';
import { columnOf, decodeImportRow } from '../imports/kinds.ts';
import { PARTS_HEADER, PARTS_IMPORT } from './import.ts';

const decode = (row: Record<string, string>) => decodeImportRow(PARTS_IMPORT, row);
const BASE = {
  partNumber: '06l 115 562 b',
  nameZh: '机油滤清器',
  brand: 'Audi',
  listPrice: '¥1,280.50',
  cost: '80',
};

describe('the parts catalogue import (配件目录导入)', () => {
  it('reads Chinese and English headers as its columns', () => {
    // Act
    const columns = [
      '零件号',
      '配件名称',
      '销售价',
      '进价',
      '成本价',
      '被替代件号',
      '默认货位',
      'List price',
    ].map((h) => columnOf(PARTS_HEADER, h));

    // Assess
    expect(columns).toEqual([
      'partNumber',
      'nameZh',
      'listPrice',
      'cost',
      'cost',
      'supersededBy',
      'defaultBin',
      'listPrice',
    ]);
  });

  it('decodes a row: the number normalised, yuan to fen, units and models in Chinese, only filled cells', () => {
    // Act
    const out = decode({ ...BASE, unit: '套', models: 'A6L；Q5L', defaultBin: 'a-03-2-05' });

    // Assess
    expect(out).toEqual({
      ok: true,
      value: {
        partNumber: '06L115562B',
        name: { zh: '机油滤清器' },
        brand: 'Audi',
        listPrice: { amountMinor: 128_050, currency: 'CNY' },
        cost: { amountMinor: 8_000, currency: 'CNY' },
        unit: 'set',
        models: ['A6L', 'Q5L'],
        defaultBin: 'A-03-2-05',
      },
    });
  });

  it('names each bad cell by its column', () => {
    // Act
    const bad = decode({ ...BASE, listPrice: '12.345', unit: '盘', defaultBin: 'shelf 3' });
    const levels = decode({ ...BASE, minStock: '5', maxStock: '1' });
    const missing = decode({ partNumber: 'X1' });

    // Assess
    expect(bad.ok ? [] : bad.errors.map((e) => e.path)).toEqual(['unit', 'listPrice', 'defaultBin']);
    expect(levels.ok ? [] : levels.errors.map((e) => e.path)).toEqual(['maxStock']);
    expect(missing.ok ? [] : missing.errors.map((e) => e.path)).toEqual([
      'nameZh',
      'brand',
      'listPrice',
      'cost',
    ]);
  });
});
