import { describe, expect, it } from 'vitest';
import { issuesToFieldErrors } from '../imports/model.ts';
import { LabourOpInput, LabourOpPatch, StoreSetupInput } from './model.ts';
import {
  decideLabourOpCreation,
  decideLabourOpEdit,
  decideStoreSetup,
  defaultStoreSetup,
  labourPriceMinor,
  serviceIntervalFor,
  storeSetupView,
} from './rules.ts';

const at = '2026-11-23T08:00:00.000Z';
const where = { id: 'st_TEST01', storeId: 'st_TEST01', at };
const cny = (amountMinor: number) => ({ amountMinor, currency: 'CNY' as const });

/** The defaults as a manager would send them back, with a bay and rates filled in. */
function setupBody(): Record<string, unknown> {
  const { storeId: _s, version: _v, ...fields } = defaultStoreSetup('st_TEST01');
  return {
    ...fields,
    bays: [{ id: 'B01', name: '机修1号', type: 'general' }],
    labourRates: { ...fields.labourRates, customer: cny(18000) },
  };
}

const fieldErrors = (result: { success: boolean; error?: { issues: never[] } }) =>
  result.error ? issuesToFieldErrors(result.error.issues) : [];

describe('store set-up', () => {
  it('reads the defaults before the first save, as version 0', () => {
    // Act
    const view = storeSetupView(undefined, 'st_TEST01', 'Asia/Urumqi');
    // Assess
    expect(view).toMatchObject({
      storeId: 'st_TEST01',
      version: 0,
      timeZone: 'Asia/Urumqi',
      taxRateBp: 1300,
    });
    expect(view.openingHours.sun).toBeUndefined();
    expect(StoreSetupInput.safeParse(setupBody()).success).toBe(true);
  });

  it('refuses a day that closes before it opens, a repeated bay id, a negative rate and a tax above 100 %', () => {
    // Prepare
    const body = setupBody();
    const bad = {
      ...body,
      openingHours: { mon: { open: '18:00', close: '08:30' } },
      bays: [
        { id: 'B01', name: 'A', type: 'general' },
        { id: 'b01', name: 'B', type: 'ev' },
      ],
      labourRates: { ...(body.labourRates as object), warranty: cny(-1) },
      taxRateBp: 10_001,
    };
    // Act
    const errors = fieldErrors(StoreSetupInput.safeParse(bad) as never);
    // Assess
    expect(errors.map((e) => e.path).sort()).toEqual(
      ['bays.1.id', 'labourRates.warranty.amountMinor', 'openingHours.mon.close', 'taxRateBp'].sort(),
    );
    expect(errors.find((e) => e.path === 'bays.1.id')?.code).toBe('DUPLICATE_ENTRY');
  });

  it('creates on the first save, then records only the sections that changed', () => {
    // Prepare
    const fields = StoreSetupInput.parse(setupBody());
    // Act
    const first = decideStoreSetup(undefined, fields, where)!;
    const again = decideStoreSetup(first.next, fields, { ...where, at: '2026-11-24T08:00:00.000Z' });
    const edit = decideStoreSetup(first.next, { ...fields, taxRateBp: 600 }, where)!;
    // Assess
    expect(first.next).toMatchObject({ version: 1, storeId: 'st_TEST01' });
    expect(again).toBeUndefined();
    expect(edit.next.version).toBe(2);
    expect(edit.changes).toEqual([{ field: 'taxRateBp', from: 1300, to: 600 }]);
    expect(edit.events).toEqual([
      expect.objectContaining({
        type: 'setup.updated',
        data: { storeId: 'st_TEST01', fields: ['taxRateBp'] },
      }),
    ]);
  });

  it('finds a model’s service interval before its brand’s', () => {
    const intervals = [
      { brand: 'Audi', km: 10_000, months: 12 },
      { brand: 'Audi', model: 'e-tron', km: 30_000, months: 24 },
    ];
    expect(serviceIntervalFor(intervals, 'audi', 'E-TRON')?.km).toBe(30_000);
    expect(serviceIntervalFor(intervals, 'Audi', 'A6L')?.km).toBe(10_000);
    expect(serviceIntervalFor(intervals, 'BMW')).toBeUndefined();
  });
});

describe('labour operations', () => {
  const fields = LabourOpInput.parse({
    code: 'BRK-01',
    name: { zh: '前刹车片更换', en: 'Front brake pads' },
    hours: 1.2,
    modelHours: [{ model: 'Q7', hours: 1.5 }],
    skill: 'chassis',
    level: 'mid',
    bayType: 'general',
  });

  it('prices hours × rate exactly in fen, with the model’s own hours', () => {
    const setup = { labourRates: { ...defaultStoreSetup('s').labourRates, customer: cny(18_050) } };
    expect(labourPriceMinor(setup, fields, 'customer')).toBe(21_660);
    expect(labourPriceMinor(setup, fields, 'customer', 'q7')).toBe(27_075);
  });

  it('refuses hours that are not tenths and a patch of the code', () => {
    expect(LabourOpInput.safeParse({ ...fields, hours: 0.25 }).success).toBe(false);
    expect(LabourOpInput.safeParse({ ...fields, hours: 0.3 }).success).toBe(true);
    expect(LabourOpPatch.safeParse({ code: 'X' }).success).toBe(false);
  });

  it('deactivates as an edit, announcing the changed field', () => {
    // Prepare
    const created = decideLabourOpCreation(fields, { ...where, id: 'lop_1' });
    // Act
    const d = decideLabourOpEdit(created.next, LabourOpPatch.parse({ active: false }), at)!;
    // Assess
    expect(created.events[0]).toMatchObject({ type: 'labourOp.created', data: { code: 'BRK-01' } });
    expect(d.next).toMatchObject({ active: false, version: 2 });
    expect(d.events[0]).toMatchObject({ type: 'labourOp.updated', data: { fields: ['active'] } });
  });
});
