import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { appFromEnv } from '@aftersales/api';
import { generatedOpenApi } from '@aftersales/api/openapi-document';
import { ALL_ROUTES } from '@aftersales/api/route-groups/all';
import {
  DataAccess,
  dataAccessFromEnv,
  extendPlatform,
  type PlatformExtensions,
  ROUTER,
  SCHEDULES,
  type ScheduleDefinition,
} from '@aftersales/data';
import { logger } from '@aftersales/runtime';
import {
  DEMO_OEM_CLIENTS,
  DEMO_PASSWORD,
  DEMO_TOTP_SECRET,
  DEMO_WEBHOOK_SECRET,
  seedDemo,
} from '@aftersales/seed';
import { getRequestListener } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { getPath } from 'hono/utils/url';
import { LocalClock, type ScheduledHandler } from './clock.ts';
import { createDevIdp, type DevIdp, LOCAL_WEB_CLIENT_ID } from './dev-idp/index.ts';
import { DynamoDBClient, ensureTable, startDynamoLocal } from './dynamo.ts';
import { LOCAL_ORIGIN_SECRET } from './edge.ts';
import { type SqsHandler, SqsPoller } from './poller.ts';
import { startS3Local } from './s3.ts';
import { ensureQueues, SQSClient, startSqsLocal } from './sqs.ts';
import { DynamoDBStreamsClient, type StreamHandler, StreamPoller } from './streams.ts';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.ts';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export interface LocalStackOptions {
  /** HTTP port for the API and web app; 0 picks a free one. */
  port?: number;
  /** Persist DynamoDB Local here; omit for an in-memory database. */
  dataDir?: string | undefined;
  /** Seed the demo dataset (skipped when already there). */
  seed?: false | { customersPerStore?: number };
  /** Built web app to serve (default web/dist); `false` serves the API only. */
  webDir?: string | false;
  /** Start queue pollers (tests may drive `pollOnce` themselves instead). */
  pollers?: boolean;
  /**
   * Queues, due job types and key prefixes beside the product's (the integration tests' own consumers):
   * created, routed to, swept to and polled like the declared ones. Never part of a deployment.
   */
  extensions?: PlatformExtensions;
  /**
   * The local webhook receiver's port (default `WEBHOOK_RECEIVER_PORT`, else 3010; 0 picks a free one),
   * or `false` for none. The demo OEMs' endpoints point at it.
   */
  webhookReceiverPort?: number | false;
  log?: (msg: string) => void;
}

export interface LocalStack {
  url: string;
  tableName: string;
  data: DataAccess;
  pollers: Map<string, SqsPoller>;
  /** Reads the table's stream into the event router. */
  streams: StreamPoller;
  clocks: Map<string, LocalClock>;
  dynamoEndpoint: string;
  sqsEndpoint: string;
  s3Endpoint: string;
  /** The bucket CSV files are uploaded to (`UPLOAD_BUCKET`). */
  uploadBucket: string;
  tokenFor: (userId: string, clientId?: string) => Promise<string>;
  /** The dev identity provider's state (invite a user, …). */
  idp: DevIdp;
  /** The local webhook receiver (absent with `webhookReceiverPort: false`). */
  webhookReceiver: WebhookReceiver | undefined;
  stop: () => Promise<void>;
}

/** A port nothing listens on right now (the OS picks it). */
export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as AddressInfo;
  await new Promise((r) => srv.close(r));
  return port;
}

/**
 * A handler by its declared path under functions/ (the same path CDK bundles), imported only after the
 * environment points it at the local services: every declaration gets its handler, no list to keep.
 */
async function loadHandler<H>(handlerPath: string): Promise<H> {
  const module = (await import(join(REPO_ROOT, 'functions', handlerPath))) as { handler?: H };
  if (!module.handler) throw new Error(`functions/${handlerPath} exports no handler`);
  return module.handler;
}

/**
 * The whole product on one machine: DynamoDB Local (Java), the SQS server, the S3 server, the table and queues from
 * their shared definitions, the dev identity provider, the API (the same Hono app Lambda serves), the
 * event router (the same handler, fed real stream events read from DynamoDB Local's stream), the queue
 * consumers (the same handlers, fed real SQS events), the scheduled jobs (the same handlers, on a local
 * clock) and the web app.
 */
export async function startLocalStack(opts: LocalStackOptions = {}): Promise<LocalStack> {
  const log = opts.log ?? (() => undefined);
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch((err) => logger.warn('stop step failed', { err }));
  };
  try {
    // Before the first handler loads: the router and the sweeper read the declarations when they do.
    if (opts.extensions) extendPlatform(opts.extensions);
    const [dynamoPort, sqsPort, s3Port] = [await freePort(), await freePort(), await freePort()];
    const dynamo = await startDynamoLocal({ port: dynamoPort, dataDir: opts.dataDir });
    stops.push(dynamo.stop);
    log(
      `DynamoDB Local on ${dynamo.endpoint}${opts.dataDir ? ` (data in ${opts.dataDir})` : ' (in memory)'}`,
    );
    const sqs = await startSqsLocal(sqsPort);
    stops.push(sqs.stop);
    log(`SQS server on ${sqs.endpoint}`);

    // The same SDK clients as in AWS, pointed at the local services by the SDK's endpoint variables.
    Object.assign(process.env, {
      AWS_REGION: process.env.AWS_REGION ?? 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ENDPOINT_URL_SQS: sqs.endpoint,
      TABLE_NAME: process.env.TABLE_NAME ?? 'aftersales-local',
    });
    const tableName = process.env.TABLE_NAME!;
    const ddb = new DynamoDBClient({});
    const streamArn = await ensureTable(ddb, tableName);
    ddb.destroy();
    // Metrics go to CloudWatch as EMF log lines in AWS; locally they would only be noise.
    process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
    const sqsClient = new SQSClient({});
    const queues = await ensureQueues(sqsClient, 'aftersales-local');

    const server = createServer();
    await new Promise<void>((r) => server.listen(opts.port ?? 3000, '127.0.0.1', r));
    stops.push(() => closeServer(server));
    const url = `http://localhost:${(server.address() as AddressInfo).port}`;
    // After the web server: the bucket's CORS rule names its origin.
    const uploadBucket = process.env.UPLOAD_BUCKET ?? 'aftersales-local-uploads';
    const s3 = await startS3Local({
      port: s3Port,
      bucket: uploadBucket,
      webOrigins: [url, url.replace('localhost', '127.0.0.1')],
      accessKeyId: 'local',
      secretAccessKey: 'local',
    });
    stops.push(s3.stop);
    log(`S3 server on ${s3.endpoint} (bucket ${uploadBucket}, in a temporary directory)`);
    Object.assign(process.env, { AWS_ENDPOINT_URL_S3: s3.endpoint, UPLOAD_BUCKET: uploadBucket });

    const data = new DataAccess({ tableName, uploadBucket });
    const idpDynamo = new DynamoDBClient({});
    stops.push(async () => idpDynamo.destroy());
    const idp = await createDevIdp({
      issuer: `${url}/dev-idp`,
      directory: data.directory,
      dynamo: idpDynamo,
      tableName,
      password: DEMO_PASSWORD,
      defaultTotpSecret: DEMO_TOTP_SECRET,
      machineClients: DEMO_OEM_CLIENTS,
      keyDir: opts.dataDir,
    });
    Object.assign(process.env, {
      // A new secret each run: page cursors are sealed with it, and one from an earlier run is refused
      // (the list starts again), as after a rotation in AWS.
      CURSOR_SECRET: process.env.CURSOR_SECRET ?? randomBytes(32).toString('base64url'),
      AUTH_ISSUER: `${url}/dev-idp`,
      AUTH_JWKS_URL: `${url}/dev-idp/.well-known/jwks.json`,
      AUTH_CLIENT_IDS: idp.clientIds.join(','),
      ORIGIN_SECRET: process.env.ORIGIN_SECRET ?? LOCAL_ORIGIN_SECRET,
    });

    // Webhook endpoints may be plain http to this machine here only (the receiver below, a test's).
    process.env.WEBHOOK_ALLOW_LOOPBACK_HTTP = 'true';
    let webhookReceiver: WebhookReceiver | undefined;
    if (opts.webhookReceiverPort !== false) {
      const port = opts.webhookReceiverPort ?? Number(process.env.WEBHOOK_RECEIVER_PORT ?? 3010);
      const secrets = [DEMO_WEBHOOK_SECRET];
      // A port in use (a second run on the machine) is no reason to fail the start: another free one will do.
      webhookReceiver = await startWebhookReceiver({ port, secrets }).catch((e: unknown) => {
        if ((e as { code?: string }).code !== 'EADDRINUSE') throw e;
        return startWebhookReceiver({ port: 0, secrets });
      });
      stops.push(webhookReceiver.stop);
      log(`Webhook receiver on ${webhookReceiver.url}`);
    }

    if (opts.seed !== false) {
      const started = Date.now();
      const { seeded } = await seedDemo(data, {
        ...(opts.seed ?? {}),
        log,
        ...(webhookReceiver ? { webhookReceiverUrl: webhookReceiver.url } : {}),
      });
      log(
        seeded
          ? `Seeded the demo dataset in ${((Date.now() - started) / 1000).toFixed(1)} s`
          : 'Demo dataset already present',
      );
    }

    // The API function's app (functions/api/lambda.ts), except for /openapi.json: the function reads it
    // from a file written next to its bundle, which an unbundled run has not got, so it is generated here.
    // MFA enrolment is confirmed against the dev identity provider's own state (AdminGetUser in AWS), and
    // staff accounts are made there (AdminCreateUser).
    const api = appFromEnv(ALL_ROUTES, dataAccessFromEnv(), generatedOpenApi, process.env, {
      hasSoftwareTokenMfa: idp.hasSoftwareTokenMfa,
      createAccount: idp.createAccount,
      setAccountEnabled: idp.setAccountEnabled,
    });
    const root = new Hono();
    root.route('/dev-idp', idp.app);
    root.get('/config.json', (c) =>
      c.json({
        apiBase: '',
        // The web app speaks Cognito's protocol to the dev identity provider: only the endpoint differs.
        auth: {
          mode: 'cognito',
          region: 'local',
          userPoolClientId: LOCAL_WEB_CLIENT_ID,
          endpoint: '/dev-idp',
        },
      }),
    );
    if (opts.webDir !== false) {
      const webDir = opts.webDir ?? join(REPO_ROOT, 'web/dist');
      root.use('/*', serveStatic({ root: webDir }));
      // The SPA owns every other path: deep links load index.html.
      root.get('*', serveStatic({ root: webDir, path: 'index.html' }));
    }
    // API requests go straight to the API's app, as API Gateway sends them straight to its function: one
    // router and one middleware chain per request, not the local root's as well. Decided on the path
    // Hono routes (absolute-form URLs resolved, dot segments and percent-encoding undone).
    server.on(
      'request',
      getRequestListener(async (req, env) => {
        if (!isApiRequest(req.method, getPath(req))) return root.fetch(req, env);
        const res = await api.fetch(req);
        if (req.method !== 'GET' && req.method !== 'HEAD') discardUnreadBody(req);
        return res;
      }),
    );

    const streams = new StreamPoller(
      new DynamoDBStreamsClient({ endpoint: dynamo.endpoint }),
      streamArn,
      await loadHandler<StreamHandler>(ROUTER.handler),
      { name: ROUTER.id, ...ROUTER },
    );
    await streams.init();
    if (opts.pollers !== false) {
      streams.start();
      stops.push(() => streams.stop());
    }
    const pollers = new Map<string, SqsPoller>();
    for (const q of queues) {
      const poller = new SqsPoller(sqsClient, q, await loadHandler<SqsHandler>(q.definition.handler));
      pollers.set(q.definition.id, poller);
      if (opts.pollers !== false) {
        poller.start();
        stops.push(() => poller.stop());
      }
    }
    const clocks = new Map<string, LocalClock>();
    for (const def of Object.values(SCHEDULES) as ScheduleDefinition[]) {
      const clock = new LocalClock(def, await loadHandler<ScheduledHandler>(def.handler));
      clocks.set(def.id, clock);
      if (opts.pollers !== false) {
        clock.start();
        stops.push(() => clock.stop());
      }
    }
    stops.push(async () => sqsClient.destroy());
    return {
      url,
      tableName,
      data,
      pollers,
      streams,
      clocks,
      dynamoEndpoint: dynamo.endpoint,
      sqsEndpoint: sqs.endpoint,
      s3Endpoint: s3.endpoint,
      uploadBucket,
      tokenFor: idp.tokenFor,
      idp,
      webhookReceiver,
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

/**
 * What API Gateway routes to the API function (infra/lib/api.ts): every method under `/v1/` and the public
 * booking page's `/public/v1/`, and GET of `/openapi.json` and `/health` (HEAD too, which Hono answers as GET). A bare `/v1` goes to the API
 * here too, for its problem+json 404; in AWS nothing routes it.
 */
function isApiRequest(method: string, path: string): boolean {
  if (path === '/health' || path === '/openapi.json') return method === 'GET' || method === 'HEAD';
  return path === '/v1' || path.startsWith('/v1/') || path.startsWith('/public/v1/');
}

/**
 * Lambda receives the whole body with its event; a Node server has to read what the API left unread (a
 * 401 before the body, a 413), or a later request on the kept-alive connection finds the socket closed
 * under it when @hono/node-server gives up draining. Read and dropped in the background: the answer
 * does not wait for a slow or oversized body. (Not for GET/HEAD: touching `body` builds a whole Request.)
 */
function discardUnreadBody(req: Request): void {
  const body = req.body;
  if (!body || body.locked || req.bodyUsed) return;
  void body.pipeTo(new WritableStream()).catch(() => undefined);
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}
