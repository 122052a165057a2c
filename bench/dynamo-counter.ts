import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A counting pass-through in front of DynamoDB Local: every request the API makes is forwarded as it
 * is, except that reads ask for their consumed capacity, and the answer is tallied — requests by
 * operation, items returned, read units consumed. Counted on the wire, so it measures what any code
 * path does without a line of instrumentation in the product. (DynamoDB Local does not check request
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
}

export interface DynamoCounter {
  url: string;
  /** Counts from zero until `stop` of the measurement it returns. */
  measure(): { stop(): Tally };
  close(): Promise<void>;
}

const READS = new Set(['GetItem', 'BatchGetItem', 'Query']);

export async function startDynamoCounter(target: string): Promise<DynamoCounter> {
  let current: Tally | undefined;
  const server: Server = createServer(async (req, res) => {
    const body = await readBody(req);
    const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? 'unknown';
    let forwarded = body;
    if (READS.has(operation)) {
      const input = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
      forwarded = Buffer.from(JSON.stringify({ ...input, ReturnConsumedCapacity: 'TOTAL' }));
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
    if (current) tally(current, operation, text);
    res.writeHead(answer.status, Object.fromEntries(answer.headers.entries()));
    res.end(text);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    measure() {
      const tallyNow: Tally = { reads: 0, requests: 0, byOperation: {}, items: 0, readUnits: 0 };
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

function tally(t: Tally, operation: string, body: Buffer): void {
  t.requests++;
  if (READS.has(operation)) t.reads++;
  t.byOperation[operation] = (t.byOperation[operation] ?? 0) + 1;
  const out = JSON.parse(body.toString('utf8') || '{}') as {
    Item?: unknown;
    Count?: number;
    Responses?: Record<string, unknown[]>;
    ConsumedCapacity?: { CapacityUnits?: number } | { CapacityUnits?: number }[];
  };
  if (operation === 'GetItem') t.items += out.Item ? 1 : 0;
  if (operation === 'Query') t.items += out.Count ?? 0;
  if (operation === 'BatchGetItem')
    t.items += Object.values(out.Responses ?? {}).reduce((n, items) => n + items.length, 0);
  const consumed = Array.isArray(out.ConsumedCapacity) ? out.ConsumedCapacity : [out.ConsumedCapacity ?? {}];
  t.readUnits += consumed.reduce((n, c) => n + (c.CapacityUnits ?? 0), 0);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
