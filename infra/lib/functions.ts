import { spawnSync } from 'node:child_process';
import path from 'node:path';
import {
  QUEUES,
  type QueueDefinition,
  type QueueName,
  queueUrlEnv,
  ROUTER,
  SCHEDULES,
  type ScheduleDefinition,
} from '@aftersales/data/table';
import { AssetHashType, DockerImage, Duration, type ILocalBundling, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { Auth } from './auth.ts';
import type { DataTable } from './data.ts';
import type { Queues } from './queues.ts';
import { REPO_ROOT } from './toolchain.ts';

/** `api` serves HTTP requests (1024 MB); `worker` consumes a queue (512 MB). */
export type FunctionKind = 'api' | 'worker';

export interface ServiceFunctionProps {
  /** The handler module as a path under `functions/`, e.g. `api/lambda.ts`; it exports `handler`. */
  readonly handlerPath: string;
  readonly kind: FunctionKind;
  readonly timeout: Duration;
  /** Added to the defaults (`NODE_OPTIONS`, `POWERTOOLS_SERVICE_NAME`). */
  readonly environment?: Record<string, string>;
  readonly description?: string;
  /** `POWERTOOLS_SERVICE_NAME`. @default 'aftersales' */
  readonly serviceName?: string;
}

const MEMORY_MB: Record<FunctionKind, number> = { api: 1024, worker: 512 };

/**
 * Code of one function, bundled on this machine by `bundle-cli.ts` with the options of `bundling.ts`
 * (the same ones the bench measures). The asset hash is taken from the bundle, so an unchanged bundle
 * is not uploaded again.
 */
function bundledCode(handlerPath: string): lambda.Code {
  const entry = path.join('functions', handlerPath);
  const cli = path.join(REPO_ROOT, 'infra', 'lib', 'bundle-cli.ts');
  const local: ILocalBundling = {
    tryBundle(outputDir) {
      const run = spawnSync(process.execPath, ['--import', 'tsx', cli, entry, outputDir], {
        cwd: REPO_ROOT,
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      if (run.status !== 0) throw new Error(`bundling ${entry} failed (exit ${run.status ?? run.signal})`);
      return true;
    },
  };
  return lambda.Code.fromAsset(path.join(REPO_ROOT, 'functions', path.dirname(handlerPath)), {
    assetHashType: AssetHashType.OUTPUT,
    // Never used: local bundling always answers (or fails the synthesis).
    bundling: { image: DockerImage.fromRegistry('public.ecr.aws/lambda/nodejs:22'), local },
  });
}

/**
 * Every Lambda function of the product, with every default set in one place (Powertools style):
 * Node.js 22 on arm64, an ESM bundle made by `bundling.ts` (minified, with source maps, the AWS SDK v3
 * left to the runtime), `--enable-source-maps`, JSON logs at INFO into its own log group kept for three
 * months, active X-Ray tracing, and an execution role of its own that may only write to that log group
 * until something grants it more.
 *
 * The log group and the role are created next to the function (ids `<id>LogGroup`, `<id>Role`) because
 * the function needs both at construction.
 */
export class ServiceFunction extends lambda.Function {
  readonly kind: FunctionKind;
  readonly executionRole: iam.Role;
  readonly functionLogGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    const logGroup = new logs.LogGroup(scope, `${id}LogGroup`, {
      retention: logs.RetentionDays.THREE_MONTHS,
    });
    const role = new iam.Role(scope, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${id}`,
    });
    logGroup.grantWrite(role);

    super(scope, id, {
      code: bundledCode(props.handlerPath),
      handler: 'index.handler',
      description: props.description,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: MEMORY_MB[props.kind],
      timeout: props.timeout,
      role,
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
      systemLogLevelV2: lambda.SystemLogLevel.WARN,
      tracing: lambda.Tracing.ACTIVE,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: props.serviceName ?? 'aftersales',
        ...props.environment,
      },
    });

    this.kind = props.kind;
    this.executionRole = role;
    this.functionLogGroup = logGroup;

    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Active X-Ray tracing needs xray:PutTraceSegments and xray:PutTelemetryRecords, which support no ' +
        'resource-level permissions (resource "*").',
    });
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Node.js 22 is the pinned runtime of the whole product (esbuild target node22, local development and ' +
        'CI run the same major); moving to a newer runtime is a deliberate, tested upgrade, not a drift fix.',
    });
  }
}

export interface FunctionsProps {
  readonly data: DataTable;
  readonly queues: Queues;
  readonly auth: Auth;
  /** @default 'aftersales' */
  readonly serviceName?: string;
}

export type ScheduleName = keyof typeof SCHEDULES;

/**
 * The product's functions: the HTTP API (the Hono app in `functions/api/lambda.ts`), the event router
 * (the table's stream → the queues subscribed to each event type), one consumer per queue of `QUEUES`,
 * each fed by an SQS event source that reports partial batch failures, and one function per scheduled
 * job of `SCHEDULES`, run by an EventBridge rule.
 *
 * Every function but the router gets `TABLE_NAME` and `<ENV>_QUEUE_URL` of every queue; the API also
 * gets the token issuer, JWKS URL and accepted client ids. DynamoDB access is granted by
 * `TenantIsolation`, not here. The router sends to the queues subscribed to events and the scheduled
 * jobs to every queue; each consumer may only consume its own queue and send to its own dead-letter
 * queue (poison messages).
 */
export class Functions extends Construct {
  /** The office's HTTP API function: every path but the other groups' (`route-groups/paths.ts`). */
  readonly api: ServiceFunction;
  /** The warehouse's HTTP API function (配件 · 仓库): parts, stock, purchasing, stocktakes, write-offs. */
  readonly warehouseApi: ServiceFunction;
  /** The workshop's HTTP API function (车间): repair orders. */
  readonly workshopApi: ServiceFunction;
  /** The manufacturer API's function (厂家): `/v1/oems/{oemId}/…`, OEM machine clients and reviewers. */
  readonly oemApi: ServiceFunction;
  /** Every HTTP API function: the same environment and rights to tenant data and uploads. */
  readonly apis: readonly ServiceFunction[];
  /** The secret the API seals its page cursors with (`CURSOR_SECRET`), generated at the first deploy. */
  readonly cursorSecret: secretsmanager.Secret;
  /**
   * The secret CloudFront adds to every request it forwards (`X-Origin-Verify`, `ORIGIN_SECRET`): the API
   * believes a request's `CloudFront-Viewer-Address` only with it, so a client calling the execute-api
   * endpoint directly cannot name its own address to slip the public routes' per-client limit.
   */
  readonly originSecret: secretsmanager.Secret;
  readonly consumers: Readonly<Record<QueueName, ServiceFunction>>;
  readonly scheduled: Readonly<Record<ScheduleName, ServiceFunction>>;
  /** The event router: reads the table's stream only, never tenant items or the directory. */
  readonly router: ServiceFunction;
  /** Fires when the router falls behind the stream (IteratorAge). */
  readonly routerLagAlarm: cloudwatch.Alarm;
  /**
   * The functions that act for tenants through the tenant access role (the router and the projectors
   * are not among them).
   */
  readonly all: readonly ServiceFunction[];
  /** Consumers of projection queues (`PROJECTIONS`): they get their rights from `Projections`, not `TenantIsolation`. */
  readonly projectors: readonly { fn: ServiceFunction; definition: QueueDefinition }[];

  constructor(scope: Construct, id: string, props: FunctionsProps) {
    super(scope, id);
    const { data, queues, auth } = props;

    const common: Record<string, string> = {
      TABLE_NAME: data.tableName,
      ...queues.environment(),
    };

    this.cursorSecret = new secretsmanager.Secret(this, 'CursorSecret', {
      description: 'Seals the API’s page cursors (AES-256-GCM key derived from it): opaque, unforgeable',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });
    Validations.of(this.cursorSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The cursor secret guards nothing stored: it seals page cursors, which live for one paging session. ' +
        'Rotating it is a redeploy with a new value (open lists restart at their first page); a rotation ' +
        'Lambda would add a function and a schedule for no protection that matters.',
    });

    this.originSecret = new secretsmanager.Secret(this, 'OriginSecret', {
      description:
        'CloudFront sends it to the API as X-Origin-Verify: the viewer address it passes is then believed',
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
    });
    Validations.of(this.originSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'CloudFront’s origin header and the API functions read the value at deploy (dynamic references), so ' +
        'a rotation is a redeploy with a new value; a rotation Lambda could not update the distribution.',
    });

    // One Hono app in code, one function per route group in AWS: each bundle carries only its routes.
    const apiFunction = (id: string, handlerPath: string, description: string) =>
      new ServiceFunction(this, id, {
        handlerPath,
        kind: 'api',
        // The HTTP API integration gives up after 30 s; answer (or fail) well before that.
        timeout: Duration.seconds(15),
        description,
        serviceName: props.serviceName,
        environment: {
          ...common,
          AUTH_ISSUER: auth.issuerUrl,
          AUTH_JWKS_URL: auth.jwksUrl,
          AUTH_CLIENT_IDS: auth.acceptedClientIds.join(','),
          AUTH_TOKEN_URL: auth.tokenUrl,
          // Resolved by CloudFormation at deploy time (a dynamic reference): the template holds no value.
          CURSOR_SECRET: this.cursorSecret.secretValue.unsafeUnwrap(),
          ORIGIN_SECRET: this.originSecret.secretValue.unsafeUnwrap(),
          USER_POOL_ID: auth.userPoolId,
        },
      });
    this.api = apiFunction('Api', 'api/lambda.ts', 'Aftersales Cloud HTTP API (office)');
    this.warehouseApi = apiFunction(
      'WarehouseApi',
      'api-warehouse/lambda.ts',
      'Aftersales Cloud HTTP API (warehouse: parts, stock, purchasing, stocktakes, write-offs)',
    );
    this.workshopApi = apiFunction(
      'WorkshopApi',
      'api-workshop/lambda.ts',
      'Aftersales Cloud HTTP API (workshop: repair orders)',
    );
    this.oemApi = apiFunction(
      'OemApi',
      'api-oem/lambda.ts',
      'Aftersales Cloud HTTP API (manufacturer API: webhook endpoints and deliveries)',
    );
    this.apis = [this.api, this.warehouseApi, this.workshopApi, this.oemApi];
    // MFA enrolment (`POST /v1/session/mfa`): the API reads the caller's MFA settings in the pool, then
    // records the confirmed enrolment on the directory user — that one attribute of `USER#` items, nothing
    // else (the directory stays otherwise read-only to every function).
    this.api.executionRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ConfirmMfaInUserPool',
        actions: ['cognito-idp:AdminGetUser'],
        resources: [auth.userPool.userPoolArn],
      }),
    );
    // Staff administration (人员): invitations, disabling (with a global sign-out) and enabling again, in
    // this pool only; the directory side is the tenancy construct's `AdministerStaffUsers` statement.
    this.api.executionRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'AdministerStaffInUserPool',
        actions: [
          'cognito-idp:AdminCreateUser',
          'cognito-idp:AdminDisableUser',
          'cognito-idp:AdminEnableUser',
          'cognito-idp:AdminUserGlobalSignOut',
        ],
        resources: [auth.userPool.userPoolArn],
      }),
    );

    const consumers = queues.all.map((q) => {
      const fn = new ServiceFunction(this, `${q.definition.id}Consumer`, {
        handlerPath: q.definition.handler,
        kind: 'worker',
        timeout: Duration.seconds(q.definition.consumerTimeoutSeconds),
        description: `Consumer of the ${q.definition.id} queue`,
        serviceName: props.serviceName,
        environment: { ...common, [q.deadLetterUrlEnv]: q.deadLetterQueue.queueUrl },
      });
      q.deadLetterQueue.grantSendMessages(fn);
      if (q.definition.requeues) q.queue.grantSendMessages(fn);
      for (const id of q.definition.sendsTo ?? []) {
        const target = queues.all.find((t) => t.definition.id === id);
        if (!target) throw new Error(`${q.definition.id} sends to ${id}, which is not a declared queue`);
        target.queue.grantSendMessages(fn);
      }
      fn.addEventSource(
        new SqsEventSource(q.queue, {
          batchSize: q.definition.batchSize,
          reportBatchItemFailures: true,
          ...(q.definition.maxConcurrency ? { maxConcurrency: q.definition.maxConcurrency } : {}),
        }),
      );
      return [q.name, fn] as const;
    });
    this.consumers = Object.fromEntries(consumers) as Record<QueueName, ServiceFunction>;

    const scheduled = (Object.entries(SCHEDULES) as [ScheduleName, ScheduleDefinition][]).map(
      ([name, job]) => {
        const fn = new ServiceFunction(this, job.id, {
          handlerPath: job.handler,
          kind: 'worker',
          timeout: Duration.seconds(job.timeoutSeconds),
          description: `Scheduled job ${job.id}, every ${job.rateMinutes} min`,
          serviceName: props.serviceName,
          environment: common,
        });
        new events.Rule(this, `${job.id}Schedule`, {
          description: `Runs ${job.id} every ${job.rateMinutes} minutes`,
          schedule: events.Schedule.rate(Duration.minutes(job.rateMinutes)),
          // The next run comes soon enough: no retries of a failed run.
          targets: [new targets.LambdaFunction(fn, { retryAttempts: 0 })],
        });
        for (const q of queues.all) q.queue.grantSendMessages(fn);
        return [name, fn] as const;
      },
    );
    this.scheduled = Object.fromEntries(scheduled) as Record<ScheduleName, ServiceFunction>;

    const definition = (name: QueueName): QueueDefinition => QUEUES[name];
    const isProjector = (name: QueueName) => (definition(name).access ?? 'tenant') !== 'tenant';
    this.projectors = consumers
      .filter(([name]) => isProjector(name))
      .map(([name, fn]) => ({ fn, definition: definition(name) }));
    this.all = [
      ...this.apis,
      ...consumers.filter(([name]) => !isProjector(name)).map(([, fn]) => fn),
      ...scheduled.map(([, fn]) => fn),
    ];

    const subscribers = queues.all.filter((q) => (q.definition.events ?? []).length > 0);
    this.router = new ServiceFunction(this, ROUTER.id, {
      handlerPath: ROUTER.handler,
      kind: 'worker',
      timeout: Duration.seconds(ROUTER.timeoutSeconds),
      description: 'Routes domain events from the table stream to the subscribed consumer queues',
      serviceName: props.serviceName,
      environment: Object.fromEntries(subscribers.map((q) => [queueUrlEnv(q.definition), q.queue.queueUrl])),
    });
    for (const q of subscribers) q.queue.grantSendMessages(this.router);
    this.router.addEventSource(
      new DynamoEventSource(data.table, {
        // From the oldest record still in the stream: no event written before the mapping existed is lost.
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize: ROUTER.batchSize,
        maxBatchingWindow: Duration.seconds(ROUTER.maxBatchingWindowSeconds),
        // Only event items reach the router (and are billed): the same pattern the local poller applies.
        filters: [{ pattern: JSON.stringify(ROUTER.filter) }],
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        retryAttempts: ROUTER.retryAttempts,
        maxRecordAge: Duration.hours(ROUTER.maxRecordAgeHours),
        onFailure: new SqsDlq(queues.routerDeadLetterQueue),
      }),
    );
    // Events wait in the stream while the router fails or lags; past maxRecordAge they are given up.
    this.routerLagAlarm = new cloudwatch.Alarm(this, 'EventRouterIteratorAgeAlarm', {
      alarmDescription:
        'The event router is behind the table stream by more than its threshold: events are waiting, and are ' +
        `dropped to its DLQ after ${ROUTER.maxRecordAgeHours} h.`,
      metric: this.router.metric('IteratorAge', {
        statistic: cloudwatch.Stats.MAXIMUM,
        period: Duration.minutes(5),
      }),
      threshold: ROUTER.lagAlarmMinutes * 60_000,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }
}
