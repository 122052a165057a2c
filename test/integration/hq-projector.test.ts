import {
  CUSTOMER,
  DataAccess,
  dynamoDbClient,
  EVENT_SK_PREFIX,
  eventFromItem,
  HQ_FIGURES_KEYS,
  QUEUES,
  TenantTable,
  VEHICLE,
} from '@aftersales/data';
import type { DomainEvent } from '@aftersales/domain';
import { lambdaContext } from '@aftersales/local';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, eventually, stack, useStackEnv } from '../support/api.ts';
import { demo, uniqueSuffix, validVin } from '../support/demo.ts';

/**
 * The HQ projector: through the whole local pipeline (a write's event item → the table's stream →
 * the router → the HqFigures queue → the projector → the group's figures), and its handler fed real
 * SQS-shaped events whose bodies are the event items a store's writes produced: a redelivered batch
 * changes nothing, an independent store's events touch no group, an unreadable message goes to the
 * dead-letter queue without holding up the others.
 */
type Handler = typeof import('@aftersales/functions/hq-projector/lambda').handler;
type SQSEvent = Parameters<Handler>[0];
type SQSRecord = SQSEvent['Records'][number];

let handler: Handler;
beforeAll(async () => {
  useStackEnv();
  // The handler reads its configuration when loaded: after the environment points at the stack.
  ({ handler } = await import('@aftersales/functions/hq-projector/lambda'));
});

const actor = { userId: 'test', name: 'Test', roles: ['service_manager' as const] };
const data = () => new DataAccess({ tableName: stack.tableName });
const invoke = (event: SQSEvent) => handler(event, lambdaContext(QUEUES.hqFigures.id, 30));

function sqsEvent(bodies: string[]): SQSEvent {
  return {
    Records: bodies.map(
      (body, i): SQSRecord => ({
        messageId: `msg-${i}-${uniqueSuffix()}`,
        receiptHandle: 'r',
        body,
        attributes: {
          ApproximateReceiveCount: '1',
          SentTimestamp: String(Date.now()),
          SenderId: 'test',
          ApproximateFirstReceiveTimestamp: String(Date.now()),
        },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:HqFigures',
        awsRegion: 'us-east-1',
      }),
    ),
  };
}

/** The events stored in one aggregate's partition of a store (what the stream delivered). */
async function eventsOf(storeId: string, partition: string[]): Promise<DomainEvent[]> {
  const table = new TenantTable(storeId, dynamoDbClient(), stack.tableName);
  const out = await table.query({ partition, sk: { beginsWith: EVENT_SK_PREFIX } });
  return out.items.map(eventFromItem);
}

/** A store (in `groupId`, or independent) with one customer owning one vehicle served yesterday. */
async function storeWithOneOfEach(groupId?: string): Promise<{ storeId: string; events: DomainEvent[] }> {
  const storeId = `st_PRJ${uniqueSuffix()}`;
  await data().directory.putOrganisation({
    id: storeId,
    kind: 'store',
    name: `Projector store ${storeId}`,
    ...(groupId ? { groupId } : {}),
    brands: ['Audi'],
    jurisdiction: 'CN',
    timeZone: 'Asia/Shanghai',
  });
  const store = data().forTenant({ tenantId: storeId, actor });
  const { customer } = await store.customers.create({
    kind: 'individual',
    name: '看板投影',
    phones: [{ number: '13911112222', label: 'mobile' }],
    preferredContactWindows: [],
    consent: { calls: true, messages: false },
  });
  const { vehicle } = await store.vehicles.create(
    { vin: validVin(), brand: 'Audi', model: 'Q5L', ownerCustomerId: customer.id },
    { vinPolicy: 'strict', lastServedAt: new Date(Date.now() - 86_400_000).toISOString() },
  );
  return {
    storeId,
    events: [
      ...(await eventsOf(storeId, [CUSTOMER.prefix, customer.id])),
      ...(await eventsOf(storeId, [VEHICLE.prefix, vehicle.id])),
    ],
  };
}

async function provisionGroup(): Promise<string> {
  const groupId = `grp_PRJ${uniqueSuffix()}`;
  await data().directory.putOrganisation({
    id: groupId,
    kind: 'group',
    name: 'Projector group',
    jurisdiction: 'CN',
  });
  return groupId;
}

/** The group's figures once the pipeline has projected a store's one customer and one vehicle. */
function projected(groupId: string) {
  return eventually(async () => {
    const [figures] = await data().groupFigures(groupId).list();
    return figures?.customers === 1 && figures.vehicles === 1 ? figures : undefined;
  });
}

interface Figures {
  stores: { storeId: string; customers: number }[];
}

describe('HQ projector', () => {
  it('counts a customer created through the API in its group’s figures, via stream, router and queue', async () => {
    // Prepare
    const s = uniqueSuffix();
    const figuresPath = `/v1/groups/${demo.group}/stores/figures`;
    const customersOfA = (f: Figures) => f.stores.find((x) => x.storeId === demo.storeA)!.customers;
    const before = customersOfA((await call<Figures>(demo.hqExecutive, 'GET', figuresPath)).body);

    // Act
    const created = await call<{ id: string }>(demo.advisorA, 'POST', `/v1/stores/${demo.storeA}/customers`, {
      body: { name: `看板${s}`, phones: [{ number: `138${s.slice(-8).padStart(8, '0')}` }] },
    });
    const [event] = await eventsOf(demo.storeA, [CUSTOMER.prefix, created.body.id]);
    const group = new TenantTable(demo.group, dynamoDbClient(), stack.tableName);
    const mark = await eventually(() =>
      group.get({ pk: group.key(HQ_FIGURES_KEYS.appliedMark, event!.id), sk: '#MARK' }),
    );
    const after = customersOfA((await call<Figures>(demo.hqExecutive, 'GET', figuresPath)).body);

    // Assess: this very event was applied to the group's figures, and the HQ home counts it
    expect(created.status).toBe(201);
    expect(mark).toMatchObject({ storeId: demo.storeA, eventType: 'customer.created' });
    expect(after).toBeGreaterThanOrEqual(before + 1);
  });

  it('projects a group store’s events into the group’s figures, once however often they arrive', async () => {
    // Prepare: a group store's writes, projected by the pipeline
    const groupId = await provisionGroup();
    const { storeId, events } = await storeWithOneOfEach(groupId);
    await projected(groupId);
    const batch = sqsEvent(events.map((e) => JSON.stringify(e)));

    // Act: the same events delivered again, twice (a router retry, an SQS redelivery)
    const first = await invoke(batch);
    const again = await invoke(batch);

    // Assess
    expect(first.batchItemFailures).toEqual([]);
    expect(again.batchItemFailures).toEqual([]);
    const figures = await data().groupFigures(groupId).list();
    expect(figures).toHaveLength(1);
    // Counted on the store's own days (its directory entry says Asia/Shanghai)
    expect(figures[0]).toMatchObject({ storeId, customers: 1, vehicles: 1, timeZone: 'Asia/Shanghai' });
    expect(Object.values(figures[0]!.servedByDay)).toEqual([1]);
  });

  it('skips an independent store’s events', async () => {
    // Prepare: events of its writes, under ids of their own (the pipeline is handling the originals)
    const { events } = await storeWithOneOfEach();
    const fresh = events.map((e) => ({ ...e, id: `evt_T${uniqueSuffix()}` }));

    // Act
    const out = await invoke(sqsEvent(fresh.map((e) => JSON.stringify(e))));

    // Assess: acknowledged, not retried
    expect(out.batchItemFailures).toEqual([]);
  });

  it('sends a message it cannot read to the dead-letter queue, and still projects the others', async () => {
    // Prepare
    const groupId = await provisionGroup();
    const { events } = await storeWithOneOfEach(groupId);
    await projected(groupId);
    const marker = `unreadable-${uniqueSuffix()}`;
    const batch = sqsEvent([JSON.stringify({ marker }), JSON.stringify(events[0])]);

    // Act
    const out = await invoke(batch);
    const dead = await eventually(async () => {
      const received = await new SQSClient({}).send(
        new ReceiveMessageCommand({
          QueueUrl: stack.queueUrls[`${QUEUES.hqFigures.env}_DLQ_URL`],
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 1,
        }),
      );
      return received.Messages?.find((m) => m.Body?.includes(marker));
    });

    // Assess
    expect(out.batchItemFailures).toEqual([]);
    expect(dead).toBeDefined();
    const [figures] = await data().groupFigures(groupId).list();
    expect(figures?.customers).toBe(1);
  });
});
