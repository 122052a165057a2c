import {
  type AppError,
  type AuditEntry,
  type FieldChange,
  type NewEvent,
  NotFoundError,
  notFoundCode,
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
  type Page,
  type PageRequest,
  type QueryOptions,
  stripKeys,
  type TenantContext,
  type TenantTable,
  type TxOp,
} from './tenant-table.ts';

/**
 * Every aggregate record carries these; the repository maintains them. `version` is on records edited
 * with `If-Match` (`save`); a record changed only by counters (an import job) has none.
 */
export interface AggregateRecord {
  id: string;
  version?: number;
  createdAt: string;
  updatedAt: string;
}

/**
 * A secondary index the record appears in: the GSI, the key prefix it claims, and the record's key
 * there (key parts after the prefix, and a sort key); `undefined` leaves the record out (a sparse index).
 */
export interface IndexDeclaration<T> {
  index: GlobalIndexName;
  prefix: string;
  key(record: T): { pk: string[]; sk: string } | undefined;
}

/**
 * Look-up items kept beside the record, one per value (`<t>#<prefix>#<value>`): a phone number's
 * holders, a VIN's vehicle. `unique` makes each value a guard: a second record with the same value is
 * refused with the conflict `unique` builds (a 409 naming the holder).
 */
export interface LookupDeclaration<T> {
  prefix: string;
  /** Item type, for people reading the table. */
  type: string;
  /**
   * The values a record holds, kept in step on every create and save. Absent: a guard on a key the
   * record does not keep (an imported row's natural key), written once with `guardOp`.
   */
  values?(record: T): readonly string[];
  unique?(value: string, holderId: string | undefined): AppError | IdempotentReplay;
}

/**
 * Items stored in the record's partition after it (a vehicle's owner links, its odometer readings):
 * a sort-key prefix, a schema they are parsed with on every read, and their sort key after the prefix.
 * `index` also lists a child under another partition (a customer's vehicle links).
 */
export interface ChildDeclaration<C> {
  skPrefix: string;
  type: string;
  schema: z.ZodType<C>;
  sk(child: C): string;
  index?: {
    index: GlobalIndexName;
    /** Full key parts of the index partition, e.g. `[CUSTOMER.prefix, link.customerId]`. */
    pk(child: C): string[];
    skPrefix: string;
    sk(child: C): string;
  };
}

/**
 * An aggregate, declared once: its schema and every key it writes — the record, its index entries,
 * look-up and guard items, child items. `AggregateRepository` turns it into get / require / getMany /
 * named queries / idempotent create / versioned save / history, each write with its audit entry and
 * domain events in one transaction. Every prefix it uses is claimed when it is declared (a prefix
 * another declaration holds fails at load). `I`, `L` and `C` name its indexes, look-ups and child kinds
 * (with each child's type), so a query of an undeclared one fails `tsc`.
 */
export interface AggregateDeclaration<
  T extends AggregateRecord = AggregateRecord,
  I extends string = string,
  L extends string = string,
  C extends Record<string, unknown> = Record<string, unknown>,
  P extends string = string,
> {
  /** Audit entity and event aggregate name, e.g. `customer`. */
  name: AuditEntry['entity'];
  /** For messages and error codes: `RepairOrder` → `REPAIR_ORDER_NOT_FOUND`. */
  label: string;
  /** The path parameter that names one record (`vehicleId`): its 404 is documented from here. */
  idParam: P;
  /** The partition of one record is `<tenant>#<prefix>#<id>`. */
  prefix: string;
  /** Sort key of the record item in its partition (other items of the record sort after it). */
  recordSk: string;
  /** The stored record; items are parsed with it when read, never cast. */
  schema: z.ZodType<T>;
  indexes?: Record<I, IndexDeclaration<T>>;
  lookups?: Record<L, LookupDeclaration<T>>;
  children?: { [K in keyof C]: ChildDeclaration<C[K]> };
  /** Brings an item written by an older version of the code to today's shape, before parsing. */
  upgrade?: (item: Item) => Item;
}

/** The widest declaration, for constraints (its callbacks are methods, so any record type fits). */
type AnyAggregate = AggregateDeclaration<AggregateRecord, string, string, Record<string, unknown>>;
/** The record type, index, look-up and child names of a declaration (read off its fields). */
export type RecordOf<D extends AnyAggregate> = z.output<D['schema']>;
type IndexOf<D extends AnyAggregate> = keyof NonNullable<D['indexes']> & string;
type LookupOf<D extends AnyAggregate> = keyof NonNullable<D['lookups']> & string;
type ChildrenOf<D extends AnyAggregate> = {
  [K in keyof NonNullable<D['children']>]: z.output<NonNullable<D['children']>[K]['schema']>;
};

/** Every aggregate declared so far: the API documents its path parameters' 404s from them. */
const DECLARED: AnyAggregate[] = [];

export function declaredAggregates(): readonly AnyAggregate[] {
  return DECLARED;
}

export function defineAggregate<
  T extends AggregateRecord,
  I extends string = never,
  L extends string = never,
  C extends Record<string, unknown> = Record<never, unknown>,
  P extends string = string,
>(declaration: AggregateDeclaration<T, I, L, C, P>): AggregateDeclaration<T, I, L, C, P> {
  const { name } = declaration;
  registerKeyPrefix(declaration.prefix, name);
  const parts: Record<string, { prefix: string }>[] = [declaration.indexes ?? {}, declaration.lookups ?? {}];
  for (const [part, { prefix }] of parts.flatMap((p) => Object.entries(p)))
    registerKeyPrefix(prefix, `${name}.${part}`);
  DECLARED.push(declaration);
  return declaration;
}

/**
 * Each aggregate's record schema, compiled on its first read (zod's `compile`: generated code, with
 * zod's own parser as the fallback). Every read parses every item; compiled, that costs about a third of
 * what the interpreted parse does (bench/), with the same answers. On first use, not at declaration, so
 * a cold start pays only for the aggregates it reads.
 */
const readers = new WeakMap<object, z.ZodType>();

function readerOf(schema: z.ZodType): z.ZodType {
  let reader = readers.get(schema);
  if (!reader) {
    reader = z.compile(schema);
    readers.set(schema, reader);
  }
  return reader;
}

/** What a decision asks a repository to write beside the record, as data. */
export interface WriteOptions {
  action?: AuditEntry['action'];
  changes: FieldChange[];
  events?: readonly NewEvent[];
  /** Further operations of the same transaction: child items, checks on other records. */
  extra?: TxOp[];
}

/** A repository's named range within one partition: the sort key narrowed, paged. */
export type RangeQuery = Pick<QueryOptions, 'sk' | 'newestFirst'> & PageRequest;

export class AggregateRepository<D extends AnyAggregate, T extends AggregateRecord = RecordOf<D>> {
  constructor(
    protected readonly t: TenantTable,
    protected readonly ctx: TenantContext,
    readonly declaration: D,
  ) {}

  /** The time of a write: the request's clock, never read here. */
  protected now(): Date {
    return this.ctx.now();
  }

  partition(id: string): string[] {
    return [this.declaration.prefix, id];
  }

  key(id: string): Key {
    return { pk: this.t.key(...this.partition(id)), sk: this.declaration.recordSk };
  }

  toItem(record: T): Item {
    const item: Item = { ...record, ...this.key(record.id), type: this.declaration.label };
    for (const { index, prefix, key } of Object.values<IndexDeclaration<T>>(this.declaration.indexes ?? {})) {
      const keys = key(record);
      if (!keys) continue;
      item[`${index}pk`] = this.t.key(prefix, ...keys.pk);
      item[`${index}sk`] = keys.sk;
    }
    return item;
  }

  fromItem(item: Item): T {
    const upgraded = this.declaration.upgrade ? this.declaration.upgrade(item) : item;
    return readerOf(this.declaration.schema).parse(stripKeys(upgraded)) as T;
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

  /**
   * Saves the store's one record of this aggregate (its id the store's: set-up, a policy) if the stored
   * version is still `expectedVersion` (0: never saved, so two first saves cannot both win). `decide`
   * gives the next record from the stored one, or nothing when nothing would change. Answers the record
   * as now stored (undefined: never saved and nothing to save).
   */
  protected async replaceStoreRecord(
    expectedVersion: number,
    decide: (stored: T | undefined, id: string) => (WriteOptions & { next: T }) | undefined,
  ): Promise<T | undefined> {
    const id = this.t.tenantId;
    const stored = await this.get(id);
    if ((stored?.version ?? 0) !== expectedVersion)
      throw new VersionConflictError(this.declaration.label, id, stored?.version ?? 0);
    const decision = decide(stored, id);
    if (!decision) return stored;
    if (stored) return this.save(stored, decision.next, decision);
    const { record, created } = await this.createRecord(decision.next, decision);
    if (!created) throw new VersionConflictError(this.declaration.label, id, record.version);
    return record;
  }

  /** A check, for another record's transaction, that this record exists (else `onMissing`). */
  existsCheck(id: string, onMissing: () => Error): TxOp {
    return { check: this.key(id), condition: 'attribute_exists(pk)', onConditionFailed: onMissing };
  }

  /** One page of a named index, every item parsed; `parts` follow the index's prefix. */
  async queryIndex(name: IndexOf<D>, parts: string[], range: RangeQuery): Promise<Page<T>> {
    const declared = (this.declaration.indexes as Record<string, IndexDeclaration<T>> | undefined)?.[name];
    if (!declared) throw new Error(`${this.declaration.name} has no index ${name}`);
    const out = await this.t.query({
      index: declared.index,
      partition: [declared.prefix, ...parts],
      ...rangeOf(range),
    });
    return pageOf(out, (i) => this.fromItem(i));
  }

  /** The ids of the records a look-up value points at (one Query, at most 50 holders). */
  async lookup(name: LookupOf<D>, value: string): Promise<string[]> {
    const declared = (this.declaration.lookups as Record<string, LookupDeclaration<T>> | undefined)?.[name];
    if (!declared) throw new Error(`${this.declaration.name} has no look-up ${name}`);
    const out = await this.t.query({ partition: [declared.prefix, value], limit: 50 });
    return out.items.map((i) => String(i[this.holderAttribute]));
  }

  private get holderAttribute(): string {
    return `${this.declaration.name}Id`;
  }

  private lookupKey(declared: LookupDeclaration<T>, value: string, id: string): Key {
    return {
      pk: this.t.key(declared.prefix, value),
      sk: declared.unique ? `#${declared.prefix}` : `${this.declaration.prefix}#${id}`,
    };
  }

  /** The look-up items that follow a record from `before` to `after` (creates: `before` undefined). */
  private lookupOps(before: T | undefined, after: T): TxOp[] {
    const ops: TxOp[] = [];
    for (const declared of Object.values<LookupDeclaration<T>>(this.declaration.lookups ?? {})) {
      if (!declared.values) continue;
      const was = before ? declared.values(before) : [];
      const is = declared.values(after);
      for (const value of was.filter((v) => !is.includes(v)))
        ops.push({ delete: this.lookupKey(declared, value, after.id) });
      for (const value of [...new Set(is)].filter((v) => !was.includes(v)))
        ops.push(this.lookupPut(declared, value, after.id));
    }
    return ops;
  }

  /** The look-up item of `value` for record `id`; a unique one only where no other holds it. */
  private lookupPut(declared: LookupDeclaration<T>, value: string, id: string): TxOp {
    const { unique } = declared;
    return {
      put: { ...this.lookupKey(declared, value, id), type: declared.type, [this.holderAttribute]: id },
      ...(unique
        ? {
            condition: 'attribute_not_exists(pk)',
            onConditionFailed: (holder: Item | undefined) =>
              unique(value, holder ? String(holder[this.holderAttribute]) : undefined),
          }
        : {}),
    };
  }

  /**
   * The guard item of a look-up declared without `values`, for a create's transaction (`extra`): it
   * maps `value` to record `id` once, and is never moved by later edits of the record.
   */
  guardOp(name: LookupOf<D>, value: string, id: string): TxOp {
    const declared = (this.declaration.lookups as Record<string, LookupDeclaration<T>> | undefined)?.[name];
    if (!declared || declared.values) throw new Error(`${this.declaration.name} has no guard ${name}`);
    return this.lookupPut(declared, value, id);
  }

  /** A child item of record `id`, with its index entry when the child declares one. */
  childItem<K extends keyof ChildrenOf<D> & string>(name: K, id: string, child: ChildrenOf<D>[K]): Item {
    const declared = this.child(name);
    const item: Item = {
      ...(child as Item),
      pk: this.t.key(...this.partition(id)),
      sk: `${declared.skPrefix}${declared.sk(child as never)}`,
      type: declared.type,
    };
    if (declared.index) {
      item[`${declared.index.index}pk`] = this.t.key(...declared.index.pk(child as never));
      item[`${declared.index.index}sk`] = `${declared.index.skPrefix}${declared.index.sk(child as never)}`;
    }
    return item;
  }

  /** The key of a child item of record `id` by its sort key after the prefix (a chunk's number). */
  childKeyAt(name: keyof ChildrenOf<D> & string, id: string, skSuffix: string): Key {
    return { pk: this.t.key(...this.partition(id)), sk: `${this.child(name).skPrefix}${skSuffix}` };
  }

  /** A child item addressed by its sort key after the prefix, typed as its declaration says. */
  childItemAt<K extends keyof ChildrenOf<D> & string>(
    name: K,
    id: string,
    skSuffix: string,
    child: ChildrenOf<D>[K] & Item,
  ): Item {
    return { ...child, ...this.childKeyAt(name, id, skSuffix), type: this.child(name).type };
  }

  /** One child item of record `id`, parsed, or undefined. */
  async getChild<K extends keyof ChildrenOf<D> & string>(
    name: K,
    id: string,
    skSuffix: string,
  ): Promise<ChildrenOf<D>[K] | undefined> {
    const item = await this.t.get(this.childKeyAt(name, id, skSuffix));
    return item ? this.parseChild(name, item) : undefined;
  }

  /** The key of a child item of record `id`. */
  childKey<K extends keyof ChildrenOf<D> & string>(name: K, id: string, child: ChildrenOf<D>[K]): Key {
    const { pk, sk } = this.childItem(name, id, child);
    return { pk, sk };
  }

  /** One page of record `id`'s children of one kind, parsed; `range.sk` narrows after the prefix. */
  async children<K extends keyof ChildrenOf<D> & string>(
    name: K,
    id: string,
    range: RangeQuery,
  ): Promise<Page<ChildrenOf<D>[K]>> {
    const declared = this.child(name);
    const out = await this.t.query({
      partition: this.partition(id),
      ...rangeOf({ ...range, sk: prefixed(declared.skPrefix, range.sk) }),
    });
    return pageOf(out, (i) => this.parseChild(name, i));
  }

  /** One page of children of one kind listed under another partition (their `index`), parsed. */
  async childrenIn<K extends keyof ChildrenOf<D> & string>(
    name: K,
    partition: string[],
    range: RangeQuery,
  ): Promise<Page<ChildrenOf<D>[K]>> {
    const declared = this.child(name);
    if (!declared.index) throw new Error(`${this.declaration.name}.${name} is in no index`);
    const out = await this.t.query({
      index: declared.index.index,
      partition,
      ...rangeOf({ ...range, sk: prefixed(declared.index.skPrefix, range.sk) }),
    });
    return pageOf(out, (i) => this.parseChild(name, i));
  }

  /**
   * The record and every child of one kind, whatever their number, in one Query when they fit: the
   * children must sort right after the record (`#VEH`, then `LINK#…`), before the partition's other items.
   */
  async withChildren<K extends keyof ChildrenOf<D> & string>(
    id: string,
    name: K,
  ): Promise<{ record: T; children: ChildrenOf<D>[K][] }> {
    const { skPrefix } = this.child(name);
    const items = await this.t.queryAll({
      partition: this.partition(id),
      sk: { between: [this.declaration.recordSk, `${skPrefix}~`] },
    });
    const record = items.find((i) => i.sk === this.declaration.recordSk);
    if (!record) throw new NotFoundError(this.declaration.label, id);
    const children = items
      .filter((i) => String(i.sk).startsWith(skPrefix))
      .map((i) => this.parseChild(name, i));
    return { record: this.fromItem(record), children };
  }

  private child(name: string): ChildDeclaration<unknown> {
    const declared = (this.declaration.children as Record<string, ChildDeclaration<unknown>> | undefined)?.[
      name
    ];
    if (!declared) throw new Error(`${this.declaration.name} has no child ${name}`);
    return declared;
  }

  private parseChild<K extends keyof ChildrenOf<D> & string>(name: K, item: Item): ChildrenOf<D>[K] {
    return readerOf(this.child(name).schema).parse(stripKeys(item)) as ChildrenOf<D>[K];
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
   * Creates the record (refused if the id exists) with its index entries, look-up items, audit entry,
   * events and extra operations in one transaction. With an idempotency key, a retried request returns
   * what the first one created.
   */
  async createRecord(
    record: T,
    opts: WriteOptions & { idempotency?: IdempotencyRequest | undefined },
  ): Promise<{ record: T; created: boolean }> {
    const ops = this.createOps(record, opts);
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

  /**
   * `createRecord`'s operations (no idempotency record), for a transaction that creates several
   * records at once: the demo seed's catalogue, a few hundred parts a store.
   */
  createOps(record: T, opts: WriteOptions): TxOp[] {
    return [
      {
        put: this.toItem(record),
        condition: 'attribute_not_exists(pk)',
        onConditionFailed: () => new IdempotentReplay(record.id),
      },
      ...this.lookupOps(undefined, record),
      ...this.writeOps(record, record.createdAt, { action: 'create', ...opts }),
    ];
  }

  /** Writes `next` if the stored version is still `current.version` (optimistic locking). */
  async save(current: T, next: T, opts: WriteOptions): Promise<T> {
    await this.t.transact(this.saveOps(current, next, opts));
    return next;
  }

  /**
   * `save`'s operations, for a transaction another repository writes (a stock movement that posts a
   * document in the same transaction as the document's own change).
   */
  saveOps(current: T, next: T, opts: WriteOptions): TxOp[] {
    if (current.version === undefined) throw new Error(`${this.declaration.label} is not versioned`);
    return [
      {
        put: this.toItem(next),
        condition: 'version = :v',
        values: { ':v': current.version },
        onConditionFailed: (stored) =>
          new VersionConflictError(this.declaration.label, current.id, stored?.version as number | undefined),
      },
      ...this.lookupOps(current, next),
      ...this.writeOps(next, next.updatedAt, opts),
    ];
  }

  history(id: string, page: PageRequest) {
    return auditHistory(this.t, this.partition(id), page);
  }
}

/** `beginsWith`/`between`… narrowed after a fixed prefix (a child kind's `LINK#`). */
function prefixed(prefix: string, sk: QueryOptions['sk']): QueryOptions['sk'] {
  // No prefix and no range: the whole partition (DynamoDB refuses `begins_with` of an empty string).
  if (!sk) return prefix ? { beginsWith: prefix } : undefined;
  if ('beginsWith' in sk) return { beginsWith: `${prefix}${sk.beginsWith}` };
  if ('equals' in sk) return { equals: `${prefix}${sk.equals}` };
  // `< x` after a prefix needs two bounds, one of them exclusive: no key condition says that.
  if ('lessThan' in sk) throw new Error('Narrow a child range with `between`, not `lessThan`.');
  return { between: [`${prefix}${sk.between[0]}`, `${prefix}${sk.between[1]}`] };
}

function rangeOf(range: RangeQuery): Omit<QueryOptions, 'partition' | 'index'> {
  return {
    ...(range.sk ? { sk: range.sk } : {}),
    ...(range.newestFirst ? { newestFirst: true } : {}),
    limit: range.limit ?? 25,
    cursor: range.cursor,
  };
}

/** The one mapping of a Query's page to a page of parsed values. */
export function pageOf<V>(out: { items: Item[]; nextCursor?: string }, parse: (item: Item) => V): Page<V> {
  const items = out.items.map(parse);
  return out.nextCursor ? { items, nextCursor: out.nextCursor } : { items };
}

export { notFoundCode };
