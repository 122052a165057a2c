import { PLATFORM_KEY_PREFIXES, TENANT_SESSION_ACTIONS } from '@aftersales/data/table';
import { Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { DataTable } from './data.ts';
import type { ServiceFunction } from './functions.ts';
import { nagFindingValue } from './nag.ts';

/** Partition-key shapes of tenant items (tenant id first): stores, dealer groups, OEMs. */
export const TENANT_KEY_PATTERNS = ['st_*#*', 'grp_*#*', 'oem_*#*'] as const;

/** Partition-key shapes of the platform directory (users, organisations, username index). */
export const DIRECTORY_KEY_PATTERNS: readonly string[] = PLATFORM_KEY_PREFIXES.directory.map((p) => `${p}*`);

/** Item-level actions a tenant session may use (defined with the table: the runtime's session policy uses it too). */
export const TENANT_ITEM_ACTIONS = TENANT_SESSION_ACTIONS;

/** What every function role may do with its own credentials on the directory: read it. */
export const DIRECTORY_READ_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:Query',
  'dynamodb:BatchGetItem',
] as const;

/**
 * What a queue consumer may do with its own credentials on its idempotency records (Powertools
 * Idempotency's DynamoDB persistence layer: Get/Put/Update/Delete, no Query; table only, no index).
 */
export const IDEMPOTENCY_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
] as const;

/** Reading the directory with a function's own credentials: what every function acting for tenants may do. */
export function directoryReadStatement(resources: string[]): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'DirectoryReadOnly',
    actions: [...DIRECTORY_READ_ACTIONS],
    resources,
    conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...DIRECTORY_KEY_PATTERNS] } },
  });
}

/**
 * The API's only directory writes with its own credentials, each a mark on the caller's own user item:
 * sign-out (an `ENDED#<session>` item with its `expiresAt`, or `sessionsRevokedAt` for a token
 * without a session id) and a confirmed MFA enrolment (`mfaEnrolled`). Narrowed to those
 * attributes of `USER#` items, so it can change no profile, membership or username index, and it
 * returns no item.
 */
export const USER_MARK_ATTRIBUTES = ['pk', 'sk', 'sessionsRevokedAt', 'mfaEnrolled', 'expiresAt'] as const;
export function userMarksStatement(tableArn: string): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'MarkOwnUser',
    actions: ['dynamodb:UpdateItem'],
    resources: [tableArn],
    conditions: {
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['USER#*'] },
      'ForAllValues:StringEquals': { 'dynamodb:Attributes': [...USER_MARK_ATTRIBUTES] },
      StringEqualsIfExists: { 'dynamodb:ReturnValues': 'NONE' },
    },
  });
}

/**
 * Staff administration (人员) in the directory: a user's profile, their store memberships and their
 * access (`disabled`, `sessionsRevokedAt`). Narrowed to `USER#` items and to those attributes, so it can
 * neither mark an MFA enrolment nor write any tenant or organisation item, and it returns no item.
 * Which store's membership a request may write is the API's check (`staff:manage` in that store): IAM
 * cannot condition on the sort key.
 */
export const STAFF_ADMIN_ATTRIBUTES = [
  'pk',
  'sk',
  'type',
  'gsi1pk',
  'gsi1sk',
  'id',
  'username',
  'displayName',
  'locale',
  'disabled',
  'sessionsRevokedAt',
  'tenantId',
  'tenantKind',
  'tenantName',
  'roles',
] as const;
export function staffAdminStatement(tableArn: string): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'AdministerStaffUsers',
    actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
    resources: [tableArn],
    conditions: {
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['USER#*'] },
      'ForAllValues:StringEquals': { 'dynamodb:Attributes': [...STAFF_ADMIN_ATTRIBUTES] },
      StringEqualsIfExists: { 'dynamodb:ReturnValues': 'NONE' },
    },
  });
}

/** A queue consumer's own idempotency records: exactly its one partition (no wildcard), table only. */
export function idempotencyStatement(tableArn: string, partition: string): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'OwnIdempotencyRecords',
    actions: [...IDEMPOTENCY_ACTIONS],
    resources: [tableArn],
    conditions: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [partition] } },
  });
}

/** A consumer and the one platform partition (`WORKER#<queue id>`) its idempotency records live in. */
export interface IdempotencyKeeper {
  readonly fn: ServiceFunction;
  readonly partition: string;
}

export interface TenantIsolationProps {
  readonly data: DataTable;
  /** The functions that act for tenants: each may assume the tenant access role and read the directory. */
  readonly functions: readonly ServiceFunction[];
  /** Of those, the ones that mark their caller's user item (the API: sign-out, MFA enrolment). */
  readonly userMarkers?: readonly ServiceFunction[];
  /** Of those, the ones that administer staff: users, memberships and access in the directory (the API). */
  readonly staffAdministrators?: readonly ServiceFunction[];
  /** Of those, the queue consumers: each may also use its own idempotency partition, exactly. */
  readonly idempotencyKeepers?: readonly IdempotencyKeeper[];
}

/**
 * Tenant isolation enforced by IAM, after the AWS SaaS Factory serverless reference (token vending).
 *
 * The table's partition keys, on the table and on every GSI, begin with the tenant id (`st_…#`,
 * `grp_…#`, `oem_…#`); platform directory items begin with `USER#`, `ORG#` or `USERNAME#`. Three layers:
 *
 * 1. **Function roles** (API, queue consumers, scheduled jobs) hold no access to tenant items at all.
 *    With their own credentials they may only read the directory: `GetItem`, `Query`, `BatchGetItem`
 *    on the table and its indexes where every `dynamodb:LeadingKeys` matches `USER#*`, `ORG#*` or
 *    `USERNAME#*`, which is all the API needs to resolve a caller to memberships before it knows the
 *    tenant. Each queue consumer may also read and write its idempotency records, in exactly one
 *    platform partition, `WORKER#<queue id>` (`PLATFORM_KEY_PREFIXES` in `@aftersales/data/table`).
 * 2. **`TenantAccessRole`** trusts exactly those function roles (`sts:AssumeRole` + `sts:TagSession`)
 *    and allows the item-level actions of {@link TENANT_ITEM_ACTIONS} on the table and its indexes,
 *    only where every leading key is tenant-shaped (`ForAllValues:StringLike` on
 *    `dynamodb:LeadingKeys` = `st_*#*`, `grp_*#*`, `oem_*#*`): never the directory.
 * 3. **The session policy.** At run time the data layer (`TenantClientVendor` in `@aftersales/data`)
 *    calls `AssumeRole` with a session policy that repeats the statement with
 *    `dynamodb:LeadingKeys` = `<tenantId>#*` and tags the session `TenantId=<tenantId>`. A session's
 *    permissions are the intersection of the role policy and the session policy, so the credentials
 *    it gets reach one tenant's items and nothing else, whatever the code then asks for. Credentials
 *    are cached per tenant until shortly before they expire.
 *
 * The data layer also builds every key from the tenant id and checks it (defence in depth), but a bug
 * there cannot read another tenant's items: DynamoDB refuses the request.
 *
 * @example
 * ```ts
 * const tenancy = new TenantIsolation(this, 'Tenancy', { data, functions: functions.all });
 * tenancy.tenantAccessRoleArn; // passed to every function as TENANT_ACCESS_ROLE_ARN
 * ```
 */
export class TenantIsolation extends Construct {
  readonly tenantAccessRole: iam.Role;
  readonly tenantAccessRoleArn: string;

  constructor(scope: Construct, id: string, props: TenantIsolationProps) {
    super(scope, id);
    const { data, functions, idempotencyKeepers = [] } = props;
    if (functions.length === 0) throw new Error('TenantIsolation needs at least one function to trust');

    const tableResources = [data.tableArn, data.indexArns];

    this.tenantAccessRole = new iam.Role(this, 'TenantAccessRole', {
      description: 'Assumed by the functions with a session policy narrowing it to one tenant (LeadingKeys)',
      assumedBy: new iam.CompositePrincipal(
        ...functions.map((fn) => new iam.ArnPrincipal(fn.executionRole.roleArn).withSessionTags()),
      ),
    });
    this.tenantAccessRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'TenantItemsOnly',
        actions: [...TENANT_ITEM_ACTIONS],
        resources: tableResources,
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...TENANT_KEY_PATTERNS] } },
      }),
    );
    this.tenantAccessRoleArn = this.tenantAccessRole.roleArn;

    for (const fn of functions) {
      this.tenantAccessRole.grant(fn.executionRole, 'sts:AssumeRole', 'sts:TagSession');
      fn.executionRole.addToPrincipalPolicy(directoryReadStatement(tableResources));
      fn.addEnvironment('TENANT_ACCESS_ROLE_ARN', this.tenantAccessRoleArn);
    }
    for (const fn of props.userMarkers ?? []) {
      if (!functions.includes(fn)) throw new Error(`Function ${fn.node.path} is not among the functions`);
      fn.executionRole.addToPrincipalPolicy(userMarksStatement(data.tableArn));
    }
    for (const fn of props.staffAdministrators ?? []) {
      if (!functions.includes(fn)) throw new Error(`Function ${fn.node.path} is not among the functions`);
      fn.executionRole.addToPrincipalPolicy(staffAdminStatement(data.tableArn));
    }
    for (const { fn, partition } of idempotencyKeepers) {
      if (!functions.includes(fn)) throw new Error(`Consumer ${fn.node.path} is not among the functions`);
      fn.executionRole.addToPrincipalPolicy(idempotencyStatement(data.tableArn, partition));
    }

    const indexWildcard = {
      id: `AwsSolutions-IAM5[Resource::${nagFindingValue(this, data.indexArns)}]`,
      reason:
        'Access covers the table and its global secondary indexes (`<table arn>/index/*`: gsi1..gsi3, all ' +
        'queried by the data layer); every statement is narrowed by a dynamodb:LeadingKeys condition.',
    };
    Validations.of(this.tenantAccessRole).acknowledge(indexWildcard);
    for (const fn of functions) Validations.of(fn.executionRole).acknowledge(indexWildcard);
  }
}
