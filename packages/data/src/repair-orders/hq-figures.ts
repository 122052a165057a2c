import {
  type DailyAmount,
  deliveredOnTime,
  firstTimeFix,
  keptDays,
  labourOf,
  Payer,
  REPAIR_ORDERS,
  type RevenueFigure,
  revenueFigure,
  revenueOf,
  technicianLabour,
} from '@aftersales/domain';
import { declareFigureCounting, everyItem } from '../platform/figures.ts';
import { RepairOrders } from './repair-orders.ts';

const OPENED = REPAIR_ORDERS.figures!.figures.repairOrdersOpenedLast30Days.daily;

/**
 * The repair orders' HQ figures from the records: the orders changed within the kept days (their
 * `touched` index, so the read is bounded by the window's activity, not by the store's history), each
 * counted as its events would have: opened (and a comeback) when created, revenue per payer when
 * settled, the delivery's on-time, first-time fix and labour when delivered. What happened after
 * `countedUntil` is left to its events.
 */
declareFigureCounting(REPAIR_ORDERS, async (store, { now, countedUntil }) => {
  const since = new Date(now.getTime() - (keptDays(OPENED.days) + 1) * 86_400_000).toISOString();
  const opened: string[] = [];
  const comebacks: string[] = [];
  const delivered: string[] = [];
  const onTime: string[] = [];
  const fixedFirstTime: string[] = [];
  const flat: DailyAmount[] = [];
  const clocked: DailyAmount[] = [];
  const revenue = new Map<RevenueFigure, DailyAmount[]>();
  const counted = (at: string | undefined): at is string => at !== undefined && at <= countedUntil;
  for await (const ro of everyItem((cursor) =>
    store.repo(RepairOrders).touchedSince(since, { limit: 100, cursor }),
  )) {
    if (counted(ro.createdAt)) {
      opened.push(ro.createdAt);
      if (ro.comebackOf) comebacks.push(ro.createdAt);
    }
    const settledAt = ro.settlement?.settledBy.at;
    if (ro.settlement && counted(settledAt))
      for (const [figure, amount] of Object.entries(revenueOf(ro.settlement.shares, settledAt)))
        revenue.set(figure as RevenueFigure, [...(revenue.get(figure as RevenueFigure) ?? []), amount]);
    const at = ro.deliveredAt;
    if (!counted(at)) continue;
    delivered.push(at);
    if (deliveredOnTime(ro, at)) onTime.push(at);
    if (firstTimeFix(ro)) fixedFirstTime.push(at);
    const labour = labourOf(technicianLabour(ro, at));
    if (labour.flat) flat.push({ at, amount: labour.flat });
    if (labour.clocked) clocked.push({ at, amount: labour.clocked });
  }
  return {
    ...(Object.fromEntries(
      Payer.options.map((p) => [revenueFigure(p), revenue.get(revenueFigure(p)) ?? []]),
    ) as Record<RevenueFigure, DailyAmount[]>),
    repairOrdersOpenedLast30Days: opened,
    repairOrdersDeliveredLast30Days: delivered,
    deliveredOnTimeLast30Days: onTime,
    firstTimeFixesLast30Days: fixedFirstTime,
    flatRateTenthsLast30Days: flat,
    clockedMinutesLast30Days: clocked,
    comebacksLast30Days: comebacks,
  };
});
