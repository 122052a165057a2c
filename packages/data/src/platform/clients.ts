import { optionalEnv } from '@aftersales/runtime';
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
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
export function s3Client(): S3Client {
  s3 ??= new S3Client({
    // A local S3 server on 127.0.0.1 has no per-bucket host names: address buckets by path there.
    forcePathStyle: optionalEnv('AWS_ENDPOINT_URL_S3') !== undefined,
    // By default the SDK signs a CRC32 checksum of an empty body into presigned PUT URLs, which the
    // browser's upload of the real file would then fail; S3 still checks the signed Content-Length.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  return s3;
}

/** The session policy that narrows the tenant access role to one tenant's keys. */
export function tenantSessionPolicy(tenantId: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: TENANT_SESSION_ACTIONS,
        Resource: '*',
        Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${tenantId}#*`] } },
      },
    ],
  });
}

const REFRESH_MARGIN_MS = 5 * 60_000;

/**
 * Vends DynamoDB clients whose credentials reach only one tenant's items (AWS SaaS Factory's
 * token-vending pattern): STS AssumeRole on the tenant access role with a session policy limited to
 * `dynamodb:LeadingKeys` = `<tenantId>#*`. Cached per tenant until shortly before expiry.
 *
 * Without a role (local development: DynamoDB Local has no IAM) the shared client is returned and
 * isolation rests on the data layer's key building, which the tests exercise on every route.
 */
export class TenantClientVendor {
  private readonly clients = new Map<string, DynamoDBClient>();
  private readonly shared: DynamoDBClient;
  private sts: STSClient | undefined;

  constructor(private readonly roleArn: string | undefined) {
    this.shared = dynamoDbClient();
  }

  get base(): DynamoDBClient {
    return this.shared;
  }

  clientFor(tenantId: string): DynamoDBClient {
    const roleArn = this.roleArn;
    if (!roleArn) return this.shared;
    let client = this.clients.get(tenantId);
    if (!client) {
      this.sts ??= new STSClient({});
      const sts = this.sts;
      let cached: AwsCredentialIdentity | undefined;
      const provider = async (): Promise<AwsCredentialIdentity> => {
        if (cached?.expiration && cached.expiration.getTime() - Date.now() > REFRESH_MARGIN_MS) return cached;
        const out = await sts.send(
          new AssumeRoleCommand({
            RoleArn: roleArn,
            RoleSessionName: `tenant-${tenantId}`.slice(0, 64),
            Policy: tenantSessionPolicy(tenantId),
            Tags: [{ Key: 'TenantId', Value: tenantId }],
            DurationSeconds: 900,
          }),
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
      client = dynamoDbClient({ credentials: provider });
      this.clients.set(tenantId, client);
    }
    return client;
  }
}
