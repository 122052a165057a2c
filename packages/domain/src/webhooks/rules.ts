import { diffRecords } from '../audit.ts';
import type { Decision } from '../decision.ts';
import { ValidationError } from '../platform/errors.ts';
import {
  SECRET_OVERLAP_MS,
  WEBHOOK_URL_RULE,
  type WebhookAttempt,
  type WebhookDelivery,
  type WebhookEndpointFields,
  type WebhookEndpointPatch,
  type WebhookEndpointRecord,
  type WebhookSubject,
} from './model.ts';

/** Fields the audit log never names the values of: the secrets. */
const SECRET_FIELDS = ['version', 'updatedAt', 'createdAt', 'secret', 'previousSecret'];

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * The endpoint URL rule (`WEBHOOK_URL_RULE`): https everywhere; plain http to this machine only when
 * the server runs locally (`allowLoopbackHttp`), where the demo receiver listens.
 */
export function checkWebhookUrl(url: string, allowLoopbackHttp: boolean): string {
  const refuse = (message: string) =>
    new ValidationError([{ path: 'url', code: 'INVALID_WEBHOOK_URL', message }]);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw refuse(`Not an absolute URL. ${WEBHOOK_URL_RULE}`);
  }
  if (parsed.username || parsed.password)
    throw refuse(`No user name or password in the URL. ${WEBHOOK_URL_RULE}`);
  if (parsed.protocol === 'https:') return parsed.toString();
  if (parsed.protocol === 'http:' && allowLoopbackHttp && LOOPBACK_HOSTS.has(parsed.hostname))
    return parsed.toString();
  throw refuse(`Use https. ${WEBHOOK_URL_RULE}`);
}

export interface EndpointCreation {
  id: string;
  oemId: string;
  at: string;
  secret: string;
  allowLoopbackHttp: boolean;
}

export function decideWebhookEndpointCreation(
  fields: WebhookEndpointFields,
  c: EndpointCreation,
): Decision<WebhookEndpointRecord> {
  const next: WebhookEndpointRecord = {
    id: c.id,
    oemId: c.oemId,
    url: checkWebhookUrl(fields.url, c.allowLoopbackHttp),
    ...(fields.description ? { description: fields.description } : {}),
    ...(fields.eventTypes?.length ? { eventTypes: [...new Set(fields.eventTypes)] } : {}),
    enabled: fields.enabled,
    secret: c.secret,
    version: 1,
    createdAt: c.at,
    updatedAt: c.at,
  };
  return { next, changes: diffRecords(undefined, next, SECRET_FIELDS), events: [] };
}

/** An edit; nothing to change is no decision. An empty event-type list means every type. */
export function decideWebhookEndpointEdit(
  current: WebhookEndpointRecord,
  patch: WebhookEndpointPatch,
  at: string,
  allowLoopbackHttp: boolean,
): Decision<WebhookEndpointRecord> | undefined {
  const { description, eventTypes, ...rest } = current;
  const next: WebhookEndpointRecord = { ...rest, version: current.version + 1, updatedAt: at };
  next.url = patch.url === undefined ? current.url : checkWebhookUrl(patch.url, allowLoopbackHttp);
  if (patch.enabled !== undefined) next.enabled = patch.enabled;
  const nextDescription = patch.description === undefined ? description : (patch.description ?? undefined);
  if (nextDescription) next.description = nextDescription;
  const types = patch.eventTypes === undefined ? eventTypes : (patch.eventTypes ?? undefined);
  if (types?.length) next.eventTypes = [...new Set(types)];
  const changes = diffRecords(current, next, SECRET_FIELDS);
  return changes.length === 0 ? undefined : { next, changes, events: [] };
}

/**
 * A new secret; the one it replaces keeps signing beside it for `SECRET_OVERLAP_MS` (a secret already
 * retiring is dropped: at most two sign).
 */
export function decideWebhookSecretRotation(
  current: WebhookEndpointRecord,
  secret: string,
  at: Date,
): Decision<WebhookEndpointRecord> {
  const iso = at.toISOString();
  const next: WebhookEndpointRecord = {
    ...current,
    secret,
    previousSecret: {
      secret: current.secret,
      expiresAt: new Date(at.getTime() + SECRET_OVERLAP_MS).toISOString(),
    },
    secretRotatedAt: iso,
    version: current.version + 1,
    updatedAt: iso,
  };
  return {
    next,
    changes: [{ field: 'secretRotatedAt', from: current.secretRotatedAt ?? null, to: iso }],
    events: [],
  };
}

/** The secrets that sign an attempt at `at`: the current one, and the previous one until it expires. */
export function signingSecrets(
  endpoint: Pick<WebhookEndpointRecord, 'secret' | 'previousSecret'>,
  at: Date,
): string[] {
  const previous = endpoint.previousSecret;
  return previous && Date.parse(previous.expiresAt) > at.getTime()
    ? [endpoint.secret, previous.secret]
    : [endpoint.secret];
}

/** Whether an endpoint takes events of `type`. */
export function endpointTakes(
  endpoint: Pick<WebhookEndpointRecord, 'enabled' | 'eventTypes'>,
  type: string,
): boolean {
  return endpoint.enabled && (!endpoint.eventTypes?.length || endpoint.eventTypes.includes(type));
}

// ——— Deliveries ———

/**
 * The wait after each failed attempt of a round (Standard Webhooks' example schedule, stretched to a
 * day): 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, then one last try about 24 h after the first. Then failed.
 */
export const RETRY_SCHEDULE_MS = [
  5_000,
  5 * 60_000,
  30 * 60_000,
  2 * 3_600_000,
  5 * 3_600_000,
  10 * 3_600_000,
  6.5 * 3_600_000,
] as const;
/** A wait the endpoint asks for (`Retry-After`) is honoured up to this. */
export const MAX_RETRY_AFTER_MS = 24 * 3_600_000;
/** ±20 % of each wait, so endpoints that failed together are not all tried again together. */
export const JITTER = 0.2;

export interface WebhookPublication {
  eventId: string;
  type: string;
  occurredAt: string;
  data: unknown;
  subject?: WebhookSubject | undefined;
}

/** The body every attempt sends: Standard Webhooks' recommended shape, minified. */
export function webhookBody(p: WebhookPublication): string {
  return JSON.stringify({ type: p.type, timestamp: p.occurredAt, data: p.data });
}

export function newWebhookDelivery(
  p: WebhookPublication,
  c: { id: string; oemId: string; endpointId: string; at: string },
): WebhookDelivery {
  return {
    id: c.id,
    oemId: c.oemId,
    endpointId: c.endpointId,
    eventId: p.eventId,
    eventType: p.type,
    ...(p.subject ? { subject: p.subject } : {}),
    body: webhookBody(p),
    status: 'pending',
    attempts: [],
    roundStartedAt: c.at,
    roundAttempts: 0,
    nextAttemptAt: c.at,
    version: 1,
    createdAt: c.at,
    updatedAt: c.at,
  };
}

/** The number of the attempt a delivery is waiting for; none once it is delivered or failed. */
export function attemptDue(d: WebhookDelivery): number | undefined {
  return d.status === 'pending' || d.status === 'retrying' ? d.attempts.length + 1 : undefined;
}

/** What one attempt came to. */
export interface AttemptOutcome {
  at: Date;
  durationMs: number;
  statusCode?: number | undefined;
  error?: string | undefined;
  /** The endpoint's `Retry-After`, as it sent it (seconds, or an HTTP date). */
  retryAfter?: string | undefined;
}

/** `Retry-After` as a wait in ms from `now` (RFC 9110: delay-seconds or an HTTP date); unreadable: none. */
export function retryAfterMs(value: string | undefined, now: Date): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now.getTime());
}

/** Attempts a delivery keeps: the oldest drop off (a delivery redelivered many times stays small). */
export const KEPT_ATTEMPTS = 50;

/**
 * After an attempt: delivered on a 2xx; otherwise the next try after the round's scheduled wait (with
 * jitter from `random` in [0, 1)), or the endpoint's `Retry-After` when it asks for longer; failed once
 * the round's schedule is spent. `attempt` must be the one due (the caller checked `attemptDue`).
 */
export function decideAttemptOutcome(
  d: WebhookDelivery,
  outcome: AttemptOutcome,
  random: number,
): { next: WebhookDelivery; retryAt?: Date } {
  const at = outcome.at.toISOString();
  const record: WebhookAttempt = {
    attempt: d.attempts.length + 1,
    at,
    durationMs: Math.max(0, Math.round(outcome.durationMs)),
    ...(outcome.statusCode !== undefined ? { statusCode: outcome.statusCode } : {}),
    ...(outcome.error ? { error: outcome.error.slice(0, 300) } : {}),
  };
  const { nextAttemptAt: _was, ...rest } = d;
  const base = {
    ...rest,
    attempts: [...d.attempts, record].slice(-KEPT_ATTEMPTS),
    roundAttempts: d.roundAttempts + 1,
    version: d.version + 1,
    updatedAt: at,
  };
  const ok = outcome.statusCode !== undefined && outcome.statusCode >= 200 && outcome.statusCode < 300;
  if (ok) return { next: { ...base, status: 'delivered', deliveredAt: at } };
  const scheduled = RETRY_SCHEDULE_MS[d.roundAttempts];
  if (scheduled === undefined) return { next: { ...base, status: 'failed' } };
  const jittered = scheduled * (1 - JITTER + 2 * JITTER * Math.min(Math.max(random, 0), 1));
  const asked = retryAfterMs(outcome.retryAfter, outcome.at);
  const wait = Math.max(jittered, Math.min(asked ?? 0, MAX_RETRY_AFTER_MS));
  const retryAt = new Date(outcome.at.getTime() + Math.round(wait));
  return { next: { ...base, status: 'retrying', nextAttemptAt: retryAt.toISOString() }, retryAt };
}

/** Send again now (the OEM's redelivery): a new round of tries, whatever the status. */
export function decideRedelivery(d: WebhookDelivery, at: Date): WebhookDelivery {
  const iso = at.toISOString();
  return {
    ...d,
    status: 'pending',
    roundStartedAt: iso,
    roundAttempts: 0,
    nextAttemptAt: iso,
    version: d.version + 1,
    updatedAt: iso,
  };
}
