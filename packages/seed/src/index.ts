/**
 * The deterministic demo dataset: a dealer group with three stores, an independent store, two OEMs,
 * their users, and a few hundred customers with their vehicles per run.
 */

export { writeXlsx, type XlsxCell } from '@aftersales/domain/xlsx-write';
export {
  DEMO_GROUP,
  DEMO_GROUP_STORES,
  DEMO_INDEPENDENT_STORE,
  DEMO_OEMS,
  DEMO_ORGS,
  DEMO_STORES,
  demoOrg,
  demoStoreIds,
  FIRST_STORE,
} from './platform/orgs.ts';
export { type SeedOptions, seedDemo, writeDemoPlan } from './platform/seed.ts';
export {
  DEMO_OEM_CLIENTS,
  DEMO_PASSWORD,
  DEMO_TOTP_SECRET,
  DEMO_USERS,
  type DemoOemClient,
  type DemoUser,
  demoUserFor,
  demoUsersOf,
  oemClientPrincipals,
} from './platform/users.ts';
export {
  buildDemoPlan,
  DEFAULT_CUSTOMERS_PER_STORE,
  type DemoPlan,
  makeVin,
  type PlannedCustomer,
  type PlannedVehicle,
  type PlanOptions,
  planCounts,
  SMALL_CUSTOMERS_PER_STORE,
  type StorePlan,
  withCheckDigit,
} from './registry/generate.ts';
export { csvToXlsx } from './setup/xlsx.ts';
export {
  DEFAULT_WEBHOOK_RECEIVER_URL,
  DEMO_WEBHOOK_SECRET,
  demoWebhookUrl,
} from './webhooks/endpoints.ts';
