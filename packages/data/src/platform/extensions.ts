import { type DueJobType, declareDueJobTypes } from './due.ts';
import { registerKeyPrefix } from './keys.ts';
import { declareQueues, type QueueDefinition } from './table.ts';

/**
 * Declarations a process adds beside the product's own (`QUEUES`, `DUE_JOB_TYPES`, `KEY_PREFIXES`):
 * the integration tests' local stack adds its own consumers this way, so the production
 * declarations, and CDK, which builds from them, never mention them.
 */
export interface PlatformExtensions {
  /** Created, subscribed and polled like `QUEUES` by the local stack, the router and the replay. */
  queues?: readonly QueueDefinition[];
  /** Handed to their queues by the due sweeper, accepted by `scheduleDue`. */
  dueJobTypes?: readonly DueJobType[];
  /** Key prefixes by owner, claimed like `KEY_PREFIXES` (a prefix another owner holds is refused). */
  keyPrefixes?: Readonly<Record<string, string>>;
}

/** Adds `extensions` to this process's declarations; call it before the handlers that read them load. */
export function extendPlatform(extensions: PlatformExtensions): void {
  for (const [owner, prefix] of Object.entries(extensions.keyPrefixes ?? {}))
    registerKeyPrefix(prefix, owner);
  declareQueues(extensions.queues ?? []);
  declareDueJobTypes(extensions.dueJobTypes ?? []);
}
