import { type AuditEntry, type FieldChange, newId } from '@aftersales/domain';
import type { Item, Page, PageRequest, TenantContext, TenantTable, TxOp } from './tenant-table.ts';

/**
 * Audit entries live in the audited record's own partition (sort key `~AUDIT#<time>#<id>`, after
 * every other item of the record), so a record's history is one Query and the entry is written in the
 * same transaction as the change.
 */
export const AUDIT_SK_PREFIX = '~AUDIT#';

export function auditOp(
  table: TenantTable,
  ctx: TenantContext,
  recordPartition: string[],
  entry: Pick<AuditEntry, 'action' | 'entity' | 'entityId'> & { changes: FieldChange[] },
  at: string,
): TxOp {
  const id = newId('aud');
  const item: Item = {
    pk: table.key(...recordPartition),
    sk: `${AUDIT_SK_PREFIX}${at}#${id}`,
    type: 'Audit',
    id,
    at,
    actor: ctx.actor,
    ...entry,
  };
  return { put: item };
}

export async function auditHistory(
  table: TenantTable,
  recordPartition: string[],
  page: PageRequest,
): Promise<Page<AuditEntry>> {
  const out = await table.query({
    partition: recordPartition,
    sk: { beginsWith: AUDIT_SK_PREFIX },
    newestFirst: true,
    limit: page.limit ?? 50,
    cursor: page.cursor,
  });
  return {
    items: out.items.map((i) => ({
      id: i.id,
      at: i.at,
      actor: i.actor,
      action: i.action,
      entity: i.entity,
      entityId: i.entityId,
      changes: i.changes ?? [],
    })),
    ...(out.nextCursor ? { nextCursor: out.nextCursor } : {}),
  };
}
