/** 采购 · 入库: purchase plans, orders per supplier, receipts with three inspections and discrepancy reports. */

export * from './model.ts';
export * from './rules.ts';
