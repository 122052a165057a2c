import type * as z from 'zod';
import type { Role } from './tenancy.ts';

/**
 * What one capability of the product (the registry, imports, HQ figures, later repair orders, warranty
 * claims…) adds to the shared vocabulary, declared in its own domain file: its aggregates and their
 * audit actions, the events it emits with their payload schemas, and its permissions, each with the
 * roles granted it.
 *
 * `capabilities.ts` lists every capability once; the event catalogue (`EVENT_PAYLOADS`), the permission
 * enum and the role → permission table (`ROLE_PERMISSIONS`) are derived from that list.
 *
 * A capability declares itself in its folder's `model.ts` (`registry/model.ts`, `imports/model.ts`…);
 * the module-graph test refuses any import cycle, so nothing about import order needs remembering.
 */
export interface Capability<
  E extends Record<string, z.ZodType> = Record<string, z.ZodType>,
  P extends string = string,
  A extends Record<string, readonly string[]> = Record<string, readonly string[]>,
> {
  /** Its aggregates (the audit log's entities), each with the audit actions it uses beyond create/update. */
  aggregates: A;
  events: E;
  /** Permission → the roles that hold it (a user's permissions are the union over their roles). */
  permissions: Record<P, readonly Role[]>;
}

export function defineCapability<
  const E extends Record<string, z.ZodType>,
  const P extends string,
  const A extends Record<string, readonly string[]>,
>(capability: Capability<E, P, A>): Capability<E, P, A> {
  return capability;
}
