import { APPOINTMENTS, addDays, keptDays, wallClock } from '@aftersales/domain';
import { declareFigureCounting, everyItem } from '../platform/figures.ts';
import { Appointments } from './appointments.ts';

const KEPT = APPOINTMENTS.figures!.figures.appointmentsKeptLast30Days.daily;

/**
 * Kept bookings and no-shows from the records: the calendar index over the kept days (a day holds what
 * its capacity let in, so the read is bounded by days, not by the store's history). A final status is
 * never edited again, so its `updatedAt` is when the booking was kept or missed.
 */
declareFigureCounting(APPOINTMENTS, async (store, { now, countedUntil }) => {
  const today = wallClock(now, 'UTC').date;
  const from = addDays(today, -(keptDays(KEPT.days) + 1));
  const kept: string[] = [];
  const noShows: string[] = [];
  for await (const booking of everyItem((cursor) =>
    store.repo(Appointments).between(from, addDays(today, 1), { limit: 200, cursor }),
  )) {
    if (booking.updatedAt > countedUntil) continue;
    if (booking.status === 'checked_in') kept.push(booking.updatedAt);
    if (booking.status === 'no_show') noShows.push(booking.updatedAt);
  }
  return { appointmentsKeptLast30Days: kept, noShowsLast30Days: noShows };
});
