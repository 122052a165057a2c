import { decideDelivery, type OutboundMessage } from '@aftersales/domain';
import type { TenantData } from '../index.ts';
import { MessageNotQueuedError, Outbox } from './outbox.ts';
import type { MessageSender } from './sender.ts';

export interface DeliveryAttempt {
  /** The time the work is for: the sweep's time for a due message, the clock's otherwise. */
  now: Date;
  /** This delivery of the queue message (1 on the first). */
  attempt: number;
  /** The queue's last delivery: a send that fails then marks the message failed instead of retrying. */
  lastAttempt: number;
}

export type DeliveryOutcome = OutboundMessage['status'] | 'deferred' | 'unchanged';

/**
 * 发送: what the Messages consumer does with one message. Consent (read from the customer now, not
 * when it was queued) and quiet hours decide whether it goes now, later or never; then the sender
 * sends it and the outbox records how it went. Safe to run again: a message no longer queued is left.
 * A crash between the provider's answer and the record sends it again (at least once, as SMS goes).
 */
export async function deliverMessage(
  tenant: TenantData,
  messageId: string,
  sender: MessageSender,
  run: DeliveryAttempt,
): Promise<DeliveryOutcome> {
  const outbox = tenant.repo(Outbox);
  const message = await outbox.get(messageId);
  if (message?.status !== 'queued') return 'unchanged';
  try {
    const customer = message.customerId ? await tenant.customers.get(message.customerId) : undefined;
    const decision = decideDelivery(message, { now: run.now, consentToMessages: customer?.consent.messages });
    if (decision.kind === 'suppress') return (await outbox.suppress(message, decision.reason)).status;
    if (decision.kind === 'defer') {
      await outbox.defer(message, decision.until);
      return 'deferred';
    }
    let providerMessageId: string;
    try {
      ({ providerMessageId } = await sender.send(message));
    } catch (e) {
      if (run.attempt < run.lastAttempt) throw e;
      return (await outbox.markFailed(message, e instanceof Error ? e.message : String(e), run.attempt))
        .status;
    }
    return (await outbox.markSent(message, sender.provider, providerMessageId, run.attempt)).status;
  } catch (e) {
    // Cancelled or handled by another delivery meanwhile: nothing left to do.
    if (e instanceof MessageNotQueuedError) return 'unchanged';
    throw e;
  }
}
