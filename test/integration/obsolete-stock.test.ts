import { DataAccess, extendPlatform } from '@aftersales/data';
import { IdleStock, StockLedger } from '@aftersales/data/parts';
import { TEST_PROBES } from '@aftersales/functions/test-probe/probes';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, eventually, stack, useStackEnv } from '../support/api.ts';
import { freshUser } from '../support/app.ts';
import { uniqueSuffix } from '../support/demo.ts';
import { newPart } from '../support/parts.ts';

/**
 * 呆滞库存: a part with stock on hand and no movement for a year is found by its idle check (a due job
 * the ledger scheduled with the movement), listed on the obsolete-stock screen and counted in the
 * group's HQ figures; its next movement ends it, and a part that moved since is checked again later.
 */
beforeAll(() => {
  useStackEnv();
  // The sweeper runs in this worker: it must know every due job type other suites may have left.
  extendPlatform(TEST_PROBES);
});

const DAY = 86_400_000;
const actor = { userId: 'keeper', name: 'Keeper', roles: ['warehouse_keeper' as const] };
const data = () => new DataAccess({ tableName: stack.tableName });

/** A store of its own in a group of its own: its figures move only with this suite's parts. */
async function groupStore(): Promise<{ storeId: string; groupId: string; keeper: string }> {
  const suffix = uniqueSuffix();
  const groupId = `grp_IDLE${suffix}`;
  const storeId = `st_IDLE${suffix}`;
  const access = data();
  await access.directory.putOrganisation({ id: groupId, kind: 'group', name: groupId, jurisdiction: 'CN' });
  await access.directory.putOrganisation({
    id: storeId,
    kind: 'store',
    name: storeId,
    groupId,
    brands: ['Audi'],
    jurisdiction: 'CN',
    timeZone: 'Asia/Shanghai',
  });
  const keeper = await freshUser(access, storeId, ['warehouse_keeper']);
  return { storeId, groupId, keeper: keeper.username };
}

/** The store's ledger on a clock `daysAgo` in the past (a back-dated movement, as the demo seed makes). */
function ledgerAt(storeId: string, daysAgo: number) {
  const at = new Date(Date.now() - daysAgo * DAY);
  return data()
    .forTenant({ tenantId: storeId, actor, now: () => at })
    .repo(StockLedger);
}

function receive(quantity: number) {
  return {
    kind: 'receive' as const,
    bin: 'A-09-1-01',
    quantity,
    document: { type: 'receipt' as const, id: 'r' },
  };
}

async function sweepDue(now = new Date()) {
  const { sweepDue } = await import('@aftersales/functions/due-sweeper/lambda');
  return sweepDue(now);
}

function book(storeId: string, partId: string) {
  return data().forTenant({ tenantId: storeId, actor }).repo(StockLedger).book(partId);
}

describe('obsolete stock (呆滞)', () => {
  it('finds stock idle for a year, lists and counts it, and ends it with the next movement', async () => {
    // Prepare: 4 units at ¥25.00 received 400 days ago, never moved since
    const { storeId, groupId, keeper } = await groupStore();
    const part = await newPart(2_500, storeId);
    await ledgerAt(storeId, 400).move(part, receive(4));
    const scheduled = await book(storeId, part.id);

    // Act: the sweep hands on the check that fell due 35 days ago; the consumer runs it
    await sweepDue();
    const marked = await eventually(async () => {
      const b = await book(storeId, part.id);
      return b.obsoleteValueMinor ? b : undefined;
    });
    const listed = await call<{ items: { partId: string; valueMinor: number }[] }>(
      keeper,
      'GET',
      `/v1/stores/${storeId}/stock/obsolete?limit=50`,
    );
    const counted = await eventually(async () => {
      const [figures] = await data().groupFigures(groupId).list();
      return figures?.obsoleteStockValueMinor === 10_000 ? figures : undefined;
    });
    const issued = await ledgerAt(storeId, 0).move(part, {
      kind: 'issue',
      bin: 'A-09-1-01',
      quantity: 1,
      document: { type: 'requisition', id: 'q1' },
    });
    const released = await eventually(async () => {
      const [figures] = await data().groupFigures(groupId).list();
      return figures?.obsoleteStockValueMinor === 0 ? figures : undefined;
    });
    const after = await book(storeId, part.id);
    const listedAfter = await call<{ items: { partId: string }[] }>(
      keeper,
      'GET',
      `/v1/stores/${storeId}/stock/obsolete?limit=50`,
    );

    // Assess
    expect(Date.parse(scheduled.idleCheckAt ?? '') - Date.parse(scheduled.lastMovedAt ?? '')).toBe(365 * DAY);
    expect(marked).toMatchObject({ onHand: 4, obsoleteValueMinor: 10_000 });
    expect(marked.idleCheckAt).toBeUndefined();
    expect(listed.status).toBe(200);
    expect(listed.body.items).toEqual([expect.objectContaining({ partId: part.id, valueMinor: 10_000 })]);
    expect(counted.stockValueMinor).toBe(10_000);
    expect(issued.obsoleteReleasedMinor).toBe(10_000);
    expect(released.stockValueMinor).toBe(7_500);
    expect(after.obsoleteValueMinor).toBeUndefined();
    expect(Date.parse(after.idleCheckAt ?? '') - Date.parse(issued.at)).toBe(365 * DAY);
    expect(listedAfter.body.items).toEqual([]);
  });

  it('checks a part that moved since again a year after that movement, and finds nothing on an empty shelf', async () => {
    // Prepare: one part received 400 days ago and again 100 days ago; one received and issued 400 days ago
    const { storeId } = await groupStore();
    const moving = await newPart(1_000, storeId);
    await ledgerAt(storeId, 400).move(moving, receive(2));
    const again = await ledgerAt(storeId, 100).move(moving, receive(1));
    const emptied = await newPart(1_000, storeId);
    await ledgerAt(storeId, 400).move(emptied, receive(1));
    await ledgerAt(storeId, 400).move(emptied, {
      kind: 'issue',
      bin: 'A-09-1-01',
      quantity: 1,
      document: { type: 'requisition', id: 'q2' },
    });

    // Act: the checks run at their due time (twice: a redelivery decides the same)
    const checks = data().forTenant({ tenantId: storeId, actor }).repo(IdleStock);
    const verdicts = [
      await checks.check(moving.id, new Date()),
      await checks.check(moving.id, new Date()),
      await checks.check(emptied.id, new Date()),
    ];
    const movingBook = await book(storeId, moving.id);
    const emptiedBook = await book(storeId, emptied.id);

    // Assess
    expect(verdicts).toEqual(['not_yet', 'not_yet', 'none']);
    expect(Date.parse(movingBook.idleCheckAt ?? '') - Date.parse(again.at)).toBe(365 * DAY);
    expect(movingBook.obsoleteValueMinor).toBeUndefined();
    // Nothing pending on the empty book: its next movement schedules the next check
    expect(emptiedBook.idleCheckAt).toBeUndefined();
    expect(emptiedBook.obsoleteValueMinor).toBeUndefined();
  });
});
