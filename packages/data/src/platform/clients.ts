import { optionalEnv } from '@aftersales/runtime';
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { OBJECT_PREFIXES, type ObjectPrefix } from './objects.ts';
import { TENANT_SESSION_ACTIONS } from './table.ts';

/**
 * AWS SDK clients. Locally the same clients reach DynamoDB Local, the SQS server and the S3 server
 * through the SDK's standard endpoint overrides (`AWS_ENDPOINT_URL_DYNAMODB`, `AWS_ENDPOINT_URL_SQS`,
 * `AWS_ENDPOINT_URL_S3`): no code branches on where it runs.
 */
export function dynamoDbClient(config: DynamoDBClientConfig = {}): DynamoDBClient {
  const client = new DynamoDBClient({
    ...config,
    // Builds each command class's middleware chain once instead of on every call: a Query's CPU against
    // DynamoDB Local went from 1.31 to 1.07 ms (README, "Benchmarks"). Safe because nothing adds
    // middleware per command or after the first call; the document client refuses this option, so the
    // data layer marshals items itself (tenant-table.ts).
    cacheMiddleware: true,
  });
  withoutSdkLogging(client);
  return client;
}

/**
 * Removes the SDK's logger middleware. It runs every command's input and output through the model's
 * sensitive-data filter, a deep copy, to hand them to the client's logger, even to the default one that
 * drops them: on our reads, a second walk over every item. We give the SDK no logger; failures reach our
 * own log lines through the errors the commands throw.
 */
export function withoutSdkLogging(client: { middlewareStack: { remove(name: string): boolean } }): void {
  client.middlewareStack.remove('loggerMiddleware');
}

let sqs: SQSClient | undefined;
export function sqsClient(): SQSClient {
  sqs ??= new SQSClient({});
  return sqs;
}

let s3: S3Client | undefined;
/** The shared S3 client (own credentials), or one with the given credentials (a store's uploads session). */
export function s3Client(config: Pick<S3ClientConfig, 'credentials'> = {}): S3Client {
  if (config.credentials) return new S3Client({ ...s3Config(), ...config });
  s3 ??= new S3Client(s3Config());
  return s3;
}

function s3Config(): S3ClientConfig {
  return {
    // A local S3 server on 127.0.0.1 has no per-bucket host names: address buckets by path there.
    forcePathStyle: optionalEnv('AWS_ENDPOINT_URL_S3') !== undefined,
    // By default the SDK signs a CRC32 checksum of an empty body into presigned PUT URLs, which the
    // browser's upload of the real file would then fail; S3 still checks the signed Content-Length.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  };
}

/** What a tenant session may do with the tenant's items. */
export type TenantAccessMode = 'read-write' | 'read-only';

/** The item actions of a read-only session (HQ reading one of its stores). */
export const TENANT_READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'] as const;

/** The session policy that narrows the tenant access role to one tenant's keys (and, read-only, to reads). */
export function tenantSessionPolicy(tenantId: string, mode: TenantAccessMode = 'read-write'): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: mode === 'read-only' ? TENANT_READ_ACTIONS : TENANT_SESSION_ACTIONS,
        Resource: '*',
        Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${tenantId}#*`] } },
      },
    ],
  });
}

/** The partition of an AWS region (`arn:<partition>:…`), for the ARNs of a session policy. */
export function partitionOf(region: string | undefined): string {
  if (region?.startsWith('cn-')) return 'aws-cn';
  if (region?.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/**
 * The session policy that narrows the uploads role to one store's objects: its import files
 * `uploads/<storeId>/*` (put, read, deleted once imported) and its repair-order photos
 * `photos/<storeId>/*` (put and read, never deleted: they are evidence). What a URL presigned with these
 * credentials may PUT, and what the API may then read. ListBucket on the same prefixes makes a missing
 * file a 404 `NoSuchKey` rather than a 403.
 */
export function uploadsSessionPolicy(bucket: string, storeId: string, partition = 'aws'): string {
  const objects = (prefix: ObjectPrefix) => `arn:${partition}:s3:::${bucket}/${prefix}/${storeId}/*`;
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: ['s3:PutObject', 's3:GetObject', 's3:DeleteObject'],
        Resource: objects('uploads'),
      },
      { Effect: 'Allow', Action: ['s3:PutObject', 's3:GetObject'], Resource: objects('photos') },
      {
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: `arn:${partition}:s3:::${bucket}`,
        Condition: { StringLike: { 's3:prefix': OBJECT_PREFIXES.map((p) => `${p}/${storeId}/*`) } },
      },
    ],
  });
}

/** What the vended sessions assume: both unset locally (DynamoDB Local and the S3 server have no IAM). */
export interface SessionRoles {
  /** The role narrowed per tenant to `dynamodb:LeadingKeys = <tenantId>#*`. */
  tenantAccessRoleArn?: string | undefined;
  /** The role narrowed per store to `uploads/<storeId>/*` of the uploads bucket. */
  uploadsRoleArn?: string | undefined;
  uploadBucket?: string | undefined;
}

/** A tenant session lasts 15 minutes; it is renewed 5 minutes before it ends. */
const TENANT_SESSION = { durationSeconds: 900, refreshMarginMs: 5 * 60_000 };
/**
 * A URL presigned with session credentials stops working when the session ends, whatever its own
 * expiry: an uploads session is renewed while it still has more than a URL's lifetime (15 min) ahead.
 * One hour is the most a session assumed from a Lambda role may last (role chaining).
 */
const UPLOADS_SESSION = { durationSeconds: 3600, refreshMarginMs: 20 * 60_000 };

/**
 * Vends clients whose credentials reach only one tenant's data (AWS SaaS Factory's token-vending
 * pattern): STS AssumeRole with a session policy. DynamoDB: the tenant access role limited to
 * `dynamodb:LeadingKeys` = `<tenantId>#*` (read-only sessions: reads only). S3: the uploads role limited
 * to `uploads/<storeId>/*`, so a URL the API presigns for one store cannot write another's files.
 * Sessions are cached per tenant until shortly before expiry.
 *
 * Without a role (local development: DynamoDB Local and the S3 server have no IAM) the shared clients
 * are returned and isolation rests on the data layer's key building, which the tests exercise on every
 * route; everything above the credentials (keys, presigning, the session policies' text) is the same code.
 */
export class TenantClientVendor {
  private readonly clients = new Map<string, DynamoDBClient>();
  private readonly s3Clients = new Map<string, S3Client>();
  private readonly shared: DynamoDBClient;
  private sts: STSClient | undefined;

  constructor(private readonly roles: SessionRoles = {}) {
    this.shared = dynamoDbClient();
  }

  get base(): DynamoDBClient {
    return this.shared;
  }

  clientFor(tenantId: string, mode: TenantAccessMode = 'read-write'): DynamoDBClient {
    const roleArn = this.roles.tenantAccessRoleArn;
    if (!roleArn) return this.shared;
    const cacheKey = `${mode}|${tenantId}`;
    let client = this.clients.get(cacheKey);
    if (!client) {
      const credentials = this.session(
        {
          RoleArn: roleArn,
          RoleSessionName: `tenant-${tenantId}`.slice(0, 64),
          Policy: tenantSessionPolicy(tenantId, mode),
          Tags: [{ Key: 'TenantId', Value: tenantId }],
        },
        TENANT_SESSION,
      );
      client = dynamoDbClient({ credentials });
      this.clients.set(cacheKey, client);
    }
    return client;
  }

  /** The S3 client for one store's uploads: a session narrowed to `uploads/<storeId>/*` in AWS. */
  uploadsFor(storeId: string): S3Client {
    const { uploadsRoleArn: roleArn, uploadBucket: bucket } = this.roles;
    if (!roleArn || !bucket) return s3Client();
    let client = this.s3Clients.get(storeId);
    if (!client) {
      const credentials = this.session(
        {
          RoleArn: roleArn,
          RoleSessionName: `uploads-${storeId}`.slice(0, 64),
          Policy: uploadsSessionPolicy(bucket, storeId, partitionOf(process.env.AWS_REGION)),
          Tags: [{ Key: 'TenantId', Value: storeId }],
        },
        UPLOADS_SESSION,
      );
      client = s3Client({ credentials });
      this.s3Clients.set(storeId, client);
    }
    return client;
  }

  /** A credentials provider for one assumed-role session, renewed `refreshMarginMs` before it ends. */
  private session(
    request: {
      RoleArn: string;
      RoleSessionName: string;
      Policy: string;
      Tags: { Key: string; Value: string }[];
    },
    lifetime: { durationSeconds: number; refreshMarginMs: number },
  ): () => Promise<AwsCredentialIdentity> {
    this.sts ??= new STSClient({});
    const sts = this.sts;
    let cached: AwsCredentialIdentity | undefined;
    return async () => {
      if (cached?.expiration && cached.expiration.getTime() - Date.now() > lifetime.refreshMarginMs)
        return cached;
      const out = await sts.send(
        new AssumeRoleCommand({ ...request, DurationSeconds: lifetime.durationSeconds }),
      );
      const c = out.Credentials;
      if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error('STS returned no credentials');
      cached = {
        accessKeyId: c.AccessKeyId,
        secretAccessKey: c.SecretAccessKey,
        ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}),
        ...(c.Expiration ? { expiration: c.Expiration } : {}),
      };
      return cached;
    };
  }
}
