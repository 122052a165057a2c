import { describe, expect, it } from 'vitest';
import { DEFAULT_LOSS_SPLIT, type WriteOff, WriteOffPolicyInput } from './model.ts';
import {
  chargesOf,
  decideWriteOffApproval,
  decideWriteOffPolicy,
  decideWriteOffPosting,
  missingApprovals,
  splitMinor,
  writeOffPolicyView,
} from './rules.ts';

const pending: WriteOff = {
  id: 'wof_1',
  storeId: 'st_A',
  status: 'pending',
  partId: 'prt_1',
  partNumber: 'P1',
  name: { zh: '刹车片' },
  bin: 'A-01-1-01',
  quantity: 1,
  condition: 'damaged',
  notRecoverable: true,
  reason: 'flooded',
  split: DEFAULT_LOSS_SPLIT,
  requestedBy: { userId: 'u1', name: 'Keeper' },
  approvals: [],
  valueMinor: 1000,
  version: 1,
  createdAt: '2026-12-01T00:00:00.000Z',
  updatedAt: '2026-12-01T00:00:00.000Z',
};
const at = '2026-12-02T00:00:00.000Z';
const by = { userId: 'u2', name: 'Boss' };

describe('splitMinor', () => {
  it('gives the fen left over to the largest remainders, earlier shares first on a tie', () => {
    expect(splitMinor(3003, [7000, 1000, 1000, 1000])).toEqual([2102, 301, 300, 300]);
    expect(splitMinor(1, [5000, 5000])).toEqual([1, 0]);
    expect(splitMinor(0, [7000, 3000])).toEqual([0, 0]);
  });

  it('always sums to the total and never strays a fen from an exact share', () => {
    // A fixed pseudo-random walk over totals and shares (the same cases every run).
    let seed = 17;
    const next = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    for (let run = 0; run < 500; run++) {
      const total = next(10_000_000);
      const shares = Array.from({ length: 1 + next(6) }, () => next(10_001));
      const sum = shares.reduce((n, s) => n + s, 0);
      if (sum === 0) continue;
      const parts = splitMinor(total, shares);
      expect(parts.reduce((n, p) => n + p, 0)).toBe(total);
      for (const [i, p] of parts.entries()) expect(Math.abs(p - (total * shares[i]!) / sum)).toBeLessThan(1);
    }
  });
});

describe('write-off rules', () => {
  it('charges a person-caused loss wholly to the person, else by the split', () => {
    expect(chargesOf(999, DEFAULT_LOSS_SPLIT, { name: 'Wu' })).toEqual([
      { party: 'person', name: 'Wu', bp: 10_000, amountMinor: 999 },
    ]);
    const split = { store: 10_000, service_manager: 0, parts_manager: 0, warehouse_keeper: 0 };
    expect(chargesOf(999, split, undefined)).toEqual([{ party: 'store', bp: 10_000, amountMinor: 999 }]);
  });

  it('takes each confirmation from a holder of the role, once', () => {
    expect(() => decideWriteOffApproval(pending, 'service_manager', ['claims_specialist'], by, at)).toThrow(
      expect.objectContaining({ status: 403, code: 'WRITE_OFF_ROLE_NOT_HELD' }),
    );
    const once = decideWriteOffApproval(pending, 'service_manager', ['service_manager'], by, at)!.next;
    expect(decideWriteOffApproval(once, 'service_manager', ['service_manager'], by, at)).toBeUndefined();
    expect(missingApprovals(once)).toEqual(['claims_specialist', 'parts_manager']);
  });

  it('posts only with all three confirmations, and only once', () => {
    expect(() => decideWriteOffPosting(pending, 1000, at)).toThrow(
      expect.objectContaining({
        code: 'WRITE_OFF_APPROVALS_MISSING',
        details: { missing: missingApprovals(pending) },
      }),
    );
    const approvals = (['service_manager', 'claims_specialist', 'parts_manager'] as const).map((role) => ({
      role,
      ...by,
      at,
    }));
    const posted = decideWriteOffPosting({ ...pending, approvals }, 1000, at).next;
    expect(posted).toMatchObject({ status: 'posted', valueMinor: 1000, version: 2 });
    expect(posted.charges?.reduce((n, c) => n + c.amountMinor, 0)).toBe(1000);
    expect(() => decideWriteOffPosting(posted, 1000, at)).toThrow(
      expect.objectContaining({
        code: 'WRITE_OFF_TRANSITION_NOT_ALLOWED',
        details: expect.objectContaining({ allowed: [] }),
      }),
    );
  });
});

describe('the store’s loss split (损失分摊政策)', () => {
  const where = { id: 'st_A', storeId: 'st_A', at, by };
  const sixty = { store: 6000, service_manager: 2000, parts_manager: 1000, warehouse_keeper: 1000 };

  it('reads the seed’s 70/10/10/10 at version 0 until the store sets its own', () => {
    expect(writeOffPolicyView(undefined, 'st_A')).toEqual({
      split: DEFAULT_LOSS_SPLIT,
      storeId: 'st_A',
      version: 0,
    });
  });

  it('refuses shares that do not add up to 100 %, naming the store’s share', () => {
    // Prepare
    const short = { split: { ...sixty, store: 5000 } };
    // Act
    const parsed = WriteOffPolicyInput.safeParse(short);
    // Assess
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path.join('.'))).toEqual(['split.store']);
    expect(WriteOffPolicyInput.safeParse({ split: sixty }).success).toBe(true);
  });

  it('creates the policy on the first save, audits each changed share, and spends no version on a resave', () => {
    // Act
    const first = decideWriteOffPolicy(undefined, { split: sixty }, where)!;
    const again = decideWriteOffPolicy(
      first.next,
      { split: sixty },
      { ...where, at: '2026-12-03T00:00:00.000Z' },
    );
    const back = decideWriteOffPolicy(first.next, { split: DEFAULT_LOSS_SPLIT }, where)!;
    // Assess
    expect(first.next).toMatchObject({ split: sixty, version: 1, updatedBy: by });
    expect(first.events.map((e) => e.type)).toEqual(['writeOffPolicy.updated']);
    expect(again).toBeUndefined();
    expect(back.next.version).toBe(2);
    expect(back.changes).toEqual([
      { field: 'split.service_manager', from: 2000, to: 1000 },
      { field: 'split.store', from: 6000, to: 7000 },
    ]);
    expect(writeOffPolicyView(back.next, 'st_A')).toMatchObject({ split: DEFAULT_LOSS_SPLIT, version: 2 });
  });
});
