import { DataAccess, EVENT_SK_PREFIX, eventFromItem } from '@aftersales/data';
import type { DomainEvent } from '@aftersales/domain';
import { handler } from '@aftersales/fn-hq-projector/lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { stack, useStackEnv } from '../support/api.ts';
import { uniqueSuffix, validVin } from '../support/demo.ts';

/**
 * The HQ projector's handler, fed real SQS-shaped events whose bodies are the event items a store's
 * writes produced: its group's figures follow, a redelivered batch changes nothing, an independent
 * store's events touch no group, and a message that cannot be read is reported back for a retry.
 */
beforeAll(() => useStackEnv());

type SQSEvent = Parameters<typeof handler>[0];
type SQSRecord = SQSEvent['Records'][number];

const actor = { userId: 'test', name: 'Test', roles: ['service_manager' as const] };

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

/** A store (in `groupId`, or independent) with one customer owning one vehicle served yesterday. */
async function storeWithOneOfEach(groupId?: string): Promise<{ storeId: string; events: DomainEvent[] }> {
  const data = new DataAccess({ tableName: stack.tableName });
  const storeId = `st_PRJ${uniqueSuffix()}`;
  await data.directory.putOrganisation({
    id: storeId,
    kind: 'store',
    name: `Projector store ${storeId}`,
    ...(groupId ? { groupId } : {}),
    brands: ['Audi'],
    jurisdiction: 'CN',
    timeZone: 'Asia/Shanghai',
  });
  const store = data.forTenant({ tenantId: storeId, actor });
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
  const events: DomainEvent[] = [];
  for (const partition of [
    ['CUS', customer.id],
    ['VEH', vehicle.id],
  ]) {
    const out = await store.table.query({ partition, sk: { beginsWith: EVENT_SK_PREFIX } });
    events.push(...out.items.map(eventFromItem));
  }
  return { storeId, events };
}

async function provisionGroup(): Promise<string> {
  const groupId = `grp_PRJ${uniqueSuffix()}`;
  await new DataAccess({ tableName: stack.tableName }).directory.putOrganisation({
    id: groupId,
    kind: 'group',
    name: 'Projector group',
    jurisdiction: 'CN',
  });
  return groupId;
}

describe('HQ projector', () => {
  it('projects a group store’s events into the group’s figures, once however often they arrive', async () => {
    // Prepare
    const groupId = await provisionGroup();
    const { storeId, events } = await storeWithOneOfEach(groupId);
    const batch = sqsEvent(events.map((e) => JSON.stringify(e)));

    // Act
    const first = await handler(batch);
    const redelivered = await handler(batch);

    // Assess
    expect(first.batchItemFailures).toEqual([]);
    expect(redelivered.batchItemFailures).toEqual([]);
    const figures = await new DataAccess({ tableName: stack.tableName }).groupFigures(groupId).list();
    expect(figures).toHaveLength(1);
    expect(figures[0]).toMatchObject({ storeId, customers: 1, vehicles: 1 });
    expect(Object.values(figures[0]!.servedByDay)).toEqual([1]);
  });

  it('skips an independent store’s events', async () => {
    // Prepare
    const { events } = await storeWithOneOfEach();

    // Act
    const out = await handler(sqsEvent(events.map((e) => JSON.stringify(e))));

    // Assess: acknowledged, not retried
    expect(out.batchItemFailures).toEqual([]);
  });

  it('reports a message it cannot read, and only that one, for a retry', async () => {
    // Prepare
    const groupId = await provisionGroup();
    const { events } = await storeWithOneOfEach(groupId);
    const batch = sqsEvent(['{"not":"an event"}', JSON.stringify(events[0])]);

    // Act
    const out = await handler(batch);

    // Assess
    expect(out.batchItemFailures).toEqual([{ itemIdentifier: batch.Records[0]!.messageId }]);
    const [figures] = await new DataAccess({ tableName: stack.tableName }).groupFigures(groupId).list();
    expect(figures?.customers).toBe(1);
  });
});
