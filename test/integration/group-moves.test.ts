import { DataAccess, dynamoDbClient } from '@aftersales/data';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, stack, useStackEnv } from '../support/api.ts';
import { uniqueSuffix } from '../support/demo.ts';

/**
 * HQ reads a store only while the store belongs to its group. A store sold to another dealer group
 * (its profile's `groupId` changes) is no longer its former HQ's to read, and the directory's list of
 * the old group's stores loses it.
 */

useStackEnv();
const data = () => new DataAccess({ tableName: stack.tableName });
const suffix = uniqueSuffix();
const [groupA, groupB, storeId] = [`grp_MOVEA${suffix}`, `grp_MOVEB${suffix}`, `st_MOVE${suffix}`];
const store = {
  id: storeId,
  kind: 'store' as const,
  name: 'Moving Store',
  brands: ['Audi'],
  jurisdiction: 'CN' as const,
  timeZone: 'Asia/Shanghai',
};

async function hqOf(groupId: string): Promise<string> {
  const { directory } = data();
  await directory.putOrganisation({ id: groupId, kind: 'group', name: groupId, jurisdiction: 'CN' });
  const username = `hq.${groupId.toLowerCase()}`;
  await directory.putUser({
    id: `usr_${groupId}`,
    username,
    displayName: `HQ ${groupId}`,
    locale: 'en',
    mfaEnrolled: true,
  });
  await directory.putMembership(`usr_${groupId}`, {
    tenantId: groupId,
    tenantKind: 'group',
    tenantName: groupId,
    roles: ['hq_executive'],
  });
  return username;
}

let hqA: string;
let hqB: string;

beforeAll(async () => {
  [hqA, hqB] = [await hqOf(groupA), await hqOf(groupB)];
  await data().directory.putOrganisation({ ...store, groupId: groupA });
});

describe('a store that moves to another dealer group', () => {
  it('leaves its former group’s list of stores', async () => {
    // Prepare
    const { directory } = data();
    expect((await directory.groupStores(groupA)).map((s) => s.id)).toContain(storeId);
    // Act
    await directory.putOrganisation({ ...store, groupId: groupB });
    // Assess
    expect((await directory.groupStores(groupA)).map((s) => s.id)).not.toContain(storeId);
    expect((await directory.groupStores(groupB)).map((s) => s.id)).toContain(storeId);
  });

  it('is not readable by its former HQ even where an old group link was left behind', async () => {
    // Prepare: the store is in group B now, but a link written before the move is still in group A
    await data().directory.putOrganisation({ ...store, groupId: groupB });
    await dynamoDbClient().send(
      new PutItemCommand({
        TableName: stack.tableName,
        Item: {
          pk: { S: `ORG#${groupA}` },
          sk: { S: `STORE#${storeId}` },
          type: { S: 'GroupStore' },
          storeId: { S: storeId },
          name: { S: 'Moving Store' },
        },
      }),
    );
    // Act
    const former = await call(hqA, 'GET', `/v1/stores/${storeId}/customers`);
    const current = await call(hqB, 'GET', `/v1/stores/${storeId}/customers`);
    // Assess
    expect(former.status).toBe(404);
    expect(former.body).toMatchObject({ code: 'STORE_NOT_FOUND' });
    expect(current.status).toBe(200);
  });
});
