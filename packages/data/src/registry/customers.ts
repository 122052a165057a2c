import {
  type CustomerFields,
  type CustomerPatch,
  CustomerRecord,
  decideCustomerEdit,
  diffRecords,
  nameSearchKey,
  newEvent,
  newId,
} from '@aftersales/domain';
import { AggregateRepository, defineAggregate } from '../platform/aggregate.ts';
import type { IdempotencyRequest } from '../platform/idempotency.ts';
import { KEY_PREFIXES } from '../platform/keys.ts';
import type { Page, PageRequest, TenantContext, TenantTable, TxOp } from '../platform/tenant-table.ts';

/**
 * Keys:
 * - customer      pk `<t>#CUS#<id>`      sk `#CUS`;  gsi1 `<t>#CUSNAME` / `<nameKey>#<id>` (name prefix, A–Z list)
 * - phone index   pk `<t>#PHONE#<phone>` sk `CUS#<id>` (one per number; shared numbers list every holder)
 * - audit, events pk `<t>#CUS#<id>`      sk `~AUDIT#…`, `~EVT#…`
 */
export const CUSTOMER = defineAggregate({
  name: 'customer',
  label: 'Customer',
  prefix: KEY_PREFIXES.customer,
  recordSk: '#CUS',
  schema: CustomerRecord,
  indexes: (c) => ({ gsi1: { pk: [KEY_PREFIXES.customerName], sk: `${nameSearchKey(c.name)}#${c.id}` } }),
});

export class Customers extends AggregateRepository<CustomerRecord> {
  constructor(t: TenantTable, ctx: TenantContext) {
    super(t, ctx, CUSTOMER);
  }

  /** The phone index follows the customer's numbers in the same transaction. */
  private phoneOps(id: string, before: string[], after: string[]): TxOp[] {
    const key = (p: string) => ({ pk: this.t.key(KEY_PREFIXES.phone, p), sk: `CUS#${id}` });
    return [
      ...before.filter((p) => !after.includes(p)).map((p): TxOp => ({ delete: key(p) })),
      ...after
        .filter((p) => !before.includes(p))
        .map((p): TxOp => ({ put: { ...key(p), type: 'CustomerPhone', customerId: id } })),
    ];
  }

  /**
   * Creates a customer with its phone index entries, audit entry and event in one transaction. With an
   * idempotency key a retried request returns the customer the first attempt created.
   */
  async create(
    fields: CustomerFields,
    opts: { idempotency?: IdempotencyRequest | undefined; id?: string; action?: 'create' | 'import' } = {},
  ): Promise<{ customer: CustomerRecord; created: boolean }> {
    const at = new Date().toISOString();
    const id = opts.id ?? newId('cus');
    const customer: CustomerRecord = {
      ...fields,
      id,
      storeId: this.t.tenantId,
      version: 1,
      createdAt: at,
      updatedAt: at,
    };
    const { record, created } = await this.createRecord(customer, {
      action: opts.action ?? 'create',
      changes: diffRecords(undefined, fields),
      events: [newEvent('customer.created', 'customer', id, { customerId: id })],
      extra: this.phoneOps(
        id,
        [],
        fields.phones.map((p) => p.number),
      ),
      idempotency: opts.idempotency,
    });
    return { customer: record, created };
  }

  /** Optimistic update: succeeds only if the stored version is still `expectedVersion`. */
  async update(id: string, patch: CustomerPatch, expectedVersion: number): Promise<CustomerRecord> {
    const current = await this.requireVersion(id, expectedVersion);
    const decision = decideCustomerEdit(current, patch, new Date().toISOString());
    if (!decision) return current;
    const { next, changes, events } = decision;
    return this.save(current, next, {
      changes,
      events,
      extra: this.phoneOps(
        id,
        current.phones.map((p) => p.number),
        next.phones.map((p) => p.number),
      ),
    });
  }

  /** Name-prefix search (or the whole A–Z list without a prefix), one Query. */
  async searchByName(prefix: string, page: PageRequest): Promise<Page<CustomerRecord>> {
    const out = await this.t.query({
      index: 'gsi1',
      partition: [KEY_PREFIXES.customerName],
      ...(prefix ? { sk: { beginsWith: nameSearchKey(prefix) } } : {}),
      limit: page.limit ?? 25,
      cursor: page.cursor,
    });
    return {
      items: out.items.map((i) => this.fromItem(i)),
      ...(out.nextCursor ? { nextCursor: out.nextCursor } : {}),
    };
  }

  /** Everyone holding this number: one Query on the phone index, one BatchGet. */
  async findByPhone(phone: string): Promise<CustomerRecord[]> {
    const out = await this.t.query({ partition: [KEY_PREFIXES.phone, phone], limit: 50 });
    return this.getMany(out.items.map((i) => String(i.customerId)));
  }
}

/** Re-exported for callers that know stored records by the data layer's name. */
export type { CustomerRecord } from '@aftersales/domain';
