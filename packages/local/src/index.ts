export * from './clock.ts';
export * from './dev-idp/index.ts';
export * from './dynamo.ts';
export * from './edge.ts';
export * from './poller.ts';
export * from './sqs.ts';
export * from './stack.ts';
export * from './streams.ts';
