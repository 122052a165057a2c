import type { JobLine, JobLineStatus, RepairOrder } from '../repair-orders/model.ts';
import type { Payer } from '../setup/model.ts';
import type { RepairVisit } from './model.ts';

/** The payers whose lines are the maker's responsibility: what the 三包 counters count. */
const WARRANTY_PAYERS: ReadonlySet<Payer> = new Set(['warranty', 'goodwill']);

/** Lines never worked on: offered and not (yet) approved, or declined. */
const NOT_WORKED: ReadonlySet<JobLineStatus> = new Set(['proposed', 'awaiting_approval', 'declined']);

const counts = (line: JobLine) => WARRANTY_PAYERS.has(line.payer) && !NOT_WORKED.has(line.status);

/** What the order's visit adds to the days that only the store knows (the order does not record them). */
export interface VisitFacts {
  /** Days waiting for VIN-coded anti-theft parts or the main wiring harness. */
  excludedWaitDays: number;
  /** Days a loaner was lent (excluded by US-TX). */
  loanerDays: number;
  /** Days waiting for a power battery's shipping (excluded by CN-2022). */
  batteryShippingDays?: number;
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
 * 一次三包维修 from a delivered order: its warranty and goodwill lines that were worked on, each with its
 * coded fault (lines without one are left out: `uncodedWarrantyLines` lists them for the advisor). The
 * days run from the order's opening at reception, where the customer signs the 委托书, to `readyAt`.
 * Undefined for an order not delivered: its facts may still change.
 */
export function repairVisitOf(order: RepairOrder, facts: VisitFacts): RepairVisit | undefined {
  const ready = readyAt(order);
  if (order.status !== 'delivered' || !ready) return undefined;
  return {
    repairOrderId: order.id,
    signedAt: order.createdAt,
    pickupNoticeAt: Date.parse(ready) < Date.parse(order.createdAt) ? order.createdAt : ready,
    odometerKm: order.odometerKm,
    problems: order.lines.filter(counts).flatMap((l) => (l.fault ? [l.fault] : [])),
    excludedWaitDays: facts.excludedWaitDays,
    batteryShippingDays: facts.batteryShippingDays ?? 0,
    loanerDays: facts.loanerDays,
  };
}
