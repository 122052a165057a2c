import * as z from 'zod';
import { defineCapability } from '../platform/capability.ts';
import { Count, filledText, Instant, RequiredText, trimmedText, Version } from '../platform/fields.ts';
import { patchSchema } from '../platform/patch.ts';

/**
 * Webhooks (推送): an OEM's endpoints, to which the platform pushes what happens to claims filed to it,
 * signed per the Standard Webhooks specification (see signing.ts). Generic over "an OEM-visible event":
 * a capability publishes an event (`WebhookOutbox.publish` in the data package), every enabled endpoint
 * subscribed to its type gets one delivery, retried on a schedule (rules.ts) until delivered or failed.
 */

/**
 * A full-stop delimited event type (`claim.submitted`), as Standard Webhooks recommends. The capability
 * that publishes states its types; the endpoint's filter names some of them (none: all).
 */
export const WebhookEventType = z
  .string()
  .check(
    z.maxLength(80),
    z.regex(/^[a-z][a-zA-Z0-9]*(\.[a-zA-Z0-9]+)+$/, 'A type looks like claim.submitted.'),
  )
  .meta({ example: 'claim.submitted' });
export type WebhookEventType = z.infer<typeof WebhookEventType>;

/** What the URL rule says, in one place: the document and the error message both state it. */
export const WEBHOOK_URL_RULE =
  'An absolute `https://` URL (at most 500 characters, no user name or password in it). `http://127.0.0.1`, `http://[::1]` and `http://localhost` (any port) are accepted only by a server running locally, for a receiver on the same machine; everywhere else they are a 400 on `url`.';

export const WebhookUrl = z
  .string()
  .check(z.minLength(1), z.maxLength(500))
  .meta({ format: 'uri', example: 'https://claims.example-oem.com/webhooks/aftersales' });

export const WebhookEndpointInput = z.strictObject({
  url: WebhookUrl,
  description: trimmedText(200).optional(),
  /** Only these types are delivered; absent or empty: every type. */
  eventTypes: z.array(WebhookEventType).check(z.maxLength(50)).optional(),
  enabled: z.boolean().default(true),
});
export type WebhookEndpointInput = z.input<typeof WebhookEndpointInput>;
export type WebhookEndpointFields = z.output<typeof WebhookEndpointInput>;

export const WebhookEndpointPatch = patchSchema(WebhookEndpointInput.shape);
export type WebhookEndpointPatch = z.output<typeof WebhookEndpointPatch>;

/** A `whsec_` secret (base64 of 24 to 64 random bytes). */
export const WebhookSecret = z
  .string()
  .check(z.regex(/^whsec_[A-Za-z0-9+/]+={0,2}$/))
  .meta({
    description:
      'The signing secret: `whsec_` and the base64 of 24 to 64 random bytes. Shown only when the endpoint is created and when it is rotated.',
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  });

/** The previous secret, still signing beside the current one until it expires. */
const RetiringSecret = z.object({ secret: WebhookSecret, expiresAt: Instant });

/** The endpoint as stored: with its secrets, which no read answer carries. */
export const WebhookEndpointRecord = z.object({
  id: RequiredText,
  oemId: RequiredText,
  url: z.string(),
  description: z.string().optional(),
  eventTypes: z.array(z.string()).optional(),
  enabled: z.boolean(),
  secret: WebhookSecret,
  previousSecret: RetiringSecret.optional(),
  secretRotatedAt: Instant.optional(),
  version: Version,
  createdAt: Instant,
  updatedAt: Instant,
});
export type WebhookEndpointRecord = z.infer<typeof WebhookEndpointRecord>;

/** The endpoint as read: everything but its secrets. */
export const WebhookEndpoint = z.object({
  id: RequiredText,
  oemId: RequiredText,
  url: z.string(),
  description: z.string().optional(),
  eventTypes: z.array(z.string()).optional(),
  enabled: z.boolean(),
  secretRotatedAt: Instant.optional(),
  /** While set, the previous secret still signs too (two signatures per delivery), until this instant. */
  previousSecretExpiresAt: Instant.optional(),
  version: Version,
  createdAt: Instant,
  updatedAt: Instant,
});
export type WebhookEndpoint = z.infer<typeof WebhookEndpoint>;

/** The answer to a create or a rotation: the endpoint and, this once, its secret. */
export const WebhookEndpointWithSecret = z.object({ ...WebhookEndpoint.shape, secret: WebhookSecret });
export type WebhookEndpointWithSecret = z.infer<typeof WebhookEndpointWithSecret>;

export function webhookEndpointView(record: WebhookEndpointRecord): WebhookEndpoint {
  const { secret: _secret, previousSecret, ...rest } = record;
  return previousSecret ? { ...rest, previousSecretExpiresAt: previousSecret.expiresAt } : rest;
}

/** How long the previous secret keeps signing after a rotation: the OEM's time to deploy the new one. */
export const SECRET_OVERLAP_MS = 24 * 3_600_000;

export const WebhookDeliveryStatus = z.enum(['pending', 'retrying', 'delivered', 'failed']);
export type WebhookDeliveryStatus = z.infer<typeof WebhookDeliveryStatus>;

/** One try at the endpoint. */
export const WebhookAttempt = z.object({
  /** 1, 2, 3… over the delivery's whole life (a redelivery continues the count). */
  attempt: z.int().check(z.positive()),
  at: Instant,
  /** The HTTP status the endpoint answered; absent when it did not answer (refused, timed out). */
  statusCode: z.int().optional(),
  durationMs: Count,
  /** Why it failed, when no status says it (a timeout, a refused connection). */
  error: z.string().optional(),
});
export type WebhookAttempt = z.infer<typeof WebhookAttempt>;

/** What the event is about, for the store's copy (the store's claim). */
export const WebhookSubject = z.object({ storeId: RequiredText, id: RequiredText });
export type WebhookSubject = z.infer<typeof WebhookSubject>;

/** One event to one endpoint, in the OEM's partition. */
export const WebhookDelivery = z.object({
  id: RequiredText,
  oemId: RequiredText,
  endpointId: RequiredText,
  /** Sent as `webhook-id`: the same on every attempt, so the receiver can drop a repeat. */
  eventId: RequiredText,
  eventType: z.string(),
  subject: WebhookSubject.optional(),
  /** The exact bytes sent (and signed) on every attempt. */
  body: z.string(),
  status: WebhookDeliveryStatus,
  attempts: z.array(WebhookAttempt),
  /** When the current round of tries began (creation, or the last redelivery): the schedule counts from it. */
  roundStartedAt: Instant,
  /** Attempts made in the current round. */
  roundAttempts: Count,
  nextAttemptAt: Instant.optional(),
  deliveredAt: Instant.optional(),
  version: Version,
  createdAt: Instant,
  updatedAt: Instant,
});
export type WebhookDelivery = z.infer<typeof WebhookDelivery>;

/** A delivery as listed: without its body. */
export const WebhookDeliverySummary = WebhookDelivery.omit({ body: true, attempts: true }).extend({
  attemptCount: Count,
  lastAttempt: WebhookAttempt.optional(),
});
export type WebhookDeliverySummary = z.infer<typeof WebhookDeliverySummary>;

export function webhookDeliverySummary(d: WebhookDelivery): WebhookDeliverySummary {
  const { body: _body, attempts, ...rest } = d;
  const last = attempts.at(-1);
  return { ...rest, attemptCount: attempts.length, ...(last ? { lastAttempt: last } : {}) };
}

/**
 * The store's copy of a delivery about one of its records (a claim): its status, kept by the
 * delivery consumer in the store's own partition so the store sees what its OEM was sent.
 */
export const WebhookDeliveryCopy = z.object({
  id: RequiredText,
  storeId: RequiredText,
  oemId: RequiredText,
  endpointId: RequiredText,
  eventId: RequiredText,
  eventType: z.string(),
  subjectId: RequiredText,
  status: WebhookDeliveryStatus,
  attemptCount: Count,
  lastAttempt: WebhookAttempt.optional(),
  nextAttemptAt: Instant.optional(),
  deliveredAt: Instant.optional(),
  createdAt: Instant,
  updatedAt: Instant,
});
export type WebhookDeliveryCopy = z.infer<typeof WebhookDeliveryCopy>;

export const WebhookDeliveryFilter = z.object({
  endpointId: filledText(100).optional(),
  status: WebhookDeliveryStatus.optional(),
});

/** 推送: endpoints and deliveries, the OEM's own. */
export const WEBHOOKS = defineCapability({
  // A rotation and a redelivery are audited as updates (the rotated-at time, the status): the history
  // screens already name those actions.
  aggregates: { webhookEndpoint: ['remove'], webhookDelivery: [] },
  events: {},
  permissions: {
    /** See the endpoints and every delivery with its attempts. */
    'webhook:read': ['oem_claims'],
    /** Register, change, rotate and remove endpoints; send a delivery again. */
    'webhook:manage': ['oem_claims'],
  },
});
