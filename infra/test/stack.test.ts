import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GROUP_STORE_PATHS } from '@aftersales/api/route-groups/paths';
import {
  idempotencyPartition,
  PROJECTIONS,
  type ProjectionAccess,
  QUEUES,
  type QueueDefinition,
  ROUTER,
  SCHEDULES,
  type ScheduleDefinition,
  TABLE,
} from '@aftersales/data/table';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { AftersalesStack } from '../lib/stack.ts';
import {
  DIRECTORY_KEY_PATTERNS,
  DIRECTORY_READ_ACTIONS,
  IDEMPOTENCY_ACTIONS,
  TENANT_ITEM_ACTIONS,
  TENANT_KEY_PATTERNS,
} from '../lib/tenancy.ts';
import { REPO_ROOT } from '../lib/toolchain.ts';
import { spaRewriteCode } from '../lib/web.ts';

type Json = Record<string, unknown>;
interface Resource {
  Type: string;
  /** Every resource of this stack has properties. */
  Properties: Json;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}
interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource?: unknown;
  Principal?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

const DEFINITIONS = Object.values(QUEUES) as QueueDefinition[];
const JOBS = Object.values(SCHEDULES) as ScheduleDefinition[];
/** Consumers that write projections into another tenant's partition (rights from `Projections`). */
const PROJECTORS = DEFINITIONS.filter((d) => (d.access ?? 'tenant') !== 'tenant').map(
  (d) => `Functions${d.id}Consumer`,
);
/** Managed CloudFront policy ids (documented constants). */
const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
const ALL_VIEWER_EXCEPT_HOST_HEADER = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';

/** The context the CLI passes from cdk.json, so tests see the flags a deployment sees. */
function cdkJsonContext(): Json {
  const cdkJson = JSON.parse(readFileSync(path.join(REPO_ROOT, 'cdk.json'), 'utf8')) as { context?: Json };
  return cdkJson.context ?? {};
}

/** A stand-in for `web/dist`, so the tests do not need a built web app. */
function fakeWebDist(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'aftersales-web-'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>test</title><div id="app"></div>');
  mkdirSync(path.join(dir, 'docs'));
  writeFileSync(path.join(dir, 'docs', 'index.html'), '<!doctype html><title>API docs</title>');
  return dir;
}

const asArray = (v: string | string[]): string[] => (Array.isArray(v) ? v : [v]);

function statementsOf(resource: Resource): Statement[] {
  const props = resource.Properties;
  if (resource.Type === 'AWS::IAM::Policy' || resource.Type === 'AWS::IAM::ManagedPolicy') {
    return ((props.PolicyDocument as { Statement: Statement[] }).Statement ?? []) as Statement[];
  }
  if (resource.Type === 'AWS::IAM::Role') {
    const inline = (props.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[];
    return inline.flatMap((p) => p.PolicyDocument.Statement);
  }
  return [];
}

function leadingKeys(statement: Statement): string[] | undefined {
  const keys =
    statement.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'] ??
    statement.Condition?.['ForAllValues:StringEquals']?.['dynamodb:LeadingKeys'];
  return Array.isArray(keys) ? (keys as string[]) : undefined;
}

/** Stream reads carry no item keys, so no LeadingKeys: the router's only DynamoDB rights. */
const STREAM_READ_ACTIONS = [
  'dynamodb:DescribeStream',
  'dynamodb:GetRecords',
  'dynamodb:GetShardIterator',
  'dynamodb:ListStreams',
];

/** `{ "Fn::GetAtt": [logicalId, "Arn"] }` → logicalId. */
function getAttId(value: unknown): string | undefined {
  const getAtt = (value as { 'Fn::GetAtt'?: [string, string] } | undefined)?.['Fn::GetAtt'];
  return getAtt?.[0];
}

interface Violation {
  ruleName: string;
  severity: string;
  violatingConstructs?: { constructPath: string }[];
}

/**
 * Synthesises `app` with cdk-nag's AWS Solutions pack registered and returns every unacknowledged
 * AwsSolutions finding (errors and warnings) from the policy-validation report. cdk-nag 3 reports through
 * CDK policy validation, not annotations; failing synth on errors is turned off so that warnings and
 * errors are both read from the report.
 */
function awsSolutionsFindings(app: App): Violation[] {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const assembly = app.synth();
  const report = JSON.parse(
    readFileSync(path.join(assembly.directory, 'validation-report.json'), 'utf8'),
  ) as {
    pluginReports: { pluginName: string; violations: Violation[] }[];
  };
  return report.pluginReports
    .flatMap((r) => r.violations)
    .filter((v) => v.ruleName.startsWith('AwsSolutions-'));
}

function nagApp(): App {
  return new App({
    context: {
      ...cdkJsonContext(),
      '@aws-cdk/core:failSynthOnValidationErrors': false,
      // cdk-nag reads templates only: skip esbuild for this second synthesis.
      'aws:cdk:bundling-stacks': [],
    },
  });
}

describe('AftersalesStack', () => {
  let stack: AftersalesStack;
  let template: Template;
  let resources: Record<string, Resource>;
  let assemblyDir: string;

  beforeAll(() => {
    // Prepare: one synthesis for every assertion, with real local esbuild bundling.
    const app = new App({ context: cdkJsonContext() });
    stack = new AftersalesStack(app, 'AftersalesStack', {
      env: { account: '123456789012', region: 'eu-central-1' },
      webAssetPath: fakeWebDist(),
      oemIntegrations: ['oem_FAWVOLKSWAGEN', 'oem_SAICVOLKSWAGEN'],
    });
    // Act
    assemblyDir = app.synth().directory;
    template = Template.fromStack(stack);
    resources = template.toJSON().Resources as Record<string, Resource>;
  }, 120_000);

  const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
  const ourFunctions = () =>
    ofType('AWS::Lambda::Function').filter(([, r]) => {
      const env = (r.Properties.Environment as { Variables?: Json } | undefined)?.Variables ?? {};
      return 'POWERTOOLS_SERVICE_NAME' in env;
    });
  const isProjector = (lid: string) => PROJECTORS.some((p) => lid.startsWith(p));
  /** One API function for the office, one for each other store route group, one for the manufacturer API. */
  const API_FUNCTIONS = 1 + Object.keys(GROUP_STORE_PATHS).length + 1;
  /** The HTTP API's functions: the office's (`FunctionsApi…`), the warehouse's, the workshop's and the OEMs'. */
  const isApi = (lid: string) =>
    ['FunctionsApi', 'FunctionsWarehouseApi', 'FunctionsWorkshopApi', 'FunctionsOemApi'].some((p) =>
      lid.startsWith(p),
    );
  const isRouter = (lid: string) => lid.startsWith(`Functions${ROUTER.id}`);
  /** The functions that act for tenants through the tenant access role: all but projectors and the router. */
  const tenantFunctions = () => ourFunctions().filter(([lid]) => !isProjector(lid) && !isRouter(lid));

  describe('data', () => {
    it('builds the single table from TABLE: keys, indexes, TTL, recovery and retention', () => {
      // Prepare
      const keyAttributes = [
        TABLE.partitionKey,
        TABLE.sortKey,
        ...TABLE.globalIndexes.flatMap((g) => [g.partitionKey, g.sortKey]),
      ];

      // Act
      const tables = ofType('AWS::DynamoDB::Table');

      // Assess
      expect(tables).toHaveLength(1);
      const [, table] = tables[0]!;
      expect(table.DeletionPolicy).toBe('Retain');
      expect(table.UpdateReplacePolicy).toBe('Retain');
      expect(table.Properties).toMatchObject({
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [
          { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
          { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
        ],
        TimeToLiveSpecification: { AttributeName: TABLE.ttlAttribute, Enabled: true },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
        // AWS-managed key (aws/dynamodb): SSE on, no customer key.
        SSESpecification: { SSEEnabled: true },
      });
      expect(table.Properties.SSESpecification).not.toHaveProperty('KMSMasterKeyId');
      const definitions = table.Properties.AttributeDefinitions as {
        AttributeName: string;
        AttributeType: string;
      }[];
      expect(definitions.map((d) => d.AttributeName).sort()).toEqual([...keyAttributes].sort());
      expect(definitions.every((d) => d.AttributeType === 'S')).toBe(true);
      const indexes = table.Properties.GlobalSecondaryIndexes as Json[];
      expect(indexes).toEqual(
        TABLE.globalIndexes.map((g) => ({
          IndexName: g.name,
          KeySchema: [
            { AttributeName: g.partitionKey, KeyType: 'HASH' },
            { AttributeName: g.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        })),
      );
    });

    it('publishes the names the code shares with the stack', () => {
      // Prepare / Act
      const { data } = stack;

      // Assess
      expect(data.partitionKey).toBe(TABLE.partitionKey);
      expect(data.ttlAttribute).toBe(TABLE.ttlAttribute);
      expect(data.indexNames).toEqual(TABLE.globalIndexes.map((g) => g.name));
    });
  });

  describe('queues', () => {
    it('creates the product’s queues only: no test probe ever reaches a deployment', () => {
      // Prepare: each declared queue and its DLQ, and the router's DLQ
      const expected = DEFINITIONS.length * 2 + 1;

      // Act
      const queues = ofType('AWS::SQS::Queue').map(([lid]) => lid);
      const owners = queues.map((lid) => DEFINITIONS.find((d) => lid.startsWith(`Queues${d.id}`))?.id);

      // Assess
      expect(queues).toHaveLength(expected);
      expect(owners.filter((o) => o === undefined)).toHaveLength(1); // the router's DLQ
      expect(JSON.stringify(template.toJSON())).not.toMatch(/probe|test\.ping/i);
    });

    it.each(DEFINITIONS.map((d) => [d.id, d] as const))(
      '%s: dead-letter queue after maxReceiveCount, visibility ≥ 6× consumer timeout, encrypted',
      (id, definition) => {
        // Prepare
        const [queueId, queue] = ofType('AWS::SQS::Queue').find(([lid]) =>
          lid.startsWith(`Queues${id}Queue`),
        )!;
        const consumer = ourFunctions().find(([lid]) => lid.startsWith(`Functions${id}Consumer`))!;

        // Act
        const redrive = queue.Properties.RedrivePolicy as {
          deadLetterTargetArn: unknown;
          maxReceiveCount: number;
        };
        const dlqId = getAttId(redrive.deadLetterTargetArn)!;
        const visibility = queue.Properties.VisibilityTimeout as number;
        const consumerTimeout = consumer[1].Properties.Timeout as number;

        // Assess
        expect(redrive.maxReceiveCount).toBe(definition.maxReceiveCount);
        expect(resources[dlqId]?.Type).toBe('AWS::SQS::Queue');
        expect(visibility).toBe(definition.visibilityTimeoutSeconds);
        expect(consumerTimeout).toBe(definition.consumerTimeoutSeconds);
        expect(visibility).toBeGreaterThanOrEqual(6 * consumerTimeout);
        for (const lid of [queueId, dlqId]) {
          expect(resources[lid]?.Properties.SqsManagedSseEnabled).toBe(true);
          template.hasResourceProperties('AWS::SQS::QueuePolicy', {
            Queues: [{ Ref: lid }],
            PolicyDocument: {
              Statement: Match.arrayWith([
                Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
              ]),
            },
          });
        }
        template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          MetricName: 'ApproximateNumberOfMessagesVisible',
          Namespace: 'AWS/SQS',
          Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlqId, 'QueueName'] } }],
          Threshold: 0,
          ComparisonOperator: 'GreaterThanThreshold',
        });
      },
    );

    it.each(DEFINITIONS.map((d) => [d.id, d] as const))(
      '%s: its consumer knows its dead-letter queue and may send poison messages there',
      (id, definition) => {
        // Prepare
        const [dlqId] = ofType('AWS::SQS::Queue').find(([lid]) =>
          lid.startsWith(`Queues${id}DeadLetterQueue`),
        )!;
        const [, consumer] = ourFunctions().find(([lid]) => lid.startsWith(`Functions${id}Consumer`))!;
        const roleId = getAttId(consumer.Properties.Role)!;

        // Act
        const env = (consumer.Properties.Environment as { Variables: Json }).Variables;
        const sendTargets = ofType('AWS::IAM::Policy')
          .filter(([, p]) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
          .flatMap(([, p]) => statementsOf(p))
          .filter((st) => asArray(st.Action).includes('sqs:SendMessage'))
          .flatMap((st) => (Array.isArray(st.Resource) ? st.Resource : [st.Resource]).map(getAttId));

        // Assess: the helper reads <ENV>_DLQ_URL at cold start; a missing one would fail every start
        expect(env[`${definition.env}_DLQ_URL`]).toEqual({ Ref: dlqId });
        // A consumer that puts a later step of its work back on its own queue (a webhook's next attempt)
        // may send there too, and nowhere else.
        const [queueId] = ofType('AWS::SQS::Queue').find(([lid]) => lid.startsWith(`Queues${id}Queue`))!;
        const requeues = (definition as QueueDefinition).requeues === true;
        // …and one that hands work on to another queue (the OEM projector's webhook deliveries) there.
        const onward = ((definition as QueueDefinition).sendsTo ?? []).map(
          (target) => ofType('AWS::SQS::Queue').find(([lid]) => lid.startsWith(`Queues${target}Queue`))![0],
        );
        expect([...sendTargets].sort()).toEqual(
          [...(requeues ? [dlqId, queueId] : [dlqId]), ...onward].sort(),
        );
      },
    );

    it('feeds each queue to its consumer with partial batch failures', () => {
      // Prepare
      const mappings = ofType('AWS::Lambda::EventSourceMapping');

      // Act / Assess: one per queue, and the router's stream mapping
      expect(mappings).toHaveLength(DEFINITIONS.length + 1);
      for (const definition of DEFINITIONS) {
        const [queueId] = ofType('AWS::SQS::Queue').find(([lid]) =>
          lid.startsWith(`Queues${definition.id}Queue`),
        )!;
        const mapping = mappings.find(([, m]) => getAttId(m.Properties.EventSourceArn) === queueId);
        expect(mapping?.[1].Properties).toMatchObject({
          BatchSize: definition.batchSize,
          FunctionResponseTypes: ['ReportBatchItemFailures'],
        });
        expect(mapping?.[1].Properties.ScalingConfig).toEqual(
          definition.maxConcurrency ? { MaximumConcurrency: definition.maxConcurrency } : undefined,
        );
      }
    });
  });

  describe('events', () => {
    it('turns on the table stream with new images', () => {
      // Assess
      template.hasResourceProperties('AWS::DynamoDB::Table', {
        StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
      });
    });

    it('feeds the stream to the router: domain events only, bisect, partial failures, retry limit, DLQ, lag alarm', () => {
      // Prepare
      const [tableId] = ofType('AWS::DynamoDB::Table')[0]!;
      const [routerId] = ourFunctions().find(([lid]) => lid.startsWith(`Functions${ROUTER.id}`))!;
      const [routerDlqId] = ofType('AWS::SQS::Queue').find(([lid]) =>
        lid.startsWith('QueuesEventRouterDeadLetterQueue'),
      )!;

      // Act
      const mapping = ofType('AWS::Lambda::EventSourceMapping').find(
        ([, m]) =>
          JSON.stringify(m.Properties.EventSourceArn) ===
          JSON.stringify({ 'Fn::GetAtt': [tableId, 'StreamArn'] }),
      );

      // Assess
      expect(mapping?.[1].Properties).toMatchObject({
        FunctionName: { Ref: routerId },
        StartingPosition: 'TRIM_HORIZON',
        BatchSize: ROUTER.batchSize,
        BisectBatchOnFunctionError: true,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        MaximumRetryAttempts: ROUTER.retryAttempts,
        MaximumRecordAgeInSeconds: ROUTER.maxRecordAgeHours * 3600,
        FilterCriteria: { Filters: [{ Pattern: JSON.stringify(ROUTER.filter) }] },
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [routerDlqId, 'Arn'] } } },
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [routerDlqId, 'QueueName'] } }],
        Threshold: 0,
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'IteratorAge',
        Namespace: 'AWS/Lambda',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: routerId } }],
        Threshold: ROUTER.lagAlarmMinutes * 60_000,
      });
    });

    it('lets the router send to the subscribed queues only, and read nothing but the stream', () => {
      // Prepare
      const [, router] = ourFunctions().find(([lid]) => lid.startsWith(`Functions${ROUTER.id}`))!;
      const roleId = getAttId(router.Properties.Role)!;
      const subscribed = DEFINITIONS.filter((d) => (d.events ?? []).length > 0);

      // Act
      const statements = ofType('AWS::IAM::Policy')
        .filter(([, p]) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
        .flatMap(([, p]) => statementsOf(p));
      const env = (router.Properties.Environment as { Variables: Json }).Variables;

      // Assess
      // (cdk.json minimises policies: one statement may name several queues.)
      const sendTargets = statements
        .filter((st) => asArray(st.Action).includes('sqs:SendMessage'))
        .flatMap((st) => (Array.isArray(st.Resource) ? st.Resource : [st.Resource]).map(getAttId));
      // The subscribed queues, and the router's own dead-letter queue (its on-failure destination).
      expect(sendTargets).toHaveLength(subscribed.length + 1);
      expect(sendTargets.some((id) => id?.startsWith('QueuesEventRouterDeadLetterQueue'))).toBe(true);
      for (const d of subscribed) {
        expect(sendTargets.some((id) => id?.startsWith(`Queues${d.id}Queue`))).toBe(true);
        expect(env[`${d.env}_QUEUE_URL`]).toBeDefined();
      }
      const dynamo = statements.flatMap((st) => asArray(st.Action)).filter((a) => a.startsWith('dynamodb:'));
      expect(dynamo.every((a) => STREAM_READ_ACTIONS.includes(a))).toBe(true);
      expect(env.TABLE_NAME).toBeUndefined();
      expect(env.TENANT_ACCESS_ROLE_ARN).toBeUndefined();
    });
  });

  describe('scheduled jobs', () => {
    it.each(JOBS.map((j) => [j.id, j] as const))('%s runs on its EventBridge schedule', (id, job) => {
      // Prepare
      const [fnId, fn] = ourFunctions().find(([lid]) => lid.startsWith(`Functions${id}`))!;

      // Act
      const rules = ofType('AWS::Events::Rule').filter(([, r]) =>
        (r.Properties.Targets as Json[]).some((t) => getAttId(t.Arn) === fnId),
      );

      // Assess
      expect(fn.Properties.Timeout).toBe(job.timeoutSeconds);
      expect(rules).toHaveLength(1);
      expect(rules[0]![1].Properties.ScheduleExpression).toBe(
        `rate(${job.rateMinutes} ${job.rateMinutes === 1 ? 'minute' : 'minutes'})`,
      );
    });
  });

  describe('functions', () => {
    it('runs every function on arm64 and Node.js 22 with JSON logs, tracing and its own log group', () => {
      // Prepare
      const fns = ourFunctions();
      const others = ofType('AWS::Lambda::Function').filter(([lid]) => !fns.some(([id]) => id === lid));

      // Assess: the API functions, the consumers (projectors among them), the jobs and the router
      expect(PROJECTORS.length).toBeGreaterThan(0);
      expect(fns).toHaveLength(API_FUNCTIONS + DEFINITIONS.length + JOBS.length + 1);
      // The only other function is CDK's BucketDeployment handler.
      expect(others.map(([lid]) => lid).every((lid) => lid.startsWith('CustomCDKBucketDeployment'))).toBe(
        true,
      );
      for (const [, fn] of fns) {
        expect(fn.Properties).toMatchObject({
          Architectures: ['arm64'],
          Runtime: 'nodejs22.x',
          Handler: 'index.handler',
          TracingConfig: { Mode: 'Active' },
          LoggingConfig: { LogFormat: 'JSON', ApplicationLogLevel: 'INFO' },
        });
        const logGroupId = (fn.Properties.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
        expect(resources[logGroupId]?.Properties.RetentionInDays).toBe(90);
      }
    });

    it('sizes the API at 1024 MB and workers at 512 MB', () => {
      // Act
      const apis = ourFunctions().filter(([lid]) => isApi(lid));
      const workers = ourFunctions().filter(([lid]) => !isApi(lid));

      // Assess
      expect(apis).toHaveLength(API_FUNCTIONS);
      for (const [, api] of apis) expect(api.Properties.MemorySize).toBe(1024);
      expect(workers).toHaveLength(DEFINITIONS.length + JOBS.length + 1);
      expect(workers.every(([, w]) => w.Properties.MemorySize === 512)).toBe(true);
    });

    it('gives every tenant function the table, every queue URL, the tenant role and the service name', () => {
      // Prepare
      const [tableId] = ofType('AWS::DynamoDB::Table')[0]!;
      const [tenantRoleId] = ofType('AWS::IAM::Role').find(([lid]) =>
        lid.startsWith('TenancyTenantAccessRole'),
      )!;

      // Act / Assess
      for (const [, fn] of tenantFunctions()) {
        const env = (fn.Properties.Environment as { Variables: Json }).Variables;
        expect(env.TABLE_NAME).toEqual({ Ref: tableId });
        expect(env.TENANT_ACCESS_ROLE_ARN).toEqual({ 'Fn::GetAtt': [tenantRoleId, 'Arn'] });
        expect(env.POWERTOOLS_SERVICE_NAME).toBe('aftersales');
        expect(env.NODE_OPTIONS).toBe('--enable-source-maps');
        for (const definition of DEFINITIONS) {
          expect(env[`${definition.env}_QUEUE_URL`]).toBeDefined();
        }
      }
    });

    it('tells the API which issuer, keys and app clients to trust', () => {
      // Prepare
      const api = ourFunctions().find(([lid]) => lid.startsWith('FunctionsApi'))!;
      const env = (api[1].Properties.Environment as { Variables: Json }).Variables;

      // Act
      const resolved = stack.resolve({
        issuer: stack.auth.issuerUrl,
        clientIds: stack.auth.acceptedClientIds.join(','),
      });

      // Assess
      expect(env.AUTH_ISSUER).toEqual(resolved.issuer);
      expect(JSON.stringify(env.AUTH_JWKS_URL)).toContain('/.well-known/jwks.json');
      expect(env.AUTH_CLIENT_IDS).toEqual(resolved.clientIds);
    });

    it('tells every API function the site’s address for the links it sends, and only them', () => {
      // Prepare
      const site = stack.resolve(stack.web.url);
      const env = (fn: Resource) => (fn.Properties.Environment as { Variables: Json }).Variables;

      // Act
      const apis = ourFunctions().filter(([lid]) => isApi(lid));

      // Assess: `https://` and the distribution's domain, resolved at deploy
      expect(apis).toHaveLength(API_FUNCTIONS);
      expect(JSON.stringify(site)).toContain('https://');
      for (const [lid, fn] of apis) expect(env(fn).PUBLIC_SITE_URL, lid).toEqual(site);
      for (const [lid, fn] of ourFunctions().filter(([lid]) => !isApi(lid)))
        expect(env(fn).PUBLIC_SITE_URL, lid).toBeUndefined();
    });

    it('has no dependency cycle among its resources (CloudFormation would refuse the stack)', () => {
      // Prepare: each resource's edges, from Ref, Fn::GetAtt, ${…} in Fn::Sub and DependsOn
      const edges = new Map<string, Set<string>>();
      const collect = (value: unknown, out: Set<string>): void => {
        if (Array.isArray(value)) for (const v of value) collect(v, out);
        else if (typeof value === 'string')
          for (const m of value.matchAll(/\$\{([A-Za-z0-9]+)[.}]/g)) out.add(m[1]!);
        else if (value && typeof value === 'object')
          for (const [k, v] of Object.entries(value)) {
            if (k === 'Ref' && typeof v === 'string') out.add(v);
            else if (k === 'Fn::GetAtt') out.add(Array.isArray(v) ? String(v[0]) : String(v).split('.')[0]!);
            else collect(v, out);
          }
      };
      for (const [lid, r] of Object.entries(resources)) {
        const out = new Set<string>();
        collect(r.Properties, out);
        const dependsOn = (r as Resource & { DependsOn?: string | string[] }).DependsOn ?? [];
        for (const d of [dependsOn].flat()) out.add(d);
        edges.set(lid, new Set([...out].filter((id) => id !== lid && id in resources)));
      }

      // Act: a depth-first walk that meets a resource still on its own path has found a cycle
      const state = new Map<string, 'open' | 'done'>();
      const cycles: string[] = [];
      const walk = (lid: string, path: string[]): void => {
        if (state.get(lid) === 'done') return;
        if (state.get(lid) === 'open') {
          cycles.push([...path.slice(path.indexOf(lid)), lid].join(' → '));
          return;
        }
        state.set(lid, 'open');
        for (const next of edges.get(lid) ?? []) walk(next, [...path, lid]);
        state.set(lid, 'done');
      };
      for (const lid of edges.keys()) walk(lid, []);

      // Assess
      expect(cycles).toEqual([]);
    });

    it('gives the API a generated cursor secret, by reference: its value is in no template', () => {
      // Prepare
      const api = ourFunctions().find(([lid]) => lid.startsWith('FunctionsApi'))!;
      const env = (api[1].Properties.Environment as { Variables: Json }).Variables;
      const [secretId, secret] = ofType('AWS::SecretsManager::Secret').find(([lid]) =>
        lid.startsWith('FunctionsCursorSecret'),
      )!;

      // Act
      const reference = JSON.stringify(env.CURSOR_SECRET);

      // Assess: a `{{resolve:secretsmanager:…}}` of that secret, resolved by CloudFormation at deploy
      expect(reference).toContain('{{resolve:secretsmanager:');
      expect(reference).toContain(secretId);
      expect(secret.Properties.GenerateSecretString).toMatchObject({ PasswordLength: 64 });
      for (const [lid, fn] of ourFunctions().filter(([lid]) => !isApi(lid)))
        expect(
          (fn.Properties.Environment as { Variables: Json }).Variables.CURSOR_SECRET,
          lid,
        ).toBeUndefined();
    });

    it('has CloudFront prove each API request came through it, with a secret the API functions hold', () => {
      // Prepare
      const [secretId] = ofType('AWS::SecretsManager::Secret').find(([lid]) =>
        lid.startsWith('FunctionsOriginSecret'),
      )!;
      const [, distribution] = ofType('AWS::CloudFront::Distribution')[0]!;
      const origins = (distribution.Properties.DistributionConfig as { Origins: Json[] }).Origins;

      // Act: the API's origin (the one with a custom origin config, not the S3 bucket's)
      const apiOrigins = origins.filter((o) => JSON.stringify(o).includes('CustomOriginConfig'));
      const headers = apiOrigins.map((o) =>
        JSON.stringify((o as { OriginCustomHeaders?: Json }).OriginCustomHeaders),
      );

      // Assess: every API origin sends X-Origin-Verify, resolved from the secret at deploy…
      expect(apiOrigins.length).toBeGreaterThan(0);
      for (const h of headers) {
        expect(h).toContain('"HeaderName":"x-origin-verify"');
        expect(h).toContain('{{resolve:secretsmanager:');
        expect(h).toContain(secretId);
      }
      // …and every API function reads the same secret; no other function has it
      for (const [lid, fn] of ourFunctions()) {
        const value = (fn.Properties.Environment as { Variables: Json }).Variables.ORIGIN_SECRET;
        if (isApi(lid)) expect(JSON.stringify(value), lid).toContain(secretId);
        else expect(value, lid).toBeUndefined();
      }
    });

    it('bundles ESM with a require shim and leaves the AWS SDK to the runtime', () => {
      // Prepare
      const api = ourFunctions().find(([lid]) => lid.startsWith('FunctionsApi'))!;
      const key = (api[1].Properties.Code as { S3Key: string }).S3Key;
      const bundle = path.join(assemblyDir, `asset.${key.replace(/\.zip$/, '')}`, 'index.mjs');

      // Act
      const code = readFileSync(bundle, 'utf8');

      // Assess
      expect(existsSync(`${bundle}.map`)).toBe(true);
      expect(
        code.startsWith("import { createRequire as __aftersalesCreateRequire } from 'node:module';"),
      ).toBe(true);
      expect(code).not.toMatch(/@aws-sdk\/client-dynamodb\/dist-cjs/);
      // Built by infra/lib/bundling.ts: zod's translations are left out.
      expect(code).not.toContain('Ungültige Eingabe');
    });
  });

  describe('tenant isolation', () => {
    it('lets the tenant access role touch tenant-shaped keys only', () => {
      // Prepare
      const [roleId] = ofType('AWS::IAM::Role').find(([lid]) => lid.startsWith('TenancyTenantAccessRole'))!;

      // Act
      const statements = ofType('AWS::IAM::Policy')
        .filter(([, p]) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
        .flatMap(([, p]) => statementsOf(p));

      // Assess
      expect(statements).toHaveLength(1);
      const [statement] = statements;
      expect(asArray(statement!.Action).sort()).toEqual([...TENANT_ITEM_ACTIONS].sort());
      expect(leadingKeys(statement!)).toEqual([...TENANT_KEY_PATTERNS]);
      expect(JSON.stringify(statement!.Resource)).toContain('/index/*');
    });

    it('trusts exactly the function roles, with session tags', () => {
      // Prepare
      const [, role] = ofType('AWS::IAM::Role').find(([lid]) => lid.startsWith('TenancyTenantAccessRole'))!;
      const functionRoleIds = tenantFunctions().map(([, fn]) => getAttId(fn.Properties.Role)!);

      // Act
      const trust = (role.Properties.AssumeRolePolicyDocument as { Statement: Statement[] }).Statement;
      const trusted = trust.flatMap((s) => {
        const aws = (s.Principal as { AWS?: unknown }).AWS;
        return (Array.isArray(aws) ? aws : [aws]).map(getAttId);
      });

      // Assess
      expect(trust.every((s) => asArray(s.Action).sort().join() === 'sts:AssumeRole,sts:TagSession')).toBe(
        true,
      );
      expect(trusted.sort()).toEqual([...functionRoleIds].sort());
    });

    it('conditions every IAM statement that grants DynamoDB item actions on dynamodb:LeadingKeys', () => {
      // Prepare
      const [tenantRoleId] = ofType('AWS::IAM::Role').find(([lid]) =>
        lid.startsWith('TenancyTenantAccessRole'),
      )!;
      // Every function role but the router's reads the directory.
      const functionRoleIds = new Set(
        ourFunctions()
          .filter(([lid]) => !isRouter(lid))
          .map(([, fn]) => getAttId(fn.Properties.Role)!),
      );
      /** Each projection's role → the key patterns it may reach (`PROJECTIONS`). */
      const projectionKeys = new Map(
        (Object.keys(PROJECTIONS) as ProjectionAccess[]).map((access) => {
          const [roleId] = ofType('AWS::IAM::Role').find(([lid]) =>
            lid.startsWith(`Projections${PROJECTIONS[access].role}`),
          )!;
          return [roleId, PROJECTIONS[access].keyPatterns] as const;
        }),
      );
      const routerRoleId = getAttId(ourFunctions().find(([lid]) => isRouter(lid))![1].Properties.Role);
      const apiRoleId = getAttId(
        ourFunctions().find(([lid]) => lid.startsWith('FunctionsApi'))![1].Properties.Role,
      );
      /** Each consumer's role → the one idempotency partition it may use. */
      const consumerPartitions = new Map(
        DEFINITIONS.map((d) => {
          const [, fn] = ourFunctions().find(([lid]) => lid.startsWith(`Functions${d.id}Consumer`))!;
          return [getAttId(fn.Properties.Role)!, idempotencyPartition(d)] as const;
        }),
      );
      const policies = Object.entries(resources).filter(([, r]) =>
        ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy', 'AWS::IAM::Role'].includes(r.Type),
      );

      // Act
      const dynamoStatements = policies.flatMap(([lid, r]) => {
        const roleIds =
          r.Type === 'AWS::IAM::Role'
            ? [lid]
            : ((r.Properties.Roles ?? []) as { Ref: string }[]).map((x) => x.Ref);
        return statementsOf(r)
          .filter((s) => asArray(s.Action).some((a) => a.startsWith('dynamodb:')))
          .map((statement) => ({ statement, roleIds }));
      });
      const streamStatements = dynamoStatements.filter(({ statement }) =>
        asArray(statement.Action)
          .filter((a) => a.startsWith('dynamodb:'))
          .every((a) => STREAM_READ_ACTIONS.includes(a)),
      );
      const itemStatements = dynamoStatements.filter((s) => !streamStatements.includes(s));

      // Assess: stream reads (no item keys to condition) belong to the router alone.
      expect(streamStatements.length).toBeGreaterThan(0);
      for (const { roleIds } of streamStatements) expect(roleIds).toEqual([routerRoleId]);
      // The tenant statement, a directory statement per function role, an idempotency statement per
      // consumer, the API's directory marks (sign-out, MFA enrolment), the API's staff administration and
      // one statement per projection, every one of them conditioned on LeadingKeys.
      expect(itemStatements.length, JSON.stringify(itemStatements)).toBe(
        1 + functionRoleIds.size + consumerPartitions.size + 1 + 1 + projectionKeys.size,
      );
      for (const { statement, roleIds } of itemStatements) {
        expect(statement.Effect).toBe('Allow');
        expect(asArray(statement.Action)).not.toContain('dynamodb:*');
        expect(asArray(statement.Action)).not.toContain('dynamodb:Scan');
        const keys = leadingKeys(statement);
        expect(keys, JSON.stringify(statement)).toBeDefined();
        expect(keys!.length).toBeGreaterThan(0);
        if (roleIds.some((id) => functionRoleIds.has(id))) {
          // Function roles: platform keys only (directory read-only; its own idempotency partition).
          expect(
            keys!.some((k) => TENANT_KEY_PATTERNS.some((t) => k.startsWith(t.slice(0, t.indexOf('*'))))),
          ).toBe(false);
          const actions = asArray(statement.Action).sort();
          if (statement.Sid === 'MarkOwnUser') {
            // Sign-out and MFA enrolment: the API alone, two attributes of user items, nothing else.
            expect(roleIds).toEqual([apiRoleId]);
            expect(keys).toEqual(['USER#*']);
            expect(actions).toEqual(['dynamodb:UpdateItem']);
            expect(statement.Condition).toMatchObject({
              'ForAllValues:StringEquals': {
                'dynamodb:Attributes': ['pk', 'sk', 'sessionsRevokedAt', 'mfaEnrolled', 'expiresAt'],
              },
              StringEqualsIfExists: { 'dynamodb:ReturnValues': 'NONE' },
            });
          } else if (statement.Sid === 'AdministerStaffUsers') {
            // Staff administration: the API alone, user items only, their profile, membership and
            // access attributes (never `mfaEnrolled`), no item returned.
            expect(roleIds).toEqual([apiRoleId]);
            expect(keys).toEqual(['USER#*']);
            expect(actions).toEqual(['dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']);
            const attributes = statement.Condition?.['ForAllValues:StringEquals']?.['dynamodb:Attributes'];
            expect(attributes).toEqual(expect.arrayContaining(['roles', 'disabled', 'sessionsRevokedAt']));
            expect(attributes).not.toContain('mfaEnrolled');
            expect(statement.Condition).toMatchObject({
              StringEqualsIfExists: { 'dynamodb:ReturnValues': 'NONE' },
            });
          } else if (keys!.every((k) => DIRECTORY_KEY_PATTERNS.includes(k))) {
            expect(keys).toEqual([...DIRECTORY_KEY_PATTERNS]);
            expect(actions).toEqual([...DIRECTORY_READ_ACTIONS].sort());
          } else {
            expect(roleIds).toHaveLength(1);
            expect(keys).toEqual([consumerPartitions.get(roleIds[0]!)]);
            expect(statement.Condition).toHaveProperty('ForAllValues:StringEquals');
            expect(actions).toEqual([...IDEMPOTENCY_ACTIONS].sort());
          }
        } else if (roleIds.some((id) => projectionKeys.has(id))) {
          expect(roleIds).toHaveLength(1);
          expect(keys).toEqual([...(projectionKeys.get(roleIds[0]!) ?? [])]);
        } else {
          expect(roleIds).toEqual([tenantRoleId]);
        }
      }
    });

    it('lets each function role assume the tenant access role', () => {
      // Prepare
      const [tenantRoleId] = ofType('AWS::IAM::Role').find(([lid]) =>
        lid.startsWith('TenancyTenantAccessRole'),
      )!;

      // Act / Assess
      for (const [, fn] of tenantFunctions()) {
        const roleId = getAttId(fn.Properties.Role)!;
        const statements = ofType('AWS::IAM::Policy')
          .filter(([, p]) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
          .flatMap(([, p]) => statementsOf(p));
        // The API's statement may also name the uploads role (minimizePolicies merges them).
        const tenantRole = { 'Fn::GetAtt': [tenantRoleId, 'Arn'] };
        expect(
          statements.some(
            (st) =>
              JSON.stringify(st.Action) === JSON.stringify(['sts:AssumeRole', 'sts:TagSession']) &&
              (Array.isArray(st.Resource) ? st.Resource : [st.Resource]).some(
                (r) => JSON.stringify(r) === JSON.stringify(tenantRole),
              ),
          ),
        ).toBe(true);
      }
    });
  });

  describe('projections', () => {
    it.each([
      ['HQ', QUEUES.hqFigures, 'group-projection', ['grp_*#*']],
      ['OEM', QUEUES.oemClaims, 'oem-projection', ['oem_*#*']],
    ] as const)(
      'narrows the %s projector to its target’s keys: it can never reach a store’s items',
      (_, queue, access, targetKeys) => {
        // Prepare
        const [, projector] = ourFunctions().find(([lid]) => lid.startsWith(`Functions${queue.id}Consumer`))!;
        const projectorRoleId = getAttId(projector.Properties.Role)!;
        const kind = PROJECTIONS[access];
        const [projectionRoleId, projectionRole] = ofType('AWS::IAM::Role').find(([lid]) =>
          lid.startsWith(`Projections${kind.role}`),
        )!;
        const [tenantRoleId, tenantRole] = ofType('AWS::IAM::Role').find(([lid]) =>
          lid.startsWith('TenancyTenantAccessRole'),
        )!;
        const policiesOf = (roleId: string) =>
          ofType('AWS::IAM::Policy')
            .filter(([, p]) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
            .flatMap(([, p]) => statementsOf(p));

        // Act
        const projectorStatements = policiesOf(projectorRoleId);
        const projectionStatements = policiesOf(projectionRoleId);
        const env = (projector.Properties.Environment as { Variables: Json }).Variables;
        const trustedBy = (role: Resource) =>
          JSON.stringify((role.Properties.AssumeRolePolicyDocument as { Statement: Statement[] }).Statement);

        // Assess: the projection role's one statement reaches its target's keys only, with its actions only
        expect(projectionStatements).toHaveLength(1);
        expect(leadingKeys(projectionStatements[0]!)).toEqual([...targetKeys]);
        expect(asArray(projectionStatements[0]!.Action).sort()).toEqual([...kind.actions].sort());
        expect(asArray(projectionStatements[0]!.Action)).not.toContain('dynamodb:DeleteItem');
        // it is trusted by the projector alone, and the projector cannot assume the tenant access role
        expect(trustedBy(projectionRole)).toContain(projectorRoleId);
        expect(trustedBy(tenantRole)).not.toContain(projectorRoleId);
        const assumable = projectorStatements
          .filter((s) => asArray(s.Action).includes('sts:AssumeRole'))
          .map((s) => getAttId(s.Resource));
        expect(assumable).toEqual([projectionRoleId]);
        expect(assumable).not.toContain(tenantRoleId);
        // its own role reads the directory and its own idempotency records, nothing else of the table
        const ownDynamo = projectorStatements.filter((s) =>
          asArray(s.Action).some((a) => a.startsWith('dynamodb:')),
        );
        expect(ownDynamo.map(leadingKeys)).toEqual([[...DIRECTORY_KEY_PATTERNS], [`WORKER#${queue.id}`]]);
        // and the router feeds its queue
        const [, router] = ourFunctions().find(([lid]) => isRouter(lid))!;
        const routerEnv = (router.Properties.Environment as { Variables: Json }).Variables;
        expect(routerEnv).toHaveProperty(`${queue.env}_QUEUE_URL`);
        expect(env[kind.roleArnEnv]).toEqual({ 'Fn::GetAtt': [projectionRoleId, 'Arn'] });
        expect(env).not.toHaveProperty('TENANT_ACCESS_ROLE_ARN');
      },
    );
  });

  describe('auth', () => {
    it('creates staff accounts by admin only, with strong passwords, optional TOTP and threat protection', () => {
      // Assess
      template.hasResourceProperties('AWS::Cognito::UserPool', {
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
        MfaConfiguration: 'OPTIONAL',
        EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
        UserPoolTier: 'PLUS',
        UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
        Policies: {
          PasswordPolicy: Match.objectLike({
            MinimumLength: 12,
            RequireLowercase: true,
            RequireUppercase: true,
            RequireNumbers: true,
            RequireSymbols: true,
          }),
        },
      });
      template.resourceCountIs('AWS::Cognito::UserPoolDomain', 1);
    });

    it('gives the SPA a public client with USER_PASSWORD_AUTH and refresh', () => {
      // Assess
      template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
        GenerateSecret: false,
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        AllowedOAuthFlowsUserPoolClient: false,
        EnableTokenRevocation: true,
      });
    });

    it('lets a signed-in user write only their name and locale; an e-mail change waits for confirmation', () => {
      // Prepare
      const [, web] = ofType('AWS::Cognito::UserPoolClient').find(
        ([, c]) => c.Properties.GenerateSecret === false,
      )!;

      // Assess
      expect([...(web.Properties.WriteAttributes as string[])].sort()).toEqual(['locale', 'name']);
      expect(web.Properties.ReadAttributes).toEqual(expect.arrayContaining(['email', 'email_verified']));
      template.hasResourceProperties('AWS::Cognito::UserPool', {
        UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] },
      });
    });

    it('lets the API confirm MFA enrolment and administer staff accounts in its pool, nothing more of Cognito', () => {
      // Prepare
      const [, api] = ourFunctions().find(([lid]) => lid.startsWith('FunctionsApi'))!;
      const roleId = getAttId(api.Properties.Role)!;
      const statements = ofType('AWS::IAM::Policy')
        .filter(([, p]) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
        .flatMap(([, p]) => statementsOf(p));
      const [poolId] = ofType('AWS::Cognito::UserPool')[0]!;

      // Assess
      const cognito = statements.filter((st) => asArray(st.Action).some((a) => a.startsWith('cognito-idp:')));
      const pool = { 'Fn::GetAtt': [poolId, 'Arn'] };
      // Whether CDK merges the two statements or not, these actions on this pool are all there is.
      expect(cognito.flatMap((st) => asArray(st.Action)).sort()).toEqual([
        'cognito-idp:AdminCreateUser',
        'cognito-idp:AdminDisableUser',
        'cognito-idp:AdminEnableUser',
        'cognito-idp:AdminGetUser',
        'cognito-idp:AdminUserGlobalSignOut',
      ]);
      for (const st of cognito) expect(st.Resource).toEqual(pool);
      const env = (api.Properties.Environment as { Variables: Json }).Variables;
      expect(env.USER_POOL_ID).toEqual({ Ref: poolId });
    });

    it('gives each OEM integration its own confidential client-credentials client for aftersales/claims', () => {
      // Prepare
      const [serverId] = ofType('AWS::Cognito::UserPoolResourceServer')[0]!;
      const machines = ofType('AWS::Cognito::UserPoolClient').filter(([, c]) =>
        JSON.stringify(c.Properties.AllowedOAuthFlows ?? []).includes('client_credentials'),
      );

      // Act: who the API accepts (the authorizer's audience and the functions' AUTH_CLIENT_IDS)
      const [, authorizer] = ofType('AWS::ApiGatewayV2::Authorizer')[0]!;
      const audience = JSON.stringify(authorizer.Properties.JwtConfiguration);
      const api = ourFunctions().find(([lid]) => lid.startsWith('FunctionsApi'))!;
      const accepted = JSON.stringify(
        (api[1].Properties.Environment as { Variables: Json }).Variables.AUTH_CLIENT_IDS,
      );

      // Assess
      template.hasResourceProperties('AWS::Cognito::UserPoolResourceServer', {
        Identifier: 'aftersales',
        Scopes: [Match.objectLike({ ScopeName: 'claims' })],
      });
      expect(machines.map(([, c]) => c.Properties.ClientName).sort()).toEqual([
        'oem_FAWVOLKSWAGEN',
        'oem_SAICVOLKSWAGEN',
      ]);
      for (const [lid, client] of machines) {
        expect(client.Properties).toMatchObject({
          GenerateSecret: true,
          AllowedOAuthFlows: ['client_credentials'],
          AllowedOAuthScopes: [{ 'Fn::Join': ['', [{ Ref: serverId }, '/claims']] }],
        });
        expect(audience, lid).toContain(lid);
        expect(accepted, lid).toContain(lid);
      }
    });

    it('makes no machine client without an OEM integration', () => {
      // Prepare: no bundling, only the template is read
      const app = new App({ context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] } });
      const bare = new AftersalesStack(app, 'AftersalesStack', {
        env: { account: '123456789012', region: 'eu-central-1' },
        webAssetPath: fakeWebDist(),
      });

      // Act
      const clients = Template.fromStack(bare).findResources('AWS::Cognito::UserPoolClient');

      // Assess: the web app's client only
      expect(Object.keys(clients)).toHaveLength(1);
      expect(bare.auth.acceptedClientIds).toHaveLength(1);
    });
  });

  describe('api', () => {
    it('requires a Cognito token on /v1 and leaves /openapi.json and /health public', () => {
      // Prepare
      const routes = ofType('AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties);

      // Act
      const byKey = Object.fromEntries(routes.map((r) => [r.RouteKey as string, r]));

      // Assess
      const keysOf = (segments: readonly string[]) =>
        segments.flatMap((p) => [`ANY /v1/stores/{storeId}/${p}`, `ANY /v1/stores/{storeId}/${p}/{proxy+}`]);
      const groupKeys = [keysOf(GROUP_STORE_PATHS.warehouse), keysOf(GROUP_STORE_PATHS.workshop)];
      const quoteLinks = 'ANY /public/v1/stores/{storeId}/approval-links/{proxy+}';
      const oems = 'ANY /v1/oems/{proxy+}';
      expect(Object.keys(byKey).sort()).toEqual(
        [
          'ANY /public/v1/{proxy+}',
          quoteLinks,
          oems,
          'ANY /v1/{proxy+}',
          'GET /health',
          'GET /openapi.json',
          ...groupKeys.flat(),
        ].sort(),
      );
      expect(byKey['ANY /v1/{proxy+}']?.AuthorizationType).toBe('JWT');
      // Each group's paths reach its own function, behind the same authorizer.
      const integrationOf = (key: string) => JSON.stringify(byKey[key]?.Target);
      for (const keys of groupKeys)
        for (const key of keys) {
          expect(byKey[key]?.AuthorizationType, key).toBe('JWT');
          expect(integrationOf(key), key).toBe(integrationOf(keys[0]!));
        }
      // The manufacturer API is a function of its own, behind the same authorizer.
      expect(byKey[oems]?.AuthorizationType).toBe('JWT');
      const targets = [
        integrationOf('ANY /v1/{proxy+}'),
        ...groupKeys.map((keys) => integrationOf(keys[0]!)),
        integrationOf(oems),
      ];
      expect(new Set(targets).size).toBe(targets.length);
      expect(byKey['ANY /public/v1/{proxy+}']?.AuthorizationType).toBe('NONE');
      // The customer's quote link (远程确认) is public too, and served by the workshop's function.
      expect(byKey[quoteLinks]?.AuthorizationType).toBe('NONE');
      expect(integrationOf(quoteLinks)).toBe(integrationOf(groupKeys[1]![0]!));
      expect(byKey['GET /health']?.AuthorizationType).toBe('NONE');
      expect(byKey['GET /openapi.json']?.AuthorizationType).toBe('NONE');
      const resolved = stack.resolve(stack.auth.acceptedClientIds);
      template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
        AuthorizerType: 'JWT',
        JwtConfiguration: { Audience: resolved, Issuer: stack.resolve(stack.auth.issuerUrl) },
      });
    });

    it('throttles the stage and writes JSON access logs', () => {
      // Assess
      template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        StageName: '$default',
        AutoDeploy: true,
        DefaultRouteSettings: { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 },
        // The public booking page's anonymous route has a throttle of its own, beneath the stage's
        RouteSettings: {
          'ANY /public/v1/{proxy+}': { ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 },
          'ANY /public/v1/stores/{storeId}/approval-links/{proxy+}': {
            ThrottlingRateLimit: 20,
            ThrottlingBurstLimit: 40,
          },
        },
        AccessLogSettings: {
          DestinationArn: Match.anyValue(),
          Format: Match.stringLikeRegexp('"requestId"'),
        },
      });
    });
  });

  describe('uploads', () => {
    const uploadsBucket = () => ofType('AWS::S3::Bucket').find(([lid]) => lid.startsWith('UploadsBucket'))!;

    it('keeps uploads private, encrypted, TLS-only, logged and for a day at most; photos kept, versioned', () => {
      // Prepare
      const [bucketId, bucket] = uploadsBucket();
      const props = bucket.Properties;
      const policy = ofType('AWS::S3::BucketPolicy').find(
        ([, p]) => JSON.stringify(p.Properties.Bucket) === JSON.stringify({ Ref: bucketId }),
      );

      // Assess
      expect(props.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(props.BucketEncryption).toEqual({
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      });
      expect(props.LoggingConfiguration).toMatchObject({ LogFilePrefix: 's3/uploads/' });
      expect(props.LifecycleConfiguration).toEqual({
        Rules: expect.arrayContaining([
          expect.objectContaining({
            Prefix: 'uploads/',
            ExpirationInDays: 1,
            NoncurrentVersionExpiration: { NoncurrentDays: 1 },
            Status: 'Enabled',
          }),
          expect.objectContaining({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }),
        ]),
      });
      // Sealed photos are evidence: no rule expires them, a replaced one stays as a version, and the
      // bucket outlives the stack.
      const rules = (
        props.LifecycleConfiguration as { Rules: { Prefix?: string; ExpirationInDays?: number }[] }
      ).Rules;
      expect(
        rules.filter((r) => r.ExpirationInDays !== undefined && !r.Prefix?.startsWith('uploads/')),
      ).toEqual([]);
      expect(props.VersioningConfiguration).toEqual({ Status: 'Enabled' });
      expect(bucket.DeletionPolicy).toBe('Retain');
      expect(JSON.stringify(policy?.[1].Properties.PolicyDocument)).toContain(
        '"aws:SecureTransport":"false"',
      );
    });

    it('lets only the web app’s origin PUT or POST from a browser', () => {
      // Prepare
      const [, bucket] = uploadsBucket();
      const rules = (bucket.Properties.CorsConfiguration as { CorsRules: Json[] }).CorsRules;

      // Assess
      expect(rules).toHaveLength(1);
      expect(rules[0]!.AllowedMethods).toEqual(['PUT', 'POST']);
      expect(stack.resolve(rules[0]!.AllowedOrigins)).toEqual([stack.resolve(stack.web.url)]);
    });

    it('gives the uploads role alone put, get and delete under uploads/, put and get under photos/ (and a listing of both), assumed by the API only; the CSP admits its host', () => {
      // Prepare
      const [bucketId] = uploadsBucket();
      const s3Statements = ofType('AWS::IAM::Policy').flatMap(([lid, p]) =>
        ((p.Properties.PolicyDocument as { Statement: Json[] }).Statement ?? [])
          .filter((st) => JSON.stringify(st.Resource ?? '').includes(bucketId))
          .map((st) => ({ lid, st })),
      );
      const [roleId, role] = ofType('AWS::IAM::Role').find(([lid]) =>
        lid.startsWith('UploadsUploadsAccessRole'),
      )!;
      const api = ourFunctions().find(([lid]) => lid.startsWith('FunctionsApi'))!;
      const apiRoleId = (api[1].Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      const warehouse = ourFunctions().find(([lid]) => lid.startsWith('FunctionsWarehouseApi'))!;
      const workshop = ourFunctions().find(([lid]) => lid.startsWith('FunctionsWorkshopApi'))!;
      const oem = ourFunctions().find(([lid]) => lid.startsWith('FunctionsOemApi'))!;
      const roleIdOf = (fn: typeof api) =>
        (fn[1].Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      const others = ourFunctions().filter(([lid]) => !isApi(lid));
      const [, headers] = ofType('AWS::CloudFront::ResponseHeadersPolicy').find(([lid]) =>
        lid.startsWith('WebSecurityHeaders'),
      )!;
      const assumers = ofType('AWS::IAM::Policy').filter(([, p]) =>
        JSON.stringify(p.Properties.PolicyDocument).includes(`"${roleId}"`),
      );

      // Act
      const csp = JSON.stringify(headers.Properties);
      const trust = (role.Properties.AssumeRolePolicyDocument as { Statement: Statement[] }).Statement;

      // Assess
      expect(s3Statements).toHaveLength(3);
      for (const { lid } of s3Statements) expect(lid).toMatch(/^UploadsUploadsAccessRoleDefaultPolicy/);
      const objectsUnder = (prefix: string) =>
        s3Statements.find(({ st }) => JSON.stringify(st.Resource).includes(`/${prefix}/*`));
      const listing = s3Statements.find(({ st }) => st.Action === 's3:ListBucket');
      expect(objectsUnder('uploads')!.st).toMatchObject({
        Effect: 'Allow',
        Action: ['s3:DeleteObject', 's3:GetObject', 's3:PutObject'],
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/uploads/*']] },
      });
      // A sealed photo is evidence: the API may put and read one, never delete it.
      expect(objectsUnder('photos')!.st).toMatchObject({
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:PutObject'],
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/photos/*']] },
      });
      for (const prefix of ['uploads', 'photos']) expect(objectsUnder(prefix)!.st.Condition).toBeUndefined();
      // ListBucket only so that a missing file is a 404, and only under uploads/ and photos/.
      expect(listing!.st).toMatchObject({
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: { 'Fn::GetAtt': [bucketId, 'Arn'] },
        Condition: { StringLike: { 's3:prefix': ['uploads/*', 'photos/*'] } },
      });
      // Trusted by the API functions' roles alone (with session tags), and only they may assume it.
      const trusted = trust.flatMap((st) => {
        const aws = (st.Principal as { AWS: Json | Json[] }).AWS;
        return Array.isArray(aws) ? aws : [aws];
      });
      expect(
        trust.every(
          (st) => JSON.stringify(st.Action) === JSON.stringify(['sts:AssumeRole', 'sts:TagSession']),
        ),
      ).toBe(true);
      expect(trusted).toEqual(
        expect.arrayContaining([
          { 'Fn::GetAtt': [apiRoleId, 'Arn'] },
          { 'Fn::GetAtt': [roleIdOf(warehouse), 'Arn'] },
          { 'Fn::GetAtt': [roleIdOf(workshop), 'Arn'] },
          { 'Fn::GetAtt': [roleIdOf(oem), 'Arn'] },
        ]),
      );
      expect(trusted).toHaveLength(4);
      expect(assumers.map(([lid]) => lid).sort()).toEqual([
        expect.stringMatching(/^FunctionsApiRole/),
        expect.stringMatching(/^FunctionsOemApiRole/),
        expect.stringMatching(/^FunctionsWarehouseApiRole/),
        expect.stringMatching(/^FunctionsWorkshopApiRole/),
      ]);
      for (const fn of [api, warehouse, workshop, oem]) {
        const env = (fn[1].Properties.Environment as { Variables: Json }).Variables;
        expect(env.UPLOAD_BUCKET).toEqual({ Ref: bucketId });
        expect(env.UPLOADS_ROLE_ARN).toEqual({ 'Fn::GetAtt': [roleId, 'Arn'] });
      }
      for (const [, fn] of others) {
        const vars = (fn.Properties.Environment as { Variables: Json }).Variables;
        expect(vars.UPLOAD_BUCKET).toBeUndefined();
        expect(vars.UPLOADS_ROLE_ARN).toBeUndefined();
      }
      expect(csp).toContain('uploads-');
      expect(csp).toContain('.s3.');
    });
  });

  describe('web', () => {
    it('routes /v1/*, /public/*, /openapi.json and /health to the API, uncached, with all viewer headers but Host', () => {
      // Prepare
      const [, distribution] = ofType('AWS::CloudFront::Distribution')[0]!;
      const config = distribution.Properties.DistributionConfig as Json;

      // Act
      const behaviors = config.CacheBehaviors as Json[];

      // Assess
      expect(behaviors.map((b) => b.PathPattern).sort()).toEqual([
        '/health',
        '/openapi.json',
        '/public/*',
        '/v1/*',
      ]);
      for (const behavior of behaviors) {
        expect(behavior).toMatchObject({
          CachePolicyId: CACHING_DISABLED,
          OriginRequestPolicyId: ALL_VIEWER_EXCEPT_HOST_HEADER,
          ViewerProtocolPolicy: 'redirect-to-https',
        });
        expect(behavior.AllowedMethods).toHaveLength(7);
      }
    });

    it('serves the SPA from a private bucket through OAC, rewriting client routes without hiding API errors', () => {
      // Prepare
      const [, distribution] = ofType('AWS::CloudFront::Distribution')[0]!;
      const config = distribution.Properties.DistributionConfig as Json;

      // Act
      const defaultBehavior = config.DefaultCacheBehavior as Json;
      const origins = config.Origins as Json[];

      // Assess
      expect(defaultBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
      expect(defaultBehavior.FunctionAssociations).toEqual([
        expect.objectContaining({ EventType: 'viewer-request' }),
      ]);
      expect(defaultBehavior.ResponseHeadersPolicyId).toBeDefined();
      expect(config.CustomErrorResponses).toBeUndefined();
      expect(origins.some((o) => o.OriginAccessControlId !== undefined)).toBe(true);
      expect(config.Logging).toBeDefined();
      template.hasResourceProperties('AWS::S3::Bucket', {
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        LoggingConfiguration: Match.objectLike({ DestinationBucketName: Match.anyValue() }),
      });
    });

    it('rewrites client routes to the app shell and serves the static sub-sites of the build', () => {
      // Prepare
      const [, fn] = ofType('AWS::CloudFront::Function')[0]!;
      const deployedCode = fn.Properties.FunctionCode as string;
      type Request = { uri: string };
      type Answer = Request | { statusCode: number; headers: { location: { value: string } } };
      const handler = new Function(`${spaRewriteCode(['docs'])}; return handler;`)() as (e: {
        request: Request;
      }) => Answer;
      const answer = (uri: string) => handler({ request: { uri } });

      // Act / Assess
      expect(deployedCode).toBe(spaRewriteCode(['docs']));
      expect(answer('/')).toEqual({ uri: '/index.html' });
      expect(answer('/s/st_1/customers/cus_2')).toEqual({ uri: '/index.html' });
      expect(answer('/s/st_1/')).toEqual({ uri: '/index.html' });
      expect(answer('/assets/app-X1.js')).toEqual({ uri: '/assets/app-X1.js' });
      expect(answer('/config.json')).toEqual({ uri: '/config.json' });
      expect(answer('/docs/')).toEqual({ uri: '/docs/index.html' });
      expect(answer('/docs/init.js')).toEqual({ uri: '/docs/init.js' });
      expect(answer('/docs')).toMatchObject({ statusCode: 301, headers: { location: { value: '/docs/' } } });
    });

    it('deploys config.json pointing the SPA at Cognito and the same-origin API', () => {
      // Act
      const config = stack.resolve(stack.web.config);

      // Assess
      expect(config).toEqual({
        apiBase: '',
        auth: {
          mode: 'cognito',
          region: 'eu-central-1',
          userPoolClientId: stack.resolve(stack.auth.webClientId),
        },
      });
      template.resourceCountIs('Custom::CDKBucketDeployment', 1);
    });
  });

  describe('messages (消息)', () => {
    /** The IAM statements attached to a function's execution role. */
    const roleStatements = (fn: Resource) => {
      const roleId = getAttId(fn.Properties.Role)!;
      return ofType('AWS::IAM::Policy')
        .filter(([, p]) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
        .flatMap(([, p]) => statementsOf(p));
    };
    const fnOf = (prefix: string) => ourFunctions().find(([lid]) => lid.startsWith(prefix))!;

    it('feeds the Messages queue, with its dead-letter queue, to its consumer', () => {
      // Prepare
      const [queueId, queue] = ofType('AWS::SQS::Queue').find(([lid]) =>
        lid.startsWith('QueuesMessagesQueue'),
      )!;
      const [dlqId] = ofType('AWS::SQS::Queue').find(([lid]) =>
        lid.startsWith('QueuesMessagesDeadLetterQueue'),
      )!;
      const [consumerId] = fnOf('FunctionsMessagesConsumer');

      // Act
      const mapping = ofType('AWS::Lambda::EventSourceMapping').find(
        ([, m]) => getAttId(m.Properties.EventSourceArn) === queueId,
      );

      // Assess
      expect(queue.Properties.RedrivePolicy).toEqual({
        deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] },
        maxReceiveCount: QUEUES.messages.maxReceiveCount,
      });
      expect(mapping?.[1].Properties).toMatchObject({
        FunctionName: { Ref: consumerId },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
    });

    it('lets the Messages consumer alone send texts, with its configuration set, and switches both sides to SMS', () => {
      // Prepare
      const [, consumer] = fnOf('FunctionsMessagesConsumer');
      const [, api] = fnOf('FunctionsApi');
      const [setId] = ofType('AWS::SMSVOICE::ConfigurationSet')[0]!;
      const sends = (fn: Resource) =>
        roleStatements(fn).filter((st) => asArray(st.Action).some((a) => a.startsWith('sms-voice:')));

      // Act
      const consumerSends = sends(consumer);
      const env = (fn: Resource) => (fn.Properties.Environment as { Variables: Json }).Variables;

      // Assess
      expect(consumerSends).toHaveLength(1);
      expect(consumerSends[0]!.Action).toBe('sms-voice:SendTextMessage');
      const resources = asArray(consumerSends[0]!.Resource as string | string[]);
      expect(resources[0]).toEqual({ 'Fn::GetAtt': [setId, 'Arn'] });
      expect(resources.slice(1).map((r) => JSON.stringify(r))).toEqual(
        ['phone-number', 'pool', 'sender-id'].map((kind) => expect.stringContaining(`:${kind}/*`)),
      );
      for (const [lid, fn] of ourFunctions())
        if (!lid.startsWith('FunctionsMessagesConsumer')) expect(sends(fn)).toEqual([]);
      expect(env(consumer)).toMatchObject({ MESSAGE_SENDER: 'sms', SMS_CONFIGURATION_SET: { Ref: setId } });
      expect(env(api).MESSAGE_SENDER).toBe('sms');
    });
  });

  it('outputs the URLs and ids a deployment needs', () => {
    // Act
    const outputs = Object.keys(template.toJSON().Outputs as Json);

    // Assess
    expect(outputs).toEqual(
      expect.arrayContaining([
        'WebUrl',
        'ApiUrl',
        'UserPoolId',
        'WebClientId',
        'OemClientIdFAWVOLKSWAGEN',
        'OemClientIdSAICVOLKSWAGEN',
        'TableName',
      ]),
    );
  });
});

describe('cdk-nag (AWS Solutions)', () => {
  it('finds nothing unacknowledged in the stack', () => {
    // Prepare
    const app = nagApp();
    new AftersalesStack(app, 'AftersalesStack', {
      env: { account: '123456789012', region: 'eu-central-1' },
      webAssetPath: fakeWebDist(),
    });

    // Act
    const findings = awsSolutionsFindings(app);

    // Assess: neither errors nor warnings
    expect(
      findings.map((f) => `${f.severity} ${f.ruleName} ${f.violatingConstructs?.[0]?.constructPath}`),
    ).toEqual([]);
  }, 60_000);

  it('reports findings through the same check (control: a bare bucket)', () => {
    // Prepare
    const app = nagApp();
    new s3.Bucket(new Stack(app, 'Control'), 'Bare');

    // Act
    const findings = awsSolutionsFindings(app);

    // Assess
    expect(findings.map((f) => f.ruleName)).toEqual(
      expect.arrayContaining(['AwsSolutions-S1', 'AwsSolutions-S10']),
    );
  });

  it('gives every acknowledgement a specific written reason', () => {
    // Prepare
    const app = nagApp();
    const nagStack = new AftersalesStack(app, 'AftersalesStack', { webAssetPath: fakeWebDist() });

    // Act
    const acknowledgements = nagStack.node
      .findAll()
      .flatMap((c) => c.node.metadata)
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) => Object.entries(m.data as Record<string, string>))
      .filter(([id]) => id.includes('AwsSolutions-'));

    // Assess
    expect(acknowledgements.length).toBeGreaterThan(0);
    for (const [id, reason] of acknowledgements) {
      expect(reason.length, id).toBeGreaterThanOrEqual(60);
    }
  });
});
