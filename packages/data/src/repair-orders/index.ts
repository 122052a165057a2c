/** 维修工单: the repair order, from reception to delivery, and its HQ figures' counting. */

export * from './approval-links.ts';
export * from './hq-figures.ts';
export * from './parts.ts';
export * from './repair-orders.ts';
export * from './walk-around.ts';
