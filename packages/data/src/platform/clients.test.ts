import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { dynamoDbClient } from './clients.ts';

const named = (names: string[], name: string) => names.some((n) => n.split(' ')[0] === name);

describe('dynamoDbClient', () => {
  it('leaves out the SDK’s logger middleware, and only that', () => {
    // The name removed is the one the SDK really uses: a plain client has it.
    expect(
      named(new DynamoDBClient({ region: 'us-east-1' }).middlewareStack.identify(), 'loggerMiddleware'),
    ).toBe(true);
    const plain = new DynamoDBClient({ region: 'us-east-1' }).middlewareStack.identify();
    const ours = dynamoDbClient().middlewareStack.identify();
    expect(named(ours, 'loggerMiddleware')).toBe(false);
    expect(ours).toEqual(plain.filter((n) => n.split(' ')[0] !== 'loggerMiddleware'));
  });

  it('builds each command class’s middleware chain once, not on every call', () => {
    expect(dynamoDbClient().config.cacheMiddleware).toBe(true);
  });
});
