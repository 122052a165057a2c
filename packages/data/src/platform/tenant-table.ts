import { type Actor, AppError, TenantId } from '@aftersales/domain';
import {
  type AttributeValue,
  BatchGetItemCommand,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  QueryCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  type TransactWriteItemsCommandInput,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall, type NativeAttributeValue, unmarshall } from '@aws-sdk/util-dynamodb';
import { CursorSeal } from './cursor.ts';
import { type GlobalIndexName, TABLE } from './table.ts';

export type Item = Record<string, NativeAttributeValue>;

/**
 * An item (or a key, or expression values) as DynamoDB's attribute map. The data layer marshals items
 * itself instead of going through the SDK's document client, which cannot run on a client that caches
 * its middleware (clients.ts). An `undefined` field is left out, as an absent one is.
 */
export function toAttributes(item: Item): Record<string, AttributeValue> {
  return marshall(item, { removeUndefinedValues: true });
}
export interface Key {
  pk: string;
  sk: string;
}

/**
 * What every data access needs: whose data, who is acting (for the audit log), and the clock writes
 * are stamped with (the request's; the local stack's and the tests' can be moved).
 */
export interface TenantContext {
  tenantId: string;
  actor: Actor;
  now: () => Date;
}

type Expr = {
  condition?: string;
  names?: Record<string, string>;
  values?: Record<string, NativeAttributeValue>;
};

/**
 * One operation of a transaction; `onConditionFailed` turns a failed condition into a domain error.
 * When several conditions fail, a `decisive` operation's error wins (a replayed idempotent create also
 * trips the uniqueness guards its first attempt set up).
 */
export type TxOp = Expr & {
  onConditionFailed?: (current: Item | undefined) => Error;
  decisive?: boolean;
} & (
    | { put: Item }
    | { update: Key; changes: UpdateSpec }
    | { delete: Key }
    | { check: Key; condition: string }
  );

/** An update as data: the table builds the expression, names and values (no hand-written strings). */
export interface UpdateSpec {
  set?: Record<string, NativeAttributeValue>;
  /** Atomic counters: `ADD attr n`. */
  add?: Record<string, number>;
  remove?: string[];
}

/** `SET #u0 = :u0 ADD #u1 :u1 REMOVE #u2` with its names and values, merged into the op's own. */
export function updateExpression(spec: UpdateSpec, names: Record<string, string>, values: Item): string {
  let n = 0;
  const name = (attr: string) => {
    const placeholder = `#u${n++}`;
    names[placeholder] = attr;
    return placeholder;
  };
  const value = (v: NativeAttributeValue) => {
    const placeholder = `:u${n++}`;
    values[placeholder] = v;
    return placeholder;
  };
  const clauses: string[] = [];
  const set = Object.entries(spec.set ?? {});
  if (set.length) clauses.push(`SET ${set.map(([a, v]) => `${name(a)} = ${value(v)}`).join(', ')}`);
  const add = Object.entries(spec.add ?? {});
  if (add.length) clauses.push(`ADD ${add.map(([a, v]) => `${name(a)} ${value(v)}`).join(', ')}`);
  if (spec.remove?.length) clauses.push(`REMOVE ${spec.remove.map(name).join(', ')}`);
  if (clauses.length === 0) throw new Error('An update must change something.');
  return clauses.join(' ');
}

export interface QueryOptions {
  index?: GlobalIndexName;
  partition: string[];
  sk?: { beginsWith: string } | { equals: string } | { lessThan: string } | { between: [string, string] };
  limit?: number;
  cursor?: string | undefined;
  newestFirst?: boolean;
}

/** Where a list starts (an opaque cursor from the previous page) and how much to return. */
export interface PageRequest {
  cursor?: string | undefined;
  limit?: number | undefined;
}

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

// Key attributes of the table and every index (derived, so an index added later is covered too).
const KEY_ATTRS = new Set<string>([
  TABLE.partitionKey,
  TABLE.sortKey,
  ...TABLE.globalIndexes.flatMap((g) => [g.partitionKey, g.sortKey]),
  'type',
  'tenantId',
]);

/** Every partition-key attribute of the table and of each index: all of them must be the tenant's. */
const PARTITION_ATTRS = [TABLE.partitionKey, ...TABLE.globalIndexes.map((g) => g.partitionKey)];

/**
 * Drops key and bookkeeping attributes: what is left is the domain record. `keep` names attributes
 * that are domain fields in that record (a membership's `tenantId` is the tenant it grants).
 */
export function stripKeys<T>(item: Item, keep: readonly string[] = []): T {
  const out: Item = {};
  for (const [k, v] of Object.entries(item))
    if ((!KEY_ATTRS.has(k) && k !== 'expiresAt') || keep.includes(k)) out[k] = v;
  return out as T;
}

/** DynamoDB left keys unprocessed after every retry (throttling): a 503 the client may retry. */
export class IncompleteReadError extends AppError {
  constructor(unprocessed: number) {
    super(503, 'READ_INCOMPLETE', `The store is busy: ${unprocessed} records could not be read; try again.`);
  }
}

export class InvalidCursorError extends AppError {
  constructor() {
    super(
      400,
      'INVALID_CURSOR',
      'The page cursor is invalid or belongs to another list; start again from the first page.',
    );
  }
}

/**
 * The only way to reach tenant data. It is built for one tenant id and makes every key from it: callers
 * pass key *parts*, never whole keys, so a read or write of another tenant's item cannot be expressed.
 * Every outgoing item and incoming cursor is checked again against the tenant prefix.
 */
export class TenantTable {
  readonly prefix: string;

  constructor(
    readonly tenantId: string,
    private readonly client: DynamoDBClient,
    readonly tableName: string,
    /** Seals the cursors it issues; by default this process's own key (cursors that never leave it). */
    private readonly cursors: CursorSeal = processCursorSeal(),
  ) {
    TenantId.parse(tenantId);
    this.prefix = `${tenantId}#`;
  }

  /** `st_X#CUS#123` from `('CUS', '123')`. */
  key(...parts: string[]): string {
    return `${this.prefix}${parts.join('#')}`;
  }

  /** Refuses any item whose partition keys (table or index) are not this tenant's. */
  private guard(item: Item): Item {
    for (const attr of PARTITION_ATTRS) {
      const v = item[attr];
      if (v !== undefined && (typeof v !== 'string' || !v.startsWith(this.prefix))) {
        throw new Error(`Tenant guard: ${attr} of item is outside tenant ${this.tenantId}`);
      }
    }
    return { ...item, tenantId: this.tenantId };
  }

  private guardKey(key: Key): Key {
    if (!key.pk.startsWith(this.prefix)) throw new Error(`Tenant guard: key outside tenant ${this.tenantId}`);
    return key;
  }

  async get<T = Item>(key: Key): Promise<T | undefined> {
    const out = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: marshall(this.guardKey(key)) }),
    );
    return out.Item ? (unmarshall(out.Item) as T) : undefined;
  }

  /** BatchGet of up to 100 keys; order follows the input, missing items are dropped. */
  async getMany(keys: Key[]): Promise<Item[]> {
    if (keys.length === 0) return [];
    const unique = [...new Map(keys.map((k) => [`${k.pk}|${k.sk}`, this.guardKey(k)])).values()];
    const found = new Map<string, Item>();
    for (let i = 0; i < unique.length; i += 100) {
      let request: Record<string, AttributeValue>[] = unique.slice(i, i + 100).map((k) => marshall(k));
      for (let attempt = 0; request.length > 0 && attempt < 5; attempt++) {
        const out = await this.client.send(
          new BatchGetItemCommand({ RequestItems: { [this.tableName]: { Keys: request } } }),
        );
        for (const raw of out.Responses?.[this.tableName] ?? []) {
          const item = unmarshall(raw);
          found.set(`${item.pk}|${item.sk}`, item);
        }
        request = out.UnprocessedKeys?.[this.tableName]?.Keys ?? [];
        if (request.length > 0) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
      }
      // Returning part of what was asked would show a screen with records silently missing.
      if (request.length > 0) throw new IncompleteReadError(request.length);
    }
    return keys.map((k) => found.get(`${k.pk}|${k.sk}`)).filter((x): x is Item => x !== undefined);
  }

  /**
   * Query one partition of the table or of an index. `partition` is key parts (tenant added here);
   * `sk` narrows the sort key. Returns one page and an opaque cursor.
   */
  async query(opts: QueryOptions): Promise<{ items: Item[]; nextCursor?: string }> {
    const def = indexDefinition(opts.index);
    const names: Record<string, string> = { '#pk': def.partitionKey };
    const values: Record<string, NativeAttributeValue> = { ':pk': this.key(...opts.partition) };
    let keyCondition = '#pk = :pk';
    // DynamoDB refuses `begins_with(sk, '')`: an empty prefix (every child under an index whose sort
    // key has no prefix of its own, like the store's bins) is the whole partition.
    if (opts.sk && !('beginsWith' in opts.sk && opts.sk.beginsWith === '')) {
      names['#sk'] = def.sortKey;
      if ('beginsWith' in opts.sk) {
        keyCondition += ' AND begins_with(#sk, :sk)';
        values[':sk'] = opts.sk.beginsWith;
      } else if ('equals' in opts.sk) {
        keyCondition += ' AND #sk = :sk';
        values[':sk'] = opts.sk.equals;
      } else if ('lessThan' in opts.sk) {
        keyCondition += ' AND #sk < :sk';
        values[':sk'] = opts.sk.lessThan;
      } else {
        keyCondition += ' AND #sk BETWEEN :sk1 AND :sk2';
        values[':sk1'] = opts.sk.between[0];
        values[':sk2'] = opts.sk.between[1];
      }
    }
    const binding = cursorBinding(values[':pk'] as string, opts);
    const out = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: opts.index,
        KeyConditionExpression: keyCondition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: marshall(values),
        Limit: Math.min(Math.max(opts.limit ?? 25, 1), 200),
        ScanIndexForward: !opts.newestFirst,
        ExclusiveStartKey: opts.cursor
          ? marshall(this.decodeCursor(opts.cursor, opts, values[':pk'] as string, binding))
          : undefined,
      }),
    );
    const items = (out.Items ?? []).map((raw) => unmarshall(raw));
    return out.LastEvaluatedKey
      ? { items, nextCursor: this.cursors.seal(unmarshall(out.LastEvaluatedKey), binding) }
      : { items };
  }

  /**
   * Every item of a small, bounded collection (a vehicle's head: the record and its links), page by page.
   * Past `maxItems` it fails loudly instead of returning part of the collection.
   */
  async queryAll(opts: Omit<QueryOptions, 'cursor' | 'limit'>, maxItems = 1000): Promise<Item[]> {
    const items: Item[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.query({ ...opts, limit: 200, cursor });
      items.push(...page.items);
      if (items.length > maxItems)
        throw new Error(`queryAll: more than ${maxItems} items in ${opts.partition}`);
      cursor = page.nextCursor;
    } while (cursor);
    return items;
  }

  /**
   * A cursor is honoured only when it opens with this table's key for exactly this list (`cursorBinding`:
   * tenant, index, partition, sort-key condition, order) and is exactly a key this query could have
   * returned: the key attributes of the table (and of the queried index), each a non-empty string
   * within DynamoDB's key sizes, the partition the one queried, every partition key the tenant's, the
   * sort key inside the query's bounds (checked again, should the key ever leak). Anything else is a
   * 400 here, never a database error (a 500) later.
   */
  private decodeCursor(cursor: string, opts: QueryOptions, partition: string, binding: string): Item {
    const key = this.cursors.open(cursor, binding);
    if (!cursorKeyIsValid(key, cursorKeyAttributes(opts.index), this.prefix)) throw new InvalidCursorError();
    const def = indexDefinition(opts.index);
    if (key[def.partitionKey] !== partition) throw new InvalidCursorError();
    if (opts.sk && !withinBounds(key[def.sortKey]!, opts.sk)) throw new InvalidCursorError();
    return key;
  }

  /** An atomic counter on one item (`ADD attr by`, the item made when missing): the value after it. */
  async increment(key: Key, attr: string, by: number, set: Item = {}): Promise<number> {
    const names: Record<string, string> = {};
    const values: Item = {};
    const out = await this.client.send(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: marshall(this.guardKey(key)),
        UpdateExpression: updateExpression({ set, add: { [attr]: by } }, names, values),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: toAttributes(values),
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(unmarshall(out.Attributes ?? {})[attr] ?? 0);
  }

  /** All-or-nothing write of up to 100 operations; condition failures become the operation's error. */
  async transact(ops: TxOp[]): Promise<void> {
    const TransactItems: NonNullable<TransactWriteItemsCommandInput['TransactItems']> = ops.map((op) => {
      const common = {
        TableName: this.tableName,
        ConditionExpression: op.condition,
        ExpressionAttributeNames: op.names,
        ExpressionAttributeValues: op.values ? toAttributes(op.values) : undefined,
        ReturnValuesOnConditionCheckFailure: op.onConditionFailed ? ('ALL_OLD' as const) : undefined,
      };
      if ('put' in op) return { Put: { ...common, Item: toAttributes(this.guard(op.put)) } };
      if ('update' in op) {
        const names = { ...op.names };
        const values: Item = { ...op.values };
        const UpdateExpression = updateExpression(op.changes, names, values);
        return {
          Update: {
            ...common,
            Key: toAttributes(this.guardKey(op.update)),
            UpdateExpression,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: Object.keys(values).length ? toAttributes(values) : undefined,
          },
        };
      }
      if ('delete' in op) return { Delete: { ...common, Key: toAttributes(this.guardKey(op.delete)) } };
      return {
        ConditionCheck: {
          ...common,
          Key: toAttributes(this.guardKey(op.check)),
          ConditionExpression: op.condition,
        },
      };
    });
    try {
      await this.client.send(new TransactWriteItemsCommand({ TransactItems }));
    } catch (e) {
      if (e instanceof TransactionCanceledException) {
        const reasons = e.CancellationReasons ?? [];
        const failed = reasons
          .map((reason, i) => ({ reason, op: ops[i] }))
          .filter(({ reason, op }) => reason.Code === 'ConditionalCheckFailed' && op?.onConditionFailed);
        const first = failed.find(({ op }) => op?.decisive) ?? failed[0];
        if (first?.op?.onConditionFailed) {
          throw first.op.onConditionFailed(first.reason.Item ? unmarshall(first.reason.Item) : undefined);
        }
        if (reasons.some((r) => r.Code === 'TransactionConflict')) {
          throw new AppError(
            409,
            'CONCURRENT_UPDATE',
            'Another change to the same records was in progress; try again.',
          );
        }
      }
      if (e instanceof ConditionalCheckFailedException) {
        throw new AppError(
          409,
          'CONDITION_FAILED',
          'The record changed while you were editing it; reload and retry.',
        );
      }
      throw e;
    }
  }
}

/**
 * What a cursor is bound to: the list it pages, down to the sort-key condition and the order (the
 * partition value begins with the tenant id). A cursor of another list, or of the same list in another
 * tenant, does not open.
 */
export function cursorBinding(partition: string, opts: QueryOptions): string {
  return JSON.stringify([partition, opts.index ?? '', opts.sk ?? null, opts.newestFirst === true]);
}

let processSeal: CursorSeal | undefined;
/** A key of this process, made on first use, for tables built without the API's configured one. */
function processCursorSeal(): CursorSeal {
  processSeal ??= new CursorSeal();
  return processSeal;
}

/** The table's or a global index's key attribute names. */
function indexDefinition(index: GlobalIndexName | undefined): { partitionKey: string; sortKey: string } {
  return index ? TABLE.globalIndexes.find((g) => g.name === index)! : TABLE;
}

/**
 * The attributes of a page's last key as DynamoDB returns it: the table's key, and for an index query
 * that index's key too. Nothing more, nothing less.
 */
function cursorKeyAttributes(index: GlobalIndexName | undefined): {
  partition: string[];
  sort: string[];
} {
  const table = { partition: [TABLE.partitionKey], sort: [TABLE.sortKey] };
  if (!index) return table;
  const def = indexDefinition(index);
  return { partition: [...table.partition, def.partitionKey], sort: [...table.sort, def.sortKey] };
}

// DynamoDB's key size limits (UTF-8 bytes): a longer value in a start key is a ValidationException.
const MAX_PARTITION_KEY_BYTES = 2048;
const MAX_SORT_KEY_BYTES = 1024;

/** A non-empty, well-formed string (no lone surrogate) within `maxBytes` of UTF-8. */
function isKeyString(v: unknown, maxBytes: number): v is string {
  if (typeof v !== 'string' || v === '') return false;
  const bytes = Buffer.from(v, 'utf8');
  return bytes.length <= maxBytes && bytes.toString('utf8') === v;
}

/** Exactly `attrs`, every value a key-sized non-empty string, every partition key within `prefix`. */
function cursorKeyIsValid(
  key: unknown,
  attrs: { partition: string[]; sort: string[] },
  prefix: string,
): key is Record<string, string> {
  if (typeof key !== 'object' || key === null || Array.isArray(key)) return false;
  const expected = [...attrs.partition, ...attrs.sort];
  const present = Object.keys(key);
  if (present.length !== expected.length || !expected.every((a) => Object.hasOwn(key, a))) return false;
  const values = key as Record<string, unknown>;
  return (
    attrs.partition.every(
      (a) => isKeyString(values[a], MAX_PARTITION_KEY_BYTES) && values[a].startsWith(prefix),
    ) && attrs.sort.every((a) => isKeyString(values[a], MAX_SORT_KEY_BYTES))
  );
}

/**
 * Whether a start key's sort key satisfies the query's sort-key condition (DynamoDB refuses one that
 * does not), compared as DynamoDB compares strings: by their UTF-8 bytes.
 */
function withinBounds(sk: string, cond: NonNullable<QueryOptions['sk']>): boolean {
  const cmp = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
  if ('beginsWith' in cond) return sk.startsWith(cond.beginsWith);
  if ('equals' in cond) return sk === cond.equals;
  if ('lessThan' in cond) return cmp(sk, cond.lessThan) < 0;
  return cmp(sk, cond.between[0]) >= 0 && cmp(sk, cond.between[1]) <= 0;
}
