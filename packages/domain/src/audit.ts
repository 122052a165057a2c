import * as z from 'zod';
import { AGGREGATE_AUDIT_ACTIONS, type AggregateName, type AuditActionName } from './capabilities.ts';
import { Instant } from './platform/fields.ts';
import { Actor } from './platform/tenancy.ts';

/** The audited aggregates, as the capabilities declare them (capabilities.ts). */
export const AuditEntity = z.enum(
  Object.keys(AGGREGATE_AUDIT_ACTIONS) as [AggregateName, ...AggregateName[]],
);

/** Who changed what and when (操作日志). Written in the same transaction as the change it records. */
export const AuditAction = z.enum([
  ...new Set(['create', 'update', ...Object.values<readonly string[]>(AGGREGATE_AUDIT_ACTIONS).flat()]),
] as [AuditActionName, ...AuditActionName[]]);

export const FieldChange = z.object({
  field: z.string(),
  from: z.unknown().optional(),
  to: z.unknown().optional(),
});
export type FieldChange = z.infer<typeof FieldChange>;

export const AuditEntry = z.object({
  id: z.string(),
  at: Instant,
  actor: Actor,
  action: AuditAction,
  entity: AuditEntity,
  entityId: z.string(),
  changes: z.array(FieldChange),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

/** Field-level differences between two versions of a record; unchanged fields are left out. */
export function diffRecords(
  before: Record<string, unknown> | undefined,
  after: Record<string, unknown>,
  ignore: readonly string[] = ['version', 'updatedAt', 'createdAt'],
): FieldChange[] {
  const fields = new Set([...Object.keys(before ?? {}), ...Object.keys(after)]);
  const changes: FieldChange[] = [];
  for (const field of [...fields].sort()) {
    if (ignore.includes(field)) continue;
    const from = before?.[field];
    const to = after[field];
    if (JSON.stringify(from) !== JSON.stringify(to)) changes.push({ field, from, to });
  }
  return changes;
}
