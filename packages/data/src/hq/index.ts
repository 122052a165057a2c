/** 集团看板: the group's figures, the projector that feeds them and their rebuild. */
export * from './figures.ts';
export * from './figures-projector.ts';
export * from './figures-rebuild.ts';
