import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { documentClient } from './clients.ts';

const named = (names: string[], name: string) => names.some((n) => n.split(' ')[0] === name);

describe('documentClient', () => {
  it('leaves out the SDK’s logger middleware, and only that', () => {
    // The name removed is the one the SDK really uses: a plain client has it.
    expect(
      named(new DynamoDBClient({ region: 'us-east-1' }).middlewareStack.identify(), 'loggerMiddleware'),
    ).toBe(true);
    const plain = new DynamoDBClient({ region: 'us-east-1' }).middlewareStack.identify();
    const ours = documentClient().middlewareStack.identify();
    expect(named(ours, 'loggerMiddleware')).toBe(false);
    expect(ours).toEqual(plain.filter((n) => n.split(' ')[0] !== 'loggerMiddleware'));
  });
});
