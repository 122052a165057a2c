import {
  WEBHOOK_DELIVERY,
  WEBHOOK_ENDPOINT,
  WebhookDeliveries,
  WebhookEndpoints,
  type WebhookUrlPolicy,
} from '@aftersales/data/webhooks';
import { WEBHOOK_URL_RULE, WebhookDeliveryFilter, webhookDeliverySummary } from '@aftersales/domain/webhooks';
import * as z from 'zod';
import { AuditPage } from '../platform/bodies.ts';
import {
  CREATED_HEADERS,
  etag,
  expectedVersion,
  IdempotencyHeader,
  IfMatchHeader,
  idempotency,
  json,
  PageQuery,
  recordParams,
  tenantIdParam,
} from '../platform/http.ts';
import { ApiRoutes } from '../platform/route.ts';
import { Bodies, Pages } from './bodies.ts';

/** The manufacturer API's path: `/v1/oems/{oemId}`, answered only to the OEM's own users and clients. */
export const OemParams = z.object({ oemId: tenantIdParam('oemId', 'oem_FAWVOLKSWAGEN') });
const EndpointParams = OemParams.extend({ endpointId: recordParams(WEBHOOK_ENDPOINT).shape.endpointId });
const DeliveryParams = OemParams.extend({ deliveryId: recordParams(WEBHOOK_DELIVERY).shape.deliveryId });

const endpointTags = ['Webhook endpoints'];
const deliveryTags = ['Webhook deliveries'];

const SIGNING =
  'Every delivery is a `POST` of a JSON body `{ "type", "timestamp", "data" }` signed per the Standard Webhooks specification: headers `webhook-id` (the event’s id, the same on every attempt: drop a repeat), `webhook-timestamp` (seconds since the epoch, of the attempt) and `webhook-signature`, space-separated `v1,<base64 HMAC-SHA256 of "<webhook-id>.<webhook-timestamp>.<body>">` keyed with the base64-decoded part of the `whsec_` secret. Any 2xx within 10 s is delivered; anything else is tried again after about 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and once more about a day after the first try (each ±20 %), or later when the answer’s `Retry-After` (seconds or an HTTP date, up to a day) asks for longer; then the delivery is `failed`. Redirects are not followed.';

/** 推送: the OEM's webhook endpoints and their deliveries (`/v1/oems/{oemId}/…`). */
export function webhookEndpoints(policy: WebhookUrlPolicy) {
  const app = new ApiRoutes();

  app.openapi(
    {
      method: 'post',
      path: '/',
      operationId: 'createWebhookEndpoint',
      permission: 'webhook:manage',
      tags: endpointTags,
      summary: 'Register a webhook endpoint; the answer carries its signing secret, this once',
      description: `${WEBHOOK_URL_RULE} \`eventTypes\` limits what it receives (absent or empty: every type); a disabled endpoint (\`enabled: false\`) receives nothing. The secret (\`whsec_…\`) is in this answer only (and in a rotation’s): keep it. An OEM has at most 50 endpoints (409 \`WEBHOOK_ENDPOINT_LIMIT\`). ${SIGNING}`,
      errors: ['WEBHOOK_ENDPOINT_LIMIT'],
      request: {
        params: OemParams,
        headers: IdempotencyHeader,
        body: { required: true, content: { 'application/json': { schema: Bodies.WebhookEndpointInput } } },
      },
      responses: {
        201: json(
          Bodies.WebhookEndpointWithSecret,
          'Registered (or, for a repeated Idempotency-Key, the first result with its secret)',
          CREATED_HEADERS,
        ),
      },
    },
    async (c) => {
      const body = c.req.valid('json');
      const { endpoint, created } = await c.var.tenant
        .repo(WebhookEndpoints)
        .register(body, policy, { idempotency: idempotency(c, body) });
      c.header('etag', etag(endpoint.version));
      c.header('location', `${c.req.path.replace(/\/$/, '')}/${endpoint.id}`);
      if (!created) c.header('idempotent-replayed', 'true');
      return c.json(endpoint, 201);
    },
  );

  app.openapi(
    {
      method: 'get',
      path: '/',
      operationId: 'listWebhookEndpoints',
      permission: 'webhook:read',
      tags: endpointTags,
      summary: 'The OEM’s webhook endpoints, oldest first (at most 50), without their secrets',
      request: { params: OemParams, query: PageQuery },
      responses: { 200: json(Pages.WebhookEndpointPage, 'Endpoints') },
    },
    async (c) => {
      const { cursor, limit } = c.req.valid('query');
      return c.json(await c.var.tenant.repo(WebhookEndpoints).list({ cursor, limit: limit ?? 25 }), 200);
    },
  );

  app.openapi(
    {
      method: 'get',
      path: '/{endpointId}',
      operationId: 'getWebhookEndpoint',
      permission: 'webhook:read',
      tags: endpointTags,
      summary: 'One webhook endpoint, without its secret',
      request: { params: EndpointParams },
      responses: { 200: json(Bodies.WebhookEndpoint, 'The endpoint', ['ETag']) },
    },
    async (c) => {
      const endpoint = await c.var.tenant.repo(WebhookEndpoints).view(c.req.valid('param').endpointId);
      c.header('etag', etag(endpoint.version));
      return c.json(endpoint, 200);
    },
  );

  app.openapi(
    {
      method: 'get',
      path: '/{endpointId}/history',
      operationId: 'getWebhookEndpointHistory',
      permission: 'webhook:read',
      tags: endpointTags,
      summary: 'Who registered, changed, rotated the secret of or removed this endpoint, when, and what',
      description: 'Secrets never appear in it: a rotation names only its time (`secretRotatedAt`).',
      request: { params: EndpointParams, query: PageQuery },
      responses: { 200: json(AuditPage, 'Audit entries, newest first') },
    },
    async (c) => {
      const { endpointId } = c.req.valid('param');
      const repo = c.var.tenant.repo(WebhookEndpoints);
      await repo.require(endpointId);
      return c.json(await repo.history(endpointId, c.req.valid('query')), 200);
    },
  );

  app.openapi(
    {
      method: 'patch',
      path: '/{endpointId}',
      operationId: 'updateWebhookEndpoint',
      permission: 'webhook:manage',
      tags: endpointTags,
      summary:
        'Change an endpoint’s URL, description, event types or whether it is enabled (If-Match required)',
      description: `${WEBHOOK_URL_RULE} Fields not sent are not changed; \`null\` clears \`description\` or \`eventTypes\` (then every type is delivered). Disabling stops new deliveries to it; attempts already due then fail.`,
      request: {
        params: EndpointParams,
        headers: IfMatchHeader,
        body: { required: true, content: { 'application/json': { schema: Bodies.WebhookEndpointPatch } } },
      },
      responses: { 200: json(Bodies.WebhookEndpoint, 'The endpoint as saved', ['ETag']) },
    },
    async (c) => {
      const saved = await c.var.tenant
        .repo(WebhookEndpoints)
        .edit(c.req.valid('param').endpointId, c.req.valid('json'), expectedVersion(c), policy);
      c.header('etag', etag(saved.version));
      return c.json(saved, 200);
    },
  );

  app.openapi(
    {
      method: 'delete',
      path: '/{endpointId}',
      operationId: 'deleteWebhookEndpoint',
      permission: 'webhook:manage',
      tags: endpointTags,
      summary:
        'Remove an endpoint (If-Match required): it receives nothing more; its past deliveries stay readable',
      request: { params: EndpointParams, headers: IfMatchHeader },
      responses: { 204: { description: 'Removed' } },
    },
    async (c) => {
      await c.var.tenant.repo(WebhookEndpoints).remove(c.req.valid('param').endpointId, expectedVersion(c));
      return c.body(null, 204);
    },
  );

  app.openapi(
    {
      method: 'post',
      path: '/{endpointId}/secret-rotations',
      operationId: 'rotateWebhookSecret',
      permission: 'webhook:manage',
      tags: endpointTags,
      summary: 'A new signing secret, answered this once; the previous one keeps signing for 24 hours',
      description:
        'If-Match required (the endpoint’s ETag), so a repeated request cannot rotate twice: the repeat gets 409. From now on every delivery carries two signatures in `webhook-signature` (one per secret) until the previous secret expires (`previousSecretExpiresAt`), so the receiver can move to the new secret at its own pace. Rotating again drops the oldest secret at once.',
      request: { params: EndpointParams, headers: IfMatchHeader },
      responses: { 200: json(Bodies.WebhookEndpointWithSecret, 'The endpoint and its new secret', ['ETag']) },
    },
    async (c) => {
      const rotated = await c.var.tenant
        .repo(WebhookEndpoints)
        .rotateSecret(c.req.valid('param').endpointId, expectedVersion(c));
      c.header('etag', etag(rotated.version));
      return c.json(rotated, 200);
    },
  );

  return app;
}

export function webhookDeliveries() {
  const app = new ApiRoutes();

  app.openapi(
    {
      method: 'get',
      path: '/',
      operationId: 'listWebhookDeliveries',
      permission: 'webhook:read',
      tags: deliveryTags,
      summary: 'Deliveries, newest first: all, one endpoint’s, or those in one status (one filter at a time)',
      description: `Each delivery is one event to one endpoint, with its status (\`pending\`, \`retrying\`, \`delivered\`, \`failed\`), its last attempt and when the next is due. Give \`endpointId\` or \`status\`, not both (a 400 on \`query.status\`). ${SIGNING}`,
      request: {
        params: OemParams,
        query: PageQuery.extend(WebhookDeliveryFilter.shape).check(
          z.refine((q) => !(q.endpointId && q.status), {
            message: 'Filter by endpoint or by status, not both.',
            path: ['status'],
          }),
        ),
      },
      responses: { 200: json(Pages.WebhookDeliveryPage, 'Deliveries') },
    },
    async (c) => {
      const { endpointId, status, cursor, limit } = c.req.valid('query');
      return c.json(
        await c.var.tenant
          .repo(WebhookDeliveries)
          .list({ endpointId, status }, { cursor, limit: limit ?? 25 }),
        200,
      );
    },
  );

  app.openapi(
    {
      method: 'get',
      path: '/{deliveryId}',
      operationId: 'getWebhookDelivery',
      permission: 'webhook:read',
      tags: deliveryTags,
      summary: 'One delivery: its body as sent and every attempt (time, status code, duration, error)',
      description: 'The last 50 attempts are kept.',
      request: { params: DeliveryParams },
      responses: { 200: json(Bodies.WebhookDelivery, 'The delivery') },
    },
    async (c) =>
      c.json(await c.var.tenant.repo(WebhookDeliveries).require(c.req.valid('param').deliveryId), 200),
  );

  app.openapi(
    {
      method: 'post',
      path: '/{deliveryId}/redeliveries',
      operationId: 'redeliverWebhook',
      permission: 'webhook:manage',
      tags: deliveryTags,
      summary:
        'Send a delivery again (whatever its status): a new round of attempts, the first within a minute',
      description:
        'The same body and `webhook-id` (the receiver recognises a repeat), signed anew. The attempt count continues; the retry schedule starts again.',
      request: { params: DeliveryParams },
      responses: { 202: json(Bodies.WebhookDeliverySummary, 'Accepted: the next attempt is due now') },
    },
    async (c) => {
      const { delivery } = await c.var.tenant
        .repo(WebhookDeliveries)
        .redeliver(c.req.valid('param').deliveryId);
      return c.json(webhookDeliverySummary(delivery), 202);
    },
  );

  return app;
}
