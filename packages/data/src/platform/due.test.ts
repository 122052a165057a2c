import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { dynamoDbClient } from './clients.ts';
import { DUE_JOB_TYPES, declareDueJobTypes, defineDueJobType, dueJobType, scheduleDue } from './due.ts';
import { extendPlatform } from './extensions.ts';
import { registeredKeyPrefixes } from './keys.ts';
import { DueMessage, declaredQueues, declareQueues, QUEUES, type QueueDefinition } from './table.ts';
import { TenantTable } from './tenant-table.ts';

/**
 * Due job types name their queue by its declaration, and whatever a process adds beside the product's
 * declarations (the integration tests' own consumers) is added explicitly, never declared in production.
 */
const REMINDERS = {
  id: 'Reminders',
  env: 'REMINDERS',
  consumerTimeoutSeconds: 10,
  visibilityTimeoutSeconds: 60,
  maxReceiveCount: 3,
  batchSize: 10,
  handler: 'reminders/lambda.ts',
  message: DueMessage,
} as const satisfies QueueDefinition<DueMessage>;

const REMINDER = defineDueJobType({
  name: 'reminder.due',
  payload: z.object({ note: z.string() }),
  queue: REMINDERS,
});

const actor = { userId: 'u1', name: 'Manager', roles: [] };
const table = new TenantTable('st_TEST01', dynamoDbClient(), 'unused');

describe('due job types', () => {
  it('name their queue by its declaration: an unknown queue or one of events fails tsc', () => {
    defineDueJobType({
      name: 'reminder.byName',
      payload: z.object({}),
      // @ts-expect-error: a queue is its declaration, not a name
      queue: 'reminders',
    });
    defineDueJobType({
      name: 'reminder.ofEvents',
      payload: z.object({}),
      // @ts-expect-error: the imports queue takes domain events, not due jobs
      queue: QUEUES.imports,
    });
    // @ts-expect-error: no such queue is declared
    expect(QUEUES.reminders).toBeUndefined();
  });

  it('schedules a job only once its type is declared where the sweeper looks', () => {
    // Prepare
    const job = {
      type: REMINDER,
      id: 'due_1',
      dueAt: new Date('2026-11-26T08:00:00Z'),
      payload: { note: 'x' },
    };
    const schedule = () => scheduleDue(table, { tenantId: table.tenantId, actor }, job);

    // Act
    const undeclared = (() => {
      try {
        schedule();
      } catch (e) {
        return e;
      }
    })();
    declareDueJobTypes([REMINDER]);
    const op = schedule();

    // Assess
    expect(String(undeclared)).toMatch(/not declared/);
    expect(DUE_JOB_TYPES.map((t) => t.name)).not.toContain('reminder.due');
    expect(dueJobType('reminder.due').queue).toBe(REMINDERS);
    expect(op).toMatchObject({ put: { jobType: 'reminder.due', jobId: 'due_1', payload: { note: 'x' } } });
  });

  it('refuses a second type of the same name for another queue', () => {
    // Prepare
    declareDueJobTypes([REMINDER]);
    const other = { ...REMINDERS, id: 'OtherReminders', env: 'OTHER_REMINDERS' };

    // Act / Assess
    expect(() => declareDueJobTypes([{ ...REMINDER, queue: other }])).toThrow(/already declared/);
  });
});

describe('platform extensions', () => {
  it('add queues, due job types and key prefixes to this process only, beside the product’s', () => {
    // Prepare
    const before = declaredQueues().map((q) => q.id);

    // Act
    extendPlatform({ queues: [REMINDERS], dueJobTypes: [REMINDER], keyPrefixes: { reminders: 'REMIND' } });
    extendPlatform({ queues: [REMINDERS] }); // again, as a module loaded twice would

    // Assess
    expect(before).toEqual(Object.values(QUEUES).map((q) => q.id));
    expect(declaredQueues().map((q) => q.id)).toEqual([...before, 'Reminders']);
    expect(registeredKeyPrefixes().get('REMIND')).toBe('reminders');
  });

  it('refuses a queue whose id or env another declaration holds', () => {
    // Act / Assess
    expect(() => declareQueues([{ ...REMINDERS, id: QUEUES.imports.id }])).toThrow(/clashes/);
    expect(() => declareQueues([{ ...REMINDERS, id: 'Other', env: QUEUES.hqFigures.env }])).toThrow(
      /clashes/,
    );
  });
});
