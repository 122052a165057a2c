import { type FieldError, ValidationError } from '../platform/errors.ts';
import type { JobLine, JobLineStatus, LemonLawDays, RepairOrder } from '../repair-orders/model.ts';
import type { Payer } from '../setup/model.ts';
import type { RepairVisit } from './model.ts';
import { grossRepairDays } from './rules.ts';

/** The payers whose lines are the maker's responsibility: what the 三包 counters count. */
const WARRANTY_PAYERS: ReadonlySet<Payer> = new Set(['warranty', 'goodwill']);

/** Lines never worked on: offered and not (yet) approved, or declined. */
const NOT_WORKED: ReadonlySet<JobLineStatus> = new Set(['proposed', 'awaiting_approval', 'declined']);

const counts = (line: Pick<JobLine, 'payer' | 'status'>) =>
  WARRANTY_PAYERS.has(line.payer) && !NOT_WORKED.has(line.status);

/**
 * A 三包 visit: the order has warranty or goodwill work that was done, so its delivery states the days
 * the counters leave out (the delivery form asks for them only then).
 */
export function isLemonLawVisit(order: { lines: readonly Pick<JobLine, 'payer' | 'status'>[] }): boolean {
  return order.lines.some(counts);
}

/**
 * The instant the order was ready for pick-up (通知取车). The order keeps no time of its move to `ready`,
 * but it moves there when the last approved line passes its final check (总检), and each check keeps its
 * time: so the latest passed final check is that moment. An order without one (written before checks
 * were recorded) falls back to its settlement, then its delivery: later than the notice, never earlier.
 */
export function readyAt(order: RepairOrder): string | undefined {
  const finals = order.lines
    .filter((l) => l.status !== 'declined')
    .flatMap((l) => l.checks.filter((c) => c.stage === 'final' && c.passed).map((c) => c.by.at));
  const latest = finals.sort().at(-1);
  return latest ?? order.settlement?.settledBy.at ?? order.deliveredAt;
}

/** Warranty or goodwill lines worked on but without a coded fault: the 三包 counters cannot see them. */
export function uncodedWarrantyLines(order: RepairOrder): string[] {
  return order.lines.filter((l) => counts(l) && !l.fault).map((l) => l.id);
}

/**
 * The visit's span as the counters count it: from the order's opening at reception, where the customer
 * signs the 委托书, to the pick-up notice `ready` (`readyAt`), never before the signing.
 */
function visitSpan(order: RepairOrder, ready: string): { signedAt: string; pickupNoticeAt: string } {
  const signedAt = order.createdAt;
  return { signedAt, pickupNoticeAt: Date.parse(ready) < Date.parse(signedAt) ? signedAt : ready };
}

/**
 * 一次三包维修 from a delivered order: its warranty and goodwill lines that were worked on, each with its
 * coded fault (lines without one are left out: `uncodedWarrantyLines` lists them for the advisor), over
 * `visitSpan`, less the days the advisor stated at delivery (`delivery.lemonLaw`, 三包除外天数; none
 * stated, or an order delivered before they were recorded, counts 0). Undefined for an order not
 * delivered: its facts may still change.
 */
export function repairVisitOf(order: RepairOrder): RepairVisit | undefined {
  const ready = readyAt(order);
  if (order.status !== 'delivered' || !ready) return undefined;
  const days = order.delivery?.lemonLaw;
  return {
    repairOrderId: order.id,
    ...visitSpan(order, ready),
    odometerKm: order.odometerKm,
    problems: order.lines.filter(counts).flatMap((l) => (l.fault ? [l.fault] : [])),
    excludedWaitDays: days?.excludedPartWaitDays ?? 0,
    batteryShippingDays: days?.batteryShippingDays ?? 0,
    loanerDays: days?.loanerDays ?? 0,
  };
}

/**
 * 三包除外天数 the visit can hold, checked when the advisor states them at delivery (`at`):
 * - the excluded waits together (parts and battery shipping) are at most the visit's repair days as the
 *   counters count them (`grossRepairDays` over `visitSpan`); at exactly those days the visit still
 *   counts 1 day (`countedRepairDays`), beyond is a 400 `LEMON_LAW_DAYS_EXCEED_VISIT` on `lemonLaw`;
 * - loaner days are at most the calendar days the car was away, from its opening to this delivery (a
 *   loaner stays out until the car is collected, past the pick-up notice): its started 24-hour periods
 *   plus 1, since a stay from 17:00 to the next morning is 1 period over 2 days. Beyond is a 400
 *   `LEMON_LAW_LOANER_DAYS_EXCEED_STAY` on `lemonLaw.loanerDays`.
 */
export function requireLemonLawDaysWithinVisit(order: RepairOrder, days: LemonLawDays, at: string): void {
  // Settled before delivery, so `readyAt` has at least the settlement; `at` stands in for an older order.
  const span = visitSpan(order, readyAt(order) ?? at);
  const visitDays = grossRepairDays(span.signedAt, span.pickupNoticeAt);
  const excluded = days.excludedPartWaitDays + days.batteryShippingDays;
  const stayDays = grossRepairDays(order.createdAt, at) + 1;
  const errors: FieldError[] = [];
  if (excluded > visitDays)
    errors.push({
      path: 'lemonLaw',
      code: 'LEMON_LAW_DAYS_EXCEED_VISIT',
      message: `The excluded waits (${excluded} days) exceed the visit's ${visitDays} repair days.`,
    });
  if (days.loanerDays > stayDays)
    errors.push({
      path: 'lemonLaw.loanerDays',
      code: 'LEMON_LAW_LOANER_DAYS_EXCEED_STAY',
      message: `A loaner for ${days.loanerDays} days is longer than the car's ${stayDays} days away.`,
    });
  if (errors.length) throw new ValidationError(errors);
}
