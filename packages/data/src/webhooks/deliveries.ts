import { type Actor, NotFoundError, VersionConflictError } from '@aftersales/domain';
import {
  type AttemptOutcome,
  attemptDue,
  decideAttemptOutcome,
  decideRedelivery,
  signingSecrets,
  signWebhook,
  WebhookDelivery,
  WebhookDeliveryCopy,
  type WebhookDeliveryStatus,
  type WebhookDeliverySummary,
  type WebhookEndpointRecord,
  webhookDeliverySummary,
} from '@aftersales/domain/webhooks';
import { AggregateRepository, defineAggregate } from '../platform/aggregate.ts';
import { auditOp } from '../platform/audit.ts';
import { cancelDue, scheduleDue } from '../platform/due.ts';
import type { Page, PageRequest, TenantContext, TenantTable, TxOp } from '../platform/tenant-table.ts';
import { WEBHOOK_DELIVERY_DUE } from './due.ts';
import { WebhookEndpoints } from './endpoints.ts';

/**
 * 推送记录: one event to one endpoint, in the OEM's partition. Keys, all from this declaration:
 * - delivery  pk `<oem>#WHD#<id>` sk `#WHD`;
 *             gsi1 `<oem>#WHDL` / `<createdAt>#<id>` (all, newest first),
 *             gsi2 `<oem>#WHDE#<endpointId>` / `<createdAt>#<id>` (one endpoint's),
 *             gsi3 `<oem>#WHDST#<status>` / `<createdAt>#<id>` (those in one status)
 * - its one due job (`WEBHOOK_DELIVERY_DUE`, id = the delivery's): the next attempt or its backstop.
 * Attempts are written without an audit entry: they are the delivery's own record of what happened.
 */
export const WEBHOOK_DELIVERY = defineAggregate({
  name: 'webhookDelivery',
  label: 'WebhookDelivery',
  idParam: 'deliveryId',
  prefix: 'WHD',
  recordSk: '#WHD',
  schema: WebhookDelivery,
  indexes: {
    recent: { index: 'gsi1', prefix: 'WHDL', key: (d) => ({ pk: [], sk: `${d.createdAt}#${d.id}` }) },
    byEndpoint: {
      index: 'gsi2',
      prefix: 'WHDE',
      key: (d) => ({ pk: [d.endpointId], sk: `${d.createdAt}#${d.id}` }),
    },
    byStatus: {
      index: 'gsi3',
      prefix: 'WHDST',
      key: (d) => ({ pk: [d.status], sk: `${d.createdAt}#${d.id}` }),
    },
  },
});

/**
 * The store's copy of a delivery about one of its records (`subject`), in the store's partition:
 * - copy  pk `<store>#WHDC#<deliveryId>` sk `#WHDC`; gsi1 `<store>#WHDS#<subjectId>` / `<createdAt>#<id>`
 */
export const WEBHOOK_DELIVERY_COPY = defineAggregate({
  name: 'webhookDelivery',
  label: 'WebhookDeliveryCopy',
  // No path names a copy (the store reads them by subject): its id parameter never appears.
  idParam: 'deliveryCopyId',
  prefix: 'WHDC',
  recordSk: '#WHDC',
  schema: WebhookDeliveryCopy,
  indexes: {
    bySubject: {
      index: 'gsi1',
      prefix: 'WHDS',
      key: (d) => ({ pk: [d.subjectId], sk: `${d.createdAt}#${d.id}` }),
    },
  },
});

/**
 * A send that SQS can delay (at most 15 minutes) goes at once with its delay; the due job then waits
 * this much longer, as the backstop should that send be lost. Longer waits are the due job itself.
 */
export const SQS_MAX_DELAY_MS = 900_000;
export const BACKSTOP_MS = 5 * 60_000;

/** How long an endpoint has to answer. */
export const ATTEMPT_TIMEOUT_MS = 10_000;

/** Who writes what the delivery consumer writes (audit entries of redeliveries name the OEM's caller). */
export const WEBHOOK_SENDER: Actor = { userId: 'system', name: 'Webhook sender', roles: [] };

/** The one HTTP request of an attempt (fetch in the consumer; any function in a test of the data layer). */
export type WebhookPost = (request: {
  url: string;
  headers: Record<string, string>;
  body: string;
}) => Promise<Omit<AttemptOutcome, 'at' | 'durationMs'>>;

/** POSTs with `fetch`, a timeout, and no redirects followed (a 3xx is not a delivery). */
export const fetchPost: WebhookPost = async ({ url, headers, body }) => {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json', 'user-agent': 'AftersalesCloud-Webhooks/1' },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
    });
    // The answer's body is not read: drop it so the connection is freed.
    await response.body?.cancel().catch(() => undefined);
    return { statusCode: response.status, retryAfter: response.headers.get('retry-after') ?? undefined };
  } catch (e) {
    const error =
      e instanceof Error && e.name === 'TimeoutError'
        ? `No answer within ${ATTEMPT_TIMEOUT_MS / 1000} s.`
        : `Could not connect: ${e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message) : String(e)}`;
    return { error };
  }
};

/** What the consumer does after an attempt: send the next at once (with a delay), or nothing. */
export interface AttemptResult {
  delivery: WebhookDelivery;
  /** Made now (false: this attempt was already made, or is not the one due). */
  attempted: boolean;
  /** The next attempt to send to the queue now with this delay; longer waits are due jobs already. */
  sendNext?: { attempt: number; delaySeconds: number };
}

export class WebhookDeliveries extends AggregateRepository<typeof WEBHOOK_DELIVERY> {
  constructor(t: TenantTable, ctx: TenantContext) {
    super(t, ctx, WEBHOOK_DELIVERY);
  }

  /** Newest first; by one endpoint or one status (one filter a request: each is one index). */
  async list(
    filter: { endpointId?: string | undefined; status?: WebhookDeliveryStatus | undefined },
    page: PageRequest,
  ): Promise<Page<WebhookDeliverySummary>> {
    const range = { newestFirst: true, ...page };
    const out = filter.endpointId
      ? await this.queryIndex('byEndpoint', [filter.endpointId], range)
      : filter.status
        ? await this.queryIndex('byStatus', [filter.status], range)
        : await this.queryIndex('recent', [], range);
    return { ...out, items: out.items.map(webhookDeliverySummary) };
  }

  /** The due job that backs up (or is) the next attempt. */
  private dueOp(d: WebhookDelivery, attempt: number, dueAt: Date): TxOp {
    return scheduleDue(this.t, this.ctx, {
      type: WEBHOOK_DELIVERY_DUE,
      id: d.id,
      dueAt,
      payload: { deliveryId: d.id, attempt },
    });
  }

  /** The first write of a delivery with its backstop; false when it already exists (a retried publish). */
  async open(d: WebhookDelivery): Promise<boolean> {
    try {
      await this.t.transact([
        { put: this.toItem(d), condition: 'attribute_not_exists(pk)', onConditionFailed: () => new Exists() },
        this.dueOp(d, 1, new Date(Date.parse(d.createdAt) + BACKSTOP_MS)),
      ]);
      return true;
    } catch (e) {
      if (e instanceof Exists) return false;
      throw e;
    }
  }

  /** Send again now: a new round of tries (the OEM's redelivery), audited. */
  async redeliver(id: string): Promise<{ delivery: WebhookDelivery; attempt: number }> {
    const current = await this.require(id);
    const now = this.now();
    const next = decideRedelivery(current, now);
    const attempt = next.attempts.length + 1;
    await this.t.transact([
      this.versionedPut(current, next),
      // Due now: the sweeper hands it on within a minute (the API sends nothing to SQS itself).
      this.dueOp(next, attempt, now),
      auditOp(
        this.t,
        this.ctx,
        this.partition(id),
        {
          action: 'update',
          entity: 'webhookDelivery',
          entityId: id,
          changes: [{ field: 'status', from: current.status, to: next.status }],
        },
        next.updatedAt,
      ),
    ]);
    return { delivery: next, attempt };
  }

  private versionedPut(current: WebhookDelivery, next: WebhookDelivery): TxOp {
    return {
      put: this.toItem(next),
      condition: 'version = :v',
      values: { ':v': current.version },
      onConditionFailed: (stored) =>
        new VersionConflictError(this.declaration.label, current.id, stored?.version as number | undefined),
    };
  }

  /**
   * Makes attempt `attempt` of delivery `id`, if it is the one due: signs with the endpoint's secrets
   * now, posts, records what came of it and the next attempt's due job (or cancels it). Idempotent: an
   * attempt already made, or a delivery done, does nothing. `random` drives the jitter.
   */
  async attempt(id: string, attempt: number, post: WebhookPost, random: number): Promise<AttemptResult> {
    const current = await this.get(id);
    if (!current) throw new NotFoundError(this.declaration.label, id);
    if (attemptDue(current) !== attempt) return { delivery: current, attempted: false };
    const endpoint = await new WebhookEndpoints(this.t, this.ctx).get(current.endpointId);
    const started = this.now();
    const outcome = endpoint?.enabled
      ? await this.post(current, endpoint, post, started)
      : {
          error: endpoint ? 'The endpoint is disabled.' : 'The endpoint was removed.',
          durationMs: 0,
          at: started,
        };
    // A removed or disabled endpoint will not come back for this delivery: it fails now.
    const decided = decideAttemptOutcome(current, outcome, random);
    const { next } = endpoint?.enabled ? decided : { next: { ...decided.next, status: 'failed' as const } };
    const retryAt = next.status === 'retrying' ? decided.retryAt : undefined;
    const ops: TxOp[] = [this.versionedPut(current, next)];
    let sendNext: AttemptResult['sendNext'];
    if (retryAt) {
      const wait = retryAt.getTime() - outcome.at.getTime();
      const soon = wait <= SQS_MAX_DELAY_MS;
      ops.push(this.dueOp(next, attempt + 1, soon ? new Date(retryAt.getTime() + BACKSTOP_MS) : retryAt));
      if (soon) sendNext = { attempt: attempt + 1, delaySeconds: Math.ceil(wait / 1000) };
    } else ops.push(cancelDue(this.t, WEBHOOK_DELIVERY_DUE, id));
    try {
      await this.t.transact(ops);
    } catch (e) {
      // Another consumer recorded this attempt first (a duplicate message): theirs stands.
      if (e instanceof VersionConflictError)
        return { delivery: (await this.get(id)) ?? current, attempted: false };
      throw e;
    }
    return { delivery: next, attempted: true, ...(sendNext ? { sendNext } : {}) };
  }

  private async post(
    d: WebhookDelivery,
    endpoint: WebhookEndpointRecord,
    post: WebhookPost,
    at: Date,
  ): Promise<AttemptOutcome> {
    const headers = signWebhook({ id: d.eventId, at, body: d.body }, signingSecrets(endpoint, at));
    const before = performance.now();
    const answer = await post({ url: endpoint.url, headers: { ...headers }, body: d.body });
    return { ...answer, at, durationMs: performance.now() - before };
  }
}

class Exists extends Error {}

/** The store's copies of deliveries about its records (the claim screen's "sent to the OEM"). */
export class WebhookDeliveryCopies extends AggregateRepository<typeof WEBHOOK_DELIVERY_COPY> {
  constructor(t: TenantTable, ctx: TenantContext) {
    super(t, ctx, WEBHOOK_DELIVERY_COPY);
  }

  /** Deliveries about one record (a claim), newest first. */
  deliveriesAbout(subjectId: string, page: PageRequest = {}): Promise<Page<WebhookDeliveryCopy>> {
    return this.queryIndex('bySubject', [subjectId], { newestFirst: true, ...page });
  }

  /**
   * Keeps the copy in step with the OEM's delivery: written only over an older state of it (its
   * `version` is the delivery's), so copies written out of order never step back.
   */
  async keep(d: WebhookDelivery): Promise<void> {
    if (!d.subject || d.subject.storeId !== this.t.tenantId) return;
    const summary = webhookDeliverySummary(d);
    const copy: WebhookDeliveryCopy & { version: number } = {
      id: d.id,
      storeId: d.subject.storeId,
      oemId: d.oemId,
      endpointId: d.endpointId,
      eventId: d.eventId,
      eventType: d.eventType,
      subjectId: d.subject.id,
      status: d.status,
      attemptCount: summary.attemptCount,
      ...(summary.lastAttempt ? { lastAttempt: summary.lastAttempt } : {}),
      ...(d.nextAttemptAt && d.status === 'retrying' ? { nextAttemptAt: d.nextAttemptAt } : {}),
      ...(d.deliveredAt ? { deliveredAt: d.deliveredAt } : {}),
      version: d.version,
      createdAt: d.createdAt,
      updatedAt: d.updatedAt,
    };
    try {
      await this.t.transact([
        {
          put: this.toItem(copy),
          condition: 'attribute_not_exists(pk) OR version < :v',
          values: { ':v': d.version },
          onConditionFailed: () => new Exists(),
        },
      ]);
    } catch (e) {
      if (!(e instanceof Exists)) throw e;
    }
  }
}
