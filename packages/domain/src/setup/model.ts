import * as z from 'zod';
import { defineCapability } from '../platform/capability.ts';
import { Count, filledText, Instant, RequiredText, trimmedText, Version } from '../platform/fields.ts';
import { BasisPoints, Money } from '../platform/money.ts';
import { patchSchema } from '../platform/patch.ts';
import { Brand, TimeZone } from '../platform/tenancy.ts';

/**
 * Store set-up (门店设置): what a store is like before it takes a booking — its hours, bays, rates,
 * service intervals, the papers customers bring — its labour-operation catalogue (工时目录) and its
 * walk-around checklist templates (预检表). Kept by the after-sales manager; read by every store role.
 */

const IsoDate = z.iso.date({ error: 'Use a date like 2026-10-01.' });

/** A store-local wall-clock time, 24-hour `HH:MM`. */
export const LocalTime = z
  .string()
  .check(z.regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Use a 24-hour time like 08:30.'))
  .meta({ example: '08:30' });

/** Text shown to staff in both languages of the web app; Chinese is the one a store always has. */
export const Bilingual = z.strictObject({
  zh: filledText(80, 'The Chinese name is required.'),
  en: trimmedText(80).optional(),
});
export type Bilingual = z.infer<typeof Bilingual>;

/** Field-error code of two entries of a list that must differ (bay ids, holiday dates, paper codes…). */
export const DUPLICATE_ENTRY = 'DUPLICATE_ENTRY';

/**
 * A list whose entries are unique by `keyOf`: the repeat is the field in error (`bays.3.id`). Checked only
 * once each entry is valid on its own.
 */
function uniqueList<T extends z.ZodType>(
  item: T,
  max: number,
  keyOf: (entry: z.output<T>) => string,
  field: string,
  what: string,
) {
  return z.array(item).check(
    z.maxLength(max),
    z.superRefine((entries, ctx) => {
      if (ctx.issues.length > 0) return;
      const seen = new Set<string>();
      entries.forEach((entry, i) => {
        const key = keyOf(entry);
        if (seen.has(key))
          ctx.addIssue({
            code: 'custom',
            path: [i, field],
            message: `${what} is already in the list.`,
            params: { code: DUPLICATE_ENTRY },
          });
        seen.add(key);
      });
    }),
  );
}

export const Weekday = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
export type Weekday = z.infer<typeof Weekday>;

/** Field-error code of a day whose closing time is not after its opening time. */
export const CLOSES_BEFORE_OPENING = 'CLOSES_BEFORE_OPENING';

/**
 * Two store-local times of one day, the second after the first (hours, shifts): overnight spans are not
 * a service-department thing. The later field is the one in error, with `code`.
 */
export function timeSpan<A extends string, B extends string>(from: A, to: B, message: string, code: string) {
  return (
    z
      .strictObject({ [from]: LocalTime, [to]: LocalTime } as { [K in A | B]: typeof LocalTime })
      .check(
        z.superRefine((span, ctx) => {
          const [start, end] = [(span as Record<string, string>)[from], (span as Record<string, string>)[to]];
          if (start !== undefined && end !== undefined && end <= start)
            ctx.addIssue({ code: 'custom', path: [to], message, params: { code } });
        }),
      )
      // The rule in the document, for clients (and generated test data): JSON Schema cannot compare fields.
      .meta({ description: `\`${to}\` is later than \`${from}\` (same day).`, 'x-ordered': [from, to] })
  );
}

/** One entry per weekday, each optional: a day left out is a closed day (or a day off). */
export function perWeekday<T extends z.ZodType>(day: T) {
  return z.strictObject(
    Object.fromEntries(Weekday.options.map((d) => [d, day.optional()])) as Record<Weekday, z.ZodOptional<T>>,
  );
}

/** One day's hours (营业时间). */
export const DayHours = timeSpan(
  'open',
  'close',
  'Closing time must be after opening time.',
  CLOSES_BEFORE_OPENING,
);
export type DayHours = z.infer<typeof DayHours>;

/** Hours per weekday; a day left out is a closed day. */
export const OpeningHours = perWeekday(DayHours);
export type OpeningHours = z.infer<typeof OpeningHours>;

/** A day the store is closed although its weekday is open (法定节假日, stocktake day). */
export const Holiday = z.strictObject({ date: IsoDate, name: trimmedText(60).optional() });

/** 工位 types: what work a bay takes (a lift, the alignment rig, the body shop, the paint booth…). */
export const BayType = z.enum(['general', 'alignment', 'body', 'paint', 'wash', 'ev']);
export type BayType = z.infer<typeof BayType>;

/** A short code people type and print on boards: letters, digits, `.`, `_`, `-`. */
const Code = (max: number) =>
  z
    .string()
    .check(
      z.regex(
        new RegExp(`^[A-Za-z0-9][A-Za-z0-9._-]{0,${max - 1}}$`),
        `Use 1–${max} letters, digits, ".", "_" or "-".`,
      ),
    );

/** 工位: a place a car is worked on. Bays are kept, not deleted, so past bookings still name them. */
export const Bay = z.strictObject({
  id: Code(20).meta({ example: 'B01' }),
  name: filledText(40, 'The bay needs a name.'),
  type: BayType,
  active: z.boolean().default(true),
});
export type Bay = z.infer<typeof Bay>;

/** Who pays for the work (付费方): the labour rate differs by payer. */
export const Payer = z.enum(['customer', 'warranty', 'goodwill', 'insurance', 'internal']);
export type Payer = z.infer<typeof Payer>;

/** 工时单价 per payer: the price of one flat-rate hour. */
export const LabourRates = z.strictObject(
  Object.fromEntries(Payer.options.map((p) => [p, Money])) as Record<Payer, typeof Money>,
);
export type LabourRates = z.infer<typeof LabourRates>;

/** 保养间隔 of a brand, or of one model of it (a model's entry wins over its brand's). */
export const ServiceInterval = z.strictObject({
  brand: Brand,
  model: trimmedText(60, 1).optional(),
  km: z.int().check(z.gte(1000, 'At least 1,000 km.'), z.lte(100_000)),
  months: z.int().check(z.gte(1, 'At least one month.'), z.lte(60)),
});
export type ServiceInterval = z.infer<typeof ServiceInterval>;

/** 客户须携带的资料: a document the store asks customers to bring (行驶证, 保养手册, 三包凭证…). */
export const Paper = z.strictObject({ code: Code(30), name: Bilingual });
export type Paper = z.infer<typeof Paper>;

/** What every stored record of the capability carries besides its fields. */
const STORED = {
  id: RequiredText,
  storeId: RequiredText,
  version: Version,
  createdAt: Instant,
  updatedAt: Instant,
};

/** The store's set-up as the manager sends it (PUT): the whole of it, so a save is one version. */
export const StoreSetupInput = z.strictObject({
  timeZone: TimeZone.default('Asia/Shanghai'),
  openingHours: OpeningHours,
  holidays: uniqueList(Holiday, 60, (h) => h.date, 'date', 'This date'),
  bays: uniqueList(Bay, 100, (b) => b.id.toUpperCase(), 'id', 'This bay id'),
  labourRates: LabourRates,
  /** 增值税税率 on labour, in basis points (600 = 6 %, 1300 = 13 %). */
  taxRateBp: BasisPoints.meta({ description: 'VAT on labour in basis points: 1300 is 13 %.', example: 1300 }),
  serviceIntervals: uniqueList(
    ServiceInterval,
    200,
    (i) => `${i.brand.toLowerCase()}\u0000${(i.model ?? '').toLowerCase()}`,
    'model',
    'An interval for this brand and model',
  ),
  papers: uniqueList(Paper, 30, (p) => p.code.toUpperCase(), 'code', 'This paper code'),
  /** Whether a technician may be clocked on two job lines at once (most stores: no). */
  concurrentClocking: z
    .boolean()
    .default(false)
    .meta({ description: 'Whether one technician may be clocked on two job lines at once.' }),
});
export type StoreSetupInput = z.input<typeof StoreSetupInput>;
export type StoreSetupFields = z.output<typeof StoreSetupInput>;

/** The set-up as stored: one per store, its id the store's. */
export const StoreSetupRecord = z.object({ ...StoreSetupInput.shape, ...STORED });
export type StoreSetupRecord = z.infer<typeof StoreSetupRecord>;

/**
 * The set-up as read: before the first save a new store reads the defaults with `version` 0 (and
 * ETag `"0"`), so the first save is an edit like every other (`If-Match: "0"`).
 */
export const StoreSetup = z.object({
  ...StoreSetupInput.shape,
  storeId: RequiredText,
  version: Count.meta({ description: '0 until the set-up is first saved (the defaults).' }),
  updatedAt: Instant.optional(),
});
export type StoreSetup = z.infer<typeof StoreSetup>;

/** The skill a labour operation needs (技能). */
export const Skill = z.enum(['engine', 'electrical', 'chassis', 'body', 'paint', 'ev', 'general']);
export type Skill = z.infer<typeof Skill>;
/** 技师等级. */
export const SkillLevel = z.enum(['junior', 'mid', 'senior']);
export type SkillLevel = z.infer<typeof SkillLevel>;

/** Flat-rate hours (标准工时), in tenths of an hour as manufacturers' labour-time guides give them. */
export const FlatRateHours = z
  .number()
  .check(
    z.gte(0.1, 'At least 0.1 h.'),
    z.lte(200, 'At most 200 h.'),
    z.multipleOf(0.1, 'Give hours in steps of 0.1.'),
  )
  // The generator leaves `multipleOf` out: stated here, so clients know the step.
  .meta({ description: 'Hours in steps of 0.1 (0.1 to 200).', multipleOf: 0.1, example: 1.5 });

/** Where a model takes longer (or less) than the operation's standard hours. */
export const ModelHours = z.strictObject({ model: filledText(60), hours: FlatRateHours });

/** An op code, unique in the store whatever its case (`BRK-01` and `brk-01` are one code). */
export const OpCode = Code(20).meta({ example: 'BRK-01' });

/** 工时项目: one operation of the catalogue, priced by its flat-rate hours. */
export const LabourOpInput = z.strictObject({
  code: OpCode,
  name: Bilingual,
  hours: FlatRateHours,
  modelHours: uniqueList(ModelHours, 50, (m) => m.model.toLowerCase(), 'model', 'This model').default([]),
  skill: Skill,
  level: SkillLevel,
  bayType: BayType,
  active: z.boolean().default(true),
});
export type LabourOpInput = z.input<typeof LabourOpInput>;
export type LabourOpFields = z.output<typeof LabourOpInput>;

/**
 * Changes to an operation: every field but its code, which bookings and repair orders print and imports
 * match on. Deactivating is `active: false` (an operation in use is never deleted).
 */
export const LabourOpPatch = patchSchema(LabourOpInput.omit({ code: true }).shape);
export type LabourOpPatch = z.output<typeof LabourOpPatch>;

export const LabourOp = LabourOpInput.extend(STORED);
export type LabourOp = z.infer<typeof LabourOp>;

/** How a checklist item is answered: ticked, rated (ok / attention / urgent), written, photographed. */
export const ChecklistItemKind = z.enum(['check', 'condition', 'text', 'photo']);
export type ChecklistItemKind = z.infer<typeof ChecklistItemKind>;
/** The answers of a `condition` item, as the reception form offers them. */
export const Condition = z.enum(['ok', 'attention', 'urgent']);

export const ChecklistItem = z.strictObject({ label: Bilingual, kind: ChecklistItemKind });
export const ChecklistSection = z.strictObject({
  title: Bilingual,
  items: z.array(ChecklistItem).check(z.minLength(1, 'A section needs at least one item.'), z.maxLength(60)),
});

/** 预检表 template: the walk-around inspection done with the customer at reception, section by section. */
export const ChecklistTemplateInput = z.strictObject({
  name: Bilingual,
  sections: z
    .array(ChecklistSection)
    .check(z.minLength(1, 'A checklist needs at least one section.'), z.maxLength(20)),
  active: z.boolean().default(true),
});
export type ChecklistTemplateInput = z.input<typeof ChecklistTemplateInput>;
export type ChecklistTemplateFields = z.output<typeof ChecklistTemplateInput>;

export const ChecklistTemplatePatch = patchSchema(ChecklistTemplateInput.shape);
export type ChecklistTemplatePatch = z.output<typeof ChecklistTemplatePatch>;

export const ChecklistTemplate = ChecklistTemplateInput.extend(STORED);
export type ChecklistTemplate = z.infer<typeof ChecklistTemplate>;

const Fields = z.array(z.string());
const EVERY_STORE_ROLE = [
  'service_manager',
  'technical_director',
  'workshop_manager',
  'front_desk_supervisor',
  'service_advisor',
  'customer_service',
  'claims_specialist',
  'parts_manager',
  'parts_clerk',
  'warehouse_keeper',
  'technician',
] as const;

/** 门店设置: who reads the set-up (every store role; HQ, read-only) and who keeps it. */
export const SETUP = defineCapability({
  aggregates: { storeSetup: [], labourOp: [], checklistTemplate: [] },
  events: {
    'setup.updated': z.object({ storeId: RequiredText, fields: Fields }),
    'labourOp.created': z.object({ labourOpId: RequiredText, code: RequiredText }),
    'labourOp.updated': z.object({ labourOpId: RequiredText, fields: Fields }),
    'checklistTemplate.created': z.object({ checklistTemplateId: RequiredText }),
    'checklistTemplate.updated': z.object({ checklistTemplateId: RequiredText, fields: Fields }),
  },
  permissions: {
    // Advisors quote from the catalogue and book against the hours; HQ compares stores' set-ups.
    'setup:read': [...EVERY_STORE_ROLE, 'hq_executive', 'hq_analyst'],
    'setup:manage': ['service_manager'],
    // The technical director owns repair quality and the hours a job takes (工时).
    'catalogue:manage': ['service_manager', 'technical_director'],
  },
});
