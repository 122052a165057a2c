/** 盘点: count sheets by location, counts, explained differences posted as adjustments. */

export * from './model.ts';
export * from './rules.ts';
