import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { CAPABILITIES } from '../capabilities.ts';
import { type DomainEvent, EVENT_SCHEMA_VERSION } from '../events.ts';
import { defineCapability } from '../platform/capability.ts';
import { NO_CONTRIBUTIONS } from './contributed-zeros.test-support.ts';
import { composeHqFigures, type FigureSource } from './figures.ts';

// A capability that exists only here: one event, one contributed figure, no line in any hq file.
const WORKSHOP = defineCapability({
  aggregates: { repairOrder: [] },
  events: { 'repairOrder.opened': z.object({ repairOrderId: z.string(), lines: z.int() }) },
  permissions: { 'repairOrder:write': ['service_advisor'] },
  figures: {
    figures: { repairOrderLines: { label: { en: 'Repair order lines', 'zh-CN': '工单行数' } } },
    on: { 'repairOrder.opened': ({ data }) => ({ repairOrderLines: data.lines }) },
  },
});

const STORE = 'st_HCAUDIBJ';
const opened = (lines: number, at: string) =>
  ({
    id: `evt_${lines}`,
    type: 'repairOrder.opened',
    schemaVersion: EVENT_SCHEMA_VERSION,
    tenantId: STORE,
    aggregate: 'repairOrder',
    aggregateId: 'ro_1',
    at,
    actor: { userId: 'u1', name: 'Advisor', roles: ['service_advisor'] },
    data: { repairOrderId: 'ro_1', lines },
    // The event type is outside the product's catalogue: this capability is not listed there.
  }) as unknown as DomainEvent;

describe('HQ figures contributed by a capability', () => {
  const hq = composeHqFigures([...CAPABILITIES, WORKSHOP]);

  it('projects the capability’s event into its figure, beside the others', () => {
    // Act
    const figures = [opened(3, '2026-11-24T08:00:00.000Z'), opened(2, '2026-11-24T09:00:00.000Z')].reduce(
      hq.project,
      hq.empty(STORE),
    );

    // Assess
    expect(hq.projection.events).toContain('repairOrder.opened');
    expect(figures).toMatchObject({
      repairOrderLines: 5,
      customers: 0,
      updatedAt: '2026-11-24T09:00:00.000Z',
    });
    expect(hq.state.parse({ storeId: STORE })).toMatchObject({ repairOrderLines: 0 });
  });

  it('shows the figure per store and in the totals, in the view and its schema', () => {
    // Prepare
    const figures = hq.project(hq.empty(STORE), opened(4, '2026-11-24T08:00:00.000Z'));
    const stores = [
      { id: STORE, name: '北京华辰奥迪' },
      { id: 'st_HCAUDITJ', name: '天津华辰奥迪' },
    ];

    // Act
    const view = hq.groupView('grp_HUACHEN', stores, [figures], new Date('2026-11-24T12:00:00.000Z'));

    // Assess
    expect(view.stores.map((s) => s.repairOrderLines)).toEqual([4, 0]);
    expect(view.totals).toEqual({
      customers: 0,
      vehicles: 0,
      servedLast30Days: 0,
      imports: 0,
      importFailedRows: 0,
      ...NO_CONTRIBUTIONS,
      repairOrderLines: 4,
    });
    expect(hq.view.parse(view)).toEqual(view);
    expect(hq.columns.at(-1)).toMatchObject({ name: 'repairOrderLines', label: { 'zh-CN': '工单行数' } });
  });

  it('refuses at load a figure two capabilities declare', () => {
    expect(() => composeHqFigures([...CAPABILITIES, WORKSHOP, WORKSHOP])).toThrow(/repairOrderLines/);
  });

  it('refuses at load a ratio of a figure its capability does not declare, or named like a figure', () => {
    // Prepare: the same capability, its ratio dividing a figure of another (types refuse it; data may not)
    const label = { en: 'Lines per customer', 'zh-CN': '每客户工单行' };
    const ratio = (name: string, denominator: string): FigureSource => ({
      events: WORKSHOP.events,
      figures: {
        figures: { repairOrderLines: { label } },
        on: {},
        ratios: { [name]: { label, numerator: 'repairOrderLines', denominator: [denominator] } },
      },
    });

    // Act / Assess
    expect(() => composeHqFigures([...CAPABILITIES, ratio('linesPerCustomer', 'customers')])).toThrow(
      /linesPerCustomer.*customers/,
    );
    expect(() => composeHqFigures([...CAPABILITIES, ratio('noShowRate', 'repairOrderLines')])).toThrow(
      /noShowRate/,
    );
    expect(
      composeHqFigures([...CAPABILITIES, ratio('lineRate', 'repairOrderLines')]).ratios.at(-1),
    ).toMatchObject({
      name: 'lineRate',
    });
  });

  it('adds amounts on days and scales a ratio: stock turnover and days of supply from 30 days of issues', () => {
    // Prepare: ¥300 of parts issued at cost over the last 30 days, ¥1,000 in stock
    const issued = (amountMinor: number, at: string) =>
      ({
        id: `evt_${at}`,
        type: 'stock.moved',
        schemaVersion: EVENT_SCHEMA_VERSION,
        tenantId: STORE,
        aggregate: 'part',
        aggregateId: 'prt_1',
        at,
        actor: { userId: 'u1', name: 'Keeper', roles: ['warehouse_keeper'] },
        data: {
          partId: 'prt_1',
          movementId: `mov_${at}`,
          kind: 'issue',
          quantity: 1,
          onHandDelta: -1,
          valueMinor: -amountMinor,
          at,
        },
      }) as DomainEvent;
    const hq = composeHqFigures(CAPABILITIES);
    const start = { ...hq.empty(STORE), stockValueMinor: 130_000 };

    // Act
    const figures = [
      issued(10_000, '2026-11-20T08:00:00.000Z'),
      issued(20_000, '2026-11-24T08:00:00.000Z'),
    ].reduce(hq.project, start);
    const [view] = hq.groupView(
      'grp_1',
      [{ id: STORE, name: 'BJ' }],
      [figures],
      new Date('2026-11-25T00:00:00Z'),
    ).stores;

    // Assess
    expect(figures).toMatchObject({
      stockValueMinor: 100_000,
      partsIssuedCostByDay: { '2026-11-20': 10_000, '2026-11-24': 20_000 },
    });
    expect(view).toMatchObject({ partsIssuedCostLast30Days: 30_000, partLinesIssuedLast30Days: 2 });
    expect(view?.stockTurnover).toBeCloseTo((30_000 / 100_000) * (365 / 30));
    expect(view?.daysOfSupply).toBeCloseTo(100);
  });
});
