/** 集团看板: the group's figures per store, a projection of the stores' events. */
export * from './figures.ts';
export * from './model.ts';
