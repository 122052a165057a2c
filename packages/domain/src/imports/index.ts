/** 数据导入: CSV import of customers and vehicles from a store's old system. */
export * from './model.ts';
export * from './rules.ts';
