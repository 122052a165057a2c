/**
 * A store's wall clock: its days (`YYYY-MM-DD`) and times (`HH:MM`) in its IANA zone, and the instants
 * they are. Bookings, opening hours and quiet hours are all stated in store-local time; what is stored
 * and compared is the instant.
 */

const DAY_MS = 86_400_000;
/** One formatter per zone: building an `Intl.DateTimeFormat` costs far more than using one. */
const formats = new Map<string, Intl.DateTimeFormat>();

function formatOf(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formats.set(timeZone, format);
  }
  return format;
}

/** The store-local day and time of an instant. */
export function wallClock(instant: Date | string, timeZone: string): { date: string; time: string } {
  const parts = formatOf(timeZone).formatToParts(typeof instant === 'string' ? new Date(instant) : instant);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '00';
  return {
    date: `${part('year')}-${part('month')}-${part('day')}`,
    time: `${part('hour')}:${part('minute')}`,
  };
}

/** Minutes the zone is ahead of UTC at `instant`. */
function offsetMinutes(instant: number, timeZone: string): number {
  const { date, time } = wallClock(new Date(instant), timeZone);
  const seconds = new Date(instant).getUTCSeconds();
  const asUtc = Date.parse(`${date}T${time}:${String(seconds).padStart(2, '0')}Z`);
  return Math.round((asUtc - (instant - (instant % 1000))) / 60_000);
}

/**
 * The instant a store-local day and time is. A time skipped by a daylight-saving jump resolves to the
 * instant after the jump; a repeated one to its first occurrence (China keeps no DST; the EU and US do).
 */
export function zonedInstant(date: string, time: string, timeZone: string): Date {
  const guess = Date.parse(`${date}T${time}:00Z`);
  const first = guess - offsetMinutes(guess, timeZone) * 60_000;
  const second = guess - offsetMinutes(first, timeZone) * 60_000;
  const exact = [first, second].filter((t) => wallClock(new Date(t), timeZone).time === time);
  // Both read back as `time` in a repeated hour (take the first); neither does in a skipped one (the later).
  return new Date(exact.length > 0 ? Math.min(...exact) : Math.max(first, second));
}

/** `date` moved by `days` calendar days. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type WeekdayKey = (typeof WEEKDAYS)[number];

/** The weekday of a calendar day (the same in every zone). */
export function weekdayOf(date: string): WeekdayKey {
  return WEEKDAYS[new Date(`${date}T00:00:00Z`).getUTCDay()]!;
}

/** Minutes since midnight of an `HH:MM` time. */
export function minutesOf(time: string): number {
  const [h, m] = time.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** `start` plus whole months, as a calendar day (the 31st of a short month falls on its last day). */
export function addMonths(start: string, months: number): string {
  const [y, m, d] = start.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}
