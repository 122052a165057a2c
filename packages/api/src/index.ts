export * from './app.ts';
export * from './platform/auth.ts';
export type { AppEnv, StoreAccess } from './platform/env.ts';
export * from './platform/problem.ts';
