import {
  addOnDay,
  CAPABILITIES,
  type DailyAmount,
  emptyStoreFigures,
  type FigureSource,
  type StoreFigures,
} from '@aftersales/domain';
import { figureCounting, type StoreRecords } from '../platform/figures.ts';

/**
 * Recomputes a store's figures from its records, for data written before the projector existed: the
 * counterpart of the domain's `HQ_FIGURES` projection. Each contributing capability counts its own
 * figures with the counting its data folder declares (`declareFigureCounting`); a contribution without
 * one fails here rather than rebuilding a zero. The result's `countedUntil` is the time the reads
 * began, so events up to then are not counted twice when they arrive later. `timeZone` is the store's
 * (daily figures are counted on its days). `capabilities`: the product's unless a test gives its own.
 */
export async function rebuildStoreFigures(
  store: StoreRecords,
  timeZone: string,
  now: Date,
  capabilities: readonly FigureSource[] = CAPABILITIES,
): Promise<StoreFigures> {
  const countedUntil = now.toISOString();
  let figures: StoreFigures = {
    ...emptyStoreFigures(store.table.tenantId),
    timeZone,
    countedUntil,
    updatedAt: countedUntil,
  };
  for (const capability of capabilities) {
    if (!capability.figures) continue;
    const declared = Object.entries(capability.figures.figures);
    const count = figureCounting(capability);
    if (!count)
      throw new Error(
        `HQ figures ${declared.map(([name]) => name).join(', ')} have no counting from records: declareFigureCounting in their capability's data folder`,
      );
    const counted: Record<string, number | readonly (string | DailyAmount)[] | undefined> = await count(
      store,
      {
        now,
        countedUntil,
      },
    );
    for (const [name, declaration] of declared) {
      const value = counted[name];
      if (declaration.daily && Array.isArray(value))
        for (const day of value)
          figures =
            typeof day === 'string'
              ? addOnDay(figures, declaration.daily, day, countedUntil)
              : addOnDay(figures, declaration.daily, day.at, countedUntil, day.amount);
      else if (!declaration.daily && typeof value === 'number') figures = { ...figures, [name]: value };
      else throw new Error(`HQ figure ${name} was not counted from records`);
    }
  }
  return figures;
}
