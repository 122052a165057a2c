import {
  applyPatch,
  type Customer,
  type CustomerFields,
  type CustomerPatch,
  diffRecords,
  NotFoundError,
  nameSearchKey,
  newEvent,
  newId,
  VersionConflictError,
} from '@aftersales/domain';
import { auditHistory, auditOp } from './audit.ts';
import { eventOp } from './events.ts';
import { type IdempotencyRequest, IdempotentReplay, idempotencyOp } from './idempotency.ts';
import {
  type Item,
  type Page,
  type PageRequest,
  stripKeys,
  type TenantContext,
  type TenantTable,
  type TxOp,
} from './tenant-table.ts';

/** A stored customer (客户档案); masking of phones is presentation and happens in the API. */
export type CustomerRecord = Omit<Customer, 'phonesMasked'>;

/**
 * Keys:
 * - customer      pk `<t>#CUS#<id>`      sk `#CUS`;  gsi1 `<t>#CUSNAME` / `<nameKey>#<id>` (name prefix, A–Z list)
 * - phone index   pk `<t>#PHONE#<phone>` sk `CUS#<id>` (one per number; shared numbers list every holder)
 * - audit         pk `<t>#CUS#<id>`      sk `~AUDIT#…`
 */
export class Customers {
  constructor(
    private readonly t: TenantTable,
    private readonly ctx: TenantContext,
  ) {}

  private partition(id: string): string[] {
    return ['CUS', id];
  }

  private toItem(c: CustomerRecord): Item {
    return {
      ...c,
      pk: this.t.key(...this.partition(c.id)),
      sk: '#CUS',
      type: 'Customer',
      gsi1pk: this.t.key('CUSNAME'),
      gsi1sk: `${nameSearchKey(c.name)}#${c.id}`,
    };
  }

  private phoneOps(id: string, before: string[], after: string[]): TxOp[] {
    const removed = before.filter((p) => !after.includes(p));
    const added = after.filter((p) => !before.includes(p));
    return [
      ...removed.map((p): TxOp => ({ delete: { pk: this.t.key('PHONE', p), sk: `CUS#${id}` } })),
      ...added.map(
        (p): TxOp => ({
          put: { pk: this.t.key('PHONE', p), sk: `CUS#${id}`, type: 'CustomerPhone', customerId: id },
        }),
      ),
    ];
  }

  /**
   * Creates a customer with its phone index entries and audit entry in one transaction. With an
   * idempotency key a retried request returns the customer the first attempt created.
   */
  async create(
    fields: CustomerFields,
    opts: { idempotency?: IdempotencyRequest | undefined; id?: string; action?: 'create' | 'import' } = {},
  ): Promise<{ customer: CustomerRecord; created: boolean }> {
    const now = new Date();
    const at = now.toISOString();
    const id = opts.id ?? newId('cus');
    const customer: CustomerRecord = {
      ...fields,
      id,
      storeId: this.t.tenantId,
      version: 1,
      createdAt: at,
      updatedAt: at,
    };
    const ops: TxOp[] = [
      {
        put: this.toItem(customer),
        condition: 'attribute_not_exists(pk)',
        onConditionFailed: () => new IdempotentReplay(id),
      },
      ...this.phoneOps(
        id,
        [],
        fields.phones.map((p) => p.number),
      ),
      auditOp(
        this.t,
        this.ctx,
        this.partition(id),
        {
          action: opts.action ?? 'create',
          entity: 'customer',
          entityId: id,
          changes: diffRecords(undefined, fields),
        },
        at,
      ),
      eventOp(
        this.t,
        this.ctx,
        this.partition(id),
        newEvent('customer.created', 'customer', id, { customerId: id }),
        at,
      ),
    ];
    if (opts.idempotency) ops.push(idempotencyOp(this.t, opts.idempotency, 'customer', id, now));
    try {
      await this.t.transact(ops);
      return { customer, created: true };
    } catch (e) {
      if (e instanceof IdempotentReplay) return { customer: await this.require(e.resultId), created: false };
      throw e;
    }
  }

  async get(id: string): Promise<CustomerRecord | undefined> {
    const item = await this.t.get({ pk: this.t.key(...this.partition(id)), sk: '#CUS' });
    return item ? stripKeys<CustomerRecord>(item) : undefined;
  }

  async require(id: string): Promise<CustomerRecord> {
    const c = await this.get(id);
    if (!c) throw new NotFoundError('Customer', id);
    return c;
  }

  async getMany(ids: string[]): Promise<CustomerRecord[]> {
    const items = await this.t.getMany(
      ids.map((id) => ({ pk: this.t.key(...this.partition(id)), sk: '#CUS' })),
    );
    return items.map((i) => stripKeys<CustomerRecord>(i));
  }

  /** Optimistic update: succeeds only if the stored version is still `expectedVersion`. */
  async update(id: string, patch: CustomerPatch, expectedVersion: number): Promise<CustomerRecord> {
    const current = await this.require(id);
    if (current.version !== expectedVersion) throw new VersionConflictError('Customer', id, current.version);
    const at = new Date().toISOString();
    const next: CustomerRecord = {
      ...applyPatch(current, patch),
      version: current.version + 1,
      updatedAt: at,
    };
    const changes = diffRecords(current, next);
    if (changes.length === 0) return current;
    await this.t.transact([
      {
        put: this.toItem(next),
        condition: 'version = :v',
        values: { ':v': expectedVersion },
        onConditionFailed: (stored) =>
          new VersionConflictError('Customer', id, stored?.version as number | undefined),
      },
      ...this.phoneOps(
        id,
        current.phones.map((p) => p.number),
        next.phones.map((p) => p.number),
      ),
      auditOp(
        this.t,
        this.ctx,
        this.partition(id),
        { action: 'update', entity: 'customer', entityId: id, changes },
        at,
      ),
      eventOp(
        this.t,
        this.ctx,
        this.partition(id),
        newEvent('customer.updated', 'customer', id, { customerId: id, fields: changes.map((c) => c.field) }),
        at,
      ),
    ]);
    return next;
  }

  /** Name-prefix search (or the whole A–Z list without a prefix), one Query. */
  async searchByName(prefix: string, page: PageRequest): Promise<Page<CustomerRecord>> {
    const out = await this.t.query({
      index: 'gsi1',
      partition: ['CUSNAME'],
      ...(prefix ? { sk: { beginsWith: nameSearchKey(prefix) } } : {}),
      limit: page.limit ?? 25,
      cursor: page.cursor,
    });
    return {
      items: out.items.map((i) => stripKeys<CustomerRecord>(i)),
      ...(out.nextCursor ? { nextCursor: out.nextCursor } : {}),
    };
  }

  /** Everyone holding this number: one Query on the phone index, one BatchGet. */
  async findByPhone(phone: string): Promise<CustomerRecord[]> {
    const out = await this.t.query({ partition: ['PHONE', phone], limit: 50 });
    return this.getMany(out.items.map((i) => String(i.customerId)));
  }

  history(id: string, page: PageRequest) {
    return auditHistory(this.t, this.partition(id), page);
  }
}
