import {
  DataAccess,
  dynamoDbClient,
  GroupFigures,
  HQ_FIGURES_KEYS,
  rebuildStoreFigures,
  TenantTable,
} from '@aftersales/data';
import {
  type CustomerFields,
  type DomainEvent,
  EVENT_SCHEMA_VERSION,
  emptyStoreFigures,
  servedInLastDays,
} from '@aftersales/domain';
import { buildDemoPlan, DEMO_GROUP_STORES } from '@aftersales/seed';
import { ensureGroupFigures, rebuildGroupFigures } from '@aftersales/seed/rebuild-hq-figures';
import { beforeAll, describe, expect, it } from 'vitest';
import { stack, useStackEnv } from '../support/api.ts';
import { demo, uniqueSuffix, validVin } from '../support/demo.ts';

type DynamoDBClient = ReturnType<typeof dynamoDbClient>;

/** The HQ figures repository against DynamoDB Local: one item per store, each event applied once. */
beforeAll(() => useStackEnv());

const actor = { userId: 'test', name: 'Test', roles: ['service_manager' as const] };

/** A client that counts its requests and the items DynamoDB returned to it. */
function countingClient(): { doc: DynamoDBClient; requests: string[]; itemsRead: () => number } {
  const doc = dynamoDbClient();
  const requests: string[] = [];
  let items = 0;
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      requests.push(String(context.commandName));
      const result = await next(args);
      const output = result.output as { Items?: unknown[]; Item?: unknown };
      items += output.Items?.length ?? (output.Item ? 1 : 0);
      return result;
    },
    { step: 'initialize', name: 'countRequests' },
  );
  return { doc, requests, itemsRead: () => items };
}

function figuresOf(groupId: string, doc: DynamoDBClient = dynamoDbClient()): GroupFigures {
  return new GroupFigures(new TenantTable(groupId, doc, stack.tableName));
}

function customerCreated(storeId: string, at = new Date().toISOString()): DomainEvent {
  const id = `cus_${uniqueSuffix()}`;
  return {
    id: `evt_${uniqueSuffix()}`,
    type: 'customer.created',
    schemaVersion: EVENT_SCHEMA_VERSION,
    tenantId: storeId,
    aggregate: 'customer',
    aggregateId: id,
    at,
    actor,
    data: { customerId: id },
  };
}

const person = (i: number): CustomerFields => ({
  kind: 'individual',
  name: `看板客户${i}`,
  phones: [{ number: `1390000${String(i).padStart(4, '0')}`, label: 'mobile' }],
  preferredContactWindows: [],
  consent: { calls: true, messages: false },
});

/**
 * A store with `customers` customers, each owning one vehicle served yesterday. Without a group it is
 * an independent store: the live projector skips its events (the test projects them itself).
 */
async function storeWith(customers: number, groupId?: string): Promise<string> {
  const storeId = `st_FIG${uniqueSuffix()}`;
  const access = new DataAccess({ tableName: stack.tableName });
  await access.directory.putOrganisation({
    id: storeId,
    kind: 'store',
    name: storeId,
    ...(groupId ? { groupId } : {}),
    brands: ['Audi'],
    jurisdiction: 'CN',
    timeZone: 'Asia/Shanghai',
  });
  const data = access.forTenant({ tenantId: storeId, actor });
  const yesterday = new Date(Date.now() - 86_400_000).toISOString();
  for (let i = 0; i < customers; i++) {
    const { customer } = await data.customers.create(person(i));
    await data.vehicles.create(
      { vin: validVin(), brand: 'Audi', model: 'A6L', ownerCustomerId: customer.id },
      { vinPolicy: 'strict', lastServedAt: yesterday },
    );
  }
  return storeId;
}

/** The demo stores' zone: HQ figures count services on the store's own days. */
const ZONE = 'Asia/Shanghai';

describe('HQ figures', () => {
  it('applies a redelivered event once', async () => {
    // Prepare
    const groupId = `grp_FIG${uniqueSuffix()}`;
    const storeId = `st_FIG${uniqueSuffix()}`;
    const figures = figuresOf(groupId);
    const event = customerCreated(storeId);

    // Act
    const outcomes = [
      await figures.apply(event, ZONE),
      await figures.apply(event, ZONE),
      await figures.apply(event, ZONE),
    ];

    // Assess
    expect(outcomes).toEqual(['applied', 'duplicate', 'duplicate']);
    expect((await figures.get(storeId)).figures.customers).toBe(1);
  });

  it('counts every one of concurrent events to the same store', async () => {
    // Prepare
    const groupId = `grp_FIG${uniqueSuffix()}`;
    const storeId = `st_FIG${uniqueSuffix()}`;
    const figures = figuresOf(groupId);
    const events = Array.from({ length: 8 }, () => customerCreated(storeId));

    // Act: each twice, all at once (a redelivery racing its first delivery)
    await Promise.all([...events, ...events].map((e) => figures.apply(e, ZONE)));

    // Assess
    expect((await figures.get(storeId)).figures.customers).toBe(8);
  });

  it('reads one item per store in one request, whatever the stores hold (one store has 10× the data)', async () => {
    // Prepare: real records in two stores, figures rebuilt from them, then live events on top
    const groupId = `grp_FIG${uniqueSuffix()}`;
    const [small, large] = [await storeWith(2), await storeWith(20)];
    const writer = figuresOf(groupId);
    for (const storeId of [small, large]) {
      const store = new DataAccess({ tableName: stack.tableName }).forTenant({ tenantId: storeId, actor });
      await writer.replace(await rebuildStoreFigures(store, ZONE, new Date(Date.now() - 1000)));
    }
    for (let i = 0; i < 10; i++) await writer.apply(customerCreated(large), ZONE);
    const counting = countingClient();

    // Act
    const list = await figuresOf(groupId, counting.doc).list();

    // Assess
    expect(counting.requests).toEqual(['QueryCommand']);
    expect(counting.itemsRead()).toBe(2);
    const byStore = new Map(list.map((f) => [f.storeId, f]));
    expect(byStore.get(small)).toMatchObject({ customers: 2, vehicles: 2 });
    expect(byStore.get(large)).toMatchObject({ customers: 30, vehicles: 20 });
    expect(servedInLastDays(byStore.get(large)!, new Date())).toBe(20);
  });

  it('does not count twice what a rebuild already counted', async () => {
    // Prepare: a store whose events are replayed after its figures were rebuilt
    const groupId = `grp_FIG${uniqueSuffix()}`;
    const storeId = await storeWith(1);
    const writer = figuresOf(groupId);
    const before = customerCreated(storeId, new Date(Date.now() - 60_000).toISOString());
    await writer.replace(
      await rebuildStoreFigures(
        new DataAccess({ tableName: stack.tableName }).forTenant({ tenantId: storeId, actor }),
        ZONE,
        new Date(),
      ),
    );

    // Act
    const outcome = await writer.apply(before, ZONE);

    // Assess
    expect(outcome).toBe('ignored');
    expect((await writer.get(storeId)).figures).toMatchObject({ customers: 1, vehicles: 1 });
  });

  it('keeps an item written before zones were kept in UTC days until it is rebuilt', async () => {
    // Prepare: an existing item without a zone (its day keys are UTC days)
    const groupId = `grp_FIG${uniqueSuffix()}`;
    const storeId = `st_FIG${uniqueSuffix()}`;
    const writer = figuresOf(groupId);
    await writer.replace({ ...emptyStoreFigures(storeId), customers: 1 });

    // Act
    await writer.apply(customerCreated(storeId), ZONE);

    // Assess: counted, and still without a zone; a new store's item gets one
    const { figures } = await writer.get(storeId);
    expect(figures.customers).toBe(2);
    expect(figures.timeZone).toBeUndefined();
    const fresh = `st_FIG${uniqueSuffix()}`;
    await writer.apply(customerCreated(fresh), ZONE);
    expect((await writer.get(fresh)).figures.timeZone).toBe(ZONE);
  });

  it('keeps the items in the group’s own partition', async () => {
    // Prepare
    const groupId = `grp_FIG${uniqueSuffix()}`;
    const storeId = `st_FIG${uniqueSuffix()}`;

    // Act
    await figuresOf(groupId).apply(customerCreated(storeId), ZONE);

    // Assess: the store's own table sees nothing of it; only a group table can be given the repository
    const own = await new TenantTable(storeId, dynamoDbClient(), stack.tableName).query({
      partition: [HQ_FIGURES_KEYS.figures],
    });
    expect(own.items).toEqual([]);
    expect(() => figuresOf(storeId)).toThrow(/group/);
  });

  it('rebuilds a group’s figures from its stores’ records, for every store the directory lists', async () => {
    // Prepare: a group whose stores hold records
    const groupId = `grp_FIG${uniqueSuffix()}`;
    const [a, b] = [await storeWith(3, groupId), await storeWith(1, groupId)];

    // Act
    await rebuildGroupFigures(new DataAccess({ tableName: stack.tableName }), groupId);
    const figures = await figuresOf(groupId).list();

    // Assess
    const byStore = new Map(figures.map((f) => [f.storeId, f]));
    expect([...byStore.keys()].sort()).toEqual([a, b].sort());
    expect(byStore.get(a)).toMatchObject({ customers: 3, vehicles: 3 });
    expect(byStore.get(b)).toMatchObject({ customers: 1, vehicles: 1 });
    expect(servedInLastDays(byStore.get(a)!, new Date())).toBe(3);
  });

  it('gives data kept from before the projector its figures once, and leaves live figures alone', async () => {
    // Prepare: a group with a store's records, never rebuilt (the live projector may have counted some)
    const groupId = `grp_FIG${uniqueSuffix()}`;
    const storeId = await storeWith(2, groupId);
    const data = new DataAccess({ tableName: stack.tableName });

    // Act
    const first = await ensureGroupFigures(data, groupId);
    const rebuilt = (await figuresOf(groupId).get(storeId)).figures;
    const second = await ensureGroupFigures(data, groupId);

    // Assess
    expect([first, second]).toEqual([true, false]);
    expect(rebuilt).toMatchObject({ customers: 2, vehicles: 2 });
    expect((await figuresOf(groupId).get(storeId)).figures.countedUntil).toBe(rebuilt.countedUntil);
  });

  it('holds the demo group’s figures from the seed: every store, with what was seeded there', async () => {
    // Prepare: the plan the global setup seeded (4 customers per store)
    const plan = buildDemoPlan({ customersPerStore: 4 });
    const now = new Date();

    // Act
    const figures = await new DataAccess({ tableName: stack.tableName }).groupFigures(demo.group).list();

    // Assess: at least what the seed wrote (other tests add records while this runs)
    expect(figures.map((f) => f.storeId).sort()).toEqual(DEMO_GROUP_STORES.map((s) => s.id).sort());
    for (const f of figures) {
      const seeded = plan.stores.find((s) => s.store.id === f.storeId)!;
      const vehicles = seeded.customers.flatMap((c) => c.vehicles);
      const served = vehicles.filter(
        (v) => v.lastServedAt && now.getTime() - Date.parse(v.lastServedAt) < 29 * 86_400_000,
      );
      expect(f.customers).toBeGreaterThanOrEqual(seeded.customers.length);
      expect(f.vehicles).toBeGreaterThanOrEqual(vehicles.length);
      expect(servedInLastDays(f, now)).toBeGreaterThanOrEqual(served.length);
      expect(f.countedUntil).toBeDefined();
    }
  });
});
