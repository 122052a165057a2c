import { ConflictError, newId, VersionConflictError } from '@aftersales/domain';
import {
  decideWebhookEndpointCreation,
  decideWebhookEndpointEdit,
  decideWebhookSecretRotation,
  endpointTakes,
  generateWebhookSecret,
  type WebhookEndpoint,
  type WebhookEndpointFields,
  type WebhookEndpointPatch,
  WebhookEndpointRecord,
  type WebhookEndpointWithSecret,
  webhookEndpointView,
} from '@aftersales/domain/webhooks';
import { AggregateRepository, defineAggregate } from '../platform/aggregate.ts';
import { auditOp } from '../platform/audit.ts';
import type { IdempotencyRequest } from '../platform/idempotency.ts';
import type { Page, PageRequest, TenantContext, TenantTable } from '../platform/tenant-table.ts';

/**
 * 推送地址: an OEM's webhook endpoints, in the OEM's partition. Keys, all from this declaration:
 * - endpoint      pk `<oem>#WHE#<id>` sk `#WHE`; gsi1 `<oem>#WHES` / `<createdAt>#<id>` (all, oldest first)
 * - audit         pk `<oem>#WHE#<id>` sk `~AUDIT#…` (secrets never in it: only when one was rotated)
 */
export const WEBHOOK_ENDPOINT = defineAggregate({
  name: 'webhookEndpoint',
  label: 'WebhookEndpoint',
  idParam: 'endpointId',
  prefix: 'WHE',
  recordSk: '#WHE',
  schema: WebhookEndpointRecord,
  indexes: {
    all: { index: 'gsi1', prefix: 'WHES', key: (e) => ({ pk: [], sk: `${e.createdAt}#${e.id}` }) },
  },
});

/** An OEM has at most this many endpoints: a publish reads them all in one Query. */
export const MAX_WEBHOOK_ENDPOINTS = 50;

/** Where the server runs decides whether plain http to this machine is a valid endpoint URL. */
export interface WebhookUrlPolicy {
  allowLoopbackHttp: boolean;
}

export class WebhookEndpoints extends AggregateRepository<typeof WEBHOOK_ENDPOINT> {
  constructor(t: TenantTable, ctx: TenantContext) {
    super(t, ctx, WEBHOOK_ENDPOINT);
  }

  /** A new endpoint with a new secret, answered this once with the secret. */
  async register(
    fields: WebhookEndpointFields,
    policy: WebhookUrlPolicy,
    opts: { idempotency?: IdempotencyRequest | undefined; secret?: string } = {},
  ): Promise<{ endpoint: WebhookEndpointWithSecret; created: boolean }> {
    const existing = await this.queryIndex('all', [], { limit: MAX_WEBHOOK_ENDPOINTS + 1 });
    const decision = decideWebhookEndpointCreation(fields, {
      id: newId('whe'),
      oemId: this.t.tenantId,
      at: this.now().toISOString(),
      secret: opts.secret ?? generateWebhookSecret(),
      allowLoopbackHttp: policy.allowLoopbackHttp,
    });
    if (existing.items.length >= MAX_WEBHOOK_ENDPOINTS && !opts.idempotency)
      throw new ConflictError(
        409,
        'WEBHOOK_ENDPOINT_LIMIT',
        `An OEM has at most ${MAX_WEBHOOK_ENDPOINTS} webhook endpoints: remove one first.`,
      );
    const { record, created } = await this.createRecord(decision.next, {
      ...decision,
      idempotency: opts.idempotency,
    });
    return { endpoint: { ...webhookEndpointView(record), secret: record.secret }, created };
  }

  /** Every endpoint, oldest first (at most `MAX_WEBHOOK_ENDPOINTS`, so one page). */
  async list(page: PageRequest): Promise<Page<WebhookEndpoint>> {
    const out = await this.queryIndex('all', [], page);
    return { ...out, items: out.items.map(webhookEndpointView) };
  }

  /** The enabled endpoints that take events of `type`: whom a publish delivers to. */
  async subscribedTo(type: string): Promise<WebhookEndpointRecord[]> {
    const out = await this.queryIndex('all', [], { limit: MAX_WEBHOOK_ENDPOINTS + 1 });
    return out.items.filter((e) => endpointTakes(e, type));
  }

  async view(id: string): Promise<WebhookEndpoint> {
    return webhookEndpointView(await this.require(id));
  }

  async edit(
    id: string,
    patch: WebhookEndpointPatch,
    expectedVersion: number,
    policy: WebhookUrlPolicy,
  ): Promise<WebhookEndpoint> {
    const current = await this.requireVersion(id, expectedVersion);
    const decision = decideWebhookEndpointEdit(
      current,
      patch,
      this.now().toISOString(),
      policy.allowLoopbackHttp,
    );
    return webhookEndpointView(decision ? await this.save(current, decision.next, decision) : current);
  }

  /** A new secret, answered once; the previous one keeps signing beside it for a day. */
  async rotateSecret(id: string, expectedVersion: number): Promise<WebhookEndpointWithSecret> {
    const current = await this.requireVersion(id, expectedVersion);
    const decision = decideWebhookSecretRotation(current, generateWebhookSecret(), this.now());
    const saved = await this.save(current, decision.next, decision);
    return { ...webhookEndpointView(saved), secret: saved.secret };
  }

  /** Removes the endpoint (its audit entries stay); deliveries already made stay readable. */
  async remove(id: string, expectedVersion: number): Promise<void> {
    const current = await this.requireVersion(id, expectedVersion);
    const at = this.now().toISOString();
    await this.t.transact([
      {
        delete: this.key(id),
        condition: 'version = :v',
        values: { ':v': current.version },
        onConditionFailed: (stored) =>
          new VersionConflictError(WEBHOOK_ENDPOINT.label, id, stored?.version as number | undefined),
      },
      auditOp(
        this.t,
        this.ctx,
        this.partition(id),
        { action: 'remove', entity: 'webhookEndpoint', entityId: id, changes: [] },
        at,
      ),
    ]);
  }
}
