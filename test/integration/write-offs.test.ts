import { DEFAULT_LOSS_SPLIT, WRITE_OFF_BIN } from '@aftersales/domain';
import { demoUserFor } from '@aftersales/seed';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, useStackEnv } from '../support/api.ts';
import { demo, uniqueSuffix } from '../support/demo.ts';
import { expectAgreement, freshWarehouse, partInBin } from '../support/stock.ts';

/** 报损 through the API: three confirmations, the move into custody, the loss split to the fen. */
beforeAll(() => useStackEnv());

const base = `/v1/stores/${demo.storeA}/write-offs`;
const user = (role: Parameters<typeof demoUserFor>[0]) => demoUserFor(role, demo.storeA).username;
const keeper = user('warehouse_keeper');
const partsManager = user('parts_manager');
const APPROVERS = [
  ['service_manager', user('service_manager')],
  ['claims_specialist', user('claims_specialist')],
  ['parts_manager', partsManager],
] as const;

interface WriteOff {
  id: string;
  status: string;
  version: number;
  valueMinor: number;
  approvals: { role: string }[];
  charges?: { party: string; name?: string; bp: number; amountMinor: number }[];
}
const ifMatch = (w: { version: number }) => ({ 'if-match': `"${w.version}"` });

async function request(body: Record<string, unknown>, key = `wof-${uniqueSuffix()}`) {
  return call<WriteOff>(keeper, 'POST', base, { body, headers: { 'idempotency-key': key } });
}

/** Each approver confirms in turn; the last answer. */
async function approveAll(w: WriteOff): Promise<WriteOff> {
  let current = w;
  for (const [role, username] of APPROVERS) {
    const res = await call<WriteOff>(username, 'POST', `${base}/${w.id}/approvals`, {
      body: { role },
      headers: ifMatch(current),
    });
    expect(res.status).toBe(200);
    current = res.body;
  }
  return current;
}

describe('write-offs', () => {
  it('refuses to post without all three confirmations, then moves the stock into custody once', async () => {
    // Prepare: 10 units at ¥10.01, 3 of them damaged
    const bin = `${freshWarehouse()}-01-1-01`;
    const part = await partInBin(bin, 10, 1001);
    const body = {
      partNumber: part.partNumber,
      bin,
      quantity: 3,
      condition: 'damaged',
      notRecoverable: true,
      reason: '水淹 (flooded), supplier will not take it back',
    };
    const key = `wof-${uniqueSuffix()}`;

    // Act
    const asked = await request(body, key);
    const replayed = await request(body, key);
    const early = await call<{ code: string; missing: string[] }>(
      partsManager,
      'POST',
      `${base}/${asked.body.id}/post`,
      {
        headers: ifMatch(asked.body),
      },
    );
    const first = await call<WriteOff>(partsManager, 'POST', `${base}/${asked.body.id}/approvals`, {
      body: { role: 'parts_manager' },
      headers: ifMatch(asked.body),
    });
    const stillEarly = await call<{ code: string; missing: string[] }>(
      keeper,
      'POST',
      `${base}/${asked.body.id}/post`,
      {
        headers: ifMatch(first.body),
      },
    );
    const approved = await approveAll(first.body);
    const posted = await call<WriteOff>(keeper, 'POST', `${base}/${asked.body.id}/post`, {
      headers: ifMatch(approved),
    });
    const twice = await call<{ code: string }>(keeper, 'POST', `${base}/${asked.body.id}/post`, {
      headers: ifMatch(approved),
    });

    // Assess
    expect([asked.status, replayed.status, replayed.body.id]).toEqual([201, 201, asked.body.id]);
    expect(asked.body.valueMinor).toBe(3003);
    expect([early.status, early.body.code, early.body.missing]).toEqual([
      409,
      'WRITE_OFF_APPROVALS_MISSING',
      ['service_manager', 'claims_specialist', 'parts_manager'],
    ]);
    expect(stillEarly.body.missing).toEqual(['service_manager', 'claims_specialist']);
    expect(approved.approvals.map((a) => a.role).sort()).toEqual([
      'claims_specialist',
      'parts_manager',
      'service_manager',
    ]);
    expect(posted.status).toBe(200);
    expect(posted.body.status).toBe('posted');
    // 70/10/10/10 of 3003 fen: the parts add up to the total exactly
    expect(posted.body.charges).toEqual([
      { party: 'store', bp: 7000, amountMinor: 2102 },
      { party: 'service_manager', bp: 1000, amountMinor: 301 },
      { party: 'parts_manager', bp: 1000, amountMinor: 300 },
      { party: 'warehouse_keeper', bp: 1000, amountMinor: 300 },
    ]);
    expect([twice.status, twice.body.code]).toEqual([409, 'VERSION_CONFLICT']);
    const { book, shelves, card } = await expectAgreement(part);
    expect([book.onHand, book.custody]).toEqual([7, 3]);
    expect(shelves.find((s) => s.bin === WRITE_OFF_BIN)).toMatchObject({ onHand: 3, custody: true });
    expect(card.filter((m) => m.kind === 'write_off')).toHaveLength(1);
  });

  it('charges damage caused by a person to that person', async () => {
    const bin = `${freshWarehouse()}-02-1-01`;
    const part = await partInBin(bin, 2, 5000);
    const asked = await request({
      partNumber: part.partNumber,
      bin,
      quantity: 1,
      condition: 'damaged',
      notRecoverable: true,
      reason: '叉车撞坏 (hit by the forklift)',
      causedBy: { name: '吴刚 Wu Gang' },
    });
    const approved = await approveAll(asked.body);
    const posted = await call<WriteOff>(partsManager, 'POST', `${base}/${asked.body.id}/post`, {
      headers: ifMatch(approved),
    });
    expect(posted.body.charges).toEqual([
      { party: 'person', name: '吴刚 Wu Gang', bp: 10_000, amountMinor: 5000 },
    ]);
  });

  it('refuses a confirmation by the wrong role with 403', async () => {
    const bin = `${freshWarehouse()}-03-1-01`;
    const part = await partInBin(bin, 2);
    const asked = await request({
      partNumber: part.partNumber,
      bin,
      quantity: 1,
      condition: 'obsolete',
      notRecoverable: true,
      reason: '车型停产 (model discontinued)',
    });
    // A claims specialist confirming as the service manager; a keeper who may not confirm at all
    const posing = await call<{ code: string }>(
      user('claims_specialist'),
      'POST',
      `${base}/${asked.body.id}/approvals`,
      {
        body: { role: 'service_manager' },
        headers: ifMatch(asked.body),
      },
    );
    const keeperTries = await call<{ code: string }>(keeper, 'POST', `${base}/${asked.body.id}/approvals`, {
      body: { role: 'parts_manager' },
      headers: ifMatch(asked.body),
    });
    const advisorAsks = await call<{ code: string }>(demo.advisorA, 'POST', base, { body: {} });
    expect([posing.status, posing.body.code]).toEqual([403, 'WRITE_OFF_ROLE_NOT_HELD']);
    expect([keeperTries.status, keeperTries.body.code]).toEqual([403, 'FORBIDDEN']);
    expect([advisorAsks.status, advisorAsks.body.code]).toEqual([403, 'FORBIDDEN']);
  });

  it('answers bad input with 400 and field errors', async () => {
    const bad = await call<{ code: string; fieldErrors: { path: string; code?: string }[] }>(
      keeper,
      'POST',
      base,
      {
        body: {
          partNumber: 'NOSUCH-1',
          bin: 'A-1',
          quantity: 0,
          condition: 'lost',
          notRecoverable: false,
          reason: '',
          split: { store: 8000, service_manager: 1000, parts_manager: 1000, warehouse_keeper: 1000 },
        },
      },
    );
    const unknownPart = await call<{ fieldErrors: { path: string; code?: string }[] }>(keeper, 'POST', base, {
      body: {
        partNumber: 'NOSUCH-1',
        bin: 'A-01-1-01',
        quantity: 1,
        condition: 'defective',
        notRecoverable: true,
        reason: 'x',
      },
    });
    expect([bad.status, bad.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(bad.body.fieldErrors.map((e) => e.path).sort()).toEqual([
      'bin',
      'condition',
      'notRecoverable',
      'quantity',
      'reason',
      'split.store',
    ]);
    expect(unknownPart.status).toBe(400);
    expect(unknownPart.body.fieldErrors).toEqual([
      expect.objectContaining({ path: 'partNumber', code: 'PART_NOT_FOUND' }),
    ]);
  });
});

describe('the store’s loss split (损失分摊政策)', () => {
  const policyPath = `${base}/policy`;
  const manager = user('service_manager');
  interface Policy {
    split: Record<string, number>;
    version: number;
    updatedBy?: { name: string };
  }
  const sixty = { store: 6000, service_manager: 2000, parts_manager: 1000, warehouse_keeper: 1000 };
  const putPolicy = (split: Record<string, number>, version: number, as = manager) =>
    call<Policy & { code: string; fieldErrors: { path: string }[] }>(as, 'PUT', policyPath, {
      body: { split },
      headers: { 'if-match': `"${version}"` },
    });

  // The other write-offs of this suite expect the default: put it back whatever happened.
  afterAll(async () => {
    const now = await call<Policy>(manager, 'GET', policyPath);
    await putPolicy(DEFAULT_LOSS_SPLIT, now.body.version);
  });

  it('charges the next write-off by the new split, and one already requested by the split it was asked with', async () => {
    // Prepare: a write-off asked for under the policy in force
    const bin = `${freshWarehouse()}-04-1-01`;
    const part = await partInBin(bin, 4, 1000);
    const body = {
      partNumber: part.partNumber,
      bin,
      quantity: 1,
      condition: 'defective',
      notRecoverable: true,
      reason: '密封圈老化 (perished seal)',
    };
    const before = await call<Policy>(keeper, 'GET', policyPath);
    const earlier = await request(body);

    // Act: the manager moves 10 % from the store to the service manager
    const changed = await putPolicy(sixty, before.body.version);
    const later = await request(body);
    const postedEarlier = await call<WriteOff>(keeper, 'POST', `${base}/${earlier.body.id}/post`, {
      headers: ifMatch(await approveAll(earlier.body)),
    });
    const postedLater = await call<WriteOff>(keeper, 'POST', `${base}/${later.body.id}/post`, {
      headers: ifMatch(await approveAll(later.body)),
    });
    const read = await call<Policy>(keeper, 'GET', policyPath);
    const history = await call<{ items: { changes: { field: string; to: unknown }[] }[] }>(
      manager,
      'GET',
      `${policyPath}/history`,
    );

    // Assess
    expect(before.status).toBe(200);
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).toBe(`"${before.body.version + 1}"`);
    expect(read.body).toMatchObject({ split: sixty, version: before.body.version + 1 });
    expect(read.body.updatedBy?.name).toBe(demoUserFor('service_manager', demo.storeA).displayName);
    expect(postedEarlier.body.charges?.map((c) => [c.party, c.amountMinor])).toEqual([
      ['store', 700],
      ['service_manager', 100],
      ['parts_manager', 100],
      ['warehouse_keeper', 100],
    ]);
    expect(postedLater.body.charges?.map((c) => [c.party, c.amountMinor])).toEqual([
      ['store', 600],
      ['service_manager', 200],
      ['parts_manager', 100],
      ['warehouse_keeper', 100],
    ]);
    expect(history.body.items[0]?.changes).toContainEqual(
      expect.objectContaining({ field: 'split.store', to: 6000 }),
    );
  });

  it('reads the demo Tianjin store’s own split, on its policy and on its pending write-off', async () => {
    // Prepare
    const tianjin = 'st_HCAUDITJ';
    const managerTj = demoUserFor('service_manager', tianjin).username;
    // Act
    const policy = await call<Policy>(managerTj, 'GET', `/v1/stores/${tianjin}/write-offs/policy`);
    const pending = await call<{ items: { split: Record<string, number> }[] }>(
      managerTj,
      'GET',
      `/v1/stores/${tianjin}/write-offs?status=pending`,
    );
    // Assess
    expect([policy.status, policy.body.split]).toEqual([200, sixty]);
    expect(pending.body.items[0]?.split).toEqual(sixty);
  });

  it('refuses a stale version with 409, a split that is not 100 % with 400, and anyone but the manager with 403', async () => {
    // Prepare
    const current = await call<Policy>(manager, 'GET', policyPath);

    // Act
    const stale = await putPolicy(sixty, current.body.version + 5);
    const bad = await putPolicy({ ...sixty, store: 5000 }, current.body.version);
    const byKeeper = await putPolicy(DEFAULT_LOSS_SPLIT, current.body.version, keeper);
    const unchanged = await call<Policy>(manager, 'GET', policyPath);

    // Assess
    expect([stale.status, stale.body.code]).toEqual([409, 'VERSION_CONFLICT']);
    expect([bad.status, bad.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(bad.body.fieldErrors.map((e) => e.path)).toEqual(['split.store']);
    expect([byKeeper.status, byKeeper.body.code]).toEqual([403, 'FORBIDDEN']);
    expect(unchanged.body).toEqual(current.body);
  });
});
