import { deadLetterUrlEnv, type QueueDefinition, queueUrlEnv, RoutedEvent } from '@aftersales/data';
import type { DomainEvent } from '@aftersales/domain';
import { logger } from '@aftersales/runtime';
import {
  IdempotencyItemAlreadyExistsError,
  IdempotencyItemNotFoundError,
} from '@aws-lambda-powertools/idempotency';
import { BasePersistenceLayer, type IdempotencyRecord } from '@aws-lambda-powertools/idempotency/persistence';
import { ChangeMessageVisibilityCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type ConsumerDeps, defineConsumer, RetryLaterError } from './consumer.ts';

/**
 * The consumer helper without AWS: idempotency records in memory, SQS calls recorded. What it must
 * guarantee whatever the consumer: per-record log keys that never outlive their record, one run per
 * business id, poison messages to the DLQ without running the handler, and quick retries on request.
 */

/** A consumer queue of customer events, as the integration tests' probe declares one (test side only). */
const queue = {
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
const DLQ = 'https://sqs.local/probe-dlq';

/** Powertools Idempotency's persistence contract, kept in a Map. */
class MemoryPersistence extends BasePersistenceLayer {
  readonly records = new Map<string, IdempotencyRecord>();
  protected async _getRecord(key: string): Promise<IdempotencyRecord> {
    const record = this.records.get(key);
    if (!record) throw new IdempotencyItemNotFoundError();
    return record;
  }
  protected async _putRecord(record: IdempotencyRecord): Promise<void> {
    const existing = this.records.get(record.idempotencyKey);
    if (existing && !existing.isExpired()) throw new IdempotencyItemAlreadyExistsError('exists', existing);
    this.records.set(record.idempotencyKey, record);
  }
  protected async _updateRecord(record: IdempotencyRecord): Promise<void> {
    this.records.set(record.idempotencyKey, record);
  }
  protected async _deleteRecord(record: IdempotencyRecord): Promise<void> {
    this.records.delete(record.idempotencyKey);
  }
}

function deps(): Required<ConsumerDeps> & { sent: unknown[] } {
  const sent: unknown[] = [];
  return {
    sent,
    persistenceStore: new MemoryPersistence(),
    sqs: {
      send: async (command) => {
        sent.push(command);
        return {};
      },
    },
  };
}

function event(id: string, tenantId: string): DomainEvent {
  return {
    id,
    type: 'customer.created',
    schemaVersion: 1,
    tenantId,
    aggregate: 'customer',
    aggregateId: 'cus_1',
    at: '2026-11-24T00:00:00.000Z',
    actor: { userId: 'usr_1', name: 'Advisor', roles: ['service_advisor'] },
    data: { customerId: 'cus_1' },
  };
}

function record(messageId: string, body: unknown): SQSRecord {
  return {
    messageId,
    receiptHandle: `rh-${messageId}`,
    body: JSON.stringify(body),
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '0',
      SenderId: 'test',
      ApproximateFirstReceiveTimestamp: '0',
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:eu-central-1:123456789012:probe',
    awsRegion: 'eu-central-1',
  };
}

const context = {
  functionName: 'probe',
  awsRequestId: 'req-1',
  getRemainingTimeInMillis: () => 10_000,
} as Context;

/** The JSON log lines written while `act` runs. */
async function logLines(act: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const lines: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    lines.push(String(chunk));
    return true;
  });
  const errSpy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    await act();
  } finally {
    spy.mockRestore();
    errSpy.mockRestore();
  }
  return lines
    .flatMap((l) => l.split('\n'))
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

beforeAll(() => {
  Object.assign(process.env, {
    TABLE_NAME: 'unit',
    POWERTOOLS_METRICS_DISABLED: 'true',
    [queueUrlEnv(queue)]: 'https://sqs.local/probe',
    [deadLetterUrlEnv(queue)]: DLQ,
  });
});
afterEach(() => vi.restoreAllMocks());

describe('defineConsumer', () => {
  it('puts tenant and message ids on every line of a record, and removes them after it', async () => {
    // Prepare
    const handler = defineConsumer(
      { queue, handle: async (e) => logger.warn('handling', { seen: e.id }) },
      deps(),
    );
    const batch: SQSEvent = {
      Records: [record('m1', event('evt_1', 'st_A')), record('m2', event('evt_2', 'st_B'))],
    };

    // Act
    const lines = await logLines(async () => {
      await handler(batch, context);
      logger.warn('after the batch');
    });

    // Assess
    const handling = lines.filter((l) => l.message === 'handling');
    expect(handling.map((l) => [l.tenantId, l.messageId, l.businessId, l.seen])).toEqual([
      ['st_A', 'm1', 'evt_1', 'evt_1'],
      ['st_B', 'm2', 'evt_2', 'evt_2'],
    ]);
    const after = lines.find((l) => l.message === 'after the batch')!;
    expect(after).not.toHaveProperty('tenantId');
    expect(after).not.toHaveProperty('messageId');
  });

  it('runs the handler once per business id, and acknowledges the repeat', async () => {
    // Prepare
    const handle = vi.fn(async () => undefined);
    const handler = defineConsumer({ queue, handle }, deps());
    const same = event('evt_same', 'st_A');

    // Act
    const first = await handler({ Records: [record('m1', same)] }, context);
    const again = await handler({ Records: [record('m2', same)] }, context);

    // Assess
    expect(handle).toHaveBeenCalledTimes(1);
    expect(first.batchItemFailures).toEqual([]);
    expect(again.batchItemFailures).toEqual([]);
  });

  it('sends a message that fails the schema to the DLQ, never to the handler, and deletes it', async () => {
    // Prepare
    const d = deps();
    const handle = vi.fn(async () => undefined);
    const handler = defineConsumer({ queue, handle }, d);

    // Act
    const result = await handler({ Records: [record('m1', { hello: 'world' })] }, context);

    // Assess
    expect(handle).not.toHaveBeenCalled();
    expect(result.batchItemFailures).toEqual([]);
    expect(d.sent).toHaveLength(1);
    const sent = d.sent[0] as SendMessageCommand;
    expect(sent).toBeInstanceOf(SendMessageCommand);
    expect(sent.input.QueueUrl).toBe(DLQ);
    expect(JSON.parse(sent.input.MessageBody!)).toEqual({ hello: 'world' });
  });

  it('reports a "not ready yet" message as failed and brings it back after the asked delay', async () => {
    // Prepare
    const d = deps();
    const handler = defineConsumer(
      {
        queue,
        handle: async () => {
          throw new RetryLaterError('NOT_YET', 'the job is not stored yet', 7);
        },
      },
      d,
    );

    // Act
    const result = await handler({ Records: [record('m1', event('evt_later', 'st_A'))] }, context);
    const retry = await handler({ Records: [record('m1b', event('evt_later', 'st_A'))] }, context);

    // Assess: failed, visible again in 7 s, and no idempotency record left to block the retry
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'm1' }]);
    const visibility = d.sent.find((c) => c instanceof ChangeMessageVisibilityCommand) as
      | ChangeMessageVisibilityCommand
      | undefined;
    expect(visibility?.input).toMatchObject({ ReceiptHandle: 'rh-m1', VisibilityTimeout: 7 });
    expect(retry.batchItemFailures).toEqual([{ itemIdentifier: 'm1b' }]);
  });
});
