import type { Server } from 'node:http';
import { deadLetterUrlEnv, declaredQueues, type QueueDefinition, queueUrlEnv } from '@aftersales/data';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { createSqsServer } from 'local-aws-sqs';

/** The SQS server (`local-aws-sqs` speaks the SQS protocols), in this process. */
export async function startSqsLocal(port: number): Promise<{ endpoint: string; stop: () => Promise<void> }> {
  const server: Server = await createSqsServer({
    port,
    hostname: '127.0.0.1',
    emulateQueueCreationLifecycle: false,
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface LocalQueue {
  definition: QueueDefinition;
  url: string;
  arn: string;
  dlqUrl: string;
}

/**
 * Creates every declared queue (`declaredQueues()`: with the stack's `extensions.queues`) with its
 * dead-letter queue and redrive policy, and exports `<ENV>_QUEUE_URL` / `<ENV>_DLQ_URL`.
 */
export async function ensureQueues(client: SQSClient, prefix: string): Promise<LocalQueue[]> {
  const out: LocalQueue[] = [];
  for (const definition of declaredQueues()) {
    const dlq = await client.send(new CreateQueueCommand({ QueueName: `${prefix}-${definition.id}-dlq` }));
    const dlqAttrs = await client.send(
      new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] }),
    );
    const q = await client.send(
      new CreateQueueCommand({
        QueueName: `${prefix}-${definition.id}`,
        Attributes: {
          VisibilityTimeout: String(definition.visibilityTimeoutSeconds),
          RedrivePolicy: JSON.stringify({
            deadLetterTargetArn: dlqAttrs.Attributes?.QueueArn,
            maxReceiveCount: definition.maxReceiveCount,
          }),
        },
      }),
    );
    const attrs = await client.send(
      new GetQueueAttributesCommand({ QueueUrl: q.QueueUrl, AttributeNames: ['QueueArn'] }),
    );
    out.push({ definition, url: q.QueueUrl!, arn: attrs.Attributes?.QueueArn ?? '', dlqUrl: dlq.QueueUrl! });
    process.env[queueUrlEnv(definition)] = q.QueueUrl;
    process.env[deadLetterUrlEnv(definition)] = dlq.QueueUrl;
  }
  return out;
}

export { SQSClient };
