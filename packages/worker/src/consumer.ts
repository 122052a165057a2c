import {
  deadLetterUrlEnv,
  idempotencyPartition,
  type QueueDefinition,
  type QueueMessage,
  queueUrlEnv,
  sqsClient,
  TABLE,
} from '@aftersales/data';
import { logger, requireEnv } from '@aftersales/runtime';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { ChangeMessageVisibilityCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type * as z from 'zod';

/**
 * Thrown by a consumer when a message cannot be handled *yet* (what it refers to is not visible yet):
 * the message is reported as failed and comes back after `retryAfterSeconds` instead of after the
 * queue's whole visibility timeout.
 */
export class RetryLaterError extends Error {
  override readonly name = 'RetryLaterError';
  constructor(
    readonly code: string,
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

export interface ConsumerContext {
  record: SQSRecord;
  /** How many times SQS has delivered this message (1 on the first delivery). */
  receiveCount: number;
  metrics: Metrics;
}

/** The message a queue's consumer is handed: the output of the queue's declared schema. */
export type MessageOf<Q extends QueueDefinition> = z.output<Q['message']> & QueueMessage;

export interface ConsumerDefinition<Q extends QueueDefinition> {
  queue: Q;
  /** Handles one parsed message. Runs at most once per business id (`message.id`) and queue. */
  handle: (message: MessageOf<Q>, ctx: ConsumerContext) => Promise<void>;
}

export type ConsumerHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

/** What a consumer talks to; replaceable in unit tests (defaults: our table, the shared SQS client). */
export interface ConsumerDeps {
  persistenceStore?: BasePersistenceLayer;
  sqs?: { send(command: SendMessageCommand | ChangeMessageVisibilityCommand): Promise<unknown> };
}

/**
 * Idempotency records live as long as a message can: 14 days is the dead-letter queues' retention, so
 * even a replay from a DLQ of a message that had succeeded is recognised. Failed attempts leave no
 * record, so a fixed poison or failed message replays normally.
 */
const IDEMPOTENCY_TTL_SECONDS = 14 * 86_400;
const LOG_KEYS = ['tenantId', 'messageId', 'businessId', 'queue'];

/**
 * The one way to build a queue consumer (Powertools Batch, Idempotency and Metrics):
 * - records are handled one after another (so the log keys below belong to exactly one record) and a
 *   failure is reported for that record alone (`batchItemFailures`; the event source mapping reports
 *   partial failures);
 * - the body is parsed with the queue's declared schema. A message that does not parse can never
 *   succeed, so it is not retried: it is sent straight to the queue's dead-letter queue (which alarms)
 *   and deleted from the work queue — no `maxReceiveCount` rounds of a retry storm on a message that
 *   is known bad. If that send fails, the record fails and comes back as usual;
 * - every log line of a record carries `tenantId`, `messageId`, `businessId` and `queue`, removed
 *   after the record (in Lambda a process runs one invocation at a time; the local stack runs the API
 *   in the same process, whose per-request key removal can strip them from a concurrent line there);
 * - the handler runs once per business id and queue (Powertools Idempotency on our table, in the
 *   platform partition `WORKER#<queue id>`, keyed on `message.id`): a redelivered message or an event
 *   the router sent twice is acknowledged without running again;
 * - `MessagesProcessed`, `MessagesFailed`, `PoisonMessages` metrics (EMF) per queue.
 */
export function defineConsumer<Q extends QueueDefinition>(
  def: ConsumerDefinition<Q>,
  deps: ConsumerDeps = {},
): ConsumerHandler {
  const { queue } = def;
  const sqs = deps.sqs ?? sqsClient();
  const tableName = requireEnv('TABLE_NAME');
  const deadLetterUrl = requireEnv(deadLetterUrlEnv(queue));
  const metrics = new Metrics({ namespace: 'Aftersales', serviceName: queue.id });
  const idempotency = new IdempotencyConfig({
    eventKeyJmesPath: 'id',
    expiresAfterSeconds: IDEMPOTENCY_TTL_SECONDS,
  });
  const persistenceStore =
    deps.persistenceStore ??
    new DynamoDBPersistenceLayer({
      tableName,
      keyAttr: TABLE.partitionKey,
      sortKeyAttr: TABLE.sortKey,
      staticPkValue: idempotencyPartition(queue),
      expiryAttr: TABLE.ttlAttribute,
    });
  const handleOnce = makeIdempotent(def.handle, {
    persistenceStore,
    config: idempotency,
    // The sort key becomes `<queue id>#<hash of message.id>`: the business id, per consumer.
    keyPrefix: queue.id,
  });
  const processor = new BatchProcessor(EventType.SQS);

  async function poison(record: SQSRecord, reason: string): Promise<void> {
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: deadLetterUrl,
        MessageBody: record.body,
        MessageAttributes: { PoisonReason: { DataType: 'String', StringValue: reason } },
      }),
    );
    metrics.addMetric('PoisonMessages', MetricUnit.Count, 1);
    logger.error('poison message moved to the dead-letter queue', { reason });
  }

  async function handleRecord(record: SQSRecord): Promise<void> {
    logger.appendKeys({ messageId: record.messageId, queue: queue.id });
    try {
      const parsed = queue.message.safeParse(parseJson(record.body));
      if (!parsed.success) {
        await poison(record, parsed.error.message.slice(0, 500));
        return;
      }
      const message = parsed.data as MessageOf<Q>;
      logger.appendKeys({ tenantId: message.tenantId, businessId: message.id });
      const receiveCount = Number(record.attributes.ApproximateReceiveCount ?? '1');
      try {
        await handleOnce(message, { record, receiveCount, metrics });
        metrics.addMetric('MessagesProcessed', MetricUnit.Count, 1);
      } catch (err) {
        metrics.addMetric('MessagesFailed', MetricUnit.Count, 1);
        const cause = err instanceof Error && err.cause instanceof RetryLaterError ? err.cause : err;
        if (cause instanceof RetryLaterError) {
          logger.info('message not ready; retrying later', { code: cause.code, in: cause.retryAfterSeconds });
          await retryAfter(record, cause.retryAfterSeconds);
        } else logger.error('message failed; it will be retried', { err });
        throw err;
      }
    } finally {
      logger.removeKeys(LOG_KEYS);
    }
  }

  return async (event, context) => {
    idempotency.registerLambdaContext(context);
    try {
      return await processPartialResponse(event, handleRecord, processor, {
        context,
        // One record at a time: the logger's per-record keys must not mix.
        processInParallel: false,
        // A wholly failed batch is still a partial response: each record comes back on its own schedule.
        throwOnFullBatchFailure: false,
      });
    } finally {
      metrics.publishStoredMetrics();
    }
  };

  /** Shortens the message's invisibility, so it comes back after `seconds`, not the queue's timeout. */
  async function retryAfter(record: SQSRecord, seconds: number): Promise<void> {
    await sqs
      .send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: requireEnv(queueUrlEnv(queue)),
          ReceiptHandle: record.receiptHandle,
          VisibilityTimeout: seconds,
        }),
      )
      .catch((err) => logger.warn('could not shorten the visibility timeout', { err }));
  }
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}
