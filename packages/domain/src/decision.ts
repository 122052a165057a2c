import { diffRecords, type FieldChange } from './audit.ts';
import type { NewEvent } from './events.ts';
import { applyPatch } from './platform/patch.ts';

/**
 * Every capability's commands are pure decisions: the current state and a command give the next state,
 * the field changes for the audit log and the events — or a domain error. Repositories only persist
 * what is decided, so the rules are tested without a database. Shared here (not in one capability's
 * rules) because every aggregate decides the same way.
 */
export interface Decision<S> {
  next: S;
  changes: FieldChange[];
  events: NewEvent[];
}

interface Versioned {
  version: number;
  updatedAt: string;
}

/** The next version of a record: the changes applied (`null` clears a field), version and time moved on. */
export function nextVersion<S extends Versioned>(
  current: S,
  changes: Record<string, unknown>,
  at: string,
): S {
  return { ...applyPatch(current, changes), version: current.version + 1, updatedAt: at };
}

/**
 * The decision of an edit from the state it leads to: the changed fields, announced by `event`. An edit
 * that changes nothing is no decision: nothing is written, no version spent.
 */
export function editDecision<S extends Versioned & Record<string, unknown>>(
  current: S,
  next: S,
  event: (fields: string[]) => NewEvent,
): Decision<S> | undefined {
  const changes = diffRecords(current, next);
  if (changes.length === 0) return undefined;
  return { next, changes, events: [event(changes.map((c) => c.field))] };
}

/** Where a create happens: the new record's id, its store and the time (the caller's clock). */
export interface Creation {
  id: string;
  storeId: string;
  at: string;
}
