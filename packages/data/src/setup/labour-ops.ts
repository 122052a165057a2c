import {
  ConflictError,
  decideLabourOpCreation,
  decideLabourOpEdit,
  LabourOp,
  type LabourOpFields,
  type LabourOpPatch,
  newId,
} from '@aftersales/domain';
import { AggregateRepository, defineAggregate } from '../platform/aggregate.ts';
import type { IdempotencyRequest } from '../platform/idempotency.ts';
import type { Page, PageRequest, TenantContext, TenantTable } from '../platform/tenant-table.ts';

/** Codes compare without case: `brk-01` and `BRK-01` are one operation on a board or in an import. */
export const codeKey = (code: string) => code.toUpperCase();

/**
 * 工时目录, one item per operation. Keys, all from this declaration:
 * - operation  pk `<t>#LABOP#<id>` sk `#LABOP`; gsi1 `<t>#LABOPS` / `<CODE>#<id>` (the catalogue by code)
 * - code guard pk `<t>#OPCODE#<CODE>` sk `#OPCODE`: one operation per code per store (conditional put)
 */
export const LABOUR_OP = defineAggregate({
  name: 'labourOp',
  label: 'LabourOp',
  idParam: 'labourOpId',
  prefix: 'LABOP',
  recordSk: '#LABOP',
  schema: LabourOp,
  indexes: {
    byCode: {
      index: 'gsi1',
      prefix: 'LABOPS',
      key: (op) => ({ pk: [], sk: `${codeKey(op.code)}#${op.id}` }),
    },
  },
  lookups: {
    code: {
      prefix: 'OPCODE',
      type: 'OpCodeGuard',
      values: (op) => [codeKey(op.code)],
      unique: (code, existingLabourOpId) =>
        new ConflictError(409, 'LABOUR_OP_CODE_EXISTS', `The catalogue already has an operation ${code}.`, {
          existingLabourOpId,
        }),
    },
  },
});

export class LabourOps extends AggregateRepository<typeof LABOUR_OP> {
  constructor(t: TenantTable, ctx: TenantContext) {
    super(t, ctx, LABOUR_OP);
  }

  async create(
    fields: LabourOpFields,
    opts: { idempotency?: IdempotencyRequest | undefined; id?: string } = {},
  ): Promise<{ labourOp: LabourOp; created: boolean }> {
    const decision = decideLabourOpCreation(fields, {
      id: opts.id ?? newId('lop'),
      storeId: this.t.tenantId,
      at: this.now().toISOString(),
    });
    const { record, created } = await this.createRecord(decision.next, {
      ...decision,
      idempotency: opts.idempotency,
    });
    return { labourOp: record, created };
  }

  async update(id: string, patch: LabourOpPatch, expectedVersion: number): Promise<LabourOp> {
    const current = await this.requireVersion(id, expectedVersion);
    const decision = decideLabourOpEdit(current, patch, this.now().toISOString());
    return decision ? this.save(current, decision.next, decision) : current;
  }

  /** The catalogue by code (A–Z), from a code prefix when given: one Query a page. */
  list(codePrefix: string, page: PageRequest): Promise<Page<LabourOp>> {
    return this.queryIndex('byCode', [], {
      ...(codePrefix ? { sk: { beginsWith: codeKey(codePrefix) } } : {}),
      ...page,
    });
  }
}
