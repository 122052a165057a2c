/**
 * Every key prefix the table uses, registered once. Tenant keys are `<tenantId>#<PREFIX>#…`, so two
 * aggregates can only collide by choosing the same prefix: `keys.test.ts` refuses that, and refuses a
 * prefix that is not plain upper-case (the `#` separator then keeps `VIN#` and `VIN6#` apart).
 * An aggregate declared with `defineAggregate` registers its own prefixes (`registerKeyPrefix`), so a new
 * aggregate needs no line here; indexes and projections outside an aggregate add theirs below.
 */
export const KEY_PREFIXES = {
  customer: 'CUS', // 客户档案: pk of a customer and its audit/event items; gsi1 of a customer's vehicle links
  customerName: 'CUSNAME', // gsi1: customers by name key (A–Z, prefix search)
  phone: 'PHONE', // phone-number index items
  vehicle: 'VEH', // 车辆档案: vehicle, links, odometer readings, audit, events
  plate: 'PLATE', // gsi1: vehicles by plate
  vinSuffix: 'VIN6', // gsi2: vehicles by the VIN's last six characters
  vinGuard: 'VIN', // one vehicle per VIN per store
  vehicleRecent: 'VEHRECENT', // gsi3: recently served vehicles (sparse)
  importJob: 'IMPORT', // a CSV import's job and chunks
  importList: 'IMPORTS', // gsi1: a store's imports, newest first
  idempotency: 'IDEMP', // Idempotency-Key records of creates
  hqFigures: 'HQFIG', // in a group's partition: one HQ figures item per store (projection)
  hqFiguresMark: 'HQFIGEVT', // in a group's partition: a store event already projected into its figures
} as const;

export type KeyPrefixName = keyof typeof KEY_PREFIXES;
export type KeyPrefix = (typeof KEY_PREFIXES)[KeyPrefixName];

/** Sort-key prefixes shared by many aggregates' partitions (record items use `#<PREFIX>`). */
export const SORT_KEY_PREFIXES = {
  audit: '~AUDIT#', // after every item a record read reaches (`sk < "~"`)
  event: '~EVT#',
} as const;

const OWNERS = new Map<string, string>();

/**
 * Claims a key prefix for `owner` (an aggregate or a `KEY_PREFIXES` entry). Refuses, when the module
 * that declares it loads, a prefix another owner holds or one that is not plain upper-case.
 */
export function registerKeyPrefix(prefix: string, owner: string): void {
  if (!/^[A-Z][A-Z0-9]*$/.test(prefix))
    throw new Error(`key prefix "${prefix}" of ${owner} is not plain upper-case letters and digits`);
  const holder = OWNERS.get(prefix);
  if (holder !== undefined && holder !== owner)
    throw new Error(`key prefix "${prefix}" of ${owner} is already used by ${holder}`);
  OWNERS.set(prefix, owner);
}

/** Every prefix claimed so far, with its owner. */
export function registeredKeyPrefixes(): ReadonlyMap<string, string> {
  return OWNERS;
}

for (const [owner, prefix] of Object.entries(KEY_PREFIXES)) registerKeyPrefix(prefix, owner);
