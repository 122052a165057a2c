import type { DynamoDBClient, QueryCommandInput } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import { encodeCursor, IncompleteReadError, InvalidCursorError, TenantTable } from './tenant-table.ts';

/**
 * DynamoDB Local never throttles, so a BatchGet that keeps leaving keys unprocessed is played by a
 * client that answers like a throttled table: every key comes back in UnprocessedKeys.
 */
function throttledClient(): { client: DynamoDBClient; calls: () => number } {
  let calls = 0;
  const client = {
    send: async (command: { input: { RequestItems: Record<string, { Keys: unknown[] }> } }) => {
      calls++;
      const [table, request] = Object.entries(command.input.RequestItems)[0]!;
      return { Responses: { [table]: [] }, UnprocessedKeys: { [table]: request } };
    },
  } as unknown as DynamoDBClient;
  return { client, calls: () => calls };
}

describe('TenantTable.getMany', () => {
  it('fails loudly when keys stay unprocessed after its retries, instead of returning a part', async () => {
    // Prepare
    const { client, calls } = throttledClient();
    const table = new TenantTable('st_TEST01', client, 'T');
    // Act
    const read = table.getMany([{ pk: table.key('CUS', 'a'), sk: '#CUS' }]);
    // Assess
    await expect(read).rejects.toBeInstanceOf(IncompleteReadError);
    await expect(read).rejects.toMatchObject({ status: 503, code: 'READ_INCOMPLETE' });
    expect(calls()).toBe(5);
  });
});

/** A client that records the Queries it is sent and answers each with an empty page. */
function recordingClient(): { client: DynamoDBClient; sent: QueryCommandInput[] } {
  const sent: QueryCommandInput[] = [];
  const client = {
    send: async (command: { input: QueryCommandInput }) => {
      sent.push(command.input);
      return { Items: [] };
    },
  } as unknown as DynamoDBClient;
  return { client, sent };
}

describe('TenantTable.query cursors', () => {
  const tenant = 'st_TEST01';
  const partition = `${tenant}#CUSNAME`;
  /** A key as DynamoDB returns it after a page of `gsi1` (the table's key and the index's). */
  const issued = { pk: `${tenant}#CUS#c1`, sk: '#CUS', gsi1pk: partition, gsi1sk: 'li#c1' };
  const cursorOf = (key: unknown) => encodeCursor(key as Record<string, unknown>);
  const listByName = (table: TenantTable, cursor: string) =>
    table.query({ index: 'gsi1', partition: ['CUSNAME'], sk: { beginsWith: 'li' }, cursor });

  it('takes a cursor shaped exactly like the key a page of that query ends with', async () => {
    // Prepare
    const { client, sent } = recordingClient();
    const table = new TenantTable(tenant, client, 'T');
    // Act
    await listByName(table, cursorOf(issued));
    // Assess
    expect(sent).toHaveLength(1);
    expect(unmarshall(sent[0]!.ExclusiveStartKey!)).toEqual(issued);
  });

  it('refuses any other cursor before it reaches the database', async () => {
    // Prepare
    const { client, sent } = recordingClient();
    const table = new TenantTable(tenant, client, 'T');
    const { gsi1sk: _sk, ...withoutIndexSortKey } = issued;
    const forged: [string, string][] = [
      ['null sort key', cursorOf({ ...issued, gsi1sk: null })],
      ['number sort key', cursorOf({ ...issued, sk: 7 })],
      ['object sort key', cursorOf({ ...issued, gsi1sk: { S: 'li#c1' } })],
      ['empty sort key', cursorOf({ ...issued, sk: '' })],
      ['missing attribute', cursorOf(withoutIndexSortKey)],
      ['extra attribute', cursorOf({ ...issued, gsi2pk: `${tenant}#X` })],
      ['another partition', cursorOf({ ...issued, gsi1pk: `${tenant}#PLATE#A` })],
      ['another tenant', cursorOf({ ...issued, pk: 'st_OTHER1#CUS#c1' })],
      ['outside the sort-key condition', cursorOf({ ...issued, gsi1sk: 'wang#c2' })],
      ['oversized sort key', cursorOf({ ...issued, gsi1sk: `li${'x'.repeat(1100)}` })],
      ['an array', cursorOf([issued])],
      ['not JSON', Buffer.from('{"pk":', 'utf8').toString('base64url')],
      ['not base64url', '%%%'],
    ];
    // Act
    const answers = await Promise.all(
      forged.map(async ([kind, cursor]) => [kind, await listByName(table, cursor).catch((e: unknown) => e)]),
    );
    // Assess
    for (const [kind, answer] of answers) expect(answer, String(kind)).toBeInstanceOf(InvalidCursorError);
    expect(sent).toEqual([]);
  });
});
