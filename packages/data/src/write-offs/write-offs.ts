import {
  decideWriteOffApproval,
  decideWriteOffCancel,
  decideWriteOffCreation,
  decideWriteOffPolicy,
  decideWriteOffPosting,
  newId,
  type Role,
  ValidationError,
  WriteOff,
  type WriteOffApprover,
  type WriteOffFields,
  type WriteOffPolicy,
  type WriteOffPolicyFields,
  WriteOffPolicyRecord,
  type WriteOffStatus,
  writeOffPolicyView,
  writeOffValue,
} from '@aftersales/domain';
import { Parts, StockLedger } from '../parts/index.ts';
import { AggregateRepository, defineAggregate } from '../platform/aggregate.ts';
import type { IdempotencyRequest } from '../platform/idempotency.ts';
import type { Page, PageRequest, TenantContext, TenantTable } from '../platform/tenant-table.ts';

/**
 * 报损, one item per request. Keys, all from this declaration:
 * - write-off  pk `<t>#WOF#<id>` sk `#WOF`; gsi1 `<t>#WOFS` / `<createdAt>#<id>` (all, newest first);
 *              gsi2 `<t>#WOFST#<status>` / `<createdAt>#<id>` (the pending ones an approver works through)
 */
export const WRITE_OFF = defineAggregate({
  name: 'writeOff',
  label: 'WriteOff',
  idParam: 'writeOffId',
  prefix: 'WOF',
  recordSk: '#WOF',
  schema: WriteOff,
  indexes: {
    recent: { index: 'gsi1', prefix: 'WOFS', key: (w) => ({ pk: [], sk: `${w.createdAt}#${w.id}` }) },
    byStatus: {
      index: 'gsi2',
      prefix: 'WOFST',
      key: (w) => ({ pk: [w.status], sk: `${w.createdAt}#${w.id}` }),
    },
  },
});

/**
 * 损失分摊政策, one per store. Keys, all from this declaration:
 * - policy        pk `<t>#WOFPOL#<storeId>` sk `#WOFPOL`
 * - audit, events pk `<t>#WOFPOL#<storeId>` sk `~AUDIT#…`, `~EVT#…`
 * Read with one GetItem (a store that never saved reads the default split).
 */
export const WRITE_OFF_POLICY = defineAggregate({
  name: 'writeOffPolicy',
  label: 'WriteOffPolicy',
  // One per store: no path names it (the store's own id does), so its id parameter never appears.
  idParam: 'writeOffPolicyId',
  prefix: 'WOFPOL',
  recordSk: '#WOFPOL',
  schema: WriteOffPolicyRecord,
});

export class WriteOffPolicies extends AggregateRepository<typeof WRITE_OFF_POLICY> {
  constructor(t: TenantTable, ctx: TenantContext) {
    super(t, ctx, WRITE_OFF_POLICY);
  }

  /** The store's policy, or the default split (version 0) before the first save. */
  async current(): Promise<WriteOffPolicy> {
    return writeOffPolicyView(await this.get(this.t.tenantId), this.t.tenantId);
  }

  /**
   * Saves the split if the stored version is still `expectedVersion` (0: never saved, so two managers'
   * first saves cannot both win).
   */
  async replace(fields: WriteOffPolicyFields, expectedVersion: number): Promise<WriteOffPolicy> {
    const by = { userId: this.ctx.actor.userId, name: this.ctx.actor.name };
    const saved = await this.replaceStoreRecord(expectedVersion, (stored, id) =>
      decideWriteOffPolicy(stored, fields, { id, storeId: id, at: this.now().toISOString(), by }),
    );
    return writeOffPolicyView(saved, this.t.tenantId);
  }
}

export class WriteOffs extends AggregateRepository<typeof WRITE_OFF> {
  private readonly ledger: StockLedger;
  private readonly parts: Parts;
  private readonly policies: WriteOffPolicies;

  constructor(t: TenantTable, ctx: TenantContext) {
    super(t, ctx, WRITE_OFF);
    this.ledger = new StockLedger(t, ctx);
    this.parts = new Parts(t, ctx);
    this.policies = new WriteOffPolicies(t, ctx);
  }

  /**
   * A request, valued at the part's moving average now. Without a split of its own it takes the
   * store's policy as it stands now, kept on the write-off: a later change of policy does not touch it.
   */
  async request(
    fields: WriteOffFields,
    opts: { idempotency?: IdempotencyRequest | undefined } = {},
  ): Promise<{ writeOff: WriteOff; created: boolean }> {
    const part = await this.parts.byNumber(fields.partNumber);
    if (!part)
      throw new ValidationError([
        {
          path: 'partNumber',
          code: 'PART_NOT_FOUND',
          message: `No part ${fields.partNumber} in this store.`,
        },
      ]);
    const [book, split] = await Promise.all([
      this.ledger.book(part.id),
      fields.split ?? this.policies.current().then((p) => p.split),
    ]);
    const decision = decideWriteOffCreation(fields, part, {
      id: newId('wof'),
      storeId: this.t.tenantId,
      at: this.now().toISOString(),
      by: { userId: this.ctx.actor.userId, name: this.ctx.actor.name },
      split,
      avgCostMinor: book.avgCostMinor,
    });
    const { record, created } = await this.createRecord(decision.next, {
      ...decision,
      idempotency: opts.idempotency,
    });
    return { writeOff: record, created };
  }

  /** Write-offs newest first, or those in one status: one Query a page. */
  list(status: WriteOffStatus | undefined, page: PageRequest): Promise<Page<WriteOff>> {
    return status
      ? this.queryIndex('byStatus', [status], { newestFirst: true, ...page })
      : this.queryIndex('recent', [], { newestFirst: true, ...page });
  }

  async approve(
    id: string,
    role: WriteOffApprover,
    held: readonly Role[],
    expectedVersion: number,
  ): Promise<WriteOff> {
    const current = await this.requireVersion(id, expectedVersion);
    const by = { userId: this.ctx.actor.userId, name: this.ctx.actor.name };
    const decision = decideWriteOffApproval(current, role, held, by, this.now().toISOString());
    return decision ? this.save(current, decision.next, { ...decision, action: 'approve' }) : current;
  }

  async cancel(id: string, reason: string, expectedVersion: number): Promise<WriteOff> {
    const current = await this.requireVersion(id, expectedVersion);
    const decision = decideWriteOffCancel(current, reason, this.now().toISOString());
    return this.save(current, decision.next, { ...decision, action: 'cancel' });
  }

  /**
   * Moves the quantity into custody (the write-off location) with the write-off's own change in the
   * same transaction: a retry finds the record moved on (409) and moves nothing again. Valued at the
   * average read just before; should a receipt move the average in between, the charges follow the
   * value the ledger actually moved it at.
   */
  async post(id: string, expectedVersion: number): Promise<WriteOff> {
    const current = await this.requireVersion(id, expectedVersion);
    const [part, book] = await Promise.all([
      this.parts.require(current.partId),
      this.ledger.book(current.partId),
    ]);
    const at = this.now().toISOString();
    const decision = decideWriteOffPosting(current, writeOffValue(current.quantity, book.avgCostMinor), at);
    const movement = await this.ledger.move(
      part,
      {
        kind: 'write_off',
        bin: current.bin,
        quantity: current.quantity,
        document: { type: 'write_off', id: current.id },
        reason: current.reason,
      },
      { extra: this.saveOps(current, decision.next, { ...decision, action: 'post' }) },
    );
    const moved = -movement.valueMinor;
    if (moved === decision.next.valueMinor) return decision.next;
    const revalued = decideWriteOffPosting(current, moved, at).next;
    return this.save(
      decision.next,
      { ...revalued, version: decision.next.version + 1 },
      {
        action: 'update',
        changes: [{ field: 'valueMinor', from: decision.next.valueMinor, to: moved }],
      },
    );
  }
}
