/** 推送: webhook endpoints, their Standard Webhooks signatures, deliveries and their retry schedule. */

export * from './model.ts';
export * from './rules.ts';
export * from './signing.ts';
