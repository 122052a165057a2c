import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { IncompleteReadError, TenantTable } from './tenant-table.ts';

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
