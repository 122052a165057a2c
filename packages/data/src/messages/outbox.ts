import {
  ConflictError,
  type MessageProvider,
  MessageRequest,
  type MessageStatus,
  newEvent,
  newId,
  OutboundMessage,
  purposeOf,
  renderMessage,
  type SuppressionReason,
} from '@aftersales/domain';
import { AggregateRepository, defineAggregate } from '../platform/aggregate.ts';
import { cancelDue, scheduleDue } from '../platform/due.ts';
import { eventOp } from '../platform/events.ts';
import type { Page, PageRequest, TenantContext, TenantTable, TxOp } from '../platform/tenant-table.ts';
import { MESSAGE_DUE } from './due.ts';

/**
 * The caller's transaction holds a message its `dedupeKey` already named: 409, and the first message's
 * id, so the caller can tell its change was a repeat.
 */
export class MessageAlreadyQueuedError extends ConflictError {
  constructor(
    readonly dedupeKey: string,
    readonly messageId: string | undefined,
  ) {
    super(409, 'MESSAGE_ALREADY_QUEUED', `A message with key ${dedupeKey} is already in the outbox.`, {
      dedupeKey,
      messageId,
    });
  }
}

/** A status change found the message no longer queued (sent, suppressed or cancelled meanwhile). */
export class MessageNotQueuedError extends ConflictError {
  constructor(messageId: string) {
    super(409, 'MESSAGE_NOT_QUEUED', `Message ${messageId} is no longer queued.`, { messageId });
  }
}

/**
 * 消息, one item per message. Keys, all from this declaration:
 * - message      pk `<t>#MSG#<id>` sk `#MSG`; gsi1 `<t>#MSGS` / `<createdAt>#<id>` (the store's, newest first)
 * - by status    gsi3 `<t>#MSGSTATUS#<status>` / `<createdAt>#<id>` (moves with the status)
 * - by customer  gsi2 `<t>#MSGCUST#<customerId>` / `<createdAt>#<id>` (sparse: messages to a customer)
 * - dedupe guard pk `<t>#MSGKEY#<dedupeKey>` sk `#MSGKEY`: one message per caller's key
 * - events       pk `<t>#MSG#<id>` sk `~EVT#…`; due job (`MESSAGE_DUE`) keyed by the message id
 */
export const MESSAGE = defineAggregate({
  name: 'message',
  label: 'Message',
  idParam: 'messageId',
  prefix: 'MSG',
  recordSk: '#MSG',
  schema: OutboundMessage,
  indexes: {
    byTime: { index: 'gsi1', prefix: 'MSGS', key: (m) => ({ pk: [], sk: `${m.createdAt}#${m.id}` }) },
    byStatus: {
      index: 'gsi3',
      prefix: 'MSGSTATUS',
      key: (m) => ({ pk: [m.status], sk: `${m.createdAt}#${m.id}` }),
    },
    byCustomer: {
      index: 'gsi2',
      prefix: 'MSGCUST',
      key: (m) => (m.customerId ? { pk: [m.customerId], sk: `${m.createdAt}#${m.id}` } : undefined),
    },
  },
  lookups: {
    dedupe: {
      prefix: 'MSGKEY',
      type: 'MessageDedupeGuard',
      unique: (dedupeKey, holderId) => new MessageAlreadyQueuedError(dedupeKey, holderId),
    },
  },
});

/** What `enqueueOps` gives the caller: the message as it will be stored, and the operations that store it. */
export interface QueuedMessage {
  message: OutboundMessage;
  ops: TxOp[];
}

/**
 * The outbox: every capability's repository queues a message here, in its own transaction
 * (`enqueueOps`) or on its own (`enqueue`). A message due now is written with `message.queued`, which
 * the router hands to the Messages queue; one due later (`sendAfter`) with a due job the sweeper hands
 * to the same queue at its time. The consumer (`deliverMessage`) decides, sends and records.
 */
export class Outbox extends AggregateRepository<typeof MESSAGE> {
  constructor(t: TenantTable, ctx: TenantContext) {
    super(t, ctx, MESSAGE);
  }

  /**
   * The message and its operations, for the transaction of the change that causes it (a booking and
   * its confirmation). With a `dedupeKey` another message holds, that transaction fails with
   * `MessageAlreadyQueuedError`.
   */
  enqueueOps(request: MessageRequest): QueuedMessage {
    const r = MessageRequest.parse(request);
    const now = this.now();
    const at = now.toISOString();
    const message = OutboundMessage.parse({
      id: newId('msg', now.getTime()),
      storeId: this.t.tenantId,
      channel: 'sms',
      to: r.to,
      customerId: r.customerId,
      template: r.template,
      locale: r.locale,
      params: r.params,
      text: renderMessage(r.template, r.locale, r.params, r.store),
      purpose: purposeOf(r.template),
      timeZone: r.store.timeZone,
      status: 'queued',
      sendAfter: r.sendAfter,
      notAfter: r.notAfter,
      attempts: 0,
      dedupeKey: r.dedupeKey,
      consentGiven: r.consentGiven,
      createdAt: at,
      updatedAt: at,
    });
    const ops: TxOp[] = [{ put: this.toItem(message), condition: 'attribute_not_exists(pk)' }];
    if (r.dedupeKey) ops.push(this.guardOp('dedupe', r.dedupeKey, message.id));
    const later = r.sendAfter !== undefined && Date.parse(r.sendAfter) > now.getTime();
    ops.push(
      later
        ? this.dueOp(message.id, new Date(r.sendAfter as string))
        : this.eventOp(message, newEvent('message.queued', 'message', message.id, this.ref(message))),
    );
    return { message, ops };
  }

  /**
   * Queues a message in a transaction of its own. The same `dedupeKey` again returns the first message
   * (`created: false`), whatever became of it.
   */
  async enqueue(request: MessageRequest): Promise<{ message: OutboundMessage; created: boolean }> {
    const { message, ops } = this.enqueueOps(request);
    try {
      await this.t.transact(ops);
      return { message, created: true };
    } catch (e) {
      if (!(e instanceof MessageAlreadyQueuedError) || !e.messageId) throw e;
      return { message: await this.require(e.messageId), created: false };
    }
  }

  /** The message a `dedupeKey` named, if any (one GetItem, then one for the message). */
  async byDedupeKey(dedupeKey: string): Promise<OutboundMessage | undefined> {
    const [id] = await this.lookup('dedupe', dedupeKey);
    return id ? this.get(id) : undefined;
  }

  /**
   * The operations that cancel the still-queued message of `dedupeKey` (suppressed `cancelled`, its due
   * job deleted, the key freed so a booking moved back to the same time can queue it again), for the
   * transaction of the change that makes it unwanted (a booking moved or cancelled). Nothing when there
   * is none or it already went (a sent message keeps its key: it is not sent twice).
   */
  async cancelOps(dedupeKey: string): Promise<TxOp[]> {
    const message = await this.byDedupeKey(dedupeKey);
    if (message?.status !== 'queued') return [];
    const guard = this.guardOp('dedupe', dedupeKey, message.id);
    return [
      ...this.transitionOps(message, 'suppressed', { reason: 'cancelled' }),
      cancelDue(this.t, MESSAGE_DUE, message.id),
      ...('put' in guard ? [{ delete: { pk: guard.put.pk, sk: guard.put.sk } }] : []),
    ];
  }

  /** The store's messages, newest first (one Query a page); with `status`, only those (its own index). */
  list(page: PageRequest, status?: MessageStatus): Promise<Page<OutboundMessage>> {
    const range = { ...page, newestFirst: true };
    return status ? this.queryIndex('byStatus', [status], range) : this.queryIndex('byTime', [], range);
  }

  /** One customer's messages, newest first (one Query a page). */
  listByCustomer(customerId: string, page: PageRequest): Promise<Page<OutboundMessage>> {
    return this.queryIndex('byCustomer', [customerId], { ...page, newestFirst: true });
  }

  /** Recorded as sent by `provider`. */
  async markSent(
    message: OutboundMessage,
    provider: MessageProvider,
    providerMessageId: string,
    attempts: number,
  ): Promise<OutboundMessage> {
    const sentAt = this.now().toISOString();
    return this.transition(message, 'sent', { provider, providerMessageId, attempts, sentAt });
  }

  /** The last delivery failed: recorded with the provider's reason. */
  markFailed(message: OutboundMessage, error: string, attempts: number): Promise<OutboundMessage> {
    return this.transition(message, 'failed', { error: error.slice(0, 500), attempts });
  }

  suppress(message: OutboundMessage, reason: SuppressionReason): Promise<OutboundMessage> {
    return this.transition(message, 'suppressed', { reason });
  }

  /** Held back by quiet hours: still queued, due again at `until`. */
  async defer(message: OutboundMessage, until: string): Promise<OutboundMessage> {
    const next: OutboundMessage = { ...message, deferredUntil: until, updatedAt: this.now().toISOString() };
    await this.t.transact([this.conditionalPut(message, next), this.dueOp(message.id, new Date(until))]);
    return next;
  }

  private async transition(
    message: OutboundMessage,
    status: Exclude<MessageStatus, 'queued'>,
    fields: Partial<OutboundMessage>,
  ): Promise<OutboundMessage> {
    const ops = this.transitionOps(message, status, fields);
    await this.t.transact(ops);
    return { ...message, ...fields, status };
  }

  /** The message's move out of `queued`, with its event. */
  private transitionOps(
    message: OutboundMessage,
    status: Exclude<MessageStatus, 'queued'>,
    fields: Partial<OutboundMessage>,
  ): TxOp[] {
    const next: OutboundMessage = { ...message, ...fields, status, updatedAt: this.now().toISOString() };
    const ref = this.ref(message);
    const event =
      status === 'sent'
        ? newEvent('message.sent', 'message', message.id, {
            ...ref,
            provider: next.provider ?? 'local-outbox',
          })
        : status === 'suppressed'
          ? newEvent('message.suppressed', 'message', message.id, {
              ...ref,
              reason: next.reason ?? 'cancelled',
            })
          : newEvent('message.failed', 'message', message.id, ref);
    return [this.conditionalPut(message, next), this.eventOp(next, event)];
  }

  /** `next` in place of `current`, if nobody changed it since it was read and it is still queued. */
  private conditionalPut(current: OutboundMessage, next: OutboundMessage): TxOp {
    return {
      put: this.toItem(next),
      condition: '#status = :queued AND updatedAt = :read',
      names: { '#status': 'status' },
      values: { ':queued': 'queued', ':read': current.updatedAt },
      onConditionFailed: () => new MessageNotQueuedError(current.id),
    };
  }

  private ref(message: OutboundMessage) {
    return { messageId: message.id, template: message.template };
  }

  private dueOp(messageId: string, dueAt: Date): TxOp {
    return scheduleDue(this.t, this.ctx, { type: MESSAGE_DUE, id: messageId, dueAt, payload: { messageId } });
  }

  private eventOp(message: OutboundMessage, event: ReturnType<typeof newEvent>): TxOp {
    return eventOp(this.t, this.ctx, this.partition(message.id), event, message.updatedAt);
  }
}
