/** 索赔: warranty claims in the store's partition. */

export * from './claims.ts';
export * from './decisions.ts';
export * from './hq-figures.ts';
export * from './oem-claims.ts';
