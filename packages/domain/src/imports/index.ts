/** 数据导入: imports of a store's old data from CSV, in kinds declared by the capabilities that own the rows. */
export * from './customers-vehicles.ts';
export * from './kinds.ts';
export * from './model.ts';
export * from './rules.ts';
