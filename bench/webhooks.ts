import './quiet-logs.ts';
import { writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { QUEUES, queueUrlEnv, sqsClient } from '@aftersales/data';
import { WebhookDeliveries, WebhookOutbox } from '@aftersales/data/webhooks';
import { newId } from '@aftersales/domain';
import { verifyWebhook } from '@aftersales/domain/webhooks';
import { SqsPoller, startLocalStack } from '@aftersales/local';
import { DEMO_OEM_CLIENTS, FIRST_STORE } from '@aftersales/seed';
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  SendMessageBatchCommand,
} from '@aws-sdk/client-sqs';
import { median } from './load.ts';
import { verdict } from './verdict.ts';

/**
 * `tsx bench/webhooks.ts`: 推送 throughput on the embedded local stack. 10,000 claim state changes are
 * published to one OEM endpoint (`WebhookOutbox.publish`, as the claims projector calls it), go through
 * the local SQS server to the WebhookDeliveries consumer (functions/webhook-deliveries/lambda.ts, the
 * handler Lambda runs, fed by the local `SqsPoller`), which signs and POSTs each to an HTTP receiver in
 * this process that verifies every Standard Webhooks signature and counts webhook-ids. Beside it, in the
 * same run, the SQS server alone: the same number of small messages sent and received on a scratch
 * queue with the same calls (a one-entry SendMessageBatch per message, as a publish to one endpoint
 * sends; received and deleted by an `SqsPoller` with the queue's batch size) at the same concurrency.
 * Exact counts decide the exit code (every change delivered once, verified, nothing left retrying);
 * the rates are one run's, each given with the spread of its per-second counts.
 * Results also go to bench/webhooks-results.json.
 */

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const CHANGES = Number(process.env.WH_BENCH_CHANGES ?? 10_000);
/**
 * Concurrent batches of the consumer, and concurrent publishers: Lambda's SQS event source starts with
 * five concurrent batches, and the projector that publishes is a queue consumer too.
 */
const CONCURRENCY = 5;
/** No progress for this long: the run is broken, not slow. */
const STALL_MS = 60_000;
const FAW = DEMO_OEM_CLIENTS[0]!;

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// Set-up goes through the API with the OEM's own token: no 429s from the few requests it makes.
process.env.RATE_LIMIT_USER_RPS ??= '100000';
process.env.RATE_LIMIT_TENANT_RPS ??= '100000';

const load = { start: loadavg()[0] ?? 0, end: 0 };
const stack = await startLocalStack({
  port: 0,
  seed: { customersPerStore: 1 },
  webDir: false,
  pollers: false,
  // The bench's receiver counts every delivery; the demo receiver keeps only the last hundred.
  webhookReceiverPort: false,
});
const failures: string[] = [];

/** What a receiver saw: each webhook-id once, the time it first arrived, and what it refused. */
interface Tally {
  posts: number;
  firstSeen: Map<string, number>;
  duplicates: number;
  signatureFailures: number;
}

/** Counts per whole second from `t0` (partial first and last seconds left out), for the spread. */
function perSecond(times: Iterable<number>, t0: number): { median: number; min: number; max: number } {
  const buckets: number[] = [];
  for (const t of times) {
    const s = Math.floor((t - t0) / 1000);
    buckets[s] = (buckets[s] ?? 0) + 1;
  }
  const full = Array.from(buckets.slice(1, -1), (n) => n ?? 0).sort((a, b) => a - b);
  if (full.length === 0) return { median: 0, min: 0, max: 0 };
  return { median: median(full), min: full[0]!, max: full.at(-1)! };
}

/** Runs `task(i)` for i in [0, n) on `workers` loops. */
async function spread(n: number, workers: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < n) await task(next++);
    }),
  );
}

/** Polls on `workers` loops until `done()` and the queue gives nothing; returns the messages handled. */
async function drain(poller: SqsPoller, workers: number, done: () => boolean): Promise<number> {
  let handled = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      for (;;) {
        const n = await poller.pollOnce(1);
        handled += n;
        if (n === 0 && done()) return;
      }
    }),
  );
  return handled;
}

/**
 * Waits until `reached()` holds; false when `progress()` has not moved for STALL_MS (the run is
 * broken, not slow: the counts then say what went wrong, and fail the run).
 */
async function until(reached: () => boolean, progress: () => number): Promise<boolean> {
  let last = progress();
  let movedAt = performance.now();
  while (!reached()) {
    await new Promise((r) => setTimeout(r, 100));
    if (progress() !== last) {
      last = progress();
      movedAt = performance.now();
    } else if (performance.now() - movedAt > STALL_MS) return false;
  }
  return true;
}

/** When the last of `times` came, in ms after `t0` (none: 0). */
const lastAfter = (times: Map<string, number>, t0: number) => Math.max(t0, ...times.values()) - t0;

try {
  // ── set-up, as an OEM integration does it: a client-credentials token, its endpoint registered ──
  const token = (await (
    await fetch(`${stack.url}/dev-idp/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: FAW.clientId,
        client_secret: FAW.clientSecret,
      }),
    })
  ).json()) as { access_token: string };
  async function oemApi<T>(method: string, path: string, body?: unknown, ifMatch?: number): Promise<T> {
    const res = await fetch(`${stack.url}/v1/oems/${FAW.oemId}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token.access_token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(ifMatch === undefined ? {} : { 'if-match': `"${ifMatch}"` }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
    return JSON.parse(text) as T;
  }
  // The seed's endpoint (the demo receiver) is disabled: each change then goes to the bench's alone.
  const seeded = await oemApi<{ items: { id: string; version: number; enabled: boolean }[] }>(
    'GET',
    '/webhook-endpoints',
  );
  for (const e of seeded.items.filter((x) => x.enabled))
    await oemApi('PATCH', `/webhook-endpoints/${e.id}`, { enabled: false }, e.version);

  // The OEM's receiver: verifies each POST with the endpoint's secret, as the OEM's system would.
  let secret = '';
  const pipeline: Tally = { posts: 0, firstSeen: new Map(), duplicates: 0, signatureFailures: 0 };
  const readBody = async (req: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  };
  const receiver = createServer((req, res) => {
    void readBody(req).then((body) => {
      pipeline.posts++;
      const header = (name: string) => req.headers[name] as string | undefined;
      const id = header('webhook-id');
      const check = verifyWebhook(
        {
          'webhook-id': id,
          'webhook-timestamp': header('webhook-timestamp'),
          'webhook-signature': header('webhook-signature'),
        },
        body,
        secret,
        new Date(),
      );
      if (!check.ok || !id) {
        pipeline.signatureFailures++;
        res.writeHead(401).end();
        return;
      }
      if (pipeline.firstSeen.has(id)) pipeline.duplicates++;
      else pipeline.firstSeen.set(id, performance.now());
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/claims-hook`;
  const endpoint = await oemApi<{ id: string; secret: string }>('POST', '/webhook-endpoints', {
    url: receiverUrl,
    description: 'bench/webhooks.ts',
    eventTypes: ['claim.submitted'],
  });
  secret = endpoint.secret;

  // ── (1) the SQS server alone: the pipeline's SQS calls, nothing else ──
  const client = sqsClient();
  const scratch = await client.send(
    new CreateQueueCommand({ QueueName: `aftersales-local-bench-scratch-${Date.now()}` }),
  );
  const scratchUrl = scratch.QueueUrl!;
  const scratchArn =
    (await client.send(new GetQueueAttributesCommand({ QueueUrl: scratchUrl, AttributeNames: ['QueueArn'] })))
      .Attributes?.QueueArn ?? '';
  const raw: Tally = { posts: 0, firstSeen: new Map(), duplicates: 0, signatureFailures: 0 };
  const rawPoller = new SqsPoller(
    client,
    { definition: QUEUES.webhookDeliveries, url: scratchUrl, arn: scratchArn, dlqUrl: '' },
    async (event) => {
      for (const r of event.Records) {
        raw.posts++;
        if (raw.firstSeen.has(r.body)) raw.duplicates++;
        else raw.firstSeen.set(r.body, performance.now());
      }
      return undefined;
    },
  );
  let rawSent = 0;
  const rawT0 = performance.now();
  let rawStalled = false;
  const rawReceiving = drain(rawPoller, CONCURRENCY, () => rawSent === CHANGES || rawStalled);
  await spread(CHANGES, CONCURRENCY, async (i) => {
    // About the size of an attempt message, and one per send, as a publish to one endpoint sends.
    const body = JSON.stringify({ id: `bench#${i}`, payload: { deliveryId: newId('whd'), attempt: 1 } });
    await client.send(
      new SendMessageBatchCommand({ QueueUrl: scratchUrl, Entries: [{ Id: '0', MessageBody: body }] }),
    );
    rawSent++;
  });
  const rawSentMs = performance.now() - rawT0;
  rawStalled = !(await until(
    () => raw.firstSeen.size >= CHANGES,
    () => raw.firstSeen.size,
  ));
  if (rawStalled) failures.push(`the scratch queue stalled for ${STALL_MS / 1000} s`);
  const rawMs = lastAfter(raw.firstSeen, rawT0);
  await rawReceiving;
  await client.send(new DeleteQueueCommand({ QueueUrl: scratchUrl }));

  // ── (2) the pipeline: publish → SQS → consumer → signed POST → verified at the receiver ──
  const consumer = stack.pollers.get(QUEUES.webhookDeliveries.id)!;
  const oem = stack.data.forTenant({
    tenantId: FAW.oemId,
    actor: { userId: 'system', name: 'bench', roles: [] },
  });
  let published = 0;
  const t0 = performance.now();
  let stalled = false;
  const consuming = drain(consumer, CONCURRENCY, () => pipeline.firstSeen.size >= CHANGES || stalled);
  await spread(CHANGES, CONCURRENCY, async (i) => {
    const claimId = `clm_bench${String(i).padStart(6, '0')}`;
    // What the claims projector publishes for a change (packages/data/src/claims/oem-claims.ts):
    // a thin body, and the store as subject, so the consumer also keeps the store's copy.
    await WebhookOutbox.publish(oem, {
      eventId: newId('evt'),
      type: 'claim.submitted',
      occurredAt: new Date().toISOString(),
      data: {
        claimId,
        storeId: FIRST_STORE.id,
        storeName: FIRST_STORE.name,
        status: 'submitted',
        previousStatus: 'draft',
        vin: 'LFV2A21K0B3123456',
        claimedMinor: 128_000,
      },
      subject: { storeId: FIRST_STORE.id, id: claimId },
    });
    published++;
  });
  const publishedMs = performance.now() - t0;
  // Progress is any POST: retried refusals move it too, until the next retry is minutes away.
  stalled = !(await until(
    () => pipeline.firstSeen.size >= CHANGES,
    () => pipeline.posts,
  ));
  if (stalled) failures.push(`no delivery came for ${STALL_MS / 1000} s`);
  const pipelineMs = lastAfter(pipeline.firstSeen, t0);
  const consumed = await consuming;
  // A late duplicate would arrive within moments of the last delivery: give it that moment.
  await new Promise((r) => setTimeout(r, 2_000));
  receiver.closeAllConnections();
  receiver.close();

  // Exact counts: the receiver's, the queue's, and the deliveries' own state in the OEM's partition.
  const deliveries = oem.repo(WebhookDeliveries);
  const left: Record<string, number> = {};
  for (const status of ['pending', 'retrying', 'failed'] as const)
    left[status] = (await deliveries.list({ status }, { limit: 100 })).items.length;
  let delivered = 0;
  for (let cursor: string | undefined, first = true; first || cursor; first = false) {
    const page = await deliveries.list({ status: 'delivered' }, { limit: 100, cursor });
    delivered += page.items.length;
    cursor = page.nextCursor;
  }
  const queued = await client.send(
    new GetQueueAttributesCommand({
      QueueUrl: process.env[queueUrlEnv(QUEUES.webhookDeliveries)],
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  load.end = loadavg()[0] ?? 0;

  const rate = (n: number, ms: number) => (ms > 0 ? n / (ms / 1000) : 0);
  const results = {
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version, loadAverage1m: load },
    changes: CHANGES,
    concurrency: CONCURRENCY,
    raw: {
      sent: rawSent,
      received: raw.firstSeen.size,
      receives: raw.posts,
      duplicates: raw.duplicates,
      sendSeconds: rawSentMs / 1000,
      seconds: rawMs / 1000,
      perSecond: rate(CHANGES, rawMs),
      spread: perSecond(raw.firstSeen.values(), rawT0),
    },
    pipeline: {
      published,
      consumed,
      posts: pipeline.posts,
      delivered: pipeline.firstSeen.size,
      duplicates: pipeline.duplicates,
      signatureFailures: pipeline.signatureFailures,
      deliveriesDelivered: delivered,
      deliveriesLeft: left,
      queueLeft: Object.fromEntries(Object.entries(queued.Attributes ?? {}).map(([k, v]) => [k, Number(v)])),
      publishSeconds: publishedMs / 1000,
      seconds: pipelineMs / 1000,
      perSecond: rate(CHANGES, pipelineMs),
      spread: perSecond(pipeline.firstSeen.values(), t0),
    },
    ratio: rate(CHANGES, pipelineMs) / rate(CHANGES, rawMs),
  };
  const { raw: r, pipeline: p } = results;
  const line = (x: { perSecond: number; spread: { median: number; min: number; max: number } }) =>
    `${x.perSecond.toFixed(0)}/s (per second: median ${x.spread.median}, ${x.spread.min}–${x.spread.max})`;
  console.log(
    `${CHANGES.toLocaleString('en')} changes, ${CONCURRENCY} publishers and ${CONCURRENCY} consumer batches at a time; ${results.machine.cpus} × ${results.machine.cpu}, Node ${process.version}, load average ${load.start.toFixed(1)} → ${load.end.toFixed(1)}`,
  );
  console.log(
    `  SQS alone   ${r.sent} sent (${r.sendSeconds.toFixed(1)} s), ${r.received} received once (${r.duplicates} twice) in ${r.seconds.toFixed(1)} s: ${line(r)}`,
  );
  console.log(
    `  webhooks    ${p.published} published (${p.publishSeconds.toFixed(1)} s), ${p.consumed} attempts consumed, ${p.delivered} delivered and verified in ${p.seconds.toFixed(1)} s: ${line(p)}`,
  );
  console.log(
    `              receiver: ${p.posts} POSTs, ${p.duplicates} duplicate webhook-ids, ${p.signatureFailures} signature failures; deliveries: ${p.deliveriesDelivered} delivered, left ${JSON.stringify(p.deliveriesLeft)}; queue left ${JSON.stringify(p.queueLeft)}`,
  );
  console.log(`  webhooks ÷ SQS alone: ${results.ratio.toFixed(2)}×`);
  writeFileSync(join(BENCH_DIR, 'webhooks-results.json'), `${JSON.stringify(results, null, 2)}\n`);

  if (r.received !== CHANGES || r.duplicates !== 0)
    failures.push(`the scratch queue gave ${r.received} messages once and ${r.duplicates} again`);
  if (p.delivered !== CHANGES) failures.push(`${p.delivered} of ${CHANGES} changes delivered`);
  if (p.posts !== CHANGES) failures.push(`${p.posts} POSTs for ${CHANGES} changes`);
  if (p.duplicates !== 0) failures.push(`${p.duplicates} duplicate webhook-ids`);
  if (p.signatureFailures !== 0) failures.push(`${p.signatureFailures} signature failures`);
  if (p.deliveriesDelivered !== CHANGES)
    failures.push(`${p.deliveriesDelivered} deliveries recorded delivered`);
  for (const [status, n] of Object.entries(p.deliveriesLeft))
    if (n !== 0) failures.push(`deliveries left ${status}`);
  for (const [attribute, n] of Object.entries(p.queueLeft))
    if (n !== 0) failures.push(`${n} messages left on the queue (${attribute})`);
} finally {
  await stack.stop();
}
verdict(
  failures,
  `Every one of the ${CHANGES.toLocaleString('en')} changes was delivered once, its signature verified.`,
);
