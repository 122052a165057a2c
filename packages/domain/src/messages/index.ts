/** 消息: the message outbox — templates, consent and quiet hours. */
export * from './model.ts';
export * from './rules.ts';
