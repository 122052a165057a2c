/** 维修工单: the repair order, from reception to delivery. */

export * from './approval-links.ts';
export * from './repair-orders.ts';
export * from './walk-around.ts';
