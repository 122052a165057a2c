import * as z from 'zod';
import { defineImportKind, defineImportKindHeader } from '../imports/kinds.ts';
import {
  BayType,
  Bilingual,
  FlatRateHours,
  type LabourOpFields,
  LabourOpInput,
  OpCode,
  Skill,
  SkillLevel,
} from './model.ts';

/** A catalogue row decoded: an operation's fields but `active` (an import never retires or revives one). */
export type LabourOpImportRow = Omit<LabourOpFields, 'active'>;

const required = <T extends z.ZodType<unknown, string>>(schema: T) =>
  z.string({ error: 'This cell is empty.' }).pipe(schema);

/** Words Chinese labour-time guides and DMS exports use for our enums' values. */
const SKILL_WORDS: Record<string, Skill> = {
  发动机: 'engine',
  电气: 'electrical',
  电器: 'electrical',
  底盘: 'chassis',
  钣金: 'body',
  喷漆: 'paint',
  油漆: 'paint',
  新能源: 'ev',
  通用: 'general',
  机修: 'general',
};
const LEVEL_WORDS: Record<string, SkillLevel> = { 初级: 'junior', 中级: 'mid', 高级: 'senior' };
const BAY_WORDS: Record<string, BayType> = {
  通用: 'general',
  机修: 'general',
  四轮定位: 'alignment',
  定位: 'alignment',
  钣金: 'body',
  喷漆: 'paint',
  烤漆: 'paint',
  洗车: 'wash',
  新能源: 'ev',
};

/** An enum cell in English (any case) or in the Chinese word for it. */
const wordOf = <T extends string>(schema: z.ZodType<T, string>, words: Record<string, T>) =>
  required(
    z
      .string()
      .transform((v) => words[v] ?? v.toLowerCase())
      .pipe(schema),
  );

const Hours = z.string().transform(Number).pipe(FlatRateHours);

/**
 * `A6L:1.8; Q5L:2.0` (full-width `：` and `；` too) → the hours per model. An entry without hours is
 * kept as NaN so that its own field is the one in error.
 */
const ModelHoursCell = z
  .string()
  .transform((cell) =>
    cell
      .split(/[;；]/)
      .map((entry) => entry.trim())
      .filter(Boolean)
      .map((entry) => {
        const at = entry.search(/[:：]/);
        return at < 0
          ? { model: entry, hours: Number.NaN }
          : { model: entry.slice(0, at).trim(), hours: Number(entry.slice(at + 1).trim()) };
      }),
  )
  .pipe(LabourOpInput.shape.modelHours.unwrap());

/**
 * 工时目录导入: manufacturers' labour-time guides and old DMS catalogues, one operation a row, matched
 * on the op code (whatever its case): a new code is added, a known one updated. Errors name the
 * column (`hours`, `modelHours.1.hours`).
 */
export const LABOUR_OPS_HEADER = defineImportKindHeader({
  kind: 'labour-ops',
  permission: 'catalogue:manage',
  columns: {
    required: ['code', 'nameZh', 'hours', 'skill', 'level', 'bayType'],
    optional: ['nameEn', 'modelHours'],
    headerAliases: {
      op_code: 'code',
      工时代码: 'code',
      name_zh: 'nameZh',
      name: 'nameZh',
      工时名称: 'nameZh',
      名称: 'nameZh',
      name_en: 'nameEn',
      english_name: 'nameEn',
      英文名称: 'nameEn',
      flat_rate_hours: 'hours',
      标准工时: 'hours',
      工时: 'hours',
      model_hours: 'modelHours',
      车型工时: 'modelHours',
      技能: 'skill',
      skill_level: 'level',
      技师等级: 'level',
      bay_type: 'bayType',
      工位类型: 'bayType',
    },
  },
});

function labourOpRow() {
  return z
    .object({
      code: required(OpCode),
      nameZh: required(Bilingual.shape.zh),
      nameEn: Bilingual.shape.en,
      hours: required(Hours),
      modelHours: ModelHoursCell.optional(),
      skill: wordOf(Skill, SKILL_WORDS),
      level: wordOf(SkillLevel, LEVEL_WORDS),
      bayType: wordOf(BayType, BAY_WORDS),
    })
    .transform(
      (r): LabourOpImportRow => ({
        code: r.code,
        name: r.nameEn ? { zh: r.nameZh, en: r.nameEn } : { zh: r.nameZh },
        hours: r.hours,
        modelHours: r.modelHours ?? [],
        skill: r.skill,
        level: r.level,
        bayType: r.bayType,
      }),
    );
}

export const LABOUR_OPS_IMPORT = /* @__PURE__ */ defineImportKind(
  LABOUR_OPS_HEADER,
  /* @__PURE__ */ labourOpRow(),
);
