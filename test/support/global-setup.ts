import { TEST_PROBES } from '@aftersales/functions/test-probe/probes';
import { startLocalStack } from '@aftersales/local';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    stack: {
      url: string;
      tableName: string;
      dynamoEndpoint: string;
      sqsEndpoint: string;
      s3Endpoint: string;
      uploadBucket: string;
      queueUrls: Record<string, string>;
      /** The local webhook receiver the demo OEMs' endpoints point at. */
      webhookReceiverUrl: string;
    };
  }
}

/** One real local stack per test run: in-memory DynamoDB Local, the SQS and S3 servers, pollers, the API and web app. */
export default async function setup(project: TestProject) {
  // The test-only probe consumers (declared on the test side) let the tests follow an event through
  // the router and a due job through the sweeper.
  // The suites call the API as a few demo users, fast and side by side: the shared stack's limits are
  // far above what they send (rate-limits.test.ts builds an app with small ones of its own).
  process.env.RATE_LIMIT_USER_RPS ??= '100000';
  process.env.RATE_LIMIT_TENANT_RPS ??= '100000';
  const stack = await startLocalStack({
    port: 0,
    webhookReceiverPort: 0,
    seed: { customersPerStore: 4 },
    extensions: TEST_PROBES,
  });
  const queueUrls = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => k.endsWith('_QUEUE_URL') || k.endsWith('_DLQ_URL')) as [
      string,
      string,
    ][],
  );
  project.provide('stack', {
    url: stack.url,
    tableName: stack.tableName,
    dynamoEndpoint: stack.dynamoEndpoint,
    sqsEndpoint: stack.sqsEndpoint,
    s3Endpoint: stack.s3Endpoint,
    uploadBucket: stack.uploadBucket,
    queueUrls,
    webhookReceiverUrl: stack.webhookReceiver?.url ?? '',
  });
  return async () => {
    await stack.stop();
  };
}
