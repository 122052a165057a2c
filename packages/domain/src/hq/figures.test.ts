import { describe, expect, it } from 'vitest';
import { type DomainEvent, EVENT_SCHEMA_VERSION } from '../events.ts';
import { isTimeZone, Store } from '../platform/tenancy.ts';
import {
  NO_CLAIM_DAYS,
  NO_CONTRIBUTIONS,
  NO_REPAIR_ORDER_DAYS,
  NO_STAFF,
} from './contributed-zeros.test-support.ts';
import {
  emptyStoreFigures,
  GroupFiguresView,
  groupFiguresView,
  localDay,
  projectStoreEvent,
  SERVED_DAYS_KEPT,
  StoreFigures,
  servedInLastDays,
} from './figures.ts';

const STORE = 'st_HCAUDIBJ';
let n = 0;
function event(type: DomainEvent['type'], at: string, data: Record<string, unknown>): DomainEvent {
  n++;
  return {
    id: `evt_${n}`,
    type,
    schemaVersion: EVENT_SCHEMA_VERSION,
    tenantId: STORE,
    aggregate: type.split('.')[0]!,
    aggregateId: `x_${n}`,
    at,
    actor: { userId: 'u1', name: 'Advisor', roles: ['service_advisor'] },
    data,
  };
}
const project = (events: DomainEvent[], from: StoreFigures = emptyStoreFigures(STORE)) =>
  events.reduce(projectStoreEvent, from);
const registered = (at: string, lastServedAt?: string) =>
  event('vehicle.registered', at, { vehicleId: `veh_${n}`, ...(lastServedAt ? { lastServedAt } : {}) });

describe('HQ figures projection', () => {
  it('counts customers, vehicles, imports and the rows imports could not take', () => {
    // Act
    const figures = project([
      event('customer.created', '2026-11-01T08:00:00.000Z', { customerId: 'cus_1' }),
      event('customer.created', '2026-11-01T09:00:00.000Z', { customerId: 'cus_2' }),
      event('customer.updated', '2026-11-01T10:00:00.000Z', { customerId: 'cus_2', fields: ['name'] }),
      registered('2026-11-02T08:00:00.000Z'),
      event('import.created', '2026-11-03T08:00:00.000Z', { importId: 'imp_1', chunks: 2, totalRows: 40 }),
      event('import.completed', '2026-11-03T08:05:00.000Z', {
        importId: 'imp_1',
        totalRows: 40,
        created: 30,
        updated: 3,
        unchanged: 0,
        failed: 7,
      }),
    ]);

    // Assess
    expect(figures).toMatchObject({ customers: 2, vehicles: 1, imports: 1, importFailedRows: 7 });
    expect(figures.updatedAt).toBe('2026-11-03T08:05:00.000Z');
  });

  it('counts a vehicle registered with a service date as served on that day, inside the 30-day window', () => {
    // Prepare
    const now = new Date('2026-11-24T10:00:00.000Z');

    // Act
    const figures = project([
      registered('2026-11-24T09:00:00.000Z', '2026-11-20T03:00:00.000Z'),
      registered('2026-11-24T09:00:01.000Z', '2026-11-20T15:00:00.000Z'),
      registered('2026-11-24T09:00:02.000Z', '2026-10-26T00:00:00.000Z'), // the window's first day
      registered('2026-11-24T09:00:03.000Z', '2026-10-25T23:59:59.000Z'), // a day too early
      registered('2026-11-24T09:00:04.000Z'), // never served
    ]);

    // Assess
    expect(figures.vehicles).toBe(5);
    expect(figures.servedByDay['2026-11-20']).toBe(2);
    expect(servedInLastDays(figures, now)).toBe(3);
  });

  it('lets the 30-day figure fall as days pass without any new event', () => {
    // Prepare
    const figures = project([registered('2026-11-01T09:00:00.000Z', '2026-11-01T08:00:00.000Z')]);

    // Act / Assess
    expect(servedInLastDays(figures, new Date('2026-11-30T23:00:00.000Z'))).toBe(1);
    expect(servedInLastDays(figures, new Date('2026-12-01T00:00:00.000Z'))).toBe(0);
  });

  it('keeps a bounded number of days in the item, however long the store has been served', () => {
    // Prepare: a service every day for a year
    const start = Date.parse('2025-11-24T08:00:00.000Z');
    const events = Array.from({ length: 365 }, (_, i) => {
      const at = new Date(start + i * 86_400_000).toISOString();
      return registered(at, at);
    });

    // Act
    const figures = project(events);

    // Assess
    expect(Object.keys(figures.servedByDay)).toHaveLength(SERVED_DAYS_KEPT);
    expect(servedInLastDays(figures, new Date(start + 364 * 86_400_000))).toBe(30);
    expect(figures.vehicles).toBe(365);
  });

  it('ignores service dates older than the kept days, without losing the vehicle', () => {
    // Act
    const figures = project([registered('2026-11-24T09:00:00.000Z', '2024-03-01T00:00:00.000Z')]);

    // Assess
    expect(figures.vehicles).toBe(1);
    expect(figures.servedByDay).toEqual({});
  });

  it('changes nothing for events a rebuild already counted', () => {
    // Prepare: rebuilt from the store's records at 12:00
    const rebuilt: StoreFigures = {
      ...emptyStoreFigures(STORE),
      customers: 10,
      countedUntil: '2026-11-24T12:00:00.000Z',
    };
    const before = event('customer.created', '2026-11-24T11:59:59.000Z', { customerId: 'cus_old' });
    const after = event('customer.created', '2026-11-24T12:00:01.000Z', { customerId: 'cus_new' });

    // Act / Assess
    expect(projectStoreEvent(rebuilt, before)).toBe(rebuilt);
    expect(projectStoreEvent(rebuilt, after).customers).toBe(11);
  });

  it('refuses an event of another store', () => {
    // Prepare
    const foreign = { ...event('customer.created', '2026-11-24T12:00:00.000Z', { customerId: 'c' }) };
    foreign.tenantId = 'st_OTHER1';

    // Act / Assess
    expect(() => projectStoreEvent(emptyStoreFigures(STORE), foreign)).toThrow(/st_OTHER1/);
  });

  it('shows every store of the group, zeros for one with nothing projected yet, and the totals', () => {
    // Prepare
    const bj = project([
      event('customer.created', '2026-11-24T08:00:00.000Z', { customerId: 'cus_1' }),
      registered('2026-11-24T08:01:00.000Z', '2026-11-23T08:00:00.000Z'),
    ]);
    const tj: StoreFigures = { ...emptyStoreFigures('st_HCAUDITJ'), customers: 4, vehicles: 6 };

    // Act
    const view = groupFiguresView(
      'grp_HUACHEN',
      [
        { id: STORE, name: '北京华辰奥迪' },
        { id: 'st_HCAUDITJ', name: '天津华辰奥迪' },
        { id: 'st_HCVWBJ01', name: '北京华辰大众' },
      ],
      [tj, bj],
      new Date('2026-11-24T12:00:00.000Z'),
    );

    // Assess
    expect(view.stores.map((s) => [s.storeName, s.customers, s.vehicles, s.servedLast30Days])).toEqual([
      ['北京华辰奥迪', 1, 1, 1],
      ['天津华辰奥迪', 4, 6, 0],
      ['北京华辰大众', 0, 0, 0],
    ]);
    expect(view.totals).toEqual({
      customers: 5,
      vehicles: 7,
      servedLast30Days: 1,
      imports: 0,
      importFailedRows: 0,
      ...NO_CONTRIBUTIONS,
    });
    expect(view.asOf).toBe('2026-11-24');
  });
});

describe('no-show rate (爽约率), derived when the view is read', () => {
  const now = new Date('2026-11-24T12:00:00.000Z');
  /** A booking of `store` that ends checked in or a no-show, due at `at`. */
  const closed = (store: string, to: 'checked_in' | 'no_show', at = '2026-11-20T02:00:00.000Z') => ({
    ...event('appointment.statusChanged', at, {
      appointmentId: `apt_${n}`,
      date: at.slice(0, 10),
      from: 'confirmed',
      to,
      at,
    }),
    tenantId: store,
  });
  const figuresOf = (store: string, kept: number, noShows: number) =>
    [
      ...Array.from({ length: kept }, () => closed(store, 'checked_in')),
      ...Array.from({ length: noShows }, () => closed(store, 'no_show')),
    ].reduce(projectStoreEvent, emptyStoreFigures(store));
  const stores = [
    { id: STORE, name: '北京华辰奥迪' },
    { id: 'st_HCAUDITJ', name: '天津华辰奥迪' },
    { id: 'st_HCVWBJ01', name: '北京华辰大众' },
  ];

  it('gives each store its no-shows over its kept bookings and no-shows, and stores none of it', () => {
    // Act
    const bj = figuresOf(STORE, 3, 1);
    const view = groupFiguresView('grp_HUACHEN', stores.slice(0, 1), [bj], now);

    // Assess
    expect(view.stores[0]).toMatchObject({
      appointmentsKeptLast30Days: 3,
      noShowsLast30Days: 1,
      noShowRate: 0.25,
    });
    expect(bj).not.toHaveProperty('noShowRate');
    expect(StoreFigures.parse(bj)).not.toHaveProperty('noShowRate');
  });

  it('totals the group from its summed counts, not from an average of the stores’ rates', () => {
    // Prepare: 1 in 2 no-shows in one store, 1 in 10 in the other
    const figures = [figuresOf(STORE, 1, 1), figuresOf('st_HCAUDITJ', 9, 1)];

    // Act
    const view = groupFiguresView('grp_HUACHEN', stores, figures, now);

    // Assess: 2 of 12, where the average of the rates would be 0.3
    expect(view.stores.map((s) => s.noShowRate)).toEqual([0.5, 0.1, null]);
    expect(view.totals.noShowRate).toBeCloseTo(2 / 12);
    expect(GroupFiguresView.parse(view)).toEqual(view);
  });

  it('is null, not 0, for a store with no bookings kept or missed, and falls out of its window', () => {
    // Prepare
    const bj = figuresOf(STORE, 0, 1);

    // Act
    const inWindow = groupFiguresView('grp_HUACHEN', stores.slice(0, 2), [bj], now);
    const later = groupFiguresView('grp_HUACHEN', stores.slice(0, 1), [bj], new Date('2026-12-24T12:00:00Z'));

    // Assess
    expect(inWindow.stores.map((s) => s.noShowRate)).toEqual([1, null]);
    expect(inWindow.totals.noShowRate).toBe(1);
    expect(later.stores[0]?.noShowRate).toBeNull();
    expect(later.totals.noShowRate).toBeNull();
  });
});

describe('stored HQ figures', () => {
  it('parses an item written before a figure existed, counting that figure as zero', () => {
    // Prepare: an item from before imports were counted (no `imports`, `importFailedRows`)
    const old = { storeId: STORE, customers: 3, vehicles: 2, servedByDay: { '2026-11-20': 1 } };

    // Act
    const figures = StoreFigures.parse(old);

    // Assess
    expect(figures).toEqual({
      ...old,
      imports: 0,
      importFailedRows: 0,
      ...NO_STAFF,
      appointmentsKeptByDay: {},
      noShowsByDay: {},
      stockValueMinor: 0,
      partsIssuedCostByDay: {},
      partLinesIssuedByDay: {},
      partLinesFilledByDay: {},
      writeOffsByDay: {},
      obsoleteStockValueMinor: 0,
      ...NO_REPAIR_ORDER_DAYS,
      ...NO_CLAIM_DAYS,
    });
    expect(StoreFigures.parse({ storeId: STORE })).toEqual(emptyStoreFigures(STORE));
  });
});

describe('store-local days', () => {
  const shanghai = (): StoreFigures => ({ ...emptyStoreFigures(STORE), timeZone: 'Asia/Shanghai' });

  it('gives the calendar day in a zone', () => {
    expect(localDay('2026-11-23T17:30:00Z', 'Asia/Shanghai')).toBe('2026-11-24');
    expect(localDay('2026-11-23T17:30:00Z')).toBe('2026-11-23');
    expect(localDay(new Date('2026-03-08T06:30:00Z'), 'America/New_York')).toBe('2026-03-08');
  });

  it('counts a service on the store’s own day, not the UTC day', () => {
    // 01:30 on the 24th in Shanghai is still the 23rd in UTC
    const figures = project([registered('2026-11-23T17:30:00Z', '2026-11-23T17:30:00Z')], shanghai());
    expect(figures.servedByDay).toEqual({ '2026-11-24': 1 });
  });

  it('ends the 30-day window with the store’s today', () => {
    const figures = project([registered('2026-11-23T17:30:00Z', '2026-11-23T17:30:00Z')], shanghai());
    // 23:30 on 23 Dec in Shanghai: the window is 24 Nov – 23 Dec, the service is in it
    expect(servedInLastDays(figures, new Date('2026-12-23T15:30:00Z'))).toBe(1);
    // 00:30 on 24 Dec in Shanghai (still the 23rd in UTC): the window has moved past 24 Nov
    expect(servedInLastDays(figures, new Date('2026-12-23T16:30:00Z'))).toBe(0);
  });

  it('dates the view in the stores’ zone, or in UTC when they differ', () => {
    const now = new Date('2026-11-23T17:00:00Z');
    const other = { ...emptyStoreFigures('st_OTHER123'), timeZone: 'Europe/Berlin' };
    const one = [{ id: STORE, name: 'A' }];
    const both = [...one, { id: other.storeId, name: 'B' }];
    expect(groupFiguresView('grp_X1234567', one, [shanghai()], now).asOf).toBe('2026-11-24');
    expect(groupFiguresView('grp_X1234567', both, [shanghai(), other], now).asOf).toBe('2026-11-23');
    // An item left by a store no longer in the group does not change it
    expect(groupFiguresView('grp_X1234567', one, [shanghai(), other], now).asOf).toBe('2026-11-24');
  });

  it('accepts only zones Intl knows, for stores and their figures', () => {
    for (const zone of ['Asia/Shanghai', 'UTC', 'Europe/Berlin']) expect(isTimeZone(zone)).toBe(true);
    for (const zone of ['Bogus/Zone', '', ' Asia/Shanghai', '+08:00']) expect(isTimeZone(zone)).toBe(false);
    expect(StoreFigures.safeParse({ ...shanghai(), timeZone: 'Bogus/Zone' }).success).toBe(false);
    const store = { id: 'st_ABCDEF12', kind: 'store', name: 'A', brands: ['Audi'], jurisdiction: 'CN' };
    expect(Store.safeParse({ ...store, timeZone: 'Asia/Shanghai' }).success).toBe(true);
    expect(Store.safeParse({ ...store, timeZone: 'Bogus/Zone' }).success).toBe(false);
  });
});

/** A repair order's event: its id and time in the payload, as the repair orders' rules write them. */
const roEvent = (type: DomainEvent['type'], at: string, data: Record<string, unknown>) =>
  event(type, at, { repairOrderId: `ro_${n}`, at, ...data });
const opened = (at: string, comebackOf?: string) =>
  roEvent('repairOrder.opened', at, {
    vehicleId: 'veh_1',
    customerId: 'cus_1',
    source: 'walk_in',
    ...(comebackOf ? { comebackOf } : {}),
  });
const settled = (at: string, shares: { payer: string; net: number }[]) =>
  roEvent('repairOrder.settled', at, {
    shares: shares.map((s) => ({
      ...s,
      tax: Math.round(s.net * 0.13),
      total: s.net + Math.round(s.net * 0.13),
    })),
  });
const delivered = (at: string, onTime: boolean, firstTimeFix: boolean, labour: unknown[] = []) =>
  roEvent('repairOrder.delivered', at, {
    vehicleId: 'veh_1',
    promisedAt: at,
    onTime,
    firstTimeFix,
    labour,
  });

describe('repair-order figures', () => {
  const shanghai = (): StoreFigures => ({ ...emptyStoreFigures(STORE), timeZone: 'Asia/Shanghai' });

  it('counts ROs opened and delivered, on time, fixed first time and comebacks on the store’s own day', () => {
    // Act: 23:30 UTC on 1 Dec is 07:30 on 2 Dec in Shanghai
    const figures = [
      opened('2026-12-01T23:30:00.000Z'),
      opened('2026-12-02T02:00:00.000Z', 'ro_0'),
      delivered('2026-12-02T08:00:00.000Z', true, true),
      delivered('2026-12-02T09:00:00.000Z', false, false),
    ].reduce(projectStoreEvent, shanghai());

    // Assess
    expect(figures).toMatchObject({
      repairOrdersOpenedByDay: { '2026-12-02': 2 },
      comebacksByDay: { '2026-12-02': 1 },
      repairOrdersDeliveredByDay: { '2026-12-02': 2 },
      deliveredOnTimeByDay: { '2026-12-02': 1 },
      firstTimeFixesByDay: { '2026-12-02': 1 },
    });
  });

  it('adds settled revenue per payer net of tax, and labour, and derives the rates HQ compares', () => {
    // Prepare
    const figures = [
      settled('2026-12-02T06:00:00.000Z', [
        { payer: 'customer', net: 30_000 },
        { payer: 'warranty', net: 8_400 },
      ]),
      settled('2026-12-03T06:00:00.000Z', [{ payer: 'customer', net: 12_000 }]),
      delivered('2026-12-02T08:00:00.000Z', true, true, [
        { technicianId: 't1', flatRateTenths: 15, clockedMinutes: 60 },
        { technicianId: 't2', flatRateTenths: 7, clockedMinutes: 60 },
      ]),
      delivered('2026-12-03T08:00:00.000Z', false, true, [
        { technicianId: 't1', flatRateTenths: 10, clockedMinutes: 30 },
      ]),
      opened('2026-12-03T01:00:00.000Z', 'ro_1'),
    ].reduce(projectStoreEvent, shanghai());

    // Act
    const view = groupFiguresView(
      'grp_HUACHEN',
      [{ id: STORE, name: '北京华辰奥迪' }],
      [figures],
      new Date('2026-12-04T04:00:00.000Z'),
    );

    // Assess: 32 flat-rate tenths are 192 minutes over 150 clocked
    expect(view.stores[0]).toMatchObject({
      customerRevenueLast30Days: 42_000,
      warrantyRevenueLast30Days: 8_400,
      insuranceRevenueLast30Days: 0,
      repairOrdersDeliveredLast30Days: 2,
      onTimeRate: 0.5,
      firstTimeFixRate: 1,
      flatRateTenthsLast30Days: 32,
      clockedMinutesLast30Days: 150,
      labourEfficiency: 192 / 150,
      hoursPerRepairOrder: 1.25,
      comebackRate: 0.5,
    });
    expect(view.totals.customerRevenueLast30Days).toBe(42_000);
  });

  it('lets a day’s figures fall out of the 30-day window as days pass', () => {
    // Prepare
    const figures = [opened('2026-11-01T02:00:00.000Z'), opened('2026-12-01T02:00:00.000Z')].reduce(
      projectStoreEvent,
      shanghai(),
    );

    // Act
    const view = groupFiguresView(
      'grp_HUACHEN',
      [{ id: STORE, name: '北京华辰奥迪' }],
      [figures],
      new Date('2026-12-04T04:00:00.000Z'),
    );

    // Assess
    expect(view.stores[0]?.repairOrdersOpenedLast30Days).toBe(1);
  });
});
