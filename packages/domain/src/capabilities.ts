import { type Capability, defineCapability } from './capability.ts';
import { IMPORTS } from './import.ts';
import { REGISTRY } from './registry.ts';
import type { Role } from './tenancy.ts';

/** 集团看板: HQ reads projections of its stores' events; it owns no aggregate and emits no events. */
const HQ = defineCapability({
  aggregates: {},
  events: {},
  permissions: { 'hq:read': ['hq_executive', 'hq_analyst'] },
});

/**
 * Every capability of the product, listed once. The event catalogue and the permissions are derived
 * from this list; a new capability (repair orders, warranty claims…) is one more entry.
 */
const CAPABILITIES = [REGISTRY, IMPORTS, HQ] as const;

type Listed = (typeof CAPABILITIES)[number];
type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void
  ? I
  : never;

/** Event type → payload schema, over every capability. */
export type EventCatalogue = UnionToIntersection<Listed['events']>;
/** Every permission any capability declares. */
export type PermissionName = keyof UnionToIntersection<Listed['permissions']> & string;

/** Every aggregate (audit log entity) any capability declares. */
export type AggregateName = keyof UnionToIntersection<Listed['aggregates']> & string;
/** Every audit action: create and update, and those the aggregates declare. */
export type AuditActionName =
  | 'create'
  | 'update'
  | UnionToIntersection<Listed['aggregates']>[AggregateName][number];

/** Merges one part of every capability, refusing a name two of them declare. */
function merged<K extends 'aggregates' | 'events' | 'permissions'>(
  part: K,
): Record<string, Capability[K][string]> {
  const all: Record<string, Capability[K][string]> = {};
  for (const capability of CAPABILITIES as readonly Capability[])
    for (const [name, value] of Object.entries(capability[part])) {
      if (name in all) throw new Error(`${part} "${name}" is declared by two capabilities`);
      all[name] = value;
    }
  return all;
}

export const EVENT_PAYLOADS = merged('events') as EventCatalogue;
export const PERMISSION_GRANTS = merged('permissions') as Record<PermissionName, readonly Role[]>;
export const AGGREGATE_AUDIT_ACTIONS = merged('aggregates') as Record<AggregateName, readonly string[]>;
