/** 维修工单: the repair order from reception to delivery, its lines, quotes, checks and settlement. */

export * from './approval-link.ts';
export * from './declined-work.ts';
export * from './escalation.ts';
export * from './line-work.ts';
export * from './model.ts';
export * from './parts.ts';
export * from './rules.ts';
export * from './walk-around.ts';
export * from './workshop.ts';
