/**
 * Every key prefix the table uses, registered once. Tenant keys are `<tenantId>#<PREFIX>#…`, so two
 * aggregates can only collide by choosing the same prefix: `keys.test.ts` refuses that, and refuses a
 * prefix that is not plain upper-case (the `#` separator then keeps `VIN#` and `VIN6#` apart).
 * An aggregate declared with `defineAggregate` claims every prefix it uses (record, indexes, look-ups),
 * and a projection claims its own where it is declared (`registerKeyPrefix`): only the platform's
 * own prefixes are listed here.
 */
export const KEY_PREFIXES = {
  idempotency: 'IDEMP', // Idempotency-Key records of creates
  due: 'DUE', // work due later: one item per job, and the tenant's sparse due index
  requestCount: 'RATE', // request counters of the API's per-client limits, one item per window
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
