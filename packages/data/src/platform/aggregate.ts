import {
  type AuditEntry,
  type FieldChange,
  type NewEvent,
  NotFoundError,
  VersionConflictError,
} from '@aftersales/domain';
import * as z from 'zod';
import { auditHistory, auditOp } from './audit.ts';
import { eventOp } from './events.ts';
import { type IdempotencyRequest, IdempotentReplay, idempotencyOp } from './idempotency.ts';
import { registerKeyPrefix } from './keys.ts';
import type { GlobalIndexName } from './table.ts';
import {
  type Item,
  type Key,
  type PageRequest,
  stripKeys,
  type TenantContext,
  type TenantTable,
  type TxOp,
} from './tenant-table.ts';

/** Every aggregate record carries these; the repository maintains them. */
export interface AggregateRecord {
  id: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** Where a record appears in an index: key parts (the tenant is added by the table) and a sort key. */
export type IndexKeys = Partial<Record<GlobalIndexName, { pk: string[]; sk: string }>>;

/**
 * An aggregate, declared once: its schema, keys, indexes and names. `AggregateRepository` turns it into
 * get / require / getMany / idempotent create / versioned save / history, each write with its audit
 * entry and domain event in one transaction.
 */
export interface AggregateDeclaration<T extends AggregateRecord> {
  /** Audit entity and event aggregate name, e.g. `customer`. */
  name: AuditEntry['entity'];
  /** For messages and error codes: `Customer` → `CUSTOMER_NOT_FOUND`. */
  label: string;
  /** The partition of one record is `<tenant>#<prefix>#<id>`; registered by `defineAggregate`. */
  prefix: string;
  /** Further prefixes its index keys use (e.g. `{ byStatus: 'ROSTATUS' }`), registered with it. */
  indexPrefixes?: Record<string, string>;
  /** Sort key of the record item in its partition (other items of the record sort after it). */
  recordSk: string;
  /** The stored record; items are parsed with it when read, never cast. */
  schema: z.ZodType<T>;
  /** Index entries of a record, rebuilt on every write. */
  indexes?: (record: T) => IndexKeys;
  /** Brings an item written by an older version of the code to today's shape, before parsing. */
  upgrade?: (item: Item) => Item;
}

/**
 * Each aggregate's record schema, compiled on its first read (zod's `compile`: generated code, with
 * zod's own parser as the fallback). Every read parses every item; compiled, that costs about a third of
 * what the interpreted parse does (bench/), with the same answers. On first use, not at declaration, so
 * a cold start pays only for the aggregates it reads.
 */
const readers = new WeakMap<object, z.ZodType>();

function readerOf<T extends AggregateRecord>(declaration: AggregateDeclaration<T>): z.ZodType {
  let reader = readers.get(declaration);
  if (!reader) {
    reader = z.compile(declaration.schema);
    readers.set(declaration, reader);
  }
  return reader;
}

export function defineAggregate<T extends AggregateRecord>(
  declaration: AggregateDeclaration<T>,
): AggregateDeclaration<T> {
  registerKeyPrefix(declaration.prefix, declaration.name);
  for (const [index, prefix] of Object.entries(declaration.indexPrefixes ?? {}))
    registerKeyPrefix(prefix, `${declaration.name}.${index}`);
  return declaration;
}

export interface WriteOptions {
  action?: AuditEntry['action'];
  changes: FieldChange[];
  events?: readonly NewEvent[];
  /** Further operations of the same transaction: uniqueness guards, index items, child items. */
  extra?: TxOp[];
}

export class AggregateRepository<T extends AggregateRecord> {
  constructor(
    protected readonly t: TenantTable,
    protected readonly ctx: TenantContext,
    readonly declaration: AggregateDeclaration<T>,
  ) {}

  partition(id: string): string[] {
    return [this.declaration.prefix, id];
  }

  key(id: string): Key {
    return { pk: this.t.key(...this.partition(id)), sk: this.declaration.recordSk };
  }

  toItem(record: T): Item {
    const item: Item = { ...record, ...this.key(record.id), type: this.declaration.label };
    for (const [index, keys] of Object.entries(this.declaration.indexes?.(record) ?? {})) {
      if (!keys) continue;
      item[`${index}pk`] = this.t.key(...keys.pk);
      item[`${index}sk`] = keys.sk;
    }
    return item;
  }

  fromItem(item: Item): T {
    const upgraded = this.declaration.upgrade ? this.declaration.upgrade(item) : item;
    return readerOf(this.declaration).parse(stripKeys(upgraded)) as T;
  }

  async get(id: string): Promise<T | undefined> {
    const item = await this.t.get(this.key(id));
    return item ? this.fromItem(item) : undefined;
  }

  async require(id: string): Promise<T> {
    const record = await this.get(id);
    if (!record) throw new NotFoundError(this.declaration.label, id);
    return record;
  }

  /** One BatchGet for up to 100 ids; missing ones are left out. */
  async getMany(ids: string[]): Promise<T[]> {
    return (await this.t.getMany(ids.map((id) => this.key(id)))).map((i) => this.fromItem(i));
  }

  /** The record as of `expectedVersion`, or a 409 naming the current version. */
  async requireVersion(id: string, expectedVersion: number): Promise<T> {
    const current = await this.require(id);
    if (current.version !== expectedVersion)
      throw new VersionConflictError(this.declaration.label, id, current.version);
    return current;
  }

  private writeOps(record: T, at: string, opts: WriteOptions): TxOp[] {
    const { name } = this.declaration;
    return [
      ...(opts.extra ?? []),
      auditOp(
        this.t,
        this.ctx,
        this.partition(record.id),
        { action: opts.action ?? 'update', entity: name, entityId: record.id, changes: opts.changes },
        at,
      ),
      ...(opts.events ?? []).map((e) => eventOp(this.t, this.ctx, this.partition(record.id), e, at)),
    ];
  }

  /**
   * Creates the record (refused if the id exists) with its audit entry, event and extra operations in
   * one transaction. With an idempotency key, a retried request returns what the first one created.
   */
  async createRecord(
    record: T,
    opts: WriteOptions & { idempotency?: IdempotencyRequest | undefined },
  ): Promise<{ record: T; created: boolean }> {
    const ops: TxOp[] = [
      {
        put: this.toItem(record),
        condition: 'attribute_not_exists(pk)',
        onConditionFailed: () => new IdempotentReplay(record.id),
      },
      ...this.writeOps(record, record.createdAt, { action: 'create', ...opts }),
    ];
    if (opts.idempotency)
      ops.push(
        idempotencyOp(this.t, opts.idempotency, this.declaration.name, record.id, new Date(record.createdAt)),
      );
    try {
      await this.t.transact(ops);
      return { record, created: true };
    } catch (e) {
      if (e instanceof IdempotentReplay) return { record: await this.require(e.resultId), created: false };
      throw e;
    }
  }

  /** Writes `next` if the stored version is still `current.version` (optimistic locking). */
  async save(current: T, next: T, opts: WriteOptions): Promise<T> {
    await this.t.transact([
      {
        put: this.toItem(next),
        condition: 'version = :v',
        values: { ':v': current.version },
        onConditionFailed: (stored) =>
          new VersionConflictError(this.declaration.label, current.id, stored?.version as number | undefined),
      },
      ...this.writeOps(next, next.updatedAt, opts),
    ]);
    return next;
  }

  history(id: string, page: PageRequest) {
    return auditHistory(this.t, this.partition(id), page);
  }
}
