import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DataAccess } from '@aftersales/data';
import {
  WEBHOOK_DELIVERY_DUE,
  WEBHOOK_SENDER,
  WebhookDeliveries,
  WebhookDeliveryCopies,
  WebhookOutbox,
} from '@aftersales/data/webhooks';
import type { WebhookDelivery } from '@aftersales/domain/webhooks';
import { newWebhookDelivery } from '@aftersales/domain/webhooks';
import { DEMO_OEM_CLIENTS, DEMO_OEMS } from '@aftersales/seed';
import {
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replayDeadLetters } from '../../packages/worker/src/replay.ts';
import { type ApiResponse, call, eventually, stack, useStackEnv } from '../support/api.ts';
import { demo, uniqueSuffix } from '../support/demo.ts';

/**
 * 推送 end to end on the local stack: an OEM registers an endpoint (a real HTTP server here, standing in
 * for the OEM's system and checking every signature with the reference `standardwebhooks` package),
 * an event is published through the outbox, and the WebhookDeliveries queue's consumer (polled by the
 * stack) delivers it; retries, Retry-After, the due sweeper, the dead-letter queue and its replay, and
 * who may see what.
 */

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** The OEM's system: answers each path from a script (then 204), recording every request. */
class OemReceiver {
  readonly received: Received[] = [];
  /** Per path, the answers still to give, first one next. */
  readonly script = new Map<string, { status: number; headers?: Record<string, string> }[]>();
  /** What the OEM's system did once per `webhook-id`: a repeat of an id it has seen does nothing. */
  readonly effects = new Map<string, number>();
  private server!: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const path = req.url ?? '/';
        this.received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        const answer = this.script.get(path)?.shift() ?? { status: 204 };
        if (answer.status < 300) {
          const id = String(req.headers['webhook-id']);
          this.effects.set(id, (this.effects.get(id) ?? 0) + 1);
        }
        res.writeHead(answer.status, answer.headers).end();
      });
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  at(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }

  stop(): Promise<void> {
    return new Promise((r) => {
      this.server.closeAllConnections();
      this.server.close(() => r());
    });
  }
}

const receiver = new OemReceiver();
const SYSTEM = { userId: 'test', name: 'Webhook test', roles: [] };
let data: DataAccess;
/** An OEM of this suite's own, and its claims reviewer. */
let oemId: string;
let oemUser: string;

async function freshOem(): Promise<{ oemId: string; username: string }> {
  const s = uniqueSuffix();
  const id = `oem_WHT${s}`;
  await data.directory.putOrganisation({ id, kind: 'oem', name: `Test OEM ${s}`, brands: ['Audi'] });
  const user = {
    id: `usr_WHT${s}`,
    username: `oem.test.${s}`,
    displayName: `OEM ${s}`,
    locale: 'en' as const,
  };
  await data.directory.putUser(user);
  await data.directory.putMembership(user.id, {
    tenantId: id,
    tenantKind: 'oem',
    tenantName: id,
    roles: ['oem_claims'],
  });
  return { oemId: id, username: user.username };
}

interface EndpointWithSecret {
  id: string;
  url: string;
  version: number;
  secret: string;
}

async function register(path: string, extra: Record<string, unknown> = {}): Promise<EndpointWithSecret> {
  const res = await call<EndpointWithSecret>(oemUser, 'POST', `/v1/oems/${oemId}/webhook-endpoints`, {
    body: { url: `${receiver.url}${path}`, ...extra },
  });
  expect(res.status, res.text).toBe(201);
  return res.body;
}

function publish(type: string, subjectId?: string, eventId = `evt_T${uniqueSuffix()}`) {
  return WebhookOutbox.publish(data.forTenant({ tenantId: oemId, actor: SYSTEM }), {
    eventId,
    type,
    occurredAt: new Date().toISOString(),
    data: { claimId: subjectId ?? 'clm_none', status: 'submitted' },
    ...(subjectId ? { subject: { storeId: demo.storeA, id: subjectId } } : {}),
  }).then((out) => ({ eventId, ...out }));
}

const deliveryOf = (id: string) =>
  call<WebhookDelivery>(oemUser, 'GET', `/v1/oems/${oemId}/webhook-deliveries/${id}`);

function verifiedBy(secret: string, r: Received): unknown {
  return new Webhook(secret).verify(r.body, {
    'webhook-id': String(r.headers['webhook-id']),
    'webhook-timestamp': String(r.headers['webhook-timestamp']),
    'webhook-signature': String(r.headers['webhook-signature']),
  });
}

beforeAll(async () => {
  useStackEnv();
  data = new DataAccess({ tableName: stack.tableName });
  await receiver.start();
  ({ oemId, username: oemUser } = await freshOem());
});

afterAll(() => receiver.stop());

describe('webhook delivery', () => {
  it('delivers a published event, signed so that the reference implementation verifies it', async () => {
    // Prepare
    const endpoint = await register('/ok', { eventTypes: ['claim.submitted'] });
    const subjectId = `clm_T${uniqueSuffix()}`;

    // Act
    const { eventId, deliveryIds } = await publish('claim.submitted', subjectId);
    const [got] = await eventually(async () =>
      receiver.at('/ok').length > 0 ? receiver.at('/ok') : undefined,
    );
    const delivery = await eventually(async () => {
      const d = await deliveryOf(deliveryIds[0]!);
      return d.body.status === 'delivered' ? d : undefined;
    });

    // Assess
    expect(deliveryIds).toHaveLength(1);
    expect(verifiedBy(endpoint.secret, got!)).toMatchObject({
      type: 'claim.submitted',
      data: { claimId: subjectId, status: 'submitted' },
    });
    expect(got!.headers['webhook-id']).toBe(eventId);
    expect(delivery.body.attempts).toEqual([expect.objectContaining({ attempt: 1, statusCode: 204 })]);
    // The store sees what was sent about its claim, in its own partition.
    const copies = await eventually(async () => {
      const page = await data
        .forTenant({ tenantId: demo.storeA, actor: SYSTEM })
        .repo(WebhookDeliveryCopies)
        .deliveriesAbout(subjectId);
      return page.items[0]?.status === 'delivered' ? page.items : undefined;
    });
    expect(copies).toEqual([
      expect.objectContaining({ id: deliveryIds[0], oemId, eventType: 'claim.submitted', attemptCount: 1 }),
    ]);
    // Nothing for a type the endpoint does not take; a repeated publish makes no second delivery.
    expect((await publish('claim.paid')).deliveryIds).toEqual([]);
    expect((await publish('claim.submitted', subjectId, eventId)).deliveryIds).toEqual(deliveryIds);
    await new Promise((r) => setTimeout(r, 3_000));
    expect(receiver.at('/ok')).toHaveLength(1);
    expect((await deliveryOf(deliveryIds[0]!)).body.attempts).toHaveLength(1);
  });

  it('retries a failing endpoint, honours Retry-After, and delivers once when it recovers', async () => {
    // Prepare: 500, then 503 asking for an hour
    const path = `/flaky${uniqueSuffix()}`;
    receiver.script.set(path, [{ status: 500 }, { status: 503, headers: { 'retry-after': '3600' } }]);
    const endpoint = await register(path);

    // Act: the first try, the second about 5 s later (SQS delay)…
    const { eventId, deliveryIds } = await publish('claim.returned');
    const id = deliveryIds[0]!;
    const waiting = await eventually(async () => {
      const d = await deliveryOf(id);
      return d.body.attempts.length === 2 ? d.body : undefined;
    });
    // …the third is due in an hour: the sweeper hands it on when that hour has come.
    const { sweepTenant } = await import('@aftersales/functions/due-sweeper/lambda');
    expect(await sweepTenant(oemId, new Date(Date.now() + 2 * 3_600_000))).toBe(1);
    const done = await eventually(async () => {
      const d = await deliveryOf(id);
      return d.body.status === 'delivered' ? d.body : undefined;
    });

    // Assess
    expect(waiting.status).toBe('retrying');
    const second = Date.parse(waiting.attempts[1]!.at);
    expect(Date.parse(waiting.nextAttemptAt!) - second).toBeGreaterThanOrEqual(3_600_000);
    expect(done.attempts.map((a) => a.statusCode)).toEqual([500, 503, 204]);
    const tries = receiver.at(path);
    expect(tries).toHaveLength(3);
    for (const t of tries) {
      expect(t.headers['webhook-id']).toBe(eventId);
      expect(() => verifiedBy(endpoint.secret, t)).not.toThrow();
    }
    expect(receiver.effects.get(eventId)).toBe(1);
    // A stale message for an attempt already made does nothing.
    await new SQSClient({}).send(
      new SendMessageCommand({
        QueueUrl: stack.queueUrls.WEBHOOK_DELIVERIES_QUEUE_URL!,
        MessageBody: JSON.stringify(attemptMessage(id, 3, 'stale')),
      }),
    );
    await new Promise((r) => setTimeout(r, 3_000));
    expect(receiver.at(path)).toHaveLength(3);
    expect((await deliveryOf(id)).body.attempts).toHaveLength(3);
  });

  it('signs with both secrets during a rotation: the OEM verifies with either', async () => {
    // Prepare
    const path = `/rotating${uniqueSuffix()}`;
    const endpoint = await register(path);
    const rotated = await call<EndpointWithSecret & { previousSecretExpiresAt: string }>(
      oemUser,
      'POST',
      `/v1/oems/${oemId}/webhook-endpoints/${endpoint.id}/secret-rotations`,
      { headers: { 'if-match': `"${endpoint.version}"` } },
    );

    // Act
    await publish('claim.accepted');
    const [got] = await eventually(async () =>
      receiver.at(path).length > 0 ? receiver.at(path) : undefined,
    );

    // Assess
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(endpoint.secret);
    expect(Date.parse(rotated.body.previousSecretExpiresAt) - Date.now()).toBeGreaterThan(23 * 3_600_000);
    expect(String(got!.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(() => verifiedBy(endpoint.secret, got!)).not.toThrow();
    expect(() => verifiedBy(rotated.body.secret, got!)).not.toThrow();
    // The secret is never read back.
    const read = await call(oemUser, 'GET', `/v1/oems/${oemId}/webhook-endpoints/${endpoint.id}`);
    expect(read.text).not.toContain(rotated.body.secret);
    expect(read.text).not.toContain('whsec_');
  });

  it('moves a poison message to the dead-letter queue, and replays a good one from it', async () => {
    // Prepare
    const sqs = new SQSClient({});
    const queueUrl = stack.queueUrls.WEBHOOK_DELIVERIES_QUEUE_URL!;
    const dlqUrl = stack.queueUrls.WEBHOOK_DELIVERIES_DLQ_URL!;
    const marker = `poison${uniqueSuffix()}`;

    // Act: a message that is not an attempt at all
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify({ marker }) }));
    const dead = await eventually(async () => {
      const out = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: dlqUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 1,
          MessageAttributeNames: ['All'],
        }),
      );
      const found = (out.Messages ?? []).find((m) => m.Body?.includes(marker));
      if (found)
        await sqs.send(new DeleteMessageCommand({ QueueUrl: dlqUrl, ReceiptHandle: found.ReceiptHandle! }));
      return found;
    });

    // Assess
    expect(dead.MessageAttributes?.PoisonReason?.StringValue).toBeTruthy();

    // Prepare: a good attempt that ended in the DLQ (say the consumer was broken when it came)
    const path = `/replayed${uniqueSuffix()}`;
    const endpoint = await register(path);
    const eventId = `evt_T${uniqueSuffix()}`;
    const delivery = newWebhookDelivery(
      { eventId, type: 'claim.paid', occurredAt: new Date().toISOString(), data: { claimId: 'clm_X' } },
      { id: `whd_T${uniqueSuffix()}`, oemId, endpointId: endpoint.id, at: new Date().toISOString() },
    );
    await data.forTenant({ tenantId: oemId, actor: WEBHOOK_SENDER }).repo(WebhookDeliveries).open(delivery);
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: dlqUrl,
        MessageBody: JSON.stringify(attemptMessage(delivery.id, 1)),
      }),
    );

    // Act
    const moved = await replayDeadLetters(sqs, dlqUrl, queueUrl);
    const got = await eventually(async () => (receiver.at(path).length > 0 ? receiver.at(path) : undefined));

    // Assess
    expect(moved).toBeGreaterThanOrEqual(1);
    expect(got).toHaveLength(1);
    expect(verifiedBy(endpoint.secret, got[0]!)).toMatchObject({ type: 'claim.paid' });
    expect((await deliveryOf(delivery.id)).body.status).toBe('delivered');
  });
});

/** An attempt's message as the outbox sends it (a due message of `WEBHOOK_DELIVERY_DUE`). */
function attemptMessage(deliveryId: string, attempt: number, tag = '') {
  return {
    id: `${WEBHOOK_DELIVERY_DUE.name}#${deliveryId}#${attempt}${tag}`,
    tenantId: oemId,
    type: WEBHOOK_DELIVERY_DUE.name,
    jobId: deliveryId,
    dueAt: new Date().toISOString(),
    actor: SYSTEM,
    payload: { deliveryId, attempt },
  };
}

describe('the local webhook receiver', () => {
  it('verifies what a demo OEM is sent with the demo secret, and lists it', async () => {
    // Prepare: the demo OEM's seeded endpoint points at the stack's receiver
    const eventId = `evt_T${uniqueSuffix()}`;
    // Act
    await WebhookOutbox.publish(data.forTenant({ tenantId: DEMO_OEMS[1]!.id, actor: SYSTEM }), {
      eventId,
      type: 'claim.submitted',
      occurredAt: new Date().toISOString(),
      data: { claimId: 'clm_DEMO' },
    });
    const seen = await eventually(async () => {
      const list = (await (await fetch(`${stack.webhookReceiverUrl}/deliveries.json`)).json()) as {
        webhookId: string;
        verified: boolean;
        path: string;
      }[];
      return list.find((r) => r.webhookId === eventId);
    });
    const page = await (await fetch(`${stack.webhookReceiverUrl}/`)).text();
    // Assess
    expect(seen).toMatchObject({ verified: true, path: `/oems/${DEMO_OEMS[1]!.id}` });
    expect(page).toContain(eventId);
  });
});

describe('webhook endpoints through the manufacturer API', () => {
  it('takes https, and plain http only to this machine (the server runs locally)', async () => {
    const refused = await call(oemUser, 'POST', `/v1/oems/${oemId}/webhook-endpoints`, {
      body: { url: 'http://oem.example.com/hooks' },
    });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({
      fieldErrors: [expect.objectContaining({ path: 'url', code: 'INVALID_WEBHOOK_URL' })],
    });
    const https = await call(oemUser, 'POST', `/v1/oems/${oemId}/webhook-endpoints`, {
      body: { url: 'https://oem.example.com/hooks', enabled: false },
    });
    expect(https.status).toBe(201);
  });

  it('edits, lists and removes an endpoint with If-Match', async () => {
    // Prepare
    const endpoint = await register(`/edited${uniqueSuffix()}`);
    const at = `/v1/oems/${oemId}/webhook-endpoints/${endpoint.id}`;
    // Act
    const stale = await call(oemUser, 'PATCH', at, {
      body: { enabled: false },
      headers: { 'if-match': '"9"' },
    });
    const edited = await call<{ enabled: boolean; description: string; version: number }>(
      oemUser,
      'PATCH',
      at,
      {
        body: { enabled: false, description: 'Paused' },
        headers: { 'if-match': `"${endpoint.version}"` },
      },
    );
    const removed = await call(oemUser, 'DELETE', at, {
      headers: { 'if-match': `"${edited.body.version}"` },
    });
    const gone = await call(oemUser, 'GET', at);
    // Assess
    expect(stale.status).toBe(409);
    expect(edited.body).toMatchObject({ enabled: false, description: 'Paused', version: 2 });
    expect(removed.status).toBe(204);
    expect([gone.status, gone.body.code]).toEqual([404, 'WEBHOOK_ENDPOINT_NOT_FOUND']);
  });

  it('shows one OEM nothing of another’s endpoints and deliveries, and a store nothing at all', async () => {
    // Prepare: the other OEM is a demo OEM, reached by its reviewer and by its machine client
    const other = await freshOem();
    const endpoint = await register(`/private${uniqueSuffix()}`);
    const { deliveryIds } = await publish('claim.rejected');
    const machineToken = await clientToken(DEMO_OEM_CLIENTS[1]!.clientId, DEMO_OEM_CLIENTS[1]!.clientSecret);
    const paths = [
      ['GET', `/v1/oems/${oemId}/webhook-endpoints`],
      ['GET', `/v1/oems/${oemId}/webhook-endpoints/${endpoint.id}`],
      ['PATCH', `/v1/oems/${oemId}/webhook-endpoints/${endpoint.id}`],
      ['DELETE', `/v1/oems/${oemId}/webhook-endpoints/${endpoint.id}`],
      ['POST', `/v1/oems/${oemId}/webhook-endpoints/${endpoint.id}/secret-rotations`],
      ['GET', `/v1/oems/${oemId}/webhook-deliveries`],
      ['GET', `/v1/oems/${oemId}/webhook-deliveries/${deliveryIds[0]}`],
      ['POST', `/v1/oems/${oemId}/webhook-deliveries/${deliveryIds[0]}/redeliveries`],
    ] as const;

    // Act
    const answers: { who: string; path: string; res: ApiResponse }[] = [];
    for (const [method, path] of paths) {
      const opts = {
        body: method === 'PATCH' ? { enabled: false } : undefined,
        headers: { 'if-match': '"1"' },
      };
      answers.push({ who: 'other OEM', path, res: await call(other.username, method, path, opts) });
      answers.push({ who: 'store advisor', path, res: await call(demo.advisorA, method, path, opts) });
      answers.push({ who: 'HQ', path, res: await call(demo.hqExecutive, method, path, opts) });
      const machine = await fetch(`${stack.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${machineToken}`,
          'content-type': 'application/json',
          'if-match': '"1"',
        },
        ...(opts.body ? { body: JSON.stringify(opts.body) } : {}),
      });
      const text = await machine.text();
      answers.push({
        who: 'other OEM client',
        path,
        res: { status: machine.status, headers: machine.headers, body: JSON.parse(text), text },
      });
    }
    // The other OEM's own path does not reach this OEM's records either.
    const ownPath = await call(
      other.username,
      'GET',
      `/v1/oems/${other.oemId}/webhook-endpoints/${endpoint.id}`,
    );

    // Assess
    for (const { who, path, res } of answers) {
      expect([res.status, res.body.code], `${who} ${path}`).toEqual([404, 'OEM_NOT_FOUND']);
      expect(res.text).not.toContain(endpoint.url);
    }
    expect([ownPath.status, ownPath.body.code]).toEqual([404, 'WEBHOOK_ENDPOINT_NOT_FOUND']);
    // …while this OEM's machine client reads its own OEM's endpoints.
    const own = await clientToken(DEMO_OEM_CLIENTS[0]!.clientId, DEMO_OEM_CLIENTS[0]!.clientSecret);
    const mine = await fetch(`${stack.url}/v1/oems/${DEMO_OEMS[0]!.id}/webhook-endpoints`, {
      headers: { authorization: `Bearer ${own}` },
    });
    expect(mine.status).toBe(200);
    expect(((await mine.json()) as { items: unknown[] }).items.length).toBeGreaterThanOrEqual(1);
  });
});

async function clientToken(clientId: string, clientSecret: string): Promise<string> {
  const res = await fetch(`${stack.url}/dev-idp/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret,
    }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}
