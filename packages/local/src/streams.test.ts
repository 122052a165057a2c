import { ROUTER } from '@aftersales/data';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type Shard,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import { matches, StreamPoller } from './streams.ts';

/**
 * The local stream poller against a scripted stream: shard A is open when the poller starts, then
 * closes (rollover) and its child B takes over. What Lambda's event source mapping would do must hold:
 * the filter drops non-events, a reported failure is re-read from its sequence number, and the child
 * shard is read from its start once its parent is done.
 */
function insert(seq: string, type: string): StreamRecord {
  return {
    eventID: `e${seq}`,
    eventName: 'INSERT',
    eventVersion: '1.1',
    dynamodb: {
      SequenceNumber: seq,
      Keys: { pk: { S: `st_A#X#${seq}` }, sk: { S: '#X' } },
      NewImage: { pk: { S: `st_A#X#${seq}` }, sk: { S: '#X' }, type: { S: type } },
      StreamViewType: 'NEW_IMAGE',
    },
  };
}

/** A scripted stream: which shards exist, and what each iterator returns. */
function scriptedStream() {
  let shards: Shard[] = [{ ShardId: 'A', SequenceNumberRange: { StartingSequenceNumber: '100' } }];
  const iterators: { shard: string; type: string; seq?: string }[] = [];
  const pages: Record<string, StreamRecord[]> = {
    A: [insert('100', 'DomainEvent'), insert('101', 'Customer'), insert('102', 'DomainEvent')],
    B: [insert('200', 'DomainEvent')],
  };
  const client = new DynamoDBStreamsClient({ region: 'us-east-1' });
  vi.spyOn(client, 'send').mockImplementation(async (command: unknown) => {
    if (command instanceof DescribeStreamCommand) return { StreamDescription: { Shards: shards } } as never;
    if (command instanceof GetShardIteratorCommand) {
      const { ShardId, ShardIteratorType, SequenceNumber } = command.input;
      iterators.push({
        shard: ShardId!,
        type: ShardIteratorType!,
        ...(SequenceNumber ? { seq: SequenceNumber } : {}),
      });
      return { ShardIterator: `${ShardId}|${ShardIteratorType}|${SequenceNumber ?? ''}` } as never;
    }
    if (command instanceof GetRecordsCommand) {
      const [shard, type, seq] = command.input.ShardIterator!.split('|') as [string, string, string];
      const all = pages[shard] ?? [];
      const records =
        type === 'AT_SEQUENCE_NUMBER' ? all.filter((r) => r.dynamodb!.SequenceNumber! >= seq) : all;
      // Shard A closes after its records: no next iterator, and its child B appears.
      if (shard === 'A') {
        shards = [
          {
            ShardId: 'A',
            SequenceNumberRange: { StartingSequenceNumber: '100', EndingSequenceNumber: '199' },
          },
          { ShardId: 'B', ParentShardId: 'A', SequenceNumberRange: { StartingSequenceNumber: '200' } },
        ];
        return { Records: records } as never;
      }
      pages[shard] = [];
      return { Records: records, NextShardIterator: `${shard}|LATEST|` } as never;
    }
    throw new Error('unexpected command');
  });
  return { client, iterators };
}

describe('local stream poller', () => {
  it('delivers filtered events, re-reads from a reported failure, and follows a shard rollover', async () => {
    // Prepare: the handler fails the first time it sees record 102
    const { client, iterators } = scriptedStream();
    const seen: string[][] = [];
    let failedOnce = false;
    const handler = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
      const seqs = event.Records.map((r) => r.dynamodb!.SequenceNumber!);
      seen.push(seqs);
      if (!failedOnce && seqs.includes('102')) {
        failedOnce = true;
        return { batchItemFailures: [{ itemIdentifier: '102' }] };
      }
      return { batchItemFailures: [] };
    };
    const poller = new StreamPoller(client, 'arn:stream', handler, {
      name: 'router',
      timeoutSeconds: 5,
      batchSize: 100,
      retryAttempts: 3,
      filter: ROUTER.filter,
    });

    // Act
    await poller.init();
    for (let i = 0; i < 4; i++) await poller.pollOnce();

    // Assess: 101 (not an event) never delivered; 102 again after its failure; then B from its start
    expect(seen).toEqual([['100', '102'], ['102'], ['200']]);
    expect(iterators).toEqual([
      { shard: 'A', type: 'LATEST' },
      { shard: 'A', type: 'AT_SEQUENCE_NUMBER', seq: '102' },
      { shard: 'B', type: 'TRIM_HORIZON' },
    ]);
  });

  it('matches the router filter the way Lambda event filtering does', () => {
    // Prepare
    const event = { eventName: 'INSERT', dynamodb: { NewImage: { type: { S: 'DomainEvent' } } } };

    // Act / Assess
    expect(matches(ROUTER.filter, event)).toBe(true);
    expect(matches(ROUTER.filter, { ...event, eventName: 'MODIFY' })).toBe(false);
    expect(
      matches(ROUTER.filter, { eventName: 'INSERT', dynamodb: { NewImage: { type: { S: 'Customer' } } } }),
    ).toBe(false);
    expect(matches(ROUTER.filter, { eventName: 'INSERT' })).toBe(false);
  });
});
