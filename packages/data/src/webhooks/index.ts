/** 推送: webhook endpoints, deliveries and their attempts, the store's copies, and the outbox. */
export * from './deliveries.ts';
export * from './due.ts';
export * from './endpoints.ts';
export * from './outbox.ts';
