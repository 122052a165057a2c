import {
  type DomainEvent,
  type DomainEventType,
  EVENT_PAYLOADS,
  type EventPayload,
} from '@aftersales/domain';

/** A consumer was handed an event type it does not subscribe to (a routing declaration is wrong). */
export class UnexpectedEventError extends Error {
  override readonly name = 'UnexpectedEventError';
  readonly code = 'UNEXPECTED_EVENT_TYPE';
  constructor(expected: readonly string[], actual: string) {
    super(`Expected one of ${expected.join(', ')}, got ${actual}`);
  }
}

/** The event's payload, typed by its declared schema, after checking the event is of that type. */
export function payloadOf<T extends DomainEventType>(event: DomainEvent, type: T): EventPayload<T> {
  if (event.type !== type) throw new UnexpectedEventError([type], event.type);
  return EVENT_PAYLOADS[type].parse(event.data) as EventPayload<T>;
}
