/** 人员: the store's staff, their roles, levels, skills and shifts. */
export * from './model.ts';
export * from './rules.ts';
