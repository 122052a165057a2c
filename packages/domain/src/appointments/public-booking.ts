import * as z from 'zod';
import { filledText, Instant, RequiredText } from '../platform/fields.ts';
import { addDays, minutesOf, zonedInstant } from '../platform/local-time.ts';
import { Holiday, LocalTime, OpeningHours, Paper, type StoreSetup } from '../setup/model.ts';
import { IsoDate, RequestContact } from './model.ts';
import { fits, openingOn } from './rules.ts';

/**
 * 在线预约: what a customer sees and sends on a store's public booking page, without signing in. Only
 * what any visitor may know: the store's face and its free slots — never its bookings or customers.
 */

/** The languages the public page speaks. */
export const PUBLIC_LANGUAGES = ['zh-CN', 'en'] as const;

/** The store's public face (门店信息): name, city, hours, the papers to bring (所需证件). */
export const PublicStore = z.object({
  storeId: RequiredText,
  name: RequiredText,
  city: z.string().optional(),
  timeZone: RequiredText,
  openingHours: OpeningHours,
  /** Days off in the weeks ahead. */
  holidays: z.array(Holiday),
  papers: z.array(Paper),
  languages: z.array(z.enum(PUBLIC_LANGUAGES)),
});
export type PublicStore = z.infer<typeof PublicStore>;

/** The longest stretch of free slots one request reads: two weeks, what the page offers. */
export const MAX_FREE_SLOT_DAYS = 14;

export const FreeSlotsQuery = z.strictObject({
  from: IsoDate,
  days: z.coerce
    .number()
    .check(z.int(), z.gte(1), z.lte(MAX_FREE_SLOT_DAYS))
    .default(7)
    .meta({ type: 'integer', minimum: 1, maximum: MAX_FREE_SLOT_DAYS, default: 7 }),
});

/** One day's free start times (空闲时段): on the half hour, no counts, no names. */
export const FreeDay = z.object({ date: IsoDate, times: z.array(LocalTime) });
export const FreeSlots = z.object({ days: z.array(FreeDay) });
export type FreeSlots = z.infer<typeof FreeSlots>;

/** A proof-of-work challenge (人机验证): sealed, expiring, single-use. */
export const BookingChallenge = z.object({
  challenge: RequiredText,
  /** Leading zero bits SHA-256(challenge + nonce) must have. */
  difficulty: z.int().check(z.gte(1), z.lte(32)),
  algorithm: z.literal('SHA-256'),
  expiresAt: Instant,
});
export type BookingChallenge = z.infer<typeof BookingChallenge>;

export const Proof = z.strictObject({
  challenge: z.string().check(z.minLength(1), z.maxLength(1000)),
  /** What the browser found: decimal digits. */
  nonce: z.string().check(z.regex(/^\d{1,16}$/, 'The nonce is decimal digits.')),
});
export type Proof = z.infer<typeof Proof>;

/** A customer's booking request (预约申请): who to call back, the slot, their words, the proof. */
export const PublicBookingRequest = z.strictObject({
  ...RequestContact.shape,
  date: IsoDate,
  time: LocalTime,
  concern: filledText(500, 'Tell us what the car needs.'),
  proof: Proof,
});
export type PublicBookingRequest = z.infer<typeof PublicBookingRequest>;

/** The answer to a request: the same for every customer, known to the store or not. */
export const BookingReceipt = z.object({
  reference: RequiredText,
  status: z.literal('requested'),
  date: IsoDate,
  time: LocalTime,
});
export type BookingReceipt = z.infer<typeof BookingReceipt>;

/** What a public request takes from its day: one general hour (the advisor adjusts it when confirming). */
export const PUBLIC_LOAD = { general: 10 } as const;

/** A store offers the page once its set-up is saved and it has a general bay to book. */
export function offersPublicBooking(setup: Pick<StoreSetup, 'version' | 'bays'>): boolean {
  return setup.version > 0 && setup.bays.some((b) => b.active && b.type === 'general');
}

const SLOT_MINUTES = 30;
const HOUR = 60;
const clock = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/**
 * A day's free start times: on the half hour, a whole hour before closing, ahead of `now`, on a day
 * with room for one general hour (capacity is counted per day, so a day with room is free all day).
 */
export function freeTimes(
  setup: Pick<StoreSetup, 'openingHours' | 'holidays' | 'timeZone'>,
  day: { date: string; capacity: Partial<Record<string, number>>; booked: Partial<Record<string, number>> },
  now: Date,
): string[] {
  const hours = openingOn(setup, day.date);
  if (!hours || !fits(day, PUBLIC_LOAD)) return [];
  const times: string[] = [];
  const open = Math.ceil(minutesOf(hours.open) / SLOT_MINUTES) * SLOT_MINUTES;
  for (let m = open; m + HOUR <= minutesOf(hours.close); m += SLOT_MINUTES) {
    const time = clock(m);
    if (zonedInstant(day.date, time, setup.timeZone).getTime() > now.getTime()) times.push(time);
  }
  return times;
}

/** The days of a free-slot request. */
export const freeSlotDates = (from: string, days: number) =>
  Array.from({ length: days }, (_, i) => addDays(from, i));

export { leadingZeroBits } from './proof-of-work.ts';
