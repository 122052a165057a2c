export * from './consumer.ts';
export * from './events.ts';
export * from './replay.ts';
export * from './router.ts';
