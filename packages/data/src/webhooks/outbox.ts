import { createHash } from 'node:crypto';
import type { Actor } from '@aftersales/domain';
import { newWebhookDelivery, type WebhookPublication } from '@aftersales/domain/webhooks';
import { requireEnv } from '@aftersales/runtime';
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { sqsClient } from '../platform/clients.ts';
import { type DueMessage, QUEUES, queueUrlEnv } from '../platform/table.ts';
import type { TenantContext, TenantTable } from '../platform/tenant-table.ts';
import { WEBHOOK_SENDER, WebhookDeliveries } from './deliveries.ts';
import { WEBHOOK_DELIVERY_DUE } from './due.ts';
import { WebhookEndpoints } from './endpoints.ts';

/**
 * 推送出口: how a capability hands an OEM-visible event to the OEM's webhook endpoints.
 *
 * The lead's claims projector (or any writer holding a session on the OEM's partition) calls, once per
 * state change it projects:
 *
 * ```ts
 * const oem = data.forTenant({ tenantId: oemId, actor }); // the OEM projection's session
 * await WebhookOutbox.publish(oem, {
 *   eventId: event.id,              // the domain event's id: stable across retries of the projector
 *   type: 'claim.accepted',         // full-stop delimited; endpoints may filter on it
 *   occurredAt: event.at,
 *   data: { claimId, storeId, status, … },     // what the OEM may see (thin is better)
 *   subject: { storeId, id: claimId },         // the store then sees the delivery's status too
 * });
 * ```
 *
 * For each enabled endpoint of the OEM subscribed to `type`, one delivery item (id from eventId and
 * endpointId, created only if absent: a retried publish never duplicates) with its backstop due job, then
 * one message per delivery on the WebhookDeliveries queue. A publish that dies after writing sends
 * nothing more: the backstop (5 minutes) makes the first attempt instead. The store's copy appears with
 * the first attempt (the consumer writes it through a session of the store).
 */
export const WebhookOutbox = {
  async publish(
    tenant: { table: TenantTable; now: () => Date },
    event: WebhookPublication,
    actor: Actor = WEBHOOK_SENDER,
  ): Promise<{ deliveryIds: string[] }> {
    const ctx: TenantContext = { tenantId: tenant.table.tenantId, actor, now: tenant.now };
    const endpoints = await new WebhookEndpoints(tenant.table, ctx).subscribedTo(event.type);
    const deliveries = new WebhookDeliveries(tenant.table, ctx);
    const at = tenant.now().toISOString();
    const opened = [];
    for (const endpoint of endpoints) {
      const d = newWebhookDelivery(event, {
        id: webhookDeliveryId(event.eventId, endpoint.id),
        oemId: ctx.tenantId,
        endpointId: endpoint.id,
        at,
      });
      // Already there: a retried publish. Its first attempt is sent again; the attempt number makes
      // that harmless (an attempt already made does nothing).
      await deliveries.open(d);
      opened.push(d);
    }
    await sendAttempts(
      opened.map((d) => ({ tenantId: ctx.tenantId, deliveryId: d.id, attempt: 1, delaySeconds: 0, at })),
      actor,
    );
    return { deliveryIds: opened.map((d) => d.id) };
  },
};

/** The delivery of one event to one endpoint: the same ids give the same delivery, always. */
export function webhookDeliveryId(eventId: string, endpointId: string): string {
  const digest = createHash('sha256').update(`${eventId}\n${endpointId}`).digest('base64url');
  return `whd_${digest.slice(0, 32)}`;
}

export interface AttemptMessage {
  tenantId: string;
  deliveryId: string;
  attempt: number;
  /** 0 to 900 (SQS's maximum delay). */
  delaySeconds: number;
  at: string;
}

/**
 * Sends attempts to the WebhookDeliveries queue, each a due message of `WEBHOOK_DELIVERY_DUE` (the
 * shape the sweeper sends for longer waits) whose id names the delivery and attempt: the consumer runs
 * once per id, so the same attempt sent twice is made once.
 */
export async function sendAttempts(messages: readonly AttemptMessage[], actor: Actor): Promise<void> {
  const url = requireEnv(queueUrlEnv(QUEUES.webhookDeliveries));
  for (let i = 0; i < messages.length; i += 10) {
    const entries = messages.slice(i, i + 10).map((m, j) => {
      const body: DueMessage = {
        id: `${WEBHOOK_DELIVERY_DUE.name}#${m.deliveryId}#${m.attempt}`,
        tenantId: m.tenantId,
        type: WEBHOOK_DELIVERY_DUE.name,
        jobId: m.deliveryId,
        dueAt: m.at,
        actor,
        payload: { deliveryId: m.deliveryId, attempt: m.attempt },
      };
      return {
        Id: String(j),
        MessageBody: JSON.stringify(body),
        DelaySeconds: Math.min(900, Math.max(0, Math.round(m.delaySeconds))),
      };
    });
    const out = await sqsClient().send(new SendMessageBatchCommand({ QueueUrl: url, Entries: entries }));
    if (out.Failed?.length)
      throw new Error(`SQS refused ${out.Failed.length} webhook attempt(s): ${out.Failed[0]?.Message ?? ''}`);
  }
}
