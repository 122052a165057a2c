import type { MessageTemplate } from '../messages/model.ts';
import type { Appointment } from './model.ts';

/**
 * The texts a booking sends its customer (预约短信): a receipt of a request made on the public page; once
 * confirmed, the confirmation and the reminders one day and one hour before (DOMAIN.md: "one hour
 * before, confirm with the customer"). Which ones a booking wants follows from its current state alone,
 * so whoever reconciles them (the appointment-texts consumer) may see its events late or out of order.
 */
export interface BookingText {
  template: MessageTemplate;
  /** Held until then (a reminder); absent: now. */
  sendAfter?: string;
  /** Of no use after the slot has begun. */
  notAfter: string;
}

const HOUR_MS = 3_600_000;
const REMINDERS: readonly [MessageTemplate, number][] = [
  ['appointment.reminderDay', 24 * HOUR_MS],
  ['appointment.reminderHour', HOUR_MS],
];

/** The texts a moved or ended booking cancels: its reminders (a receipt or confirmation has gone at once). */
export const REMINDER_TEMPLATES: readonly MessageTemplate[] = REMINDERS.map(([template]) => template);

/**
 * The texts a booking wants at `now`. A reminder whose time has already passed is not wanted (a booking
 * confirmed for this afternoon gets no "tomorrow" reminder; one already sent stays sent).
 */
export function wantedTexts(
  appointment: Pick<Appointment, 'status' | 'channel' | 'startsAt'>,
  now: Date,
): BookingText[] {
  const { startsAt } = appointment;
  if (appointment.status === 'requested')
    return appointment.channel === 'online'
      ? [{ template: 'appointment.requested', notAfter: startsAt }]
      : [];
  if (appointment.status !== 'confirmed') return [];
  const slot = Date.parse(startsAt);
  return [
    { template: 'appointment.confirmed', notAfter: startsAt },
    ...REMINDERS.filter(([, before]) => slot - before > now.getTime()).map(([template, before]) => ({
      template,
      sendAfter: new Date(slot - before).toISOString(),
      notAfter: startsAt,
    })),
  ];
}

/** One text of one booking for one slot: a repeat of it is the same message; a new slot, a new one. */
export function bookingTextKey(appointmentId: string, template: MessageTemplate, startsAt: string): string {
  return `appointment#${appointmentId}#${template}#${startsAt}`;
}
