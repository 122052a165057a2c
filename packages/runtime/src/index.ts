export * from './config.ts';
export * from './logger.ts';
