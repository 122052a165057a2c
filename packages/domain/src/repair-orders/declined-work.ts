import * as z from 'zod';
import { ValidationError } from '../platform/errors.ts';
import { Instant, RequiredText } from '../platform/fields.ts';
import { Payer } from '../setup/model.ts';
import { type DeclinedRef, LineTotals, type RepairOrder } from './model.ts';

/**
 * 未修项目: work the customer declined (a line they said no to), offered again when the car is next
 * checked in, until a later order takes it up. Worked out from the vehicle's recent orders, which one
 * Query reads; how far back is {@link DECLINED_LOOKBACK_ORDERS}.
 */

/** The vehicle's latest orders whose declined work is still offered: the customer's last few visits. */
export const DECLINED_LOOKBACK_ORDERS = 10;

export const DeclinedWork = z.object({
  repairOrderId: RequiredText,
  lineId: RequiredText,
  complaint: z.string(),
  correction: z.string().optional(),
  payer: Payer,
  /** The line's price in the last quote that offered it. */
  totals: LineTotals.optional(),
  /** When the customer declined it (the approval that recorded it). */
  declinedAt: Instant,
});
export type DeclinedWork = z.infer<typeof DeclinedWork>;

const refKey = (r: DeclinedRef) => `${r.repairOrderId}#${r.lineId}`;

/**
 * The declined lines of `orders` (a vehicle's, newest first) that no order has taken up again since
 * (a concern's `declinedFrom`); a line declined and later approved is no longer declined.
 */
export function declinedWorkOf(orders: readonly RepairOrder[]): DeclinedWork[] {
  const taken = new Set(
    orders.flatMap((o) => o.concerns.flatMap((c) => (c.declinedFrom ? [refKey(c.declinedFrom)] : []))),
  );
  return orders.flatMap((ro) =>
    ro.lines.flatMap((line): DeclinedWork[] => {
      if (line.status !== 'declined' || taken.has(refKey({ repairOrderId: ro.id, lineId: line.id })))
        return [];
      const approval = ro.approvals.findLast((a) => a.declinedLineIds.includes(line.id));
      const quoted = ro.quotes.findLast((q) => q.lines.some((l) => l.lineId === line.id && l.offered));
      const totals = quoted?.lines.find((l) => l.lineId === line.id)?.totals;
      return [
        {
          repairOrderId: ro.id,
          lineId: line.id,
          complaint: line.complaint,
          ...(line.correction ? { correction: line.correction } : {}),
          payer: line.payer,
          ...(totals ? { totals } : {}),
          declinedAt: approval?.at ?? ro.updatedAt,
        },
      ];
    }),
  );
}

/**
 * A concern that takes up declined work names work still on offer for this vehicle; anything else is a
 * 400 `DECLINED_WORK_NOT_FOUND` on its `declinedFrom` (another car's, taken up already, or made up).
 */
export function requireDeclinedOnOffer(
  concerns: readonly { declinedFrom?: DeclinedRef | undefined }[],
  offered: readonly DeclinedWork[],
): void {
  const open = new Set(offered.map(refKey));
  const errors = concerns.flatMap((c, i) =>
    c.declinedFrom && !open.has(refKey(c.declinedFrom))
      ? [
          {
            path: `concerns.${i}.declinedFrom`,
            code: 'DECLINED_WORK_NOT_FOUND',
            message: 'No declined work of this vehicle is on offer by that reference.',
          },
        ]
      : [],
  );
  if (errors.length > 0) throw new ValidationError(errors);
}
