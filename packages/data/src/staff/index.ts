/** 人员: the staff records' declaration and repository. */

export * from './hq-figures.ts';
export * from './staff.ts';
