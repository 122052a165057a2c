import { logger } from '@aftersales/runtime';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type Shard,
  type ShardIteratorType,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { lambdaContext } from './poller.ts';

const DISCOVERY_INTERVAL_MS = 5_000;

export type StreamHandler = (event: DynamoDBStreamEvent, context: Context) => Promise<DynamoDBBatchResponse>;

/** A Lambda event-filter pattern of exact matches: `{ a: ['x'], b: { c: ['y'] } }`. */
export interface FilterPattern {
  readonly [key: string]: readonly string[] | FilterPattern;
}

export interface StreamPollerOptions {
  /** The function name for the handler's context. */
  name: string;
  timeoutSeconds: number;
  batchSize: number;
  /** Retries of a failing batch before it is skipped (in AWS: sent to the on-failure destination). */
  retryAttempts: number;
  filter: FilterPattern;
  region?: string;
  idleMs?: number;
}

interface ShardState {
  id: string;
  parentId?: string | undefined;
  iterator?: string | undefined;
  /** The last sequence number handed on (or skipped), to resume after an expired iterator. */
  lastSequence?: string | undefined;
  done: boolean;
  failures: number;
}

/**
 * Plays the part of Lambda's DynamoDB Streams event source mapping against DynamoDB Local: finds the
 * stream's shards (DescribeStream), reads each with GetShardIterator/GetRecords, applies the same event
 * filter as the mapping, and hands the handler real `DynamoDBStreamEvent`s. A reported failure
 * (`batchItemFailures`) re-reads the shard from that sequence number, up to `retryAttempts`, then the
 * batch is skipped with an error log (where AWS would send it to the on-failure destination).
 *
 * Shards roll over: a shard whose GetRecords returns no next iterator is closed; its children, found
 * by the next DescribeStream, are read from their start once the parent is done. Shards open when the
 * poller starts are read from LATEST (what was written before, e.g. the demo seed, is not replayed).
 */
export class StreamPoller {
  private readonly shards = new Map<string, ShardState>();
  private running = false;
  private loop: Promise<void> | undefined;
  private discovered = false;
  private lastDiscovery = 0;
  private shardClosed = false;
  private readonly region: string;

  constructor(
    private readonly client: DynamoDBStreamsClient,
    private readonly streamArn: string,
    private readonly handler: StreamHandler,
    private readonly opts: StreamPollerOptions,
  ) {
    this.region = opts.region ?? process.env.AWS_REGION ?? 'us-east-1';
  }

  /** Learns the stream's current shards (LATEST for the open ones) before anything else is written. */
  async init(): Promise<void> {
    await this.discover();
  }

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    this.client.destroy();
  }

  /** Reads every readable shard once; returns how many records were handed to the handler. */
  async pollOnce(): Promise<number> {
    // New shards appear when one closes (rollover): look when that happened, else every few seconds.
    if (this.shardClosed || Date.now() - this.lastDiscovery > DISCOVERY_INTERVAL_MS) {
      this.shardClosed = false;
      await this.discover();
    }
    let handled = 0;
    for (const shard of this.shards.values()) {
      if (shard.done) continue;
      if (shard.parentId && this.shards.get(shard.parentId)?.done === false) continue;
      handled += await this.readShard(shard);
    }
    return handled;
  }

  private async discover(): Promise<void> {
    const found: Shard[] = [];
    let start: string | undefined;
    do {
      const out = await this.client.send(
        new DescribeStreamCommand({ StreamArn: this.streamArn, ExclusiveStartShardId: start }),
      );
      found.push(...(out.StreamDescription?.Shards ?? []));
      start = out.StreamDescription?.LastEvaluatedShardId;
    } while (start);
    for (const s of found) {
      if (!s.ShardId || this.shards.has(s.ShardId)) continue;
      const closed = s.SequenceNumberRange?.EndingSequenceNumber !== undefined;
      // At start-up: closed shards are history, open ones are read from now on. Later: a new shard is a
      // child of one we read (rollover) and is read from its beginning.
      const state: ShardState = {
        id: s.ShardId,
        parentId: s.ParentShardId,
        done: !this.discovered && closed,
        failures: 0,
      };
      if (!state.done)
        state.iterator = await this.iterator(state, this.discovered ? 'TRIM_HORIZON' : 'LATEST');
      this.shards.set(s.ShardId, state);
    }
    this.discovered = true;
    this.lastDiscovery = Date.now();
  }

  private async iterator(shard: ShardState, type: ShardIteratorType, sequence?: string): Promise<string> {
    const out = await this.client.send(
      new GetShardIteratorCommand({
        StreamArn: this.streamArn,
        ShardId: shard.id,
        ShardIteratorType: type,
        SequenceNumber: sequence,
      }),
    );
    if (!out.ShardIterator) throw new Error(`No iterator for shard ${shard.id}`);
    return out.ShardIterator;
  }

  private async readShard(shard: ShardState): Promise<number> {
    if (!shard.iterator) return 0;
    let out: Awaited<ReturnType<typeof this.getRecords>>;
    try {
      out = await this.getRecords(shard.iterator);
    } catch (e) {
      if (!(e instanceof ExpiredIteratorException)) throw e;
      shard.iterator = shard.lastSequence
        ? await this.iterator(shard, 'AFTER_SEQUENCE_NUMBER', shard.lastSequence)
        : await this.iterator(shard, 'TRIM_HORIZON');
      return 0;
    }
    const records = out.Records ?? [];
    const matching = records.map((r) => this.toLambdaRecord(r)).filter((r) => matches(this.opts.filter, r));
    let failedAt: string | undefined;
    if (matching.length > 0) {
      try {
        const result = await this.handler(
          { Records: matching },
          lambdaContext(this.opts.name, this.opts.timeoutSeconds),
        );
        failedAt = result.batchItemFailures[0]?.itemIdentifier;
      } catch (err) {
        logger.error('stream handler threw; the batch will be retried', { err });
        failedAt = matching[0]?.dynamodb?.SequenceNumber;
      }
    }
    if (failedAt && shard.failures < this.opts.retryAttempts) {
      shard.failures++;
      shard.iterator = await this.iterator(shard, 'AT_SEQUENCE_NUMBER', failedAt);
      await new Promise((r) => setTimeout(r, 200 * shard.failures));
      return matching.length;
    }
    if (failedAt) {
      logger.error('stream batch failed after every retry; skipped (on-failure destination in AWS)', {
        shard: shard.id,
        from: failedAt,
      });
    }
    shard.failures = 0;
    shard.lastSequence = records.at(-1)?.dynamodb?.SequenceNumber ?? shard.lastSequence;
    shard.iterator = out.NextShardIterator;
    // No next iterator: the shard is closed and fully read; its children take over.
    if (!out.NextShardIterator) {
      shard.done = true;
      this.shardClosed = true;
    }
    return matching.length;
  }

  private getRecords(iterator: string) {
    return this.client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: this.opts.batchSize }));
  }

  /** The record as Lambda delivers it: DynamoDB JSON images, creation time in epoch seconds. */
  private toLambdaRecord(r: StreamRecord): DynamoDBRecord {
    const d = r.dynamodb;
    const created = d?.ApproximateCreationDateTime;
    return {
      eventID: r.eventID,
      eventName: r.eventName,
      eventVersion: r.eventVersion ?? '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: this.region,
      eventSourceARN: this.streamArn,
      dynamodb: {
        ...(created ? { ApproximateCreationDateTime: Math.floor(created.getTime() / 1000) } : {}),
        // The SDK's and aws-lambda's typings spell the same DynamoDB JSON differently (binary aside,
        // which the table does not store).
        Keys: d?.Keys as NonNullable<DynamoDBRecord['dynamodb']>['Keys'],
        NewImage: d?.NewImage as NonNullable<DynamoDBRecord['dynamodb']>['NewImage'],
        SequenceNumber: d?.SequenceNumber,
        SizeBytes: d?.SizeBytes,
        StreamViewType: d?.StreamViewType,
      },
    };
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        const handled = await this.pollOnce();
        if (handled === 0) await new Promise((r) => setTimeout(r, this.opts.idleMs ?? 250));
      } catch (err) {
        if (!this.running) return;
        logger.warn('stream poll failed; retrying', { err });
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }
}

/** Lambda's event filtering for exact-match patterns: every key of the pattern must match. */
export function matches(pattern: FilterPattern, value: unknown): boolean {
  return Object.entries(pattern).every(([key, expected]) => {
    const actual =
      typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
    if (isValueList(expected)) return typeof actual === 'string' && expected.includes(actual);
    return matches(expected, actual);
  });
}

function isValueList(p: readonly string[] | FilterPattern): p is readonly string[] {
  return Array.isArray(p);
}

export { DynamoDBStreamsClient };
