import type { DailyAmount, FigureDeclaration } from '@aftersales/domain';
import type { TenantData } from '../index.ts';

/**
 * HQ figures counted from a store's records (the rebuild, for data older than the projector): each
 * capability that contributes figures in the domain (`figures` in its `defineCapability`) declares here,
 * beside its repositories in its own data folder, how to count them. The rebuild (hq/figures-rebuild.ts)
 * reads the declarations made so far, like `declaredAggregates()`, and fails for a contribution
 * without one, so no list in the hq folder names the capabilities.
 */

/** A count per count figure; per daily figure, the instants each of which adds one (or an amount) on its day. */
export type CountedFigures<F> = {
  [K in keyof F]: F[K] extends { daily: object } ? readonly (string | DailyAmount)[] : number;
};

/** The store the rebuild reads: its repositories, bound to it (`DataAccess.forTenant`). */
export type StoreRecords = TenantData;

export interface CountingTime {
  now: Date;
  /** The rebuild's `countedUntil`: records up to it are counted, events after it add the rest. */
  countedUntil: string;
}

export type FigureCounting<F> = (store: StoreRecords, time: CountingTime) => Promise<CountedFigures<F>>;

const COUNTING = new Map<object, FigureCounting<Record<string, FigureDeclaration>>>();

/** Declares how `capability`'s HQ figures are counted from a store's records (once per capability). */
export function declareFigureCounting<F extends Record<string, FigureDeclaration>>(
  capability: { figures?: { figures: F } | undefined },
  count: FigureCounting<F>,
): void {
  if (!capability.figures)
    throw new Error('Counting declared for a capability that contributes no HQ figures');
  if (COUNTING.has(capability))
    throw new Error(`HQ figures ${Object.keys(capability.figures.figures).join(', ')} are counted twice`);
  COUNTING.set(capability, count as FigureCounting<Record<string, FigureDeclaration>>);
}

/** The counting declared for `capability`, if its data folder has been loaded. */
export function figureCounting(
  capability: object,
): FigureCounting<Record<string, FigureDeclaration>> | undefined {
  return COUNTING.get(capability);
}

/** Every item of a paged read, page after page. */
export async function* everyItem<V>(
  read: (cursor: string | undefined) => Promise<{ items: V[]; nextCursor?: string | undefined }>,
): AsyncGenerator<V> {
  let cursor: string | undefined;
  do {
    const page = await read(cursor);
    yield* page.items;
    cursor = page.nextCursor;
  } while (cursor);
}
