import type { DynamoDBClient, QueryCommandInput } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import { CursorSeal } from './cursor.ts';
import {
  cursorBinding,
  IncompleteReadError,
  InvalidCursorError,
  type QueryOptions,
  TenantTable,
} from './tenant-table.ts';

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

/**
 * A client that records the Queries it is sent and answers each with an empty page, or with one that
 * ends at `lastKey` (a page with more after it).
 */
function recordingClient(lastKey?: Record<string, string>): {
  client: DynamoDBClient;
  sent: QueryCommandInput[];
} {
  const sent: QueryCommandInput[] = [];
  const client = {
    send: async (command: { input: QueryCommandInput }) => {
      sent.push(command.input);
      return lastKey ? { Items: [], LastEvaluatedKey: marshall(lastKey) } : { Items: [] };
    },
  } as unknown as DynamoDBClient;
  return { client, sent };
}

describe('TenantTable.query cursors', () => {
  const tenant = 'st_TEST01';
  const partition = `${tenant}#CUSNAME`;
  /** A key as DynamoDB returns it after a page of `gsi1` (the table's key and the index's). */
  const issued = { pk: `${tenant}#CUS#c1`, sk: '#CUS', gsi1pk: partition, gsi1sk: 'li#c1' };
  const byName: QueryOptions = { index: 'gsi1', partition: ['CUSNAME'], sk: { beginsWith: 'li' } };
  const secret = 'test-cursor-secret-0123456789abcdef';
  /** Cursors sealed with the table's own key: what could be forged if the key ever leaked. */
  const seal = new CursorSeal(secret);
  const cursorOf = (key: unknown) => seal.seal(key, cursorBinding(partition, byName));
  const tableOn = (client: DynamoDBClient, id = tenant) => new TenantTable(id, client, 'T', seal);
  const listByName = (table: TenantTable, cursor: string) => table.query({ ...byName, cursor });

  it('takes a cursor shaped exactly like the key a page of that query ends with', async () => {
    // Prepare
    const { client, sent } = recordingClient();
    const table = tableOn(client);
    // Act
    await listByName(table, cursorOf(issued));
    // Assess
    expect(sent).toHaveLength(1);
    expect(unmarshall(sent[0]!.ExclusiveStartKey!)).toEqual(issued);
  });

  it('issues opaque cursors that continue the same list and no other', async () => {
    // Prepare: a page that ends at a customer whose name key is `li`
    const { client, sent } = recordingClient(issued);
    const table = tableOn(client);
    const other = tableOn(client, 'st_OTHER1');
    const { nextCursor } = await table.query(byName);
    // Act
    const next = await table.query({ ...byName, cursor: nextCursor });
    const refused = await Promise.all([
      table.query({ ...byName, sk: { beginsWith: 'l' }, cursor: nextCursor }).catch((e: unknown) => e),
      table.query({ ...byName, newestFirst: true, cursor: nextCursor }).catch((e: unknown) => e),
      other.query({ ...byName, cursor: nextCursor }).catch((e: unknown) => e),
      new TenantTable(tenant, client, 'T', new CursorSeal(`${secret}-rotated`))
        .query({ ...byName, cursor: nextCursor })
        .catch((e: unknown) => e),
    ]);
    // Assess: no key (nor the name key in it) readable in the cursor
    expect(nextCursor).toBeDefined();
    expect(Buffer.from(nextCursor!, 'base64url').toString('latin1')).not.toMatch(/li#c1|CUS|gsi1/);
    expect(next.nextCursor).not.toBe(nextCursor);
    expect(unmarshall(sent[1]!.ExclusiveStartKey!)).toEqual(issued);
    for (const answer of refused) expect(answer).toBeInstanceOf(InvalidCursorError);
    expect(sent).toHaveLength(2);
  });

  it('refuses any other cursor before it reaches the database', async () => {
    // Prepare
    const { client, sent } = recordingClient();
    const table = tableOn(client);
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
      ['the key in the clear (the old cursors)', Buffer.from(JSON.stringify(issued)).toString('base64url')],
      ['altered', `${cursorOf(issued).slice(0, -2)}AA`],
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
