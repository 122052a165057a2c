import {
  EVENT_ITEM_TYPE,
  eventFromItem,
  type QueueDefinition,
  QueueSendError,
  queueUrlEnv,
  sendBatch,
} from '@aftersales/data';
import type { DomainEvent } from '@aftersales/domain';
import { logger, requireEnv } from '@aftersales/runtime';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { AttributeValue as SdkAttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';

export type RouterHandler = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse>;

export interface RouterOptions {
  /** The queues that exist here (`declaredQueues()`); those listing `events` are subscribers. */
  queues: readonly QueueDefinition[];
  /** Sends bodies to a queue URL (SendMessageBatch); replaceable in unit tests. */
  send?: (queueUrl: string, bodies: readonly unknown[]) => Promise<void>;
  /** Resolves a queue's URL (default: its `<ENV>_QUEUE_URL`, read once). */
  urlOf?: (queue: QueueDefinition) => string;
}

interface Delivery {
  /** Index of the stream record the event came from. */
  record: number;
  event: DomainEvent;
}

/**
 * The event router: reads the table's stream and fans each domain event out to the queue of every
 * consumer subscribed to its type (`events` of the queue declarations).
 *
 * - Only INSERTs of `type = DomainEvent` items are events (the event source's filter already drops the
 *   rest; this checks again, as the same handler runs behind the local stream poller).
 * - An event item that does not parse can never be routed: it is logged and counted (`PoisonEvents`)
 *   and skipped rather than blocking its shard — every later event of those tenants would wait behind it.
 * - Sends are batched per queue (SendMessageBatch). If some fail, the response names the earliest
 *   record with a failed send: Lambda retries from there (bisecting, up to the retry limit, then the
 *   router's dead-letter queue). Records after it are sent again on that retry, which is safe: consumers
 *   are idempotent per event id.
 */
export function createRouter(opts: RouterOptions): RouterHandler {
  const send = opts.send ?? sendBatch;
  const subscribers = opts.queues.filter((q) => (q.events ?? []).length > 0);
  const urlOf = opts.urlOf ?? ((q: QueueDefinition) => requireEnv(queueUrlEnv(q)));
  const urls = new Map(subscribers.map((q) => [q.id, urlOf(q)]));
  const metrics = new Metrics({ namespace: 'Aftersales', serviceName: 'EventRouter' });

  return async (event) => {
    const byQueue = new Map<string, Delivery[]>();
    for (const [index, record] of event.Records.entries()) {
      const domainEvent = eventOf(record);
      if (!domainEvent) continue;
      for (const q of subscribers) {
        if (!q.events?.includes(domainEvent.type)) continue;
        const list = byQueue.get(q.id) ?? [];
        list.push({ record: index, event: domainEvent });
        byQueue.set(q.id, list);
      }
    }
    let earliestFailed: number | undefined;
    for (const [queueId, deliveries] of byQueue) {
      try {
        await send(
          urls.get(queueId)!,
          deliveries.map((d) => d.event),
        );
        metrics.addMetric('EventsRouted', MetricUnit.Count, deliveries.length);
      } catch (err) {
        const failed =
          err instanceof QueueSendError
            ? err.failed.map((i) => deliveries[i]!.record)
            : deliveries.map((d) => d.record);
        logger.error('routing to a consumer queue failed; the batch is retried from the first failure', {
          queue: queueId,
          failed: failed.length,
          err,
        });
        earliestFailed = Math.min(earliestFailed ?? Number.POSITIVE_INFINITY, ...failed);
      }
    }
    metrics.publishStoredMetrics();
    if (earliestFailed === undefined) return { batchItemFailures: [] };
    const sequenceNumber = event.Records[earliestFailed]?.dynamodb?.SequenceNumber ?? '';
    return { batchItemFailures: [{ itemIdentifier: sequenceNumber }] };
  };

  function eventOf(record: DynamoDBRecord): DomainEvent | undefined {
    const image = record.dynamodb?.NewImage;
    if (record.eventName !== 'INSERT' || image?.type?.S !== EVENT_ITEM_TYPE) return undefined;
    try {
      // The stream's attribute values are DynamoDB JSON, which is what the SDK's unmarshall reads; the
      // aws-lambda typings spell the same shape differently.
      return eventFromItem(unmarshall(image as Record<string, SdkAttributeValue>));
    } catch (err) {
      metrics.addMetric('PoisonEvents', MetricUnit.Count, 1);
      logger.error('an event item does not parse; it is skipped, not routed', {
        sequenceNumber: record.dynamodb?.SequenceNumber,
        err,
      });
      return undefined;
    }
  }
}
