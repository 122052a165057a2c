import type * as z from 'zod';
import type { Role } from './tenancy.ts';

/**
 * What one capability of the product (the registry, imports, HQ figures, later repair orders, warranty
 * claims…) adds to the shared vocabulary, declared in its own domain file: its aggregates and their
 * audit actions, the events it emits with their payload schemas, and its permissions, each with the
 * roles granted it.
 *
 * `capabilities.ts` lists every capability once; the event catalogue (`EVENT_PAYLOADS`), the permission
 * enum and the role → permission table (`ROLE_PERMISSIONS`) are derived from that list.
 *
 * A capability declares itself in its folder's `model.ts` (`registry/model.ts`, `imports/model.ts`…);
 * the module-graph test refuses any import cycle, so nothing about import order needs remembering.
 */
export interface Capability<
  E extends Record<string, z.ZodType> = Record<string, z.ZodType>,
  P extends string = string,
  A extends Record<string, readonly string[]> = Record<string, readonly string[]>,
  F extends Record<string, FigureDeclaration> = Record<string, FigureDeclaration>,
  H extends FigureHandlers<E, F> = FigureHandlers<E, F>,
  R extends FigureRatios<F> = FigureRatios<F>,
> {
  /** Its aggregates (the audit log's entities), each with the audit actions it uses beyond create/update. */
  aggregates: A;
  events: E;
  /** Permission → the roles that hold it (a user's permissions are the union over their roles). */
  permissions: Record<P, readonly Role[]>;
  /** The figures it adds to each store's HQ figures (集团看板), counted from its own events. */
  figures?: FigureContribution<E, F, H, R>;
}

export function defineCapability<
  const E extends Record<string, z.ZodType>,
  const P extends string,
  const A extends Record<string, readonly string[]>,
  const F extends Record<string, FigureDeclaration>,
  const H extends FigureHandlers<E, F>,
  const R extends FigureRatios<F>,
>(capability: Capability<E, P, A, F, H, R>): Capability<E, P, A, F, H, R> {
  return capability;
}

/**
 * One figure HQ compares per store, named by its field in the HQ view (`customers`). Absent `daily`, it
 * is a running count (0 on an item written before it existed). With `daily`, it must fall as days pass
 * without events, so the item keeps a count per store-local day in its `stored` field and the view sums
 * the last `days` of them when read (`servedByDay` → `servedLast30Days`).
 */
export interface FigureDeclaration {
  /** The HQ home's column heading, in both languages of the web app. */
  label: { en: string; 'zh-CN': string };
  daily?: { stored: string; days: number };
  /**
   * What the number is: a count (the default) or money in minor units (fen), which the HQ home shows
   * in whole yuan and the download in yuan to the fen.
   */
  unit?: 'count' | 'money';
  /**
   * Figures of one group (a capability's head counts by role) are one column on the HQ home, their
   * sum, which opens into a column each: a table of every figure side by side is too wide to read.
   */
  group?: FigureGroup;
}

/**
 * A figure derived from declared ones when the view is read, never stored: the numerator's value over
 * the sum of the denominator's (爽约率 = no-shows / (kept + no-shows)). Null while the denominator is 0.
 * The group total is the summed numerators over the summed denominators, not an average of the stores'
 * rates: a store with two bookings would weigh as much as one with two hundred.
 */
export interface RatioDeclaration<N extends string = string> {
  label: { en: string; 'zh-CN': string };
  numerator: N;
  denominator: readonly [N, ...N[]];
  /**
   * What the value is: a fraction shown as a percentage (the default), a number of times (库存周转:
   * times a year) or of days (days of supply). `scale` multiplies the quotient: 30-day issues
   * annualised (365/30), or stock value over a day's issues (30 over 30 days).
   */
  unit?: RatioUnit;
  scale?: number;
}

export type RatioUnit = 'fraction' | 'times' | 'days';

/** A capability's ratios, each of its own figures (`F`'s names). */
export type FigureRatios<F> = Record<string, RatioDeclaration<keyof F & string>>;

/** A group of figures shown as one column (its `key` names it; its label is the column's heading). */
export interface FigureGroup {
  key: string;
  label: { en: string; 'zh-CN': string };
}

/** What a figure handler is given: the event's time and its payload, parsed by the capability's schema. */
export interface FigureEvent<D> {
  at: string;
  data: D;
}

/** An amount added to a daily figure on the day of `at` (parts issued at cost), not one more. */
export interface DailyAmount {
  at: string;
  amount: number;
}

/**
 * What one event adds: a number for a count; for a daily figure the instant whose day gains one, or an
 * amount on a day (`undefined`: nothing). Additions only, so contributions compose in any order.
 */
export type FigureChanges<F> = {
  [K in keyof F]?: F[K] extends { daily: object } ? string | DailyAmount | undefined : number;
};

/** A handler per event of the capability's own that changes its figures. */
export type FigureHandlers<E extends Record<string, z.ZodType>, F> = {
  readonly [T in keyof E]?: (event: FigureEvent<z.output<E[T]>>) => FigureChanges<F>;
};

/**
 * A capability's HQ figures: their declarations, in the HQ home's column order, and the handlers of its
 * events that add to them. Their count from the store's records (the rebuild) is declared beside its
 * repositories: `declareFigureCounting` in the capability's data folder.
 */
export interface FigureContribution<
  E extends Record<string, z.ZodType>,
  F extends Record<string, FigureDeclaration>,
  H extends FigureHandlers<E, F> = FigureHandlers<E, F>,
  R extends FigureRatios<F> = FigureRatios<F>,
> {
  figures: F;
  on: H;
  /** Rates HQ compares, derived from these figures (shown after the last figure each is computed from). */
  ratios?: R;
}
