import { QUEUES, type QueueDefinition, QueueSendError, RoutedEvent } from '@aftersales/data';
import type { DomainEvent } from '@aftersales/domain';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createRouter } from './router.ts';

type Image = NonNullable<DynamoDBRecord['dynamodb']>['NewImage'];

const actor = { userId: 'usr_1', name: 'Advisor', roles: ['service_advisor'] };

/** An event item as the data layer writes it (see `eventOp`). */
function eventItem(id: string, eventType: string, data: Record<string, unknown>) {
  return {
    pk: 'st_A#CUS#cus_1',
    sk: `~EVT#2026-11-24T00:00:00.000Z#${id}`,
    type: 'DomainEvent',
    id,
    eventType,
    aggregate: 'customer',
    aggregateId: 'cus_1',
    data,
    schemaVersion: 1,
    at: '2026-11-24T00:00:00.000Z',
    actor,
    tenantId: 'st_A',
    expiresAt: 1_800_000_000,
  };
}

function record(seq: string, eventName: 'INSERT' | 'MODIFY', item: Record<string, unknown>): DynamoDBRecord {
  return {
    eventID: `e${seq}`,
    eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'eu-central-1',
    eventSourceARN: 'arn:aws:dynamodb:eu-central-1:123456789012:table/t/stream/2026',
    dynamodb: {
      ApproximateCreationDateTime: 1_795_000_000,
      Keys: marshall({ pk: item.pk, sk: item.sk }) as Image,
      NewImage: marshall(item) as Image,
      SequenceNumber: seq,
      SizeBytes: 300,
      StreamViewType: 'NEW_IMAGE',
    },
  };
}

/** A stream batch: two events, a change to a record, a non-event insert and a malformed event item. */
function fixture(): DynamoDBStreamEvent {
  return {
    Records: [
      record('100', 'INSERT', eventItem('evt_1', 'customer.created', { customerId: 'cus_1' })),
      record('200', 'MODIFY', { pk: 'st_A#CUS#cus_1', sk: '#CUS', type: 'Customer' }),
      record('300', 'INSERT', { pk: 'st_A#CUS#cus_2', sk: '#CUS', type: 'Customer' }),
      record('400', 'INSERT', eventItem('evt_bad', 'customer.created', { nothing: true })),
      record('500', 'INSERT', eventItem('evt_2', 'import.chunkStored', { importId: 'imp_1', chunk: 0 })),
      record(
        '600',
        'INSERT',
        eventItem('evt_3', 'customer.updated', { customerId: 'cus_1', fields: ['name'] }),
      ),
    ],
  };
}

/** A consumer queue of customer events, as the integration tests' probe declares one (test side only). */
const eventProbe = {
  id: 'EventProbe',
  env: 'EVENT_PROBE',
  consumerTimeoutSeconds: 10,
  visibilityTimeoutSeconds: 60,
  maxReceiveCount: 3,
  batchSize: 10,
  handler: 'test-probe/lambda.ts',
  message: RoutedEvent,
  events: ['customer.created', 'customer.updated'],
} as const satisfies QueueDefinition;
const queues: QueueDefinition[] = [QUEUES.imports, eventProbe];
const urlOf = (q: QueueDefinition) => `https://sqs.local/${q.id}`;

describe('event router', () => {
  it('sends each domain event to the queues subscribed to its type, batched per queue', async () => {
    // Prepare
    const sent: { url: string; ids: string[] }[] = [];
    const route = createRouter({
      queues,
      urlOf,
      send: async (url, bodies) => {
        sent.push({ url, ids: bodies.map((b) => (b as DomainEvent).id) });
      },
    });

    // Act
    const result = await route(fixture());

    // Assess: changes, non-event items and the malformed event are not routed; nothing is retried
    expect(result.batchItemFailures).toEqual([]);
    expect(sent).toEqual(
      expect.arrayContaining([
        { url: 'https://sqs.local/Imports', ids: ['evt_2'] },
        { url: 'https://sqs.local/EventProbe', ids: ['evt_1', 'evt_3'] },
      ]),
    );
    expect(sent).toHaveLength(2);
  });

  it('reports the earliest record whose send failed, so the stream is retried from there', async () => {
    // Prepare: SQS refuses the second probe message (evt_3, record 600) and the whole import batch (500)
    const route = createRouter({
      queues,
      urlOf,
      send: async (url, bodies) => {
        if (url.endsWith('EventProbe')) throw new QueueSendError(url, [1], 'Throttled');
        throw new Error(`network down, ${bodies.length} lost`);
      },
    });

    // Act
    const result = await route(fixture());

    // Assess
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: '500' }]);
  });

  it('answers an empty batch with no failures', async () => {
    // Prepare
    const route = createRouter({ queues, urlOf, send: async () => undefined });

    // Act / Assess
    expect(await route({ Records: [] })).toEqual({ batchItemFailures: [] });
  });
});
