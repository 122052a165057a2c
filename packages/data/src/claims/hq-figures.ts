import { CLAIMS, claimFigureHistory, type DailyAmount, keptDays } from '@aftersales/domain';
import { declareFigureCounting, everyItem } from '../platform/figures.ts';
import { Claims } from './claims.ts';

const FIGURES = CLAIMS.figures!.figures;
const SUBMITTED = FIGURES.claimsSubmittedLast30Days.daily;

/**
 * Days a claim may live between being filed and its last counted moment (the OEM's payment after a
 * decision, an appeal and its decision): the rebuild reads claims created this long before its kept
 * days. A claim paid later than that is counted by its event only.
 */
export const CLAIM_LIFETIME_DAYS = 180;

/**
 * The claims' HQ figures from the records: the claims created within the kept days and a claim's
 * lifetime before them (the `recent` index, one range of it, so the read is bounded by the store's
 * filings in those months, not by its whole history), each counted as its events would have counted it
 * (`claimFigureHistory`: the first submission, each OEM decision, the payment). What happened after
 * `countedUntil` is left to its events.
 */
declareFigureCounting(CLAIMS, async (store, { now, countedUntil }) => {
  const since = new Date(
    now.getTime() - (keptDays(SUBMITTED.days) + CLAIM_LIFETIME_DAYS + 1) * 86_400_000,
  ).toISOString();
  const counted = new Map<string, (string | DailyAmount)[]>();
  for await (const claim of everyItem((cursor) =>
    store
      .repo(Claims)
      .queryIndex('recent', [], { sk: { between: [since, `${countedUntil}~`] }, limit: 100, cursor }),
  ))
    for (const { at, changes } of claimFigureHistory(claim)) {
      if (at > countedUntil) continue;
      for (const [figure, change] of Object.entries(changes))
        if (change !== undefined) counted.set(figure, [...(counted.get(figure) ?? []), change]);
    }
  return Object.fromEntries(Object.keys(FIGURES).map((figure) => [figure, counted.get(figure) ?? []])) as {
    [K in keyof typeof FIGURES]: (string | DailyAmount)[];
  };
});
