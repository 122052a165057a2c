export * from './app.ts';
export * from './platform/auth.ts';
export { ORIGIN_VERIFY_HEADER } from './platform/client-address.ts';
export type { AppEnv, StoreAccess } from './platform/env.ts';
export {
  type IdentityAccounts,
  IdentityAdmin,
  type NewAccount,
  unavailableAccounts,
} from './platform/identity-admin.ts';
export * from './platform/problem.ts';
