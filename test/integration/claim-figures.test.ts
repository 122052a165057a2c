import { DataAccess, rebuildStoreFigures } from '@aftersales/data';
import {
  AdjustmentReason,
  groupFiguresView,
  reasonFigure,
  type StoreFigures,
  type StoreFiguresView,
} from '@aftersales/domain';
import { DEMO_GROUP_STORES } from '@aftersales/seed';
import '@aftersales/seed/rebuild-hq-figures';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, eventually, stack, useStackEnv } from '../support/api.ts';
import { type Claim, submittedClaim } from '../support/claims.ts';
import { demo } from '../support/demo.ts';

/**
 * The claims' store figures (集团看板), projected from `claim.changed`: a claim submitted by store A and
 * rejected by its OEM shows in store A's HQ figures (and in no other store's), and a rebuild from the
 * records counts what the events counted. Other suites file claims in store A at the same time, so
 * the live figures are read as "at least what this suite added" and the rebuild is compared until the
 * queue has caught up.
 */
beforeAll(() => useStackEnv());

const FIGURES = [
  'claimsSubmittedLast30Days',
  'claimedAmountLast30Days',
  'claimsAcceptedLast30Days',
  'claimsPartlyAcceptedLast30Days',
  'claimsRejectedLast30Days',
  'claimsPaidLast30Days',
  'claimsPaidAmountLast30Days',
  ...AdjustmentReason.options.map((r) => reasonFigure(r)),
] as const;
type Figures = Record<(typeof FIGURES)[number], number>;
const only = (view: StoreFiguresView): Figures =>
  Object.fromEntries(FIGURES.map((f) => [f, view[f]])) as Figures;

/** HQ's view of the group's stores (its projection, through the API). */
async function hqView(): Promise<Map<string, StoreFiguresView>> {
  const res = await call<{ stores: StoreFiguresView[] }>(
    demo.hqExecutive,
    'GET',
    `/v1/groups/${demo.group}/stores/figures`,
  );
  expect(res.status, res.text).toBe(200);
  return new Map(res.body.stores.map((s) => [s.storeId, s]));
}

describe('claim figures', () => {
  it('shows a submission and the OEM’s rejection with its reasons to HQ, for the store that filed it only', async () => {
    // Prepare: the seeded claims are counted already (the seed's rebuild)
    const before = await hqView();
    const storeA = before.get(demo.storeA)!;
    const others = DEMO_GROUP_STORES.filter((s) => s.id !== demo.storeA).map((s) => s.id);
    expect(storeA.claimsSubmittedLast30Days).toBeGreaterThan(0);

    // Act: submitted by the store, rejected by the OEM for two reasons
    const claim = await submittedClaim();
    await eventually(async () => {
      const got = await call(demo.oemUser, 'GET', `/v1/oems/${demo.oem}/claims/${claim.id}`);
      return got.status === 200 ? true : undefined;
    });
    const decided = await call<Claim>(
      demo.oemUser,
      'POST',
      `/v1/oems/${demo.oem}/claims/${claim.id}/decisions`,
      { body: { outcome: 'rejected', reasons: ['MISSING_PHOTOS', 'CAUSAL_PART_MISMATCH'] } },
    );
    expect(decided.status, decided.text).toBe(200);

    // Assess: store A's figures grew by at least this claim's (others may file at the same time)
    const added: Partial<Figures> = {
      claimsSubmittedLast30Days: 1,
      claimedAmountLast30Days: claim.claimedMinor,
      claimsRejectedLast30Days: 1,
      claimReasonMissingPhotosLast30Days: 1,
      claimReasonCausalPartMismatchLast30Days: 1,
    };
    const after = await eventually(async () => {
      const now = await hqView();
      const a = now.get(demo.storeA)!;
      return Object.entries(added).every(([f, n]) => a[f as keyof Figures] >= storeA[f as keyof Figures] + n!)
        ? now
        : undefined;
    });
    expect(claim.claimedMinor).toBeGreaterThan(0);
    expect(after.get(demo.storeA)!.claimRejectionRate).toBeGreaterThan(0);
    // No other store's claims moved
    for (const id of others) expect(only(after.get(id)!)).toEqual(only(before.get(id)!));
  });

  it('rebuilds from the records what the events counted', async () => {
    // Prepare
    const data = new DataAccess({ tableName: stack.tableName });
    const store = data.forTenant({
      tenantId: demo.storeA,
      actor: { userId: 'test', name: 'Test', roles: [] },
    });
    const stores = [{ id: demo.storeA, name: 'A' }];
    const viewOf = (figures: StoreFigures, now: Date) =>
      only(groupFiguresView(demo.group, stores, [figures], now).stores[0]!);

    // Act / Assess: once the queue has caught up with the other suites, the two agree
    const agreed = await eventually(async () => {
      const now = new Date();
      const { figures: projected } = await data.groupFigures(demo.group).get(demo.storeA);
      const rebuilt = await rebuildStoreFigures(store, projected.timeZone ?? 'UTC', now);
      const [p, r] = [viewOf(projected, now), viewOf(rebuilt, now)];
      return FIGURES.every((f) => p[f] === r[f]) ? { p, r } : undefined;
    });
    expect(agreed.r).toEqual(agreed.p);
    expect(agreed.r.claimsSubmittedLast30Days).toBeGreaterThan(0);
  });
});
