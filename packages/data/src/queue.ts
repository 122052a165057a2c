import { requireEnv } from '@aftersales/runtime';
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { sqsClient } from './clients.ts';
import { QUEUES, type QueueName, queueUrlEnv } from './table.ts';

/** Sends messages in batches of ten (the SQS maximum); fails loudly if any entry was refused. */
export async function enqueue(queue: QueueName, bodies: unknown[]): Promise<void> {
  const url = requireEnv(queueUrlEnv(QUEUES[queue]));
  for (let i = 0; i < bodies.length; i += 10) {
    const entries = bodies
      .slice(i, i + 10)
      .map((b, j) => ({ Id: String(i + j), MessageBody: JSON.stringify(b) }));
    const out = await sqsClient().send(new SendMessageBatchCommand({ QueueUrl: url, Entries: entries }));
    if (out.Failed && out.Failed.length > 0) {
      throw new Error(
        `SQS refused ${out.Failed.length} message(s) for ${queue}: ${out.Failed[0]?.Message ?? ''}`,
      );
    }
  }
}
