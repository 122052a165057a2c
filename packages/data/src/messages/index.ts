/** 消息: the outbox's declaration and repository, its due job type, the sender interface and delivery. */

export * from './delivery.ts';
export * from './due.ts';
export * from './outbox.ts';
export * from './sender.ts';
