import {
  type CustomerFields,
  type CustomerPatch,
  CustomerRecord,
  decideCustomerCreation,
  decideCustomerEdit,
  nameSearchKey,
  newId,
} from '@aftersales/domain';
import { AggregateRepository, defineAggregate } from '../platform/aggregate.ts';
import type { IdempotencyRequest } from '../platform/idempotency.ts';
import type { Page, PageRequest, TenantContext, TenantTable } from '../platform/tenant-table.ts';

/**
 * 客户档案. Keys, all from this declaration:
 * - customer      pk `<t>#CUS#<id>`      sk `#CUS`;  gsi1 `<t>#CUSNAME` / `<nameKey>#<id>` (name prefix, A–Z list)
 * - phone look-up pk `<t>#PHONE#<phone>` sk `CUS#<id>` (one per number; shared numbers list every holder)
 * - audit, events pk `<t>#CUS#<id>`      sk `~AUDIT#…`, `~EVT#…`
 */
export const CUSTOMER = defineAggregate({
  name: 'customer',
  label: 'Customer',
  idParam: 'customerId',
  prefix: 'CUS',
  recordSk: '#CUS',
  schema: CustomerRecord,
  indexes: {
    byName: {
      index: 'gsi1',
      prefix: 'CUSNAME',
      key: (c) => ({ pk: [], sk: `${nameSearchKey(c.name)}#${c.id}` }),
    },
  },
  lookups: {
    phone: { prefix: 'PHONE', type: 'CustomerPhone', values: (c) => c.phones.map((p) => p.number) },
  },
});

export class Customers extends AggregateRepository<typeof CUSTOMER> {
  constructor(t: TenantTable, ctx: TenantContext) {
    super(t, ctx, CUSTOMER);
  }

  /**
   * Creates a customer with its phone look-ups, audit entry and event in one transaction. With an
   * idempotency key a retried request returns the customer the first attempt created.
   */
  async create(
    fields: CustomerFields,
    opts: { idempotency?: IdempotencyRequest | undefined; id?: string; action?: 'create' | 'import' } = {},
  ): Promise<{ customer: CustomerRecord; created: boolean }> {
    const decision = decideCustomerCreation(fields, {
      id: opts.id ?? newId('cus'),
      storeId: this.t.tenantId,
      at: this.now().toISOString(),
    });
    const { record, created } = await this.createRecord(decision.next, {
      ...decision,
      action: opts.action ?? 'create',
      idempotency: opts.idempotency,
    });
    return { customer: record, created };
  }

  /** Optimistic update: succeeds only if the stored version is still `expectedVersion`. */
  async update(id: string, patch: CustomerPatch, expectedVersion: number): Promise<CustomerRecord> {
    const current = await this.requireVersion(id, expectedVersion);
    const decision = decideCustomerEdit(current, patch, this.now().toISOString());
    return decision ? this.save(current, decision.next, decision) : current;
  }

  /** Name-prefix search (or the whole A–Z list without a prefix), one Query. */
  searchByName(prefix: string, page: PageRequest): Promise<Page<CustomerRecord>> {
    return this.queryIndex('byName', [], {
      ...(prefix ? { sk: { beginsWith: nameSearchKey(prefix) } } : {}),
      ...page,
    });
  }

  /** Everyone holding this number: one Query on the phone look-up, one BatchGet. */
  async findByPhone(phone: string): Promise<CustomerRecord[]> {
    return this.getMany(await this.lookup('phone', phone));
  }
}

/** Re-exported for callers that know stored records by the data layer's name. */
export type { CustomerRecord } from '@aftersales/domain';
