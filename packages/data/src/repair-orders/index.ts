/** 维修工单: the repair order, from reception to delivery. */
export * from './repair-orders.ts';
