import { requireEnv } from '@aftersales/runtime';
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { sqsClient } from './clients.ts';
import { QUEUES, type QueueInput, type QueueName, queueUrlEnv } from './table.ts';

/** SQS refused some messages of a batch (throttled, too large, …); the caller retries them. */
export class QueueSendError extends Error {
  override readonly name = 'QueueSendError';
  readonly code = 'QUEUE_SEND_FAILED';
  constructor(
    readonly queueUrl: string,
    /** Indexes (into the bodies passed in) of the messages that were not accepted. */
    readonly failed: number[],
    detail: string,
  ) {
    super(`SQS refused ${failed.length} message(s) for ${queueUrl}: ${detail}`);
  }
}

/**
 * Sends bodies in SendMessageBatch calls of ten (the SQS maximum). Every batch is tried; if any entry
 * was refused, throws a QueueSendError naming the refused indexes, so a caller can retry exactly those.
 */
export async function sendBatch(queueUrl: string, bodies: readonly unknown[]): Promise<void> {
  const failed: number[] = [];
  let detail = '';
  for (let i = 0; i < bodies.length; i += 10) {
    const entries = bodies
      .slice(i, i + 10)
      .map((b, j) => ({ Id: String(i + j), MessageBody: JSON.stringify(b) }));
    const out = await sqsClient().send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
    for (const f of out.Failed ?? []) {
      failed.push(Number(f.Id));
      detail ||= `${f.Code ?? ''} ${f.Message ?? ''}`.trim();
    }
  }
  if (failed.length > 0) throw new QueueSendError(queueUrl, failed, detail);
}

/** Sends messages to one of `QUEUES`; the message type is the queue's declared schema input. */
export async function enqueue<Q extends QueueName>(
  queue: Q,
  messages: readonly QueueInput<Q>[],
): Promise<void> {
  await sendBatch(requireEnv(queueUrlEnv(QUEUES[queue])), messages);
}
