import {
  ChecklistTemplate,
  type ChecklistTemplateFields,
  type ChecklistTemplatePatch,
  decideChecklistTemplateCreation,
  decideChecklistTemplateEdit,
  newId,
} from '@aftersales/domain';
import { AggregateRepository, defineAggregate } from '../platform/aggregate.ts';
import type { IdempotencyRequest } from '../platform/idempotency.ts';
import type { Page, PageRequest, TenantContext, TenantTable } from '../platform/tenant-table.ts';

/**
 * 预检表 templates. Keys, all from this declaration:
 * - template pk `<t>#CHKTPL#<id>` sk `#CHKTPL`; gsi1 `<t>#CHKTPLS` / `<id>` (the store's templates, oldest first)
 * A template holds its sections and items (at most 20 × 60): one item, one read.
 */
export const CHECKLIST_TEMPLATE = defineAggregate({
  name: 'checklistTemplate',
  label: 'ChecklistTemplate',
  idParam: 'checklistTemplateId',
  prefix: 'CHKTPL',
  recordSk: '#CHKTPL',
  schema: ChecklistTemplate,
  indexes: {
    all: { index: 'gsi1', prefix: 'CHKTPLS', key: (t) => ({ pk: [], sk: t.id }) },
  },
});

export class ChecklistTemplates extends AggregateRepository<typeof CHECKLIST_TEMPLATE> {
  constructor(t: TenantTable, ctx: TenantContext) {
    super(t, ctx, CHECKLIST_TEMPLATE);
  }

  async create(
    fields: ChecklistTemplateFields,
    opts: { idempotency?: IdempotencyRequest | undefined; id?: string } = {},
  ): Promise<{ template: ChecklistTemplate; created: boolean }> {
    const decision = decideChecklistTemplateCreation(fields, {
      id: opts.id ?? newId('chk'),
      storeId: this.t.tenantId,
      at: this.now().toISOString(),
    });
    const { record, created } = await this.createRecord(decision.next, {
      ...decision,
      idempotency: opts.idempotency,
    });
    return { template: record, created };
  }

  async update(
    id: string,
    patch: ChecklistTemplatePatch,
    expectedVersion: number,
  ): Promise<ChecklistTemplate> {
    const current = await this.requireVersion(id, expectedVersion);
    const decision = decideChecklistTemplateEdit(current, patch, this.now().toISOString());
    return decision ? this.save(current, decision.next, decision) : current;
  }

  /** The store's templates, oldest first: one Query a page. */
  list(page: PageRequest): Promise<Page<ChecklistTemplate>> {
    return this.queryIndex('all', [], page);
  }
}
