/** The data platform: the tenant table and its keys, aggregates, events, due work, queues, the directory. */
export * from './aggregate.ts';
export * from './clients.ts';
export * from './cursor.ts';
export * from './directory.ts';
export * from './due.ts';
export * from './events.ts';
export * from './extensions.ts';
export * from './figures.ts';
export * from './idempotency.ts';
export * from './keys.ts';
export * from './objects.ts';
export * from './queue.ts';
export * from './request-counters.ts';
export * from './table.ts';
export * from './tenant-table.ts';
