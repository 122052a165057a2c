import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A counting pass-through in front of DynamoDB Local: every request the API makes is forwarded as it
 * is, except that reads ask for their consumed capacity, and the answer is tallied — requests by
 * operation, items returned, read units consumed. Counted on the wire, so it measures what any code
 * path does without a line of instrumentation in the product. Writes ask for their consumed capacity
 * too (write units), and refusals are tallied by their error type (a cancelled transaction, a failed
 * condition). (DynamoDB Local does not check request
 * signatures, so adding `ReturnConsumedCapacity` to a signed body is accepted there; never in AWS.)
 */
export interface Tally {
  /** Reads (GetItem, BatchGetItem, Query): what a screen costs. */
  reads: number;
  /** Every request, the API's own bookkeeping included (a rate-limit lease's UpdateItem, now and then). */
  requests: number;
  byOperation: Record<string, number>;
  items: number;
  readUnits: number;
  /** Write units consumed by UpdateItem, PutItem, DeleteItem, BatchWriteItem and TransactWriteItems. */
  writeUnits: number;
  /** Refused requests by error type (`TransactionCanceledException`, `ConditionalCheckFailedException`). */
  errors: Record<string, number>;
  /** Of the read and write units, those the global indexes consumed (only with `capacity: 'INDEXES'`). */
  indexUnits: number;
}

export interface CounterOptions {
  /**
   * What each read and write asks for: `TOTAL` (the units, indexes included) or `INDEXES` (the same
   * total, and the table's and each index's share, so `indexUnits` is filled).
   */
  capacity?: 'TOTAL' | 'INDEXES';
}

export interface DynamoCounter {
  url: string;
  /** Counts from zero until `stop` of the measurement it returns. */
  measure(): { stop(): Tally };
  close(): Promise<void>;
}

const READS = new Set(['GetItem', 'BatchGetItem', 'Query']);
const WRITES = new Set(['UpdateItem', 'PutItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);

export async function startDynamoCounter(target: string, opts: CounterOptions = {}): Promise<DynamoCounter> {
  const capacity = opts.capacity ?? 'TOTAL';
  let current: Tally | undefined;
  const server: Server = createServer(async (req, res) => {
    const body = await readBody(req);
    const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? 'unknown';
    let forwarded = body;
    if (READS.has(operation) || WRITES.has(operation)) {
      const input = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
      forwarded = Buffer.from(JSON.stringify({ ...input, ReturnConsumedCapacity: capacity }));
    }
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers))
      if (typeof value === 'string' && name !== 'content-length' && name !== 'host') headers.set(name, value);
    const answer = await fetch(`${target}${req.url ?? '/'}`, {
      method: req.method ?? 'POST',
      headers,
      body: new Uint8Array(forwarded),
    });
    const text = Buffer.from(await answer.arrayBuffer());
    if (current) tally(current, operation, text, answer.status);
    res.writeHead(answer.status, Object.fromEntries(answer.headers.entries()));
    res.end(text);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    measure() {
      const tallyNow = emptyTally();
      current = tallyNow;
      return {
        stop() {
          current = undefined;
          return tallyNow;
        },
      };
    },
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

function emptyTally(): Tally {
  return {
    reads: 0,
    requests: 0,
    byOperation: {},
    items: 0,
    readUnits: 0,
    writeUnits: 0,
    errors: {},
    indexUnits: 0,
  };
}

/** Tallies added up: a screen's requests, each counted alone. */
export function sumTallies(tallies: readonly Tally[]): Tally {
  const total = emptyTally();
  for (const t of tallies) {
    total.reads += t.reads;
    total.requests += t.requests;
    total.items += t.items;
    total.readUnits += t.readUnits;
    total.writeUnits += t.writeUnits;
    total.indexUnits += t.indexUnits;
    for (const [op, n] of Object.entries(t.byOperation))
      total.byOperation[op] = (total.byOperation[op] ?? 0) + n;
    for (const [e, n] of Object.entries(t.errors)) total.errors[e] = (total.errors[e] ?? 0) + n;
  }
  return total;
}

interface Consumed {
  CapacityUnits?: number;
  GlobalSecondaryIndexes?: Record<string, { CapacityUnits?: number }>;
}

function tally(t: Tally, operation: string, body: Buffer, status: number): void {
  t.requests++;
  if (READS.has(operation)) t.reads++;
  t.byOperation[operation] = (t.byOperation[operation] ?? 0) + 1;
  const out = JSON.parse(body.toString('utf8') || '{}') as {
    __type?: string;
    Item?: unknown;
    Count?: number;
    Responses?: Record<string, unknown[]>;
    ConsumedCapacity?: Consumed | Consumed[];
  };
  if (operation === 'GetItem') t.items += out.Item ? 1 : 0;
  if (operation === 'Query') t.items += out.Count ?? 0;
  if (operation === 'BatchGetItem')
    t.items += Object.values(out.Responses ?? {}).reduce((n, items) => n + items.length, 0);
  if (status >= 400) {
    const type =
      String(out.__type ?? status)
        .split('#')
        .pop() ?? String(status);
    t.errors[type] = (t.errors[type] ?? 0) + 1;
  }
  const consumed = Array.isArray(out.ConsumedCapacity) ? out.ConsumedCapacity : [out.ConsumedCapacity ?? {}];
  const units = consumed.reduce((n, c) => n + (c.CapacityUnits ?? 0), 0);
  t.indexUnits += consumed.reduce(
    (n, c) =>
      n +
      Object.values(c.GlobalSecondaryIndexes ?? {}).reduce((m, index) => m + (index.CapacityUnits ?? 0), 0),
    0,
  );
  if (WRITES.has(operation)) t.writeUnits += units;
  else t.readUnits += units;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A tally's requests by operation: `Query 1, BatchGetItem 1`. */
export function operations(t: Tally): string {
  return Object.entries(t.byOperation)
    .map(([op, k]) => `${op} ${k}`)
    .join(', ');
}

/**
 * The screens whose reads, items or read units differ from the first size's: each a cost that grew with
 * the data (`sizes` in growing order, each with its screens' tallies).
 */
export function grownCosts(sizes: readonly { label: string; screens: Record<string, Tally> }[]): string[] {
  const [first, ...rest] = sizes;
  if (!first) return [];
  const grown: string[] = [];
  for (const [name, base] of Object.entries(first.screens))
    for (const size of rest) {
      const t = size.screens[name];
      if (!t || t.reads !== base.reads || t.items !== base.items || t.readUnits !== base.readUnits)
        grown.push(`${name} at ${size.label}: ${JSON.stringify(t)} ≠ ${JSON.stringify(base)}`);
    }
  return grown;
}
