import { deadLetterUrlEnv, declaredQueues, queueUrlEnv } from '@aftersales/data';
import { requireEnv } from '@aftersales/runtime';
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';

/** No queue of that id is declared here (`declaredQueues()`). */
export class UnknownQueueError extends Error {
  override readonly name = 'UnknownQueueError';
  readonly code = 'UNKNOWN_QUEUE';
  constructor(id: string) {
    super(
      `No declared queue "${id}"; one of: ${declaredQueues()
        .map((q) => q.id)
        .join(', ')}`,
    );
  }
}

/**
 * Moves messages from a dead-letter queue back to its work queue (receive → send → delete, ten at a
 * time), for after the cause was fixed. A message is deleted from the DLQ only once its copy was
 * accepted; a copy that is handled again is harmless (consumers are idempotent per business id, and a
 * failed attempt left no idempotency record). Works against any SQS endpoint; in AWS,
 * `aws sqs start-message-move-task --source-arn <DLQ ARN>` does the same server-side.
 */
export async function replayDeadLetters(
  sqs: SQSClient,
  from: string,
  to: string,
  limit?: number,
): Promise<number> {
  // By default what is there now: a message that fails again and comes back is not replayed in a loop.
  const max = limit ?? (await waiting(sqs, from));
  let moved = 0;
  while (moved < max) {
    const out = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: from,
        MaxNumberOfMessages: Math.min(10, max - moved),
        WaitTimeSeconds: 1,
        MessageAttributeNames: ['All'],
      }),
    );
    const messages = out.Messages ?? [];
    if (messages.length === 0) break;
    const sent = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: to,
        Entries: messages.map((m, i) => ({ Id: String(i), MessageBody: m.Body ?? '' })),
      }),
    );
    const accepted = new Set((sent.Successful ?? []).map((s) => Number(s.Id)));
    const done = messages.filter((_, i) => accepted.has(i));
    if (done.length > 0) {
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: from,
          Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })),
        }),
      );
    }
    moved += done.length;
    if (done.length < messages.length) throw new Error(`SQS refused ${messages.length - done.length} copies`);
  }
  return moved;
}

async function waiting(sqs: SQSClient, queueUrl: string): Promise<number> {
  const out = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }),
  );
  return Number(out.Attributes?.ApproximateNumberOfMessages ?? 0);
}

/** `tsx packages/worker/src/replay.ts <queue id> [max]`, with `<ENV>_QUEUE_URL` and `<ENV>_DLQ_URL` set. */
async function main(): Promise<void> {
  const [id, max] = process.argv.slice(2);
  const queue = declaredQueues().find((q) => q.id === id);
  if (!queue) throw new UnknownQueueError(id ?? '');
  const { SQSClient } = await import('@aws-sdk/client-sqs');
  const moved = await replayDeadLetters(
    new SQSClient({}),
    requireEnv(deadLetterUrlEnv(queue)),
    requireEnv(queueUrlEnv(queue)),
    max ? Number(max) : undefined,
  );
  console.log(`Moved ${moved} message(s) from the ${queue.id} dead-letter queue back to its queue.`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
