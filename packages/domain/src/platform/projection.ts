import type * as z from 'zod';
import { type DomainEvent, type DomainEventType, EVENT_PAYLOADS, type EventPayload } from '../events.ts';

/**
 * Projections (投影): state built from domain events, one pure handler per event type. The handler map
 * is the only declaration: the projection's events are its keys, so a queue subscribed with
 * `projection.events` receives exactly what a handler exists for, and an event type listed without a
 * handler cannot be written down (a key outside the catalogue, or a list naming a type the map lacks,
 * fails `tsc`: projection.test.ts).
 */

/** An event of type `T` with its payload typed by that type's schema (as a handler receives it). */
export type EventOf<T extends DomainEventType> = Omit<DomainEvent, 'type' | 'data'> & {
  type: T;
  data: EventPayload<T>;
};

/** How one event type changes the state; returns the next state (never mutates `state`). */
export type ProjectionHandler<S, T extends DomainEventType> = (state: S, event: EventOf<T>) => S;

/** One handler per handled event type, keyed by the type. */
export type ProjectionHandlers<S, K extends DomainEventType> = { readonly [T in K]: ProjectionHandler<S, T> };

export interface ProjectionDeclaration<S, K extends DomainEventType> {
  /** Names the projection in logs and errors (e.g. `hqFigures`). */
  name: string;
  /** The state's schema: a stored state is parsed with it (fields added later need a default). */
  state: z.ZodType<S>;
  handlers: ProjectionHandlers<S, K>;
  /**
   * The payload schemas its events are parsed with: the catalogue unless given (a projection composed
   * from capabilities passes theirs, so one outside the catalogue, as in a test, parses too).
   */
  payloads?: Readonly<Record<string, z.ZodType>>;
}

export interface Projection<S, K extends DomainEventType> {
  readonly name: string;
  readonly state: z.ZodType<S>;
  /** The event types it handles: exactly the keys of its handlers, in declaration order. */
  readonly events: readonly K[];
  /** Whether a handler exists for `type`. */
  handles(type: DomainEventType): type is K;
  /**
   * The state after `event`, its payload parsed with its type's schema. An event type without a
   * handler returns `state` itself, so callers can tell "nothing changed".
   */
  apply(state: S, event: DomainEvent): S;
}

/** The event types a projection handles. */
export type ProjectedEventType<P> = P extends Projection<unknown, infer K> ? K : never;

export function defineProjection<S, K extends DomainEventType>(
  declaration: ProjectionDeclaration<S, K>,
): Projection<S, K> {
  const { name, state, handlers, payloads = EVENT_PAYLOADS } = declaration;
  const events = Object.keys(handlers) as K[];
  const handles = (type: DomainEventType): type is K => Object.hasOwn(handlers, type);
  return {
    name,
    state,
    events,
    handles,
    apply(current, event) {
      if (!handles(event.type)) return current;
      return applyHandler(handlers[event.type], current, event.type, event, payloads);
    },
  };
}

/** Narrows the event to the handler's type: the one place the payload is parsed by its type's schema. */
function applyHandler<S, T extends DomainEventType>(
  handler: ProjectionHandler<S, T>,
  state: S,
  type: T,
  event: DomainEvent,
  payloads: Readonly<Record<string, z.ZodType>>,
): S {
  const schema = payloads[type];
  if (!schema) throw new Error(`No payload schema for event type ${type}`);
  const data = schema.parse(event.data) as EventPayload<T>;
  return handler(state, { ...event, type, data });
}
