import {
  Customers,
  DataAccess,
  dynamoDbClient,
  EVENT_SK_PREFIX,
  eventFromItem,
  InvalidCursorError,
  TenantTable,
  tenantSessionPolicy,
} from '@aftersales/data';
import { beforeAll, describe, expect, it } from 'vitest';
import { stack, useStackEnv } from '../support/api.ts';
import { demo } from '../support/demo.ts';

/** The data layer's own guarantees, below the API: keys are always the tenant's own. */
beforeAll(() => useStackEnv());

const actor = { userId: 'test', name: 'Test', roles: ['service_manager' as const] };

describe('TenantData.repo', () => {
  it('binds any repository class to the tenant, one instance per handle', async () => {
    // Prepare
    const data = new DataAccess({ tableName: stack.tableName });
    const a = data.forTenant({ tenantId: demo.storeA, actor });
    const b = data.forTenant({ tenantId: demo.storeB, actor });
    const [mine] = (await a.customers.searchByName('', { limit: 1 })).items;
    expect(mine).toBeDefined();
    // Act / Assess
    expect(a.repo(Customers)).toBe(a.repo(Customers));
    expect((await a.repo(Customers).get(mine!.id))?.id).toBe(mine!.id);
    expect(await b.repo(Customers).get(mine!.id)).toBeUndefined();
  });
});

describe('TenantTable', () => {
  it('builds every key from the tenant id', () => {
    const t = new TenantTable(demo.storeA, dynamoDbClient(), stack.tableName);
    expect(t.key('CUS', 'cus_1')).toBe(`${demo.storeA}#CUS#cus_1`);
  });

  it('refuses to read or write an item outside its tenant, even if handed a whole key', async () => {
    // Prepare
    const b = new TenantTable(demo.storeB, dynamoDbClient(), stack.tableName);
    // Act / Assess
    await expect(b.get({ pk: `${demo.storeA}#CUS#x`, sk: '#CUS' })).rejects.toThrow(/Tenant guard/);
    await expect(b.transact([{ put: { pk: `${demo.storeA}#CUS#x`, sk: '#CUS' } }])).rejects.toThrow(
      /Tenant guard/,
    );
    await expect(
      b.transact([{ put: { pk: b.key('X'), sk: 'x', gsi1pk: `${demo.storeA}#CUSNAME` } }]),
    ).rejects.toThrow(/Tenant guard/);
  });

  it('does not honour another tenant’s page cursor', async () => {
    // Prepare
    const data = new DataAccess({ tableName: stack.tableName });
    const a = data.forTenant({ tenantId: demo.storeA, actor });
    const b = data.forTenant({ tenantId: demo.storeB, actor });
    const page = await a.customers.searchByName('', { limit: 1 });
    expect(page.nextCursor).toBeDefined();
    // Act / Assess
    await expect(b.customers.searchByName('', { cursor: page.nextCursor, limit: 1 })).rejects.toBeInstanceOf(
      InvalidCursorError,
    );
  });

  it('rejects malformed tenant ids before any request', () => {
    expect(() => new TenantTable('USER#x', dynamoDbClient(), stack.tableName)).toThrow();
    expect(() => new TenantTable('st_a#b', dynamoDbClient(), stack.tableName)).toThrow();
  });

  it('vends sessions narrowed to one tenant’s leading keys', () => {
    const policy = JSON.parse(tenantSessionPolicy(demo.storeA));
    expect(policy.Statement[0].Condition['ForAllValues:StringLike']['dynamodb:LeadingKeys']).toEqual([
      `${demo.storeA}#*`,
    ]);
    expect(policy.Statement[0].Action).not.toContain('dynamodb:Scan');
  });
});

describe('domain events', () => {
  it('are written in the same transaction as the change, with tenant, type, version and actor', async () => {
    // Prepare
    const data = new DataAccess({ tableName: stack.tableName });
    const { customers, table } = data.forTenant({ tenantId: demo.storeA, actor });
    // Act
    const { customer } = await customers.create({
      kind: 'individual',
      name: '事件测试',
      phones: [{ number: '13700001111', label: 'mobile' }],
      preferredContactWindows: [],
      consent: { calls: true, messages: false },
    });
    await customers.update(customer.id, { notes: 'n' }, 1);
    const out = await table.query({ partition: ['CUS', customer.id], sk: { beginsWith: EVENT_SK_PREFIX } });
    const events = out.items.map(eventFromItem);
    // Assess
    expect(events.map((e) => [e.type, e.tenantId, e.aggregateId, e.schemaVersion, e.actor.userId])).toEqual([
      ['customer.created', demo.storeA, customer.id, 1, 'test'],
      ['customer.updated', demo.storeA, customer.id, 1, 'test'],
    ]);
    expect(events[1]?.data).toEqual({ customerId: customer.id, fields: ['notes'] });
  });

  it('are not written when the change is refused', async () => {
    // Prepare
    const data = new DataAccess({ tableName: stack.tableName });
    const { customers, table } = data.forTenant({ tenantId: demo.storeA, actor });
    const { customer } = await customers.create({
      kind: 'individual',
      name: '事件测试二',
      phones: [{ number: '13700002222', label: 'mobile' }],
      preferredContactWindows: [],
      consent: { calls: true, messages: false },
    });
    // Act: a stale version
    await expect(customers.update(customer.id, { notes: 'n' }, 7)).rejects.toThrow();
    const out = await table.query({ partition: ['CUS', customer.id], sk: { beginsWith: EVENT_SK_PREFIX } });
    // Assess
    expect(out.items.map((i) => i.eventType)).toEqual(['customer.created']);
  });
});
