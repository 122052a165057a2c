export * from './app.ts';
export * from './auth.ts';
export type { AppEnv, StoreAccess } from './env.ts';
export * from './problem.ts';
