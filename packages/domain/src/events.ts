import * as z from 'zod';
import { EVENT_PAYLOADS } from './capabilities.ts';
import { Instant, RequiredText, Version } from './platform/fields.ts';
import { Actor } from './platform/tenancy.ts';

/**
 * Domain events (领域事件): what other capabilities react to. An event is written as an item in the same
 * DynamoDB transaction as the change it describes, so there is no window in which the change exists
 * and its event does not; the table's stream carries it to the router, which fans it out to one queue
 * per consumer (packages/data `CONSUMERS`).
 *
 * Each type is declared once, with its payload schema, by the capability that emits it (`REGISTRY` in
 * registry.ts, `IMPORTS` in import.ts…; listed in capabilities.ts): producers type-check against it,
 * consumers parse with it.
 */

export { EVENT_PAYLOADS };

export type DomainEventType = keyof typeof EVENT_PAYLOADS;
export const DomainEventType = z.enum(Object.keys(EVENT_PAYLOADS) as [DomainEventType, ...DomainEventType[]]);
export type EventPayload<T extends DomainEventType> = z.infer<(typeof EVENT_PAYLOADS)[T]>;

/** Bumped when a payload changes shape incompatibly; consumers can upgrade older versions. */
export const EVENT_SCHEMA_VERSION = 1;

/** The envelope every event travels in. */
export const DomainEvent = z.object({
  id: RequiredText,
  type: DomainEventType,
  schemaVersion: Version,
  tenantId: RequiredText,
  /** The aggregate the change happened to, e.g. `customer` / `cus_…`. */
  aggregate: z.string(),
  aggregateId: RequiredText,
  at: Instant,
  actor: Actor,
  data: z.record(z.string(), z.unknown()),
});
export type DomainEvent = z.infer<typeof DomainEvent>;

/** A typed event, before the envelope fields the data layer fills in (id, tenant, time, actor). */
export interface NewEvent<T extends DomainEventType = DomainEventType> {
  type: T;
  aggregate: string;
  aggregateId: string;
  data: EventPayload<T>;
}

export function newEvent<T extends DomainEventType>(
  type: T,
  aggregate: string,
  aggregateId: string,
  data: EventPayload<T>,
): NewEvent<T> {
  return { type, aggregate, aggregateId, data: EVENT_PAYLOADS[type].parse(data) as EventPayload<T> };
}

/** A consumer's view of an event: the envelope checked, the payload parsed with its type's schema. */
export function parseEvent(raw: unknown): DomainEvent {
  const event = DomainEvent.parse(raw);
  return { ...event, data: EVENT_PAYLOADS[event.type].parse(event.data) };
}
