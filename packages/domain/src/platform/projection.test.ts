import { describe, expect, expectTypeOf, it } from 'vitest';
import * as z from 'zod';
import { type DomainEvent, EVENT_SCHEMA_VERSION } from '../events.ts';
import { HQ_FIGURES, type HqFigureEvent } from '../hq/figures.ts';
import { defineProjection, type ProjectedEventType } from './projection.ts';

/**
 * A projection is its handler map: its events are the map's keys, each handler gets its event's payload
 * typed by the event's type, and a list of events without handlers cannot be written. The type-level
 * cases fail `tsc` (the `@ts-expect-error` lines) if the declaration ever lets them through.
 */
const Tally = z.object({ created: z.int(), failedRows: z.int() });

const TALLY = defineProjection({
  name: 'tally',
  state: Tally,
  handlers: {
    'customer.created': (tally) => ({ ...tally, created: tally.created + 1 }),
    'import.completed': (tally, event) => ({ ...tally, failedRows: tally.failedRows + event.data.failed }),
  },
});

function event(type: DomainEvent['type'], data: Record<string, unknown>): DomainEvent {
  return {
    id: 'evt_1',
    type,
    schemaVersion: EVENT_SCHEMA_VERSION,
    tenantId: 'st_HCAUDIBJ',
    aggregate: type.split('.')[0]!,
    aggregateId: 'x_1',
    at: '2026-11-24T08:00:00.000Z',
    actor: { userId: 'u1', name: 'Advisor', roles: ['service_advisor'] },
    data,
  };
}

describe('defineProjection', () => {
  it('handles exactly the event types it has handlers for', () => {
    // Assess
    expect(TALLY.events).toEqual(['customer.created', 'import.completed']);
    expect(TALLY.handles('customer.created')).toBe(true);
    expect(TALLY.handles('customer.updated')).toBe(false);
    expect(HQ_FIGURES.events).toEqual([
      'customer.created',
      'vehicle.registered',
      'import.created',
      'import.completed',
      'staff.added',
      'staff.updated',
      'staff.statusChanged',
      'appointment.statusChanged',
      'stock.moved',
      'stock.obsoleted',
      'repairOrder.opened',
      'repairOrder.settled',
      'repairOrder.delivered',
      // A claim's first submission, the OEM's decisions and its payment; never the OEM's own `oemClaim.acted`
      'claim.changed',
    ]);
  });

  it('applies the handler of the event’s type with its payload parsed, and leaves the state for others', () => {
    // Prepare
    const start = { created: 0, failedRows: 0 };
    const completed = event('import.completed', {
      importId: 'imp_1',
      totalRows: 10,
      created: 7,
      updated: 0,
      unchanged: 0,
      failed: 3,
    });

    // Act
    const after = TALLY.apply(start, completed);
    const ignored = TALLY.apply(after, event('customer.updated', { customerId: 'cus_1', fields: ['name'] }));

    // Assess
    expect(after).toEqual({ created: 0, failedRows: 3 });
    expect(ignored).toBe(after);
    expect(() => TALLY.apply(start, event('import.completed', { importId: 'imp_1' }))).toThrow();
  });

  it('types each handler’s event by its key, and refuses what has no handler (checked by tsc)', () => {
    defineProjection({
      name: 'typed',
      state: Tally,
      handlers: {
        'vehicle.registered': (tally, e) => {
          expectTypeOf(e.type).toEqualTypeOf<'vehicle.registered'>();
          expectTypeOf(e.data.lastServedAt).toEqualTypeOf<string | undefined>();
          // @ts-expect-error: `failed` belongs to import.completed, not to this event's payload
          e.data.failed;
          return tally;
        },
      },
    });

    defineProjection({
      name: 'unknown event',
      state: Tally,
      handlers: {
        // @ts-expect-error: not an event type of the catalogue
        'customer.vanished': (tally: z.infer<typeof Tally>) => tally,
      },
    });

    // @ts-expect-error: a projection's events are its handlers' keys; this one has no such handler
    const listed: ProjectedEventType<typeof TALLY>[] = ['customer.created', 'customer.updated'];
    // @ts-expect-error: HQ figures have no handler for customer.updated, so it cannot be listed as theirs
    const hq: HqFigureEvent[] = ['customer.created', 'customer.updated'];

    expectTypeOf(TALLY.events).toEqualTypeOf<readonly ('customer.created' | 'import.completed')[]>();
    expect([listed, hq]).toHaveLength(2);
  });
});
