import { CustomerRecord } from '@aftersales/domain';
import { describe, expect, it } from 'vitest';
import { Customers } from '../registry/customers.ts';
import { dynamoDbClient } from './clients.ts';
import { TenantTable } from './tenant-table.ts';

/** Reading an item goes through the compiled record schema: the same answers as zod's own parser. */
describe('AggregateRepository.fromItem', () => {
  const table = new TenantTable('st_TEST01', dynamoDbClient(), 'unused');
  const customers = new Customers(table, {
    tenantId: 'st_TEST01',
    actor: { userId: 'u', name: 'U', roles: ['service_advisor'] },
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
