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
    };
  }
}

/** One real local stack per test run: in-memory DynamoDB Local, the SQS and S3 servers, pollers, the API and web app. */
export default async function setup(project: TestProject) {
  // The test-only probe consumers (declared on the test side) let the tests follow an event through
  // the router and a due job through the sweeper.
  const stack = await startLocalStack({ port: 0, seed: { customersPerStore: 4 }, extensions: TEST_PROBES });
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
  });
  return async () => {
    await stack.stop();
  };
}
