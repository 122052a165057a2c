/** 采购 · 入库: purchase plans, orders, receipts with their three inspections, and the shortages a plan collects. */
export * from './orders.ts';
export * from './plans.ts';
export * from './receipts.ts';
export * from './shortages.ts';
