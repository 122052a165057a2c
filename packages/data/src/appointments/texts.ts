import {
  type Appointment,
  bookingTextKey,
  type DomainEvent,
  type MessageTemplate,
  REMINDER_TEMPLATES,
  wantedTexts,
} from '@aftersales/domain';
import type { TenantData } from '../index.ts';
import { MessageNotQueuedError, Outbox } from '../messages/outbox.ts';
import { Appointments } from './appointments.ts';

/** Statuses whose texts are still to come: every other status has ended the booking (and its reminders). */
const LIVE = new Set<Appointment['status']>(['requested', 'confirmed']);

export interface TextsOutcome {
  queued: MessageTemplate[];
  cancelled: number;
}

/**
 * Brings a booking's texts in line with the booking as it now is, after one of its events: reminders of
 * a slot it left (the event's `fromStartsAt`) and, once it has ended, its pending reminders are cancelled;
 * the texts it wants are queued, each under its key (`bookingTextKey`), so a re-delivered or late event
 * queues nothing twice. The booking is read, not the event, so events may arrive in any order.
 */
export async function reconcileBookingTexts(
  tenant: TenantData,
  event: DomainEvent,
  store: { name: string; timeZone: string },
): Promise<TextsOutcome> {
  const data = event.data as { appointmentId?: unknown; fromStartsAt?: unknown };
  const outcome: TextsOutcome = { queued: [], cancelled: 0 };
  if (typeof data.appointmentId !== 'string') return outcome;
  const appointment = await tenant.repo(Appointments).get(data.appointmentId);
  if (!appointment) return outcome;
  const outbox = tenant.repo(Outbox);
  const keysOf = (startsAt: string) =>
    REMINDER_TEMPLATES.map((t) => bookingTextKey(appointment.id, t, startsAt));
  const stale = [
    ...(typeof data.fromStartsAt === 'string' && data.fromStartsAt !== appointment.startsAt
      ? keysOf(data.fromStartsAt)
      : []),
    ...(LIVE.has(appointment.status) ? [] : keysOf(appointment.startsAt)),
  ];
  for (const key of stale) {
    const ops = await outbox.cancelOps(key);
    if (ops.length === 0) continue;
    try {
      await tenant.table.transact(ops);
      outcome.cancelled++;
    } catch (e) {
      // Sent (or cancelled) meanwhile: nothing is left to cancel.
      if (!(e instanceof MessageNotQueuedError)) throw e;
    }
  }
  const wanted = wantedTexts(appointment, tenant.now());
  if (wanted.length === 0) return outcome;
  const recipient = await recipientOf(tenant, appointment);
  if (!recipient) return outcome;
  for (const text of wanted) {
    const { created } = await outbox.enqueue({
      ...recipient,
      template: text.template,
      params: { at: appointment.startsAt },
      store,
      dedupeKey: bookingTextKey(appointment.id, text.template, appointment.startsAt),
      notAfter: text.notAfter,
      ...(text.sendAfter ? { sendAfter: text.sendAfter } : {}),
    });
    if (created) outcome.queued.push(text.template);
  }
  return outcome;
}

/**
 * Who a booking's texts go to: the registry customer's mobile (their consent read when each is sent),
 * or a public request's own phone with the consent ticked on the page.
 */
async function recipientOf(tenant: TenantData, appointment: Appointment) {
  if (appointment.customerId) {
    const customer = await tenant.customers.get(appointment.customerId);
    const phone = customer?.phones.find((p) => p.label === 'mobile') ?? customer?.phones[0];
    if (!customer || !phone) return undefined;
    return { to: phone.number, customerId: customer.id, locale: 'zh-CN' as const };
  }
  const { contact } = appointment;
  if (!contact) return undefined;
  return { to: contact.phone, consentGiven: contact.messagesConsent, locale: contact.locale };
}
