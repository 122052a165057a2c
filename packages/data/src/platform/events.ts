import { type DomainEvent, EVENT_SCHEMA_VERSION, type NewEvent, newId, parseEvent } from '@aftersales/domain';
import type { Item, TenantContext, TenantTable, TxOp } from './tenant-table.ts';

/**
 * Event items live in their aggregate's partition (sort key `~EVT#<time>#<id>`, after the record and
 * its audit entries' reads never reach them), are written in the change's own transaction and expire
 * after EVENT_RETENTION_DAYS: the stream delivers them; the items are kept only for replay.
 */
export const EVENT_SK_PREFIX = '~EVT#';
export const EVENT_ITEM_TYPE = 'DomainEvent';
export const EVENT_RETENTION_DAYS = 35;

export function eventOp(
  table: TenantTable,
  ctx: TenantContext,
  partition: string[],
  event: NewEvent,
  at: string,
): TxOp {
  const id = newId('evt');
  const item: Item = {
    pk: table.key(...partition),
    sk: `${EVENT_SK_PREFIX}${at}#${id}`,
    type: EVENT_ITEM_TYPE,
    id,
    // `type` is the item's kind on this table; the event's own type is `eventType`.
    eventType: event.type,
    aggregate: event.aggregate,
    aggregateId: event.aggregateId,
    data: event.data,
    schemaVersion: EVENT_SCHEMA_VERSION,
    at,
    actor: ctx.actor,
    expiresAt: Math.floor(Date.parse(at) / 1000) + EVENT_RETENTION_DAYS * 86_400,
  };
  return { put: item };
}

/** The event an item (from a Query or a stream record's new image) holds, checked against its schema. */
export function eventFromItem(item: Item): DomainEvent {
  return parseEvent({
    id: item.id,
    type: item.eventType,
    schemaVersion: item.schemaVersion,
    tenantId: item.tenantId,
    aggregate: item.aggregate,
    aggregateId: item.aggregateId,
    at: item.at,
    actor: item.actor,
    data: item.data,
  });
}
