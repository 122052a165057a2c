import { describe, expect, it } from 'vitest';
import { ValidationError } from '../platform/errors.ts';
import type { Vehicle, VehicleLink } from './model.ts';
import {
  decideCustomerCreation,
  decideLinkAdded,
  decideLinkEnded,
  decideOdometerReading,
  decideOwnerChange,
  decideVehicleEdit,
  decideVehicleRegistration,
} from './rules.ts';

const at = '2026-11-23T08:00:00.000Z';
const vehicle: Vehicle = {
  id: 'veh_1',
  storeId: 'st_TEST01',
  vin: 'LSJA24U62JG269225',
  brand: 'Audi',
  model: 'A4L',
  modelYear: 2022,
  owner: { customerId: 'cus_a', since: '2022-03-01T00:00:00.000Z' },
  lastOdometerKm: 12_000,
  version: 3,
  createdAt: '2022-03-01T00:00:00.000Z',
  updatedAt: '2022-03-01T00:00:00.000Z',
};

describe('vehicle commands', () => {
  it('changes owner, ending the previous owner’s link and announcing it', () => {
    // Act
    const d = decideOwnerChange(vehicle, 'cus_b', at);
    // Assess
    expect(d.next).toMatchObject({ owner: { customerId: 'cus_b', since: at }, version: 4, updatedAt: at });
    expect(d.endedOwner).toEqual(vehicle.owner);
    expect(d.events).toEqual([
      expect.objectContaining({
        type: 'vehicle.ownerChanged',
        data: { vehicleId: 'veh_1', from: 'cus_a', to: 'cus_b' },
      }),
    ]);
    expect(() => decideOwnerChange(vehicle, 'cus_a', at)).toThrow(/already owns/);
  });

  it('refuses a second open link in the same role and ending a link that is not open', () => {
    const open: VehicleLink[] = [{ vehicleId: 'veh_1', customerId: 'cus_d', role: 'driver', since: at }];
    expect(() => decideLinkAdded(vehicle, open, 'cus_d', 'driver', at)).toThrow(/already linked/);
    expect(decideLinkAdded(vehicle, open, 'cus_d', 'fleet_contact', at).next.version).toBe(4);
    expect(decideLinkEnded(vehicle, open, 'cus_d', 'driver', at).link).toEqual(open[0]);
    expect(() => decideLinkEnded(vehicle, open, 'cus_x', 'driver', at)).toThrow(/not found/);
  });

  it('edits only what the patch names, refuses a delivery before the invoice, and skips a no-op', () => {
    expect(decideVehicleEdit(vehicle, { colour: '白' }, 'strict', at)?.changes).toEqual([
      { field: 'colour', to: '白' },
    ]);
    expect(() =>
      decideVehicleEdit(vehicle, { invoiceDate: '2024-02-01', deliveryDate: '2024-01-01' }, 'strict', at),
    ).toThrow(/invalid fields/);
    expect(decideVehicleEdit(vehicle, { model: 'A4L' }, 'strict', at)).toBeUndefined();
  });

  it('moves the last reading only when the new one is the newest in time', () => {
    const now = new Date(at);
    const late = decideOdometerReading(
      vehicle,
      { km: 11_000, readAt: '2025-01-01T00:00:00.000Z', source: 'manual' },
      { after: { km: 12_000, readAt: '2026-01-01T00:00:00.000Z' } },
      now,
    );
    const newest = decideOdometerReading(vehicle, { km: 13_000, readAt: at, source: 'manual' }, {}, now);
    expect(late.next.lastOdometerKm).toBe(12_000);
    expect(newest.next.lastOdometerKm).toBe(13_000);
    expect(newest.events[0]).toMatchObject({
      type: 'vehicle.odometerRecorded',
      data: { km: 13_000, readAt: at },
    });
  });
});

describe('creates are decisions', () => {
  const where = { id: 'veh_new', storeId: 'st_TEST01', at };

  it('registers a vehicle with its owner link, first reading and event, the warranty start defaulted', () => {
    // Act
    const d = decideVehicleRegistration(
      {
        vin: 'LSJA24U62JG269225',
        brand: 'Audi',
        model: 'A4L',
        ownerCustomerId: 'cus_a',
        odometerKm: 15,
        invoiceDate: '2026-11-01',
      },
      { ...where, vinPolicy: 'strict', source: 'registration' },
    );
    // Assess
    expect(d.next).toMatchObject({
      id: 'veh_new',
      storeId: 'st_TEST01',
      owner: { customerId: 'cus_a', since: at },
      lastOdometerKm: 15,
      warrantyStart: '2026-11-01',
      version: 1,
      createdAt: at,
      updatedAt: at,
    });
    expect(d.next).not.toHaveProperty('ownerCustomerId');
    expect(d.ownerLink).toEqual({ vehicleId: 'veh_new', customerId: 'cus_a', role: 'owner', since: at });
    expect(d.firstReading).toEqual({ km: 15, readAt: at, source: 'registration' });
    expect(d.events).toEqual([
      expect.objectContaining({ type: 'vehicle.registered', data: { vehicleId: 'veh_new' } }),
    ]);
    expect(d.changes.map((c) => c.field)).toContain('vin');
  });

  it('refuses a VIN whose check digit is wrong under a strict policy, and only warns under a lenient one', () => {
    const fields = { vin: 'LSJA24U63JG269225', brand: 'Audi', model: 'A4L' };
    expect(() =>
      decideVehicleRegistration(fields, { ...where, vinPolicy: 'strict', source: 'registration' }),
    ).toThrow(ValidationError);
    const lenient = decideVehicleRegistration(fields, { ...where, vinPolicy: 'warn', source: 'import' });
    expect(lenient.next.vinWarning).toBe('CHECK_DIGIT_MISMATCH');
    expect(lenient.ownerLink).toBeUndefined();
    expect(lenient.firstReading).toBeUndefined();
  });

  it('carries an imported vehicle’s last service into the record and its event', () => {
    const d = decideVehicleRegistration(
      { vin: 'LSJA24U62JG269225', brand: 'Audi', model: 'A4L', odometerKm: 9 },
      { ...where, vinPolicy: 'strict', source: 'import', lastServedAt: '2026-10-01T02:00:00.000Z' },
    );
    expect(d.next.lastServedAt).toBe('2026-10-01T02:00:00.000Z');
    expect(d.firstReading?.source).toBe('import');
    expect(d.events[0]?.data).toEqual({ vehicleId: 'veh_new', lastServedAt: '2026-10-01T02:00:00.000Z' });
  });

  it('creates a customer at version 1 with its event and every field in the audit', () => {
    const d = decideCustomerCreation(
      {
        kind: 'individual',
        name: '王芳',
        phones: [{ number: '13800138000', label: 'mobile' }],
        preferredContactWindows: [],
        consent: { calls: true, messages: false },
      },
      { id: 'cus_new', storeId: 'st_TEST01', at },
    );
    expect(d.next).toMatchObject({ id: 'cus_new', storeId: 'st_TEST01', version: 1, createdAt: at });
    expect(d.events).toEqual([
      expect.objectContaining({ type: 'customer.created', data: { customerId: 'cus_new' } }),
    ]);
    expect(d.changes.map((c) => c.field)).toEqual([
      'consent',
      'kind',
      'name',
      'phones',
      'preferredContactWindows',
    ]);
  });
});
