import { describe, expect, it } from 'vitest';
import type { Vehicle, VehicleLink } from './model.ts';
import {
  decideLinkAdded,
  decideLinkEnded,
  decideOdometerReading,
  decideOwnerChange,
  decideVehicleEdit,
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
