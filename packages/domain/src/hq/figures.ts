import * as z from 'zod';
import {
  CAPABILITIES,
  type HqFigureDeclarations,
  type HqFigureEvent,
  type HqRatioDeclarations,
} from '../capabilities.ts';
import type { DomainEvent, DomainEventType } from '../events.ts';
import type {
  DailyAmount,
  FigureDeclaration,
  FigureEvent,
  RatioDeclaration,
} from '../platform/capability.ts';
import { Count, Instant } from '../platform/fields.ts';
import { defineProjection, type Projection, type ProjectionHandlers } from '../platform/projection.ts';
import { TenantId, TimeZone } from '../platform/tenancy.ts';

/**
 * HQ figures (集团看板): per store, what the group's headquarters compares. They are a projection of the
 * store's domain events into one item per store in the group's own partition, so the HQ home reads as
 * many items as the group has stores, whatever the stores' data volume.
 *
 * HQ owns none of them: each capability listed in capabilities.ts contributes its figures and the
 * handlers of its own events (`figures` in its `defineCapability`), and everything here — the stored
 * item's schema, the projection, the view and its totals — is composed from those contributions.
 *
 * A daily figure (served in the last 30 days) cannot be a running counter (it must fall as days pass
 * without new events), so the item keeps counts per day for the last {@link keptDays} days and the
 * window is summed when read. Days are the store's own (a car served at 07:30 in Shanghai is served that
 * day, not the UTC day before).
 */
export const SERVED_WINDOW_DAYS = 30;
/**
 * Days of per-day counts an item keeps for a `days`-day window, counted back from the newest event
 * applied to it. Any window ending at or after that event lies inside them; the slack beyond covers a
 * reader whose day boundary lags the writer's.
 */
export const keptDays = (days: number): number => 2 * days;
/** The days of services kept for the registry's 30-day figure. */
export const SERVED_DAYS_KEPT = keptDays(SERVED_WINDOW_DAYS);

const DayKey = z.iso.date();

type Declared = HqFigureDeclarations;
/** Every contributed figure's name (its field in the view and the totals). */
export type FigureName = keyof Declared & string;
/** Every ratio's name (its field in the view and the totals: a fraction, null while its denominator is 0). */
export type RatioName = keyof HqRatioDeclarations & string;
type CountName = { [K in keyof Declared]: Declared[K] extends { daily: object } ? never : K }[keyof Declared];
type DailyField = {
  [K in keyof Declared]: Declared[K] extends { daily: { stored: infer S extends string } } ? S : never;
}[keyof Declared];

/** What every stored item has, whatever the capabilities count (a type, not an interface: it indexes). */
type FiguresBase = {
  storeId: string;
  /** The store's IANA time zone, whose days the daily figures count. Absent on items written before: UTC. */
  timeZone?: string | undefined;
  /**
   * Set by a rebuild from the store's records: events at or before this instant are already counted,
   * so a replayed or late event from before the rebuild changes nothing.
   */
  countedUntil?: string | undefined;
  /** The newest change the figures reflect. */
  updatedAt?: string | undefined;
};

/**
 * What the group's partition holds for one store: a count per count figure, per-day counts
 * (`YYYY-MM-DD` → count) per daily figure. Every figure has a default: an item written before a figure
 * existed still parses, and counts it as zero until the store is rebuilt.
 */
export type StoreFigures = FiguresBase &
  Record<CountName & string, number> &
  Record<DailyField & string, Record<string, number>>;

/** One store's figures as the HQ home shows them (every figure's field, in the contributions' order). */
export type StoreFiguresView = {
  storeId: string;
  storeName: string;
  updatedAt?: string | undefined;
} & Record<FigureName, number> &
  Record<RatioName, number | null>;
export type FigureTotals = Record<FigureName, number> & Record<RatioName, number | null>;
export interface GroupFiguresView {
  groupId: string;
  asOf: string;
  stores: StoreFiguresView[];
  totals: FigureTotals;
}

/** One contributed figure as composed: its name (the view's field) and declaration. */
export interface HqFigureColumn extends FigureDeclaration {
  name: string;
}

/** One ratio as composed: its name (the view's field) and declaration. */
export interface HqRatioColumn extends RatioDeclaration {
  name: string;
}

/** The part of a capability the composition reads (any capability, typed events and figures or not). */
export interface FigureSource {
  events: Readonly<Record<string, z.ZodType>>;
  figures?:
    | {
        figures: Readonly<Record<string, FigureDeclaration>>;
        on: object;
        ratios?: Readonly<Record<string, RatioDeclaration>> | undefined;
      }
    | undefined;
}

type Tally = FiguresBase & { [field: string]: unknown };
type FigureChange = number | string | DailyAmount | undefined;
type FigureHandler = (event: FigureEvent<unknown>) => Readonly<Record<string, FigureChange>>;

/**
 * The HQ figures composed from capabilities' contributions, in their order: the columns, the stored
 * item's schema, the projection (its events: every event some contribution handles) and the view.
 * `CAPABILITIES` gives the product's; a test may compose its own list.
 *
 * Two contributions handling the same event both apply: handlers return additions, so their order
 * does not matter and neither can undo the other (each capability only handles its own events, whose
 * names are unique, so today this is a capability's single handler). A figure, ratio or stored field
 * named twice, a handler of an event its capability does not declare, or a ratio of a figure its
 * capability does not declare, is refused at load.
 */
export function composeHqFigures(capabilities: readonly FigureSource[]) {
  const columns: HqFigureColumn[] = [];
  const ratios: HqRatioColumn[] = [];
  const handlers = new Map<string, FigureHandler[]>();
  const payloads: Record<string, z.ZodType> = {};
  const taken = new Set(['storeId', 'storeName', 'timeZone', 'countedUntil', 'updatedAt']);
  for (const { events, figures } of capabilities) {
    if (!figures) continue;
    const take = (field: string) => {
      if (taken.has(field)) throw new Error(`HQ figure field "${field}" is declared twice`);
      taken.add(field);
    };
    for (const [name, declaration] of Object.entries(figures.figures)) {
      take(name);
      if (declaration.daily) take(declaration.daily.stored);
      columns.push({ name, ...declaration });
    }
    for (const [name, ratio] of Object.entries(figures.ratios ?? {})) {
      take(name);
      for (const input of [ratio.numerator, ...ratio.denominator])
        if (!Object.hasOwn(figures.figures, input))
          throw new Error(
            `HQ ratio "${name}" divides "${input}", not a figure of the capability declaring it`,
          );
      ratios.push({ name, ...ratio });
    }
    for (const [type, handler] of Object.entries(figures.on as Record<string, FigureHandler>)) {
      const schema = events[type];
      if (!schema) throw new Error(`HQ figures count "${type}", not an event of the capability counting it`);
      payloads[type] = schema;
      handlers.set(type, [...(handlers.get(type) ?? []), handler]);
    }
  }
  const byName = new Map(columns.map((c) => [c.name, c]));

  const state = z.object({
    storeId: TenantId,
    ...Object.fromEntries(
      columns.map((c) =>
        c.daily ? [c.daily.stored, z.record(DayKey, Count).default({})] : [c.name, Count.default(0)],
      ),
    ),
    timeZone: TimeZone.optional(),
    countedUntil: Instant.optional(),
    updatedAt: Instant.optional(),
  }) as unknown as z.ZodType<Tally>;

  const empty = (storeId: string): Tally => ({
    storeId,
    ...Object.fromEntries(columns.map((c) => (c.daily ? [c.daily.stored, {}] : [c.name, 0]))),
  });

  /** Adds one handler's changes: a number to a count, a day (or an amount on a day) to a daily figure. */
  const add = (figures: Tally, changes: Readonly<Record<string, FigureChange>>, at: string) => {
    let next = figures;
    for (const [name, change] of Object.entries(changes)) {
      const column = byName.get(name);
      if (!column) throw new Error(`HQ figures have no figure "${name}"`);
      if (change === undefined) continue;
      if (column.daily)
        next =
          typeof change === 'object'
            ? addOnDay(next, column.daily, change.at, at, change.amount)
            : addOnDay(next, column.daily, String(change), at);
      else next = { ...next, [name]: countOf(next, name) + Number(change) };
    }
    return next;
  };

  const projection = defineProjection<Tally, DomainEventType>({
    name: 'hqFigures',
    state,
    handlers: Object.fromEntries(
      [...handlers].map(([type, list]) => [
        type,
        (figures: Tally, event: { at: string; data: unknown }) =>
          list.reduce((f, handler) => add(f, handler({ at: event.at, data: event.data }), event.at), figures),
      ]),
    ) as unknown as ProjectionHandlers<Tally, DomainEventType>,
    payloads,
  });

  const ratioFields = Object.fromEntries(
    ratios.map((r) => [r.name, Rate.nullable().meta({ description: describeRatio(r, byName) })]),
  );
  const storeView = z.object({
    storeId: TenantId,
    storeName: z.string(),
    ...Object.fromEntries(columns.map((c) => [c.name, Count.meta({ description: describe(c) })])),
    ...ratioFields,
    /** The newest change counted; absent while the store has none. */
    updatedAt: Instant.optional(),
  });
  const totals = z.object({
    ...Object.fromEntries(columns.map((c) => [c.name, Count])),
    ...ratioFields,
  });
  const view = z.object({
    groupId: TenantId,
    asOf: DayKey.meta({
      description:
        'The day the daily windows end: in the stores’ time zone, or in UTC when they are in different zones.',
    }),
    stores: z.array(storeView),
    totals,
  });

  /** Every ratio of `values` (a store's figures or the group's sums): null where its denominator is 0. */
  const ratioValues = (values: Readonly<Record<string, number>>) =>
    Object.fromEntries(ratios.map((r) => [r.name, ratioOf(r, values)]));

  /** A figure's value for the view: its count, or its daily counts summed over its window. */
  const figureValue = (figures: Tally, column: HqFigureColumn, now: Date) =>
    column.daily
      ? sumOfDays(figures, column.daily.stored, now, column.daily.days)
      : countOf(figures, column.name);

  /**
   * The HQ home: every store of the group (by the directory, in its order), with its figures or zeros
   * when nothing has been projected for it yet, and the group's totals.
   */
  const groupView = (
    groupId: string,
    stores: readonly { id: string; name: string }[],
    figures: readonly Tally[],
    now: Date,
  ) => {
    const byStore = new Map(figures.map((f) => [f.storeId, f]));
    const views = stores.map((s) => {
      const f = byStore.get(s.id) ?? empty(s.id);
      const values = Object.fromEntries(columns.map((c) => [c.name, figureValue(f, c, now)]));
      return {
        storeId: s.id,
        storeName: s.name,
        ...values,
        ...ratioValues(values),
        ...(f.updatedAt ? { updatedAt: f.updatedAt } : {}),
      } as { storeId: string; storeName: string; updatedAt?: string } & Record<string, number>;
    });
    const sums: Record<string, number> = Object.fromEntries(
      columns.map((c) => [c.name, views.reduce((n, v) => n + (v[c.name] ?? 0), 0)]),
    );
    // The listed stores' zones only: an item left by a store that has left the group does not count.
    const zones = new Set(stores.map((s) => byStore.get(s.id)?.timeZone ?? 'UTC'));
    return {
      groupId,
      asOf: localDay(now, zones.size === 1 ? [...zones][0] : 'UTC'),
      stores: views,
      // The group's rates from its summed counts, not an average of the stores' rates.
      totals: { ...sums, ...ratioValues(sums) } as Record<string, number | null>,
    };
  };

  /**
   * The projection applied to one store's figures. Pure and total: an event of another store is a
   * programming error; an event the figures already count (before a rebuild's `countedUntil`) or of a
   * type the figures ignore returns `figures` itself, so callers can tell "nothing to write".
   */
  const project = (figures: Tally, event: DomainEvent): Tally => {
    if (event.tenantId !== figures.storeId) {
      throw new Error(`HQ figures of ${figures.storeId} cannot take an event of ${event.tenantId}`);
    }
    if (!projection.handles(event.type)) return figures;
    if (figures.countedUntil && event.at <= figures.countedUntil) return figures;
    return {
      ...projection.apply(figures, event),
      updatedAt: figures.updatedAt && figures.updatedAt > event.at ? figures.updatedAt : event.at,
    };
  };

  return { columns, ratios, state, empty, projection, project, add, view, storeView, groupView };
}

/** A rate as a fraction (0.25 is 25 %): never stored, so it is not rounded. */
const Rate = z.number().min(0);

/** One ratio of a store's (or the group's summed) figures; null when there is nothing to divide by. */
export function ratioOf(ratio: RatioDeclaration, values: Readonly<Record<string, number>>): number | null {
  const denominator = ratio.denominator.reduce((n, name) => n + (values[name] ?? 0), 0);
  return denominator === 0 ? null : ((values[ratio.numerator] ?? 0) / denominator) * (ratio.scale ?? 1);
}

/** How a ratio's value reads, for the document. */
const UNIT_TEXT = {
  fraction: 'a fraction (0.25 is 25 %)',
  times: 'a number of times',
  days: 'a number of days',
} as const;

const describeRatio = (r: HqRatioColumn, byName: ReadonlyMap<string, HqFigureColumn>) => {
  const label = (name: string) => byName.get(name)?.label.en ?? name;
  const scale = r.scale && r.scale !== 1 ? ` × ${Number(r.scale.toFixed(4))}` : '';
  return `${r.label.en}: ${label(r.numerator)} / (${r.denominator.map(label).join(' + ')})${scale}, ${UNIT_TEXT[r.unit ?? 'fraction']}; null while the denominator is 0. The total divides the group’s summed figures.`;
};

const describe = (c: HqFigureColumn) =>
  c.daily
    ? `${c.label.en}: summed over the store’s last ${c.daily.days} days, ending with its today.`
    : `${c.label.en}.`;

const countOf = (figures: Tally, name: string): number => {
  const n = figures[name];
  return typeof n === 'number' ? n : 0;
};
const daysOf = (figures: FiguresBase, stored: string): Record<string, number> =>
  ((figures as Tally)[stored] as Record<string, number> | undefined) ?? {};

const DAY_MS = 86_400_000;
/** One formatter per zone: building an `Intl.DateTimeFormat` costs far more than using one. */
const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar day (`YYYY-MM-DD`) of `instant` in `timeZone`, an IANA zone such as `Asia/Shanghai`. */
export function localDay(instant: string | Date, timeZone = 'UTC'): string {
  let format = dayFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    dayFormats.set(timeZone, format);
  }
  const parts = format.formatToParts(typeof instant === 'string' ? new Date(instant) : instant);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value;
  return `${part('year')}-${part('month')}-${part('day')}`;
}
/** Calendar arithmetic on day keys: the same in every zone. */
const daysBefore = (day: string, n: number): string =>
  new Date(Date.parse(day) - n * DAY_MS).toISOString().slice(0, 10);

/**
 * Adds one (or `amount`) to a daily figure on `instant`'s day and drops days older than the kept
 * horizon (ending at `at`, the event's time).
 */
export function addOnDay<F extends FiguresBase>(
  figures: F,
  daily: { stored: string; days: number },
  instant: string,
  at: string,
  amount = 1,
): F {
  const dayOf = (i: string) => localDay(i, figures.timeZone);
  const kept = daysOf(figures, daily.stored);
  const newest = [dayOf(at), ...Object.keys(kept)].sort().at(-1)!;
  const oldestKept = daysBefore(newest, keptDays(daily.days) - 1);
  const day = dayOf(instant);
  const byDay = Object.fromEntries(Object.entries(kept).filter(([d]) => d >= oldestKept));
  if (day >= oldestKept) byDay[day] = (byDay[day] ?? 0) + amount;
  return { ...figures, [daily.stored]: byDay };
}

/** A daily figure's counts on the store's `days` days ending with its today: computed when read, never stored. */
function sumOfDays(figures: Tally, stored: string, now: Date, days: number): number {
  const today = localDay(now, figures.timeZone);
  const first = daysBefore(today, days - 1);
  return Object.entries(daysOf(figures, stored))
    .filter(([d]) => d >= first && d <= today)
    .reduce((sum, [, n]) => sum + n, 0);
}

/** The registry's services in the store's last `days` days (its `servedByDay`), as the view sums them. */
export function servedInLastDays(figures: StoreFigures, now: Date, days = SERVED_WINDOW_DAYS): number {
  return sumOfDays(figures, 'servedByDay', now, days);
}

/** The product's HQ figures: composed from every capability listed in capabilities.ts. */
const COMPOSED = composeHqFigures(CAPABILITIES);

/** The contributed figures in the HQ home's order, with their labels (the web app's columns). */
export const HQ_FIGURE_COLUMNS: readonly (HqFigureColumn & { name: FigureName })[] =
  COMPOSED.columns as (HqFigureColumn & { name: FigureName })[];

/** The ratios derived from the figures, each shown after the last figure it is computed from. */
export const HQ_RATIO_COLUMNS: readonly (RatioDeclaration<FigureName> & { name: RatioName })[] =
  COMPOSED.ratios as (RatioDeclaration<FigureName> & { name: RatioName })[];

export const StoreFigures = COMPOSED.state as unknown as z.ZodType<StoreFigures>;

export function emptyStoreFigures(storeId: string): StoreFigures {
  return COMPOSED.empty(storeId) as StoreFigures;
}

/**
 * The HQ figures projection: what each of a store's events adds to its figures, composed from the
 * capabilities' contributions. The projector's queue subscribes to exactly its events
 * (`QUEUES.hqFigures`); its rebuild from the store's records is composed the same way from each
 * capability's `declareFigureCounting` (packages/data).
 */
export const HQ_FIGURES = COMPOSED.projection as unknown as Projection<StoreFigures, HqFigureEvent>;
export type { HqFigureEvent };

/** The projection applied to one store's figures (see `composeHqFigures`'s `project`). */
export function projectStoreEvent(figures: StoreFigures, event: DomainEvent): StoreFigures {
  return COMPOSED.project(figures, event) as StoreFigures;
}

/** One store's figures as the HQ home shows them: every contributed figure, described in the document. */
export const StoreFiguresView = COMPOSED.storeView as unknown as z.ZodType<StoreFiguresView>;
export const GroupFiguresView = COMPOSED.view as unknown as z.ZodType<GroupFiguresView>;

/**
 * The HQ home: every store of the group (by the directory, in its order), with its figures or zeros
 * when nothing has been projected for it yet, and the group's totals.
 */
export function groupFiguresView(
  groupId: string,
  stores: readonly { id: string; name: string }[],
  figures: readonly StoreFigures[],
  now: Date,
): GroupFiguresView {
  return COMPOSED.groupView(groupId, stores, figures, now) as GroupFiguresView;
}
