import { type DailyAmount, keptDays, newId, PARTS } from '@aftersales/domain';
import { declareFigureCounting, everyItem } from '../platform/figures.ts';
import { Parts } from './parts.ts';
import { StockLedger } from './stock.ts';

const FIGURES = PARTS.figures!.figures;

/**
 * Stock value, issues, write-offs and obsolete stock from the records: each part's book, and its ledger over the longest
 * window a daily figure keeps (ids sort by time, so the window is one range of each part's card). A
 * rebuild reads every part of the catalogue: a job's path, never a request's.
 */
declareFigureCounting(PARTS, async (store, { now, countedUntil }) => {
  const days = keptDays(
    Math.max(FIGURES.writeOffsLast365Days.daily.days, FIGURES.partLinesIssuedLast30Days.daily.days),
  );
  const since = newId('mov', now.getTime() - (days + 1) * 86_400_000).slice(0, 'mov_'.length + 10);
  const ledger = store.repo(StockLedger);
  let stockValueMinor = 0;
  let obsoleteStockValueMinor = 0;
  const issued: string[] = [];
  const issuedCost: DailyAmount[] = [];
  const filled: string[] = [];
  const writeOffs: string[] = [];
  for await (const part of everyItem((cursor) => store.repo(Parts).list('', { limit: 100, cursor }))) {
    // Value: the book as it stands, less what moved after `countedUntil` (those events add it back).
    const book = await ledger.book(part.id);
    stockValueMinor += book.valueMinor;
    // 呆滞: as the idle check marked it by `countedUntil` (a later mark's event adds it).
    if (book.obsoleteValueMinor && (book.obsoleteSince ?? '') <= countedUntil)
      obsoleteStockValueMinor += book.obsoleteValueMinor;
    for await (const m of everyItem((cursor) => ledger.since(part.id, since, { limit: 200, cursor }))) {
      if (m.at > countedUntil) {
        stockValueMinor -= m.valueMinor;
        // A later movement ended a mark made by then: its event takes off what is added back here.
        if (m.obsoleteReleasedMinor && (m.obsoleteSince ?? '') <= countedUntil)
          obsoleteStockValueMinor += m.obsoleteReleasedMinor;
      } else if (m.kind === 'write_off') writeOffs.push(m.at);
      else if (m.kind === 'issue') {
        issued.push(m.at);
        issuedCost.push({ at: m.at, amount: -m.valueMinor });
        if (m.firstRequestFilled) filled.push(m.at);
      }
    }
  }
  return {
    stockValueMinor,
    partsIssuedCostLast30Days: issuedCost,
    partLinesIssuedLast30Days: issued,
    partLinesFilledLast30Days: filled,
    writeOffsLast365Days: writeOffs,
    obsoleteStockValueMinor,
  };
});
