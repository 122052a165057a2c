import * as z from 'zod';
import type { DomainEvent } from '../events.ts';
import { Count, Instant } from '../platform/fields.ts';
import { defineProjection, type ProjectedEventType } from '../platform/projection.ts';
import { TenantId, TimeZone } from '../platform/tenancy.ts';

/**
 * HQ figures (集团看板): per store, what the group's headquarters compares. They are a projection of the
 * store's domain events into one item per store in the group's own partition, so the HQ home reads as
 * many items as the group has stores, whatever the stores' data volume.
 *
 * "Served in the last 30 days" cannot be a running counter (it must fall as days pass without new
 * events), so the item keeps services per day for the last {@link SERVED_DAYS_KEPT} days and the window
 * is summed when read. Days are the store's own (a car served at 07:30 in Shanghai is served that day,
 * not the UTC day before). A vehicle registered with a `lastServedAt` counts as a service on that day.
 */
export const SERVED_WINDOW_DAYS = 30;
/**
 * Days of per-day service counts an item keeps, counted back from the newest event applied to it.
 * Any 30-day window ending at or after that event lies inside them; the slack beyond 30 covers a reader
 * whose day boundary lags the writer's.
 */
export const SERVED_DAYS_KEPT = 60;

const DayKey = z.iso.date();

/**
 * What the group's partition holds for one store. Every field has a default (or is optional): an item
 * written before a field existed still parses, and counts it as zero until the store is rebuilt.
 */
export const StoreFigures = z.object({
  storeId: TenantId,
  customers: Count.default(0),
  vehicles: Count.default(0),
  /** CSV imports started, and the rows they could not import (错误行). */
  imports: Count.default(0),
  importFailedRows: Count.default(0),
  /** Services per day of the store (`YYYY-MM-DD` → count), the last {@link SERVED_DAYS_KEPT} days only. */
  servedByDay: z.record(DayKey, Count).default({}),
  /** The store's IANA time zone, whose days `servedByDay` counts. Absent on items written before: UTC. */
  timeZone: TimeZone.optional(),
  /**
   * Set by a rebuild from the store's records: events at or before this instant are already counted,
   * so a replayed or late event from before the rebuild changes nothing.
   */
  countedUntil: Instant.optional(),
  /** The newest change the figures reflect. */
  updatedAt: Instant.optional(),
});
export type StoreFigures = z.infer<typeof StoreFigures>;

export function emptyStoreFigures(storeId: string): StoreFigures {
  return { storeId, customers: 0, vehicles: 0, imports: 0, importFailedRows: 0, servedByDay: {} };
}

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

/** Adds one service on `servedAt`'s day and drops days older than the kept horizon (ending at `at`). */
export function addService(figures: StoreFigures, servedAt: string, at: string): StoreFigures {
  const dayOf = (instant: string) => localDay(instant, figures.timeZone);
  const newest = [dayOf(at), ...Object.keys(figures.servedByDay)].sort().at(-1)!;
  const oldestKept = daysBefore(newest, SERVED_DAYS_KEPT - 1);
  const day = dayOf(servedAt);
  const servedByDay = Object.fromEntries(
    Object.entries(figures.servedByDay).filter(([d]) => d >= oldestKept),
  );
  if (day >= oldestKept) servedByDay[day] = (servedByDay[day] ?? 0) + 1;
  return { ...figures, servedByDay };
}

/** Services on the store's `days` days ending with its today: computed when read, never stored. */
export function servedInLastDays(figures: StoreFigures, now: Date, days = SERVED_WINDOW_DAYS): number {
  const today = localDay(now, figures.timeZone);
  const first = daysBefore(today, days - 1);
  return Object.entries(figures.servedByDay)
    .filter(([d]) => d >= first && d <= today)
    .reduce((sum, [, n]) => sum + n, 0);
}

/**
 * The HQ figures projection: what each of a store's events adds to its figures. Its events are the
 * keys below, and the projector's queue subscribes to exactly those (`QUEUES.hqFigures`). Its rebuild
 * from the store's records, for data older than the projector, stands beside the projector:
 * `packages/data/src/hq/figures-rebuild.ts`; a figure counted here must be counted there too.
 */
export const HQ_FIGURES = defineProjection({
  name: 'hqFigures',
  state: StoreFigures,
  handlers: {
    'customer.created': (figures) => ({ ...figures, customers: figures.customers + 1 }),
    'vehicle.registered': (figures, { at, data }) => {
      const registered = { ...figures, vehicles: figures.vehicles + 1 };
      return data.lastServedAt ? addService(registered, data.lastServedAt, at) : registered;
    },
    'import.created': (figures) => ({ ...figures, imports: figures.imports + 1 }),
    'import.completed': (figures, { data }) => ({
      ...figures,
      importFailedRows: figures.importFailedRows + data.failed,
    }),
  },
});

/** The event types the HQ figures are built from (the projector subscribes to exactly these). */
export type HqFigureEvent = ProjectedEventType<typeof HQ_FIGURES>;

/**
 * The projection applied to one store's figures. Pure and total: an event of another store is a
 * programming error; an event the figures already count (before a rebuild's `countedUntil`) or of a
 * type the figures ignore returns `figures` itself, so callers can tell "nothing to write".
 */
export function projectStoreEvent(figures: StoreFigures, event: DomainEvent): StoreFigures {
  if (event.tenantId !== figures.storeId) {
    throw new Error(`HQ figures of ${figures.storeId} cannot take an event of ${event.tenantId}`);
  }
  if (!HQ_FIGURES.handles(event.type)) return figures;
  if (figures.countedUntil && event.at <= figures.countedUntil) return figures;
  return {
    ...HQ_FIGURES.apply(figures, event),
    updatedAt: figures.updatedAt && figures.updatedAt > event.at ? figures.updatedAt : event.at,
  };
}

/** One store's figures as the HQ home shows them. */
export const StoreFiguresView = z.object({
  storeId: TenantId,
  storeName: z.string(),
  customers: Count,
  vehicles: Count,
  servedLast30Days: Count,
  imports: Count,
  importFailedRows: Count,
  /** The newest change counted; absent while the store has none. */
  updatedAt: Instant.optional(),
});
export type StoreFiguresView = z.infer<typeof StoreFiguresView>;

const FigureTotals = StoreFiguresView.pick({
  customers: true,
  vehicles: true,
  servedLast30Days: true,
  imports: true,
  importFailedRows: true,
});
export type FigureTotals = z.infer<typeof FigureTotals>;

export const GroupFiguresView = z.object({
  groupId: TenantId,
  /** The day the 30-day windows end: in the stores' time zone, or in UTC when they are in different zones. */
  asOf: DayKey,
  stores: z.array(StoreFiguresView),
  totals: FigureTotals,
});
export type GroupFiguresView = z.infer<typeof GroupFiguresView>;

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
  const byStore = new Map(figures.map((f) => [f.storeId, f]));
  const views = stores.map((s): StoreFiguresView => {
    const f = byStore.get(s.id) ?? emptyStoreFigures(s.id);
    return {
      storeId: s.id,
      storeName: s.name,
      customers: f.customers,
      vehicles: f.vehicles,
      servedLast30Days: servedInLastDays(f, now),
      imports: f.imports,
      importFailedRows: f.importFailedRows,
      ...(f.updatedAt ? { updatedAt: f.updatedAt } : {}),
    };
  });
  const sum = (key: keyof FigureTotals) => views.reduce((n, v) => n + v[key], 0);
  // The listed stores' zones only: an item left by a store that has left the group does not count.
  const zones = new Set(stores.map((s) => byStore.get(s.id)?.timeZone ?? 'UTC'));
  return {
    groupId,
    asOf: localDay(now, zones.size === 1 ? [...zones][0] : 'UTC'),
    stores: views,
    totals: {
      customers: sum('customers'),
      vehicles: sum('vehicles'),
      servedLast30Days: sum('servedLast30Days'),
      imports: sum('imports'),
      importFailedRows: sum('importFailedRows'),
    },
  };
}
