import * as z from 'zod';
import { APPOINTMENTS } from './appointments/model.ts';
import { CLAIMS } from './claims/model.ts';
import { HQ } from './hq/model.ts';
import { IMPORTS } from './imports/model.ts';
import { LEMON_LAW } from './lemon-law/model.ts';
import { MESSAGES } from './messages/model.ts';
import { PARTS } from './parts/model.ts';
import type { Capability } from './platform/capability.ts';
import { GroupRole, OemRole, type Role, StoreRole } from './platform/tenancy.ts';
import { PURCHASING } from './purchasing/model.ts';
import { REGISTRY } from './registry/model.ts';
import { REPAIR_ORDERS } from './repair-orders/model.ts';
import { SETUP } from './setup/model.ts';
import { STAFF } from './staff/model.ts';
import { STOCKTAKES } from './stocktakes/model.ts';
import { WEBHOOKS } from './webhooks/model.ts';
import { WRITE_OFFS } from './write-offs/model.ts';

/**
 * Every capability of the product, listed once. The event catalogue and the permissions are derived
 * from this list; a new capability (repair orders, warranty claims…) is one more entry.
 *
 * Each entry is imported from its capability's `model.ts`, which may import the platform and other
 * capabilities' models but nothing derived here (events.ts, audit.ts, this file): the import-graph test
 * (imports.test.ts) refuses a cycle, so a declaration can use any platform value at its top level.
 */
export const CAPABILITIES = [
  REGISTRY,
  IMPORTS,
  HQ,
  SETUP,
  STAFF,
  APPOINTMENTS,
  MESSAGES,
  PARTS,
  STOCKTAKES,
  WRITE_OFFS,
  PURCHASING,
  REPAIR_ORDERS,
  CLAIMS,
  LEMON_LAW,
  WEBHOOKS,
] as const;

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

/** A capability's HQ figure declarations (none: `{}`; an absent part infers the open constraint). */
type FiguresOf<C> = C extends { figures?: { figures: infer F } }
  ? string extends keyof F
    ? Record<never, never>
    : F
  : Record<never, never>;
/** Every HQ figure any capability contributes: name → declaration (`platform/capability.ts`). */
export type HqFigureDeclarations = UnionToIntersection<FiguresOf<Listed>>;
/** A capability's HQ ratios (none: `{}`, as for its figures). */
type RatiosOf<C> = C extends { figures?: { ratios?: infer R } }
  ? string extends keyof NonNullable<R>
    ? Record<never, never>
    : NonNullable<R>
  : Record<never, never>;
/** Every HQ ratio any capability derives from its figures: name → declaration (`platform/capability.ts`). */
export type HqRatioDeclarations = UnionToIntersection<RatiosOf<Listed>>;
/** The event types some capability's HQ figures are counted from. */
export type HqFigureEvent = Listed extends infer C
  ? C extends { figures?: { on: infer H } }
    ? keyof H & string
    : never
  : never;

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

/** Every permission, as declared by the capabilities (capabilities.ts) with the roles that hold it. */
export const Permission = z.enum(Object.keys(PERMISSION_GRANTS) as [PermissionName, ...PermissionName[]]);
export type Permission = z.infer<typeof Permission>;

/** Permissions by role, derived from the grants. A user's permissions in a store are the union over the roles held there. */
export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = rolePermissions();

function rolePermissions(): Record<Role, readonly Permission[]> {
  const table: Partial<Record<Role, readonly Permission[]>> = {};
  for (const role of [...StoreRole.options, ...GroupRole.options, ...OemRole.options])
    table[role] = Permission.options.filter((p) => PERMISSION_GRANTS[p].includes(role));
  return table as Record<Role, readonly Permission[]>;
}

export function permissionsOf(roles: readonly Role[]): Set<Permission> {
  return new Set(roles.flatMap((r) => ROLE_PERMISSIONS[r]));
}

/** A permission that only reads: by the naming rule, `<thing>:read`. */
export type ReadPermission = Extract<Permission, `${string}:read`>;

export function isReadPermission(permission: Permission): permission is ReadPermission {
  return permission.endsWith(':read');
}

/**
 * What roles of a dealer group's HQ may do in one of its stores: their permissions that only read. A
 * grant of a write (or of full contacts) to an HQ role therefore never reaches a store, whatever the
 * capability declarations say.
 */
export function readOnlyPermissionsOf(roles: readonly Role[]): Set<ReadPermission> {
  return new Set([...permissionsOf(roles)].filter(isReadPermission));
}
