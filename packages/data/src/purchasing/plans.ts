import {
  type ApprovalInput,
  type ApprovalStep,
  type AuditActionName,
  decidePlanApproval,
  decidePlanCreation,
  diffRecords,
  mergeLines,
  newId,
  type Part,
  type PlanLine,
  type PlanLineInput,
  PurchasePlan,
  requireDraft,
  type ShortageCandidate,
  type Signature,
  shortageLines,
  ValidationError,
  VersionConflictError,
} from '@aftersales/domain';
import { Parts } from '../parts/parts.ts';
import { AggregateRepository, defineAggregate } from '../platform/aggregate.ts';
import type { IdempotencyRequest } from '../platform/idempotency.ts';
import type { Page, PageRequest, TenantContext, TenantTable, TxOp } from '../platform/tenant-table.ts';

/**
 * 采购计划, one item per plan with its lines inline (a plan is a page of lines, at most 200). Keys:
 * - plan  pk `<t>#PPLAN#<id>` sk `#PPLAN`; gsi1 `<t>#PPLANS` / `<createdAt>#<id>` (plans, newest first)
 */
export const PURCHASE_PLAN = defineAggregate({
  name: 'purchase_plan',
  label: 'PurchasePlan',
  idParam: 'planId',
  prefix: 'PPLAN',
  recordSk: '#PPLAN',
  schema: PurchasePlan,
  indexes: {
    byTime: { index: 'gsi1', prefix: 'PPLANS', key: (p) => ({ pk: [], sk: `${p.createdAt}#${p.id}` }) },
  },
});

/** Who is acting, as a plan or receipt signs it. */
export function signatureOf(ctx: TenantContext): Signature {
  return { userId: ctx.actor.userId, name: ctx.actor.name, at: ctx.now().toISOString() };
}

/** A plan line per hand-added part; a part not in the catalogue is a field error on its line. */
export async function manualLines(
  parts: Parts,
  input: readonly PlanLineInput[],
  path = 'lines',
): Promise<PlanLine[]> {
  const found = await parts.getMany([...new Set(input.map((l) => l.partId))]);
  const errors = input.flatMap((l, i) =>
    found.some((p) => p.id === l.partId)
      ? []
      : [{ path: `${path}.${i}.partId`, message: 'No such part in the catalogue.', code: 'PART_NOT_FOUND' }],
  );
  if (errors.length) throw new ValidationError(errors);
  return input.map((l) => {
    const part = found.find((p) => p.id === l.partId) as Part;
    return {
      id: newId('pl'),
      partId: part.id,
      partNumber: part.partNumber,
      name: part.name,
      quantity: l.quantity,
      source: 'manual',
      documents: [],
    };
  });
}

export class PurchasePlans extends AggregateRepository<typeof PURCHASE_PLAN> {
  private readonly parts: Parts;

  constructor(t: TenantTable, ctx: TenantContext) {
    super(t, ctx, PURCHASE_PLAN);
    this.parts = new Parts(t, ctx);
  }

  async create(
    input: { note?: string | undefined; lines: PlanLineInput[] },
    opts: { idempotency?: IdempotencyRequest | undefined } = {},
  ): Promise<{ plan: PurchasePlan; created: boolean }> {
    const lines = await manualLines(this.parts, input.lines);
    const decision = decidePlanCreation(
      { note: input.note, lines: mergeLines([], lines) },
      { id: newId('pp'), storeId: this.t.tenantId, by: signatureOf(this.ctx) },
    );
    const { record, created } = await this.createRecord(decision.next, {
      ...decision,
      idempotency: opts.idempotency,
    });
    return { plan: record, created };
  }

  /** Plans, newest first: one Query a page. */
  list(page: PageRequest): Promise<Page<PurchasePlan>> {
    return this.queryIndex('byTime', [], { newestFirst: true, ...page });
  }

  /** Adds a hand-picked part to a draft. */
  async addLine(id: string, input: PlanLineInput, expectedVersion: number): Promise<PurchasePlan> {
    const current = await this.requireVersion(id, expectedVersion);
    requireDraft(current);
    const lines = mergeLines(current.lines, await manualLines(this.parts, [input], 'body'));
    return this.withLines(current, lines, 'add_line');
  }

  /** 缺件汇总: adds the lines the shortages ask for (`Shortages` finds them) to a draft. */
  async collect(
    id: string,
    expectedVersion: number,
    candidates: () => Promise<ShortageCandidate[]>,
  ): Promise<PurchasePlan> {
    const current = await this.requireVersion(id, expectedVersion);
    requireDraft(current);
    const lines = mergeLines(
      current.lines,
      shortageLines(await candidates(), () => newId('pl')),
    );
    return this.withLines(current, lines, 'collect');
  }

  async approve(
    id: string,
    step: ApprovalStep,
    input: ApprovalInput,
    expectedVersion: number,
  ): Promise<PurchasePlan> {
    const current = await this.requireVersion(id, expectedVersion);
    const decision = decidePlanApproval(current, step, input, signatureOf(this.ctx));
    return this.save(current, decision.next, decision);
  }

  /** The plan's write, for an order's transaction: on the version the order was decided from. */
  saveOp(current: PurchasePlan, next: PurchasePlan): TxOp {
    return {
      put: this.toItem(next),
      condition: 'version = :v',
      values: { ':v': current.version },
      onConditionFailed: (stored) =>
        new VersionConflictError('PurchasePlan', current.id, stored?.version as number | undefined),
    };
  }

  private async withLines(
    current: PurchasePlan,
    lines: PlanLine[],
    action: AuditActionName,
  ): Promise<PurchasePlan> {
    const next: PurchasePlan = {
      ...current,
      lines,
      version: current.version + 1,
      updatedAt: this.now().toISOString(),
    };
    const changes = diffRecords(current, next);
    // Nothing new to add: nothing written, no version spent.
    if (!changes.some((c) => c.field === 'lines')) return current;
    return this.save(current, next, { action, changes });
  }
}
