export * from './app.ts';
export * from './auth.ts';
export * from './problem.ts';
export type { AppEnv, StoreAccess } from './env.ts';
