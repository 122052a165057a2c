/** 索赔: warranty claims filed with the OEM, their pre-check, adjudication, payment and kept parts. */

export * from './model.ts';
export * from './oem.ts';
export * from './oem-rules.ts';
export * from './precheck.ts';
export * from './rules.ts';
