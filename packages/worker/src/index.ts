export * from './consumer.ts';
export * from './events.ts';
export * from './router.ts';
export * from './replay.ts';
