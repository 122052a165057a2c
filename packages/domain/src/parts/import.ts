import * as z from 'zod';
import { defineImportKind, defineImportKindHeader } from '../imports/kinds.ts';
import { Money, toMinor } from '../platform/money.ts';
import { BinLocation, type PartFields, PartInput, PartNumber, PartUnit } from './model.ts';

/**
 * A catalogue row decoded: the part's number, name, brand and prices, and of the rest only the cells
 * the row fills. An empty cell leaves a known part's value as it is (a price list updates prices without
 * resetting min/max), and takes the catalogue's default for a new part.
 */
export type PartImportRow = Pick<PartFields, 'partNumber' | 'name' | 'brand' | 'listPrice' | 'cost'> &
  Partial<
    Pick<
      PartFields,
      'models' | 'unit' | 'minStock' | 'maxStock' | 'supersedes' | 'supersededBy' | 'defaultBin'
    >
  >;

const required = <T extends z.ZodType<unknown, string>>(schema: T) =>
  z.string({ error: 'This cell is empty.' }).pipe(schema);

/** Words Chinese DMS exports use for a unit (计量单位). */
const UNIT_WORDS: Record<string, PartUnit> = {
  个: 'piece',
  件: 'piece',
  只: 'piece',
  片: 'piece',
  套: 'set',
  升: 'litre',
  l: 'litre',
  瓶: 'bottle',
  桶: 'bottle',
  米: 'metre',
  m: 'metre',
  千克: 'kg',
  公斤: 'kg',
  盒: 'box',
  箱: 'box',
};
const Unit = z
  .string()
  .transform((v) => UNIT_WORDS[v.trim().toLowerCase()] ?? v.trim().toLowerCase())
  .pipe(PartUnit);

/** A yuan amount as a price list prints it (`¥1,280.50`, `1280.5`) → Money in fen; at most 2 decimals. */
const Yuan = z
  .string()
  .transform((v) => v.replace(/[¥￥,，\s]|元$/g, ''))
  .pipe(z.string().regex(/^\d+(\.\d{1,2})?$/, 'Give an amount in yuan with at most 2 decimals (120.50).'))
  .transform((v) => ({ amountMinor: toMinor(Number(v)), currency: 'CNY' as const }))
  .pipe(Money);

const Level = z.string().transform(Number).pipe(PartInput.shape.minStock.unwrap());

/** `A6L; Q5L` (full-width `；` too) → the models it fits. */
const ModelsCell = z
  .string()
  .transform((cell) =>
    cell
      .split(/[;；]/)
      .map((m) => m.trim())
      .filter(Boolean),
  )
  .pipe(PartInput.shape.models.unwrap());

/**
 * 配件目录导入: a manufacturer's price list or an old DMS's parts master, one part a row, matched on the
 * part number whatever its case and spacing: a new number is added, a known one updated. Errors name
 * the column (`listPrice`, `models.2`).
 */
export const PARTS_HEADER = defineImportKindHeader({
  kind: 'parts',
  permission: 'part:manage',
  columns: {
    required: ['partNumber', 'nameZh', 'brand', 'listPrice', 'cost'],
    optional: [
      'nameEn',
      'models',
      'unit',
      'minStock',
      'maxStock',
      'supersedes',
      'supersededBy',
      'defaultBin',
    ],
    headerAliases: {
      part_number: 'partNumber',
      part_no: 'partNumber',
      零件号: 'partNumber',
      配件号: 'partNumber',
      配件编号: 'partNumber',
      name_zh: 'nameZh',
      name: 'nameZh',
      配件名称: 'nameZh',
      零件名称: 'nameZh',
      名称: 'nameZh',
      name_en: 'nameEn',
      english_name: 'nameEn',
      英文名称: 'nameEn',
      品牌: 'brand',
      适用车型: 'models',
      车型: 'models',
      单位: 'unit',
      计量单位: 'unit',
      list_price: 'listPrice',
      price: 'listPrice',
      销售价: 'listPrice',
      售价: 'listPrice',
      进价: 'cost',
      成本价: 'cost',
      min_stock: 'minStock',
      最低库存: 'minStock',
      max_stock: 'maxStock',
      最高库存: 'maxStock',
      替代件号: 'supersedes',
      被替代件号: 'supersededBy',
      superseded_by: 'supersededBy',
      default_bin: 'defaultBin',
      bin: 'defaultBin',
      货位: 'defaultBin',
      默认货位: 'defaultBin',
    },
  },
});

function partRow() {
  return z
    .object({
      partNumber: required(PartNumber),
      nameZh: required(PartInput.shape.name.shape.zh),
      nameEn: PartInput.shape.name.shape.en,
      brand: required(PartInput.shape.brand),
      models: ModelsCell.optional(),
      unit: Unit.optional(),
      listPrice: required(Yuan),
      cost: required(Yuan),
      minStock: Level.optional(),
      maxStock: Level.optional(),
      supersedes: PartNumber.optional(),
      supersededBy: PartNumber.optional(),
      defaultBin: BinLocation.optional(),
    })
    .check(
      z.superRefine((r, ctx) => {
        if (r.minStock !== undefined && r.maxStock !== undefined && r.maxStock < r.minStock)
          ctx.addIssue({
            code: 'custom',
            path: ['maxStock'],
            message: 'Max stock cannot be below min stock.',
          });
        if (r.supersededBy && r.supersededBy === r.partNumber)
          ctx.addIssue({ code: 'custom', path: ['supersededBy'], message: 'A part cannot replace itself.' });
      }),
    )
    .transform(
      ({ partNumber, nameZh, nameEn, brand, listPrice, cost, ...cells }): PartImportRow => ({
        partNumber,
        name: nameEn ? { zh: nameZh, en: nameEn } : { zh: nameZh },
        brand,
        listPrice,
        cost,
        // Only the cells the row fills: an absent key leaves a known part's value alone.
        ...Object.fromEntries(Object.entries(cells).filter(([, v]) => v !== undefined)),
      }),
    );
}

export const PARTS_IMPORT = /* @__PURE__ */ defineImportKind(PARTS_HEADER, /* @__PURE__ */ partRow());
