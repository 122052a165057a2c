import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import {
  dynamoDbClient,
  partitionOf,
  TENANT_READ_ACTIONS,
  tenantSessionPolicy,
  uploadsSessionPolicy,
} from './clients.ts';
import { TENANT_SESSION_ACTIONS } from './table.ts';

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

describe('tenantSessionPolicy', () => {
  it('lets a read-only session (HQ in a store) read the tenant’s items and write nothing', () => {
    const readWrite = JSON.parse(tenantSessionPolicy('st_a'));
    const readOnly = JSON.parse(tenantSessionPolicy('st_a', 'read-only'));
    expect(readWrite.Statement[0].Action).toEqual([...TENANT_SESSION_ACTIONS]);
    expect(readOnly.Statement[0].Action).toEqual([...TENANT_READ_ACTIONS]);
    expect(readOnly.Statement[0].Condition).toEqual(readWrite.Statement[0].Condition);
  });
});

describe('uploadsSessionPolicy', () => {
  it('reaches one store’s uploads and photos and nothing else of the bucket', () => {
    // Act
    const policy = JSON.parse(uploadsSessionPolicy('uploads-bucket', 'st_a', 'aws-cn'));
    // Assess
    expect(policy.Statement).toEqual([
      {
        Effect: 'Allow',
        Action: ['s3:PutObject', 's3:GetObject', 's3:DeleteObject'],
        Resource: 'arn:aws-cn:s3:::uploads-bucket/uploads/st_a/*',
      },
      // Photos are evidence: the API never deletes one.
      {
        Effect: 'Allow',
        Action: ['s3:PutObject', 's3:GetObject'],
        Resource: 'arn:aws-cn:s3:::uploads-bucket/photos/st_a/*',
      },
      {
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: 'arn:aws-cn:s3:::uploads-bucket',
        Condition: { StringLike: { 's3:prefix': ['uploads/st_a/*', 'photos/st_a/*'] } },
      },
    ]);
  });

  it('names the partition of the function’s region', () => {
    expect(partitionOf('cn-northwest-1')).toBe('aws-cn');
    expect(partitionOf('eu-central-1')).toBe('aws');
    expect(partitionOf('us-gov-west-1')).toBe('aws-us-gov');
  });
});
