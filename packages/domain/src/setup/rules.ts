import { diffRecords } from '../audit.ts';
import { type Creation, type Decision, editDecision, nextVersion } from '../decision.ts';
import { newEvent } from '../events.ts';
import type {
  ChecklistTemplate,
  ChecklistTemplateFields,
  ChecklistTemplatePatch,
  LabourOp,
  LabourOpFields,
  LabourOpPatch,
  OpeningHours,
  Payer,
  ServiceInterval,
  StoreSetup,
  StoreSetupFields,
  StoreSetupRecord,
} from './model.ts';

/** Every day but Sunday, 08:30–17:30: what most 4S service departments keep. */
const WEEKDAY_HOURS = { open: '08:30', close: '17:30' };

/**
 * What a new store reads before its manager saves anything: its own time zone, Monday–Saturday hours,
 * the 13 % VAT on repair labour (修理修配劳务), no bays or rates yet (a store names its own), and the
 * papers every Chinese service desk asks for.
 */
export function defaultStoreSetup(storeId: string, timeZone = 'Asia/Shanghai'): StoreSetup {
  const openingHours: OpeningHours = {
    mon: WEEKDAY_HOURS,
    tue: WEEKDAY_HOURS,
    wed: WEEKDAY_HOURS,
    thu: WEEKDAY_HOURS,
    fri: WEEKDAY_HOURS,
    sat: WEEKDAY_HOURS,
  };
  const zero = { amountMinor: 0, currency: 'CNY' as const };
  return {
    storeId,
    version: 0,
    timeZone,
    openingHours,
    holidays: [],
    bays: [],
    labourRates: { customer: zero, warranty: zero, goodwill: zero, insurance: zero, internal: zero },
    taxRateBp: 1300,
    serviceIntervals: [],
    concurrentClocking: false,
    papers: [
      { code: 'LICENSE', name: { zh: '行驶证', en: 'Vehicle licence' } },
      { code: 'MAINT-BOOK', name: { zh: '保养手册', en: 'Maintenance booklet' } },
      { code: 'WARRANTY', name: { zh: '三包凭证', en: 'Warranty (三包) certificate' } },
    ],
  };
}

/** The set-up as read: the stored one, or the defaults (version 0) before the first save. */
export function storeSetupView(
  stored: StoreSetupRecord | undefined,
  storeId: string,
  timeZone?: string,
): StoreSetup {
  if (!stored) return defaultStoreSetup(storeId, timeZone);
  const { id: _id, createdAt: _createdAt, ...view } = stored;
  return view;
}

/**
 * A save of the whole set-up (PUT). The first one creates the record; later ones are edits that name
 * the sections that changed. A save that changes nothing is no decision.
 */
export function decideStoreSetup(
  current: StoreSetupRecord | undefined,
  fields: StoreSetupFields,
  where: Creation,
): Decision<StoreSetupRecord> | undefined {
  const { id, storeId, at } = where;
  const event = (changed: string[]) =>
    newEvent('setup.updated', 'storeSetup', id, { storeId, fields: changed });
  if (!current) {
    const changes = diffRecords(undefined, fields);
    return {
      next: { ...fields, id, storeId, version: 1, createdAt: at, updatedAt: at },
      changes,
      events: [event(changes.map((c) => c.field))],
    };
  }
  return editDecision(current, nextVersion(current, fields, at), event);
}

/** The flat-rate hours an operation takes on a model: its override, else the standard hours. */
export function hoursFor(op: Pick<LabourOp, 'hours' | 'modelHours'>, model?: string): number {
  const wanted = model?.trim().toLowerCase();
  return op.modelHours.find((m) => m.model.toLowerCase() === wanted)?.hours ?? op.hours;
}

/**
 * The labour price of an operation for a payer, before tax, in minor units: hours × rate, rounded once
 * to the fen (hours are tenths, so ×10 keeps the product an integer until the last step).
 */
export function labourPriceMinor(
  setup: Pick<StoreSetup, 'labourRates'>,
  op: Pick<LabourOp, 'hours' | 'modelHours'>,
  payer: Payer,
  model?: string,
): number {
  const tenths = Math.round(hoursFor(op, model) * 10);
  return Math.round((tenths * setup.labourRates[payer].amountMinor) / 10);
}

/** The service interval of a vehicle: its model's entry, else its brand's (case-insensitive), else none. */
export function serviceIntervalFor(
  intervals: readonly ServiceInterval[],
  brand: string,
  model?: string,
): ServiceInterval | undefined {
  const b = brand.trim().toLowerCase();
  const m = model?.trim().toLowerCase();
  const ofBrand = intervals.filter((i) => i.brand.toLowerCase() === b);
  return (
    ofBrand.find((i) => m !== undefined && i.model?.toLowerCase() === m) ?? ofBrand.find((i) => !i.model)
  );
}

/** A new catalogue operation (新增工时项目). Its code's uniqueness is the repository's guard. */
export function decideLabourOpCreation(fields: LabourOpFields, where: Creation): Decision<LabourOp> {
  const { id, storeId, at } = where;
  return {
    next: { ...fields, id, storeId, version: 1, createdAt: at, updatedAt: at },
    changes: diffRecords(undefined, fields),
    events: [newEvent('labourOp.created', 'labourOp', id, { labourOpId: id, code: fields.code })],
  };
}

export function decideLabourOpEdit(
  current: LabourOp,
  patch: LabourOpPatch,
  at: string,
): Decision<LabourOp> | undefined {
  return editDecision(current, nextVersion(current, patch, at), (fields) =>
    newEvent('labourOp.updated', 'labourOp', current.id, { labourOpId: current.id, fields }),
  );
}

export function decideChecklistTemplateCreation(
  fields: ChecklistTemplateFields,
  where: Creation,
): Decision<ChecklistTemplate> {
  const { id, storeId, at } = where;
  return {
    next: { ...fields, id, storeId, version: 1, createdAt: at, updatedAt: at },
    changes: diffRecords(undefined, fields),
    events: [newEvent('checklistTemplate.created', 'checklistTemplate', id, { checklistTemplateId: id })],
  };
}

export function decideChecklistTemplateEdit(
  current: ChecklistTemplate,
  patch: ChecklistTemplatePatch,
  at: string,
): Decision<ChecklistTemplate> | undefined {
  return editDecision(current, nextVersion(current, patch, at), (fields) =>
    newEvent('checklistTemplate.updated', 'checklistTemplate', current.id, {
      checklistTemplateId: current.id,
      fields,
    }),
  );
}
