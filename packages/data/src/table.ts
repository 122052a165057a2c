/**
 * The one definition of the table and the queues. The CDK stack (infra/) and the local bootstrap
 * (packages/local) both read it, so the shapes cannot drift apart.
 *
 * Key design (single table, generic key names):
 * - Every tenant item's `pk` begins with the tenant id (`st_…#`, `grp_…#`, `oem_…#`), and so does
 *   every GSI partition key: one IAM condition on `dynamodb:LeadingKeys` isolates a tenant.
 * - Platform items (the directory of users and organisations) begin with `USER#` or `ORG#`.
 * - `expiresAt` (epoch seconds) is the TTL attribute: idempotency records and other short-lived items.
 */
export const TABLE = {
  /** Logical name; the deployed name comes from the stack (env `TABLE_NAME`). */
  logicalName: 'AftersalesTable',
  partitionKey: 'pk',
  sortKey: 'sk',
  ttlAttribute: 'expiresAt',
  globalIndexes: [
    { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    { name: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
    { name: 'gsi3', partitionKey: 'gsi3pk', sortKey: 'gsi3sk' },
  ],
} as const;

export type GlobalIndexName = (typeof TABLE.globalIndexes)[number]['name'];

export interface QueueDefinition {
  /** Logical id; the env var holding its URL is `<ENV>_QUEUE_URL`. */
  id: string;
  env: string;
  /** Visibility timeout ≥ 6× the consumer's timeout (AWS guidance for Lambda event sources). */
  visibilityTimeoutSeconds: number;
  consumerTimeoutSeconds: number;
  /** Deliveries before a message moves to the dead-letter queue. */
  maxReceiveCount: number;
  batchSize: number;
  /** The consumer, as a path under functions/ (CDK bundles it; the local poller imports it). */
  handler: string;
}

export const QUEUES = {
  registryImport: {
    id: 'RegistryImport',
    env: 'REGISTRY_IMPORT',
    consumerTimeoutSeconds: 60,
    visibilityTimeoutSeconds: 360,
    maxReceiveCount: 5,
    batchSize: 5,
    handler: 'registry-import/lambda.ts',
  },
} as const satisfies Record<string, QueueDefinition>;

export type QueueName = keyof typeof QUEUES;

export function queueUrlEnv(q: QueueDefinition): string {
  return `${q.env}_QUEUE_URL`;
}

/** Scheduled jobs (EventBridge rules in AWS, the local clock in development). */
export interface ScheduleDefinition {
  id: string;
  rateMinutes: number;
  timeoutSeconds: number;
  /** The handler, as a path under functions/. */
  handler: string;
}

export const SCHEDULES = {
  importWatchdog: {
    id: 'ImportWatchdog',
    rateMinutes: 5,
    timeoutSeconds: 60,
    handler: 'import-watchdog/lambda.ts',
  },
} as const satisfies Record<string, ScheduleDefinition>;

/**
 * Platform (non-tenant) key prefixes and who may touch them with the functions' own credentials:
 * the directory is read-only at run time; watch items are written by the API and the watchdog.
 */
export const PLATFORM_KEY_PREFIXES = {
  directory: ['USER#', 'ORG#', 'USERNAME#'],
  watch: ['WATCH#'],
} as const;

/**
 * Item-level actions a tenant session may use: the CDK tenant access role grants them and the
 * runtime's session policy narrows them to one tenant. There is no `TransactWriteItems` IAM action: a
 * transaction is authorised per contained Put/Update/Delete/ConditionCheck. `Scan` is absent on
 * purpose: it carries no leading key to check, and a `ForAllValues` condition is vacuously true when
 * the key is missing.
 */
export const TENANT_SESSION_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
] as const;
