import { createHash } from 'node:crypto';
import {
  ConflictError,
  type CustomerFields,
  type CustomerPatch,
  CustomerRecord,
  decideCustomerCreation,
  decideCustomerEdit,
  nameSearchKey,
  newId,
} from '@aftersales/domain';
import { AggregateRepository, defineAggregate } from '../platform/aggregate.ts';
import { type IdempotencyRequest, IdempotentReplay } from '../platform/idempotency.ts';
import type { Page, PageRequest, TenantContext, TenantTable, TxOp } from '../platform/tenant-table.ts';

/**
 * 客户档案. Keys, all from this declaration:
 * - customer      pk `<t>#CUS#<id>`      sk `#CUS`;  gsi1 `<t>#CUSNAME` / `<nameKey>#<id>` (name prefix, A–Z list)
 * - phone look-up pk `<t>#PHONE#<phone>` sk `CUS#<id>` (one per number; shared numbers list every holder)
 * - imported row  pk `<t>#CUSIMPORT#<row key>` sk `#CUSIMPORT` (the customer an imported name and phone made)
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
    // Written once by the import that made the customer, never moved by edits: the same row imported
    // again (a re-upload, a redelivered chunk, two at once) gets that customer, whatever changed since.
    importedRow: {
      prefix: 'CUSIMPORT',
      type: 'CustomerImportedRow',
      unique: (_row, holderId) =>
        holderId
          ? new IdempotentReplay(holderId)
          : new ConflictError(409, 'CONCURRENT_UPDATE', 'The same row is being imported; try again.'),
    },
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
    opts: { idempotency?: IdempotencyRequest | undefined; id?: string } = {},
  ): Promise<{ customer: CustomerRecord; created: boolean }> {
    return this.createWith(fields, opts.id ?? newId('cus'), {
      action: 'create',
      idempotency: opts.idempotency,
    });
  }

  /**
   * The customer an imported row made: a new one (a random id, which tells nothing of the row) with the
   * guard of its name and first phone, or, when an earlier import of the same row holds the guard, that one.
   */
  importRow(
    fields: CustomerFields,
    name: string,
    phone: string,
  ): Promise<{ customer: CustomerRecord; created: boolean }> {
    const id = newId('cus');
    return this.createWith(fields, id, {
      action: 'import',
      extra: [this.guardOp('importedRow', importedRowKey(name, phone), id)],
    });
  }

  private async createWith(
    fields: CustomerFields,
    id: string,
    opts: { action: 'create' | 'import'; idempotency?: IdempotencyRequest | undefined; extra?: TxOp[] },
  ): Promise<{ customer: CustomerRecord; created: boolean }> {
    const decision = decideCustomerCreation(fields, {
      id,
      storeId: this.t.tenantId,
      at: this.now().toISOString(),
    });
    const { record, created } = await this.createRecord(decision.next, { ...decision, ...opts });
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

/**
 * An imported row's natural key (name, as searched, and first phone) as the guard's key: a digest, so
 * the table's key holds no name. It never leaves the table (ids are random, see `importRow`).
 */
function importedRowKey(name: string, phone: string): string {
  return createHash('sha256')
    .update(`${nameSearchKey(name)}|${phone}`)
    .digest('base64url');
}

/** Re-exported for callers that know stored records by the data layer's name. */
export type { CustomerRecord } from '@aftersales/domain';
