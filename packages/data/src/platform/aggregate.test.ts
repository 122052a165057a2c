import { CustomerRecord } from '@aftersales/domain';
import { describe, expect, it } from 'vitest';
import { Customers } from '../registry/customers.ts';
import { Vehicles } from '../registry/vehicles.ts';
import { declaredAggregates } from './aggregate.ts';
import { dynamoDbClient } from './clients.ts';
import { TenantTable } from './tenant-table.ts';

/** Reading an item goes through the compiled record schema: the same answers as zod's own parser. */
describe('AggregateRepository.fromItem', () => {
  const table = new TenantTable('st_TEST01', dynamoDbClient(), 'unused');
  const customers = new Customers(table, {
    tenantId: 'st_TEST01',
    actor: { userId: 'u', name: 'U', roles: ['service_advisor'] },
    now: () => new Date('2026-01-01T00:00:00Z'),
  });
  const stored = {
    pk: 'st_TEST01#CUS#cus_1',
    sk: '#CUS',
    gsi1pk: 'st_TEST01#CUSNAME',
    gsi1sk: 'wang#cus_1',
    id: 'cus_1',
    storeId: 'st_TEST01',
    kind: 'individual',
    name: '王芳',
    phones: [{ number: '13800138000', label: 'mobile' }],
    preferredContactWindows: [],
    consent: { calls: true, messages: false },
    version: 3,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-02-01T00:00:00.000Z',
  };

  it('gives what the schema gives, keys stripped', () => {
    const { pk, sk, gsi1pk, gsi1sk, ...record } = stored;
    expect(customers.fromItem(stored)).toEqual(CustomerRecord.parse(record));
  });

  it('refuses an item the schema refuses, naming the field', () => {
    expect(() => customers.fromItem({ ...stored, version: 'three' })).toThrow(/version/);
    expect(() => customers.fromItem({ ...stored, phones: [{ label: 'mobile' }] })).toThrow(/number/);
  });
});

/** Every key an aggregate writes follows from its declaration. */
describe('an aggregate’s keys', () => {
  const table = new TenantTable('st_TEST01', dynamoDbClient(), 'unused');
  const ctx = {
    tenantId: 'st_TEST01',
    actor: { userId: 'u', name: 'U', roles: ['service_advisor' as const] },
    now: () => new Date('2026-01-01T00:00:00Z'),
  };
  const vehicles = new Vehicles(table, ctx, new Customers(table, ctx));
  const at = '2026-01-01T00:00:00.000Z';

  it('puts a record in each declared index it belongs to, and leaves it out of a sparse one', () => {
    // Prepare
    const vehicle = {
      id: 'veh_1',
      storeId: 'st_TEST01',
      vin: 'LSJA24U62JG269225',
      plate: '京A12345',
      brand: 'Audi',
      model: 'A4L',
      version: 1,
      createdAt: at,
      updatedAt: at,
    };
    // Act
    const item = vehicles.toItem(vehicle);
    // Assess
    expect(item).toMatchObject({
      pk: 'st_TEST01#VEH#veh_1',
      sk: '#VEH',
      gsi1pk: 'st_TEST01#PLATE#京A12345',
      gsi1sk: 'veh_1',
      gsi2pk: 'st_TEST01#VIN6#269225',
      gsi2sk: 'LSJA24U62JG269225',
    });
    expect(item).not.toHaveProperty('gsi3pk');
    expect(vehicles.toItem({ ...vehicle, lastServedAt: at })).toMatchObject({
      gsi3pk: 'st_TEST01#VEHRECENT',
      gsi3sk: `${at}#veh_1`,
    });
  });

  it('keys a child item in its record’s partition and in the index its declaration names', () => {
    const link = { vehicleId: 'veh_1', customerId: 'cus_a', role: 'owner' as const, since: at };
    expect(vehicles.childItem('link', 'veh_1', link)).toEqual({
      ...link,
      pk: 'st_TEST01#VEH#veh_1',
      sk: `LINK#owner#cus_a#${at}`,
      type: 'VehicleLink',
      gsi1pk: 'st_TEST01#CUS#cus_a',
      gsi1sk: `VLINK#veh_1#owner#${at}`,
    });
  });

  it('lists every declared aggregate with its id parameter, for the API’s documented 404s', () => {
    expect(declaredAggregates().map((d) => [d.label, d.idParam])).toEqual(
      expect.arrayContaining([
        ['Customer', 'customerId'],
        ['Vehicle', 'vehicleId'],
      ]),
    );
  });
});
