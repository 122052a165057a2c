import * as z from 'zod';
import { defineCapability } from '../platform/capability.ts';
import { Count, Instant, RequiredText, trimmedText } from '../platform/fields.ts';
import { TimeZone } from '../platform/tenancy.ts';
import { Phone } from '../registry/model.ts';

/**
 * 消息: the message outbox. Every text the product sends a customer (a booking's confirmation, its
 * reminders, a one-time code; later approval links and surveys) is one `OutboundMessage`, queued by the
 * capability that causes it, checked for consent and quiet hours when it is due, sent by one
 * `MessageSender`, and kept with its delivery status.
 */

/** The channels a message goes out on; WeChat template messages would be one more. */
export const MessageChannel = z.enum(['sms']);

/** 短信模板: every text the product can send, by key (texts in `rules.ts`). */
export const MessageTemplate = z.enum([
  'appointment.confirmed',
  'appointment.reminderDay',
  'appointment.reminderHour',
  /** 预约申请回执: the acknowledgement of a request made on the public booking page. */
  'appointment.requested',
  /** 验证码: the one-time code of the public booking page. */
  'booking.code',
  /** 远程确认: the one-time link to a repair order's quote. */
  'repairOrder.approvalLink',
]);
export type MessageTemplate = z.infer<typeof MessageTemplate>;

export const MessageLocale = z.enum(['zh-CN', 'en']);
export type MessageLocale = z.infer<typeof MessageLocale>;

/**
 * Why a message may be sent: `transactional`, something the person just asked for (a one-time code),
 * goes out at any hour without marketing consent; `service` (reminders, confirmations) needs the
 * customer's message consent and waits out quiet hours.
 */
export const MessagePurpose = z.enum(['transactional', 'service']);
export type MessagePurpose = z.infer<typeof MessagePurpose>;

/** queued → sent | failed | suppressed; a deferred message stays queued with `deferredUntil`. */
export const MessageStatus = z.enum(['queued', 'sent', 'failed', 'suppressed']);
export type MessageStatus = z.infer<typeof MessageStatus>;

/**
 * Why a message was not sent: no consent to messages; `too_late`, quiet hours (or a late queue) would
 * deliver it after what it is about (`notAfter`); `cancelled` by its cause (a booking moved or cancelled).
 */
export const SuppressionReason = z.enum(['no_consent', 'too_late', 'cancelled']);
export type SuppressionReason = z.infer<typeof SuppressionReason>;

/** The sender that handled a message: the AWS SMS sender, or the local outbox that only records. */
export const MessageProvider = z.enum(['sms', 'local-outbox']);
export type MessageProvider = z.infer<typeof MessageProvider>;

/** Template parameters: short strings; times as ISO instants (rendered store-local). */
export const MessageParams = z.record(z.string().check(z.regex(/^[a-zA-Z]{1,30}$/)), trimmedText(200));
export type MessageParams = z.infer<typeof MessageParams>;

/** 短信: one message to a customer, with its delivery status. */
export const OutboundMessage = z.object({
  id: RequiredText,
  storeId: RequiredText,
  channel: MessageChannel,
  to: Phone.shape.number,
  customerId: RequiredText.optional(),
  template: MessageTemplate,
  locale: MessageLocale,
  params: MessageParams,
  text: RequiredText,
  purpose: MessagePurpose,
  /** The store's zone: quiet hours are store-local. */
  timeZone: TimeZone,
  status: MessageStatus,
  reason: SuppressionReason.optional(),
  /** When it was scheduled for (a reminder), absent when it was to go at once. */
  sendAfter: Instant.optional(),
  /** The latest useful delivery (the appointment a reminder is about): later, it is suppressed `too_late`. */
  notAfter: Instant.optional(),
  /** Set when quiet hours held it back: it goes at this time. */
  deferredUntil: Instant.optional(),
  attempts: Count,
  provider: MessageProvider.optional(),
  providerMessageId: RequiredText.optional(),
  /** Why the last attempt failed (the provider's words; never shown to customers). */
  error: trimmedText(500).optional(),
  /** The caller's key: the same key twice is one message. */
  dedupeKey: RequiredText.optional(),
  /**
   * Consent given with the request that caused the message (the public booking page's SMS box), for a
   * recipient with no customer record yet; a customer record's consent, read when sending, wins.
   */
  consentGiven: z.boolean().optional(),
  createdAt: Instant,
  updatedAt: Instant,
  sentAt: Instant.optional(),
});
export type OutboundMessage = z.infer<typeof OutboundMessage>;

/** A message as read: the phone masked for roles without `customer:contact`. */
export const MessageView = OutboundMessage.extend({
  toMasked: z.boolean().meta({ description: 'True when `to` shows only its last digits.' }),
});
export type MessageView = z.infer<typeof MessageView>;

/**
 * What a capability asks the outbox to send (`Outbox.enqueue`): the store's name and zone for the
 * text, `sendAfter` to schedule it (a reminder), `notAfter` for the latest it is still useful, and a
 * `dedupeKey` that makes a repeat the same message.
 */
export const MessageRequest = z.strictObject({
  to: Phone.shape.number,
  customerId: RequiredText.optional(),
  template: MessageTemplate,
  locale: MessageLocale.default('zh-CN'),
  params: MessageParams.default({}),
  store: z.strictObject({ name: RequiredText, timeZone: TimeZone }),
  dedupeKey: trimmedText(300, 1).optional(),
  consentGiven: z.boolean().optional(),
  sendAfter: Instant.optional(),
  notAfter: Instant.optional(),
});
export type MessageRequest = z.input<typeof MessageRequest>;

const MessageRef = { messageId: RequiredText, template: MessageTemplate };

/** 消息: who reads the outbox. Messages are written by the capabilities that cause them, never by a route. */
export const MESSAGES = defineCapability({
  // No audit entries: the message itself is the record of what was sent, with its status.
  aggregates: { message: [] },
  events: {
    /** A message to send now: the router hands it to the Messages queue. */
    'message.queued': z.object(MessageRef),
    'message.sent': z.object({ ...MessageRef, provider: MessageProvider }),
    'message.suppressed': z.object({ ...MessageRef, reason: SuppressionReason }),
    'message.failed': z.object(MessageRef),
  },
  permissions: {
    // Those who book and call customers answer "did they get the text?"; the number stays masked for
    // roles without customer:contact.
    'message:read': ['service_manager', 'front_desk_supervisor', 'service_advisor', 'customer_service'],
  },
});
