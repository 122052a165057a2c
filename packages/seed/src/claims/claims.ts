import { createHash } from 'node:crypto';
import type { DataAccess } from '@aftersales/data';
import { Claims, OEM_PROJECTION_ACTOR, OemClaims } from '@aftersales/data/claims';
import { RepairOrders } from '@aftersales/data/repair-orders';
import {
  type Actor,
  AppError,
  addDays,
  type ClaimDecisionResult,
  claimRulesOf,
  decideOemAction,
  newEvent,
  type OemClaimAction,
  type Store,
  type WarrantyClaim,
  type WarrantyClaimStatus,
} from '@aftersales/domain';
import { DEMO_OEMS } from '../platform/orgs.ts';
import { demoUsersOf } from '../platform/users.ts';

/**
 * Each store's claims (索赔) in every state, filed from the warranty lines of its delivered demo orders
 * through the repository (as the claims specialist), then carried to their state the way it happened:
 * submitted, and answered by the OEM. The seeded orders carry no kept parts or photos, so these are
 * history that predates the pre-check: the seed sets their submission as it was, not through it.
 */
const STATES: readonly WarrantyClaimStatus[] = [
  'draft',
  'submitted',
  'returned',
  'accepted',
  'partly_accepted',
  'rejected',
  'appealed',
  'paid',
  'withdrawn',
];

export async function writeDemoClaims(data: DataAccess, store: Store, today: string): Promise<number> {
  const person = demoUsersOf(store).find((u) =>
    u.memberships.some((m) => m.tenantId === store.id && m.roles.includes('claims_specialist')),
  );
  const actor: Actor = person
    ? { userId: person.id, name: person.displayName, roles: ['claims_specialist'] }
    : { userId: 'seed', name: '演示数据', roles: ['claims_specialist'] };
  const tenant = data.forTenant({ tenantId: store.id, actor });
  const claims = tenant.repo(Claims);
  if ((await claims.search(tenant, { limit: 1 })).items.length > 0) return 0;
  const orders = await tenant
    .repo(RepairOrders)
    .touchedSince(`${addDays(today, -40)}T00:00:00.000Z`, { limit: 100 });
  const claimable = orders.items.filter(
    (ro) =>
      ro.status === 'delivered' && ro.lines.some((l) => l.payer === 'warranty' && l.status === 'checked'),
  );
  let written = 0;
  // Each store starts the cycle of states elsewhere, so that HQ compares stores that differ.
  const offset = createHash('sha256').update(store.id).digest()[0]! % STATES.length;
  for (const ro of claimable) {
    let filed: WarrantyClaim;
    try {
      filed = (
        await claims.file(tenant, data.directory, store, { repairOrderId: ro.id, claimType: 'warranty' })
      ).claim;
    } catch (e) {
      // A car of a maker the store is not franchised by (嘉利's FAW Volkswagens) has no claim to file.
      if (e instanceof AppError && e.code === 'NO_FRANCHISE_OEM') continue;
      throw e;
    }
    const claim = await carryTo(
      claims,
      filed,
      STATES[(written + offset) % STATES.length]!,
      ro.deliveredAt ?? filed.createdAt,
    );
    await projectToOem(data, store, claim);
    written += 1;
  }
  return written;
}

/** The claim taken from its draft to `target`, each step saved with its audit entry and event. */
async function carryTo(
  claims: Claims,
  draft: WarrantyClaim,
  target: WarrantyClaimStatus,
  closedAt: string,
): Promise<WarrantyClaim> {
  if (target === 'draft') return draft;
  const rules = claimRulesOf(DEMO_OEMS.find((o) => o.id === draft.oemId) ?? {});
  // Never later than now: a claim of yesterday's order has not waited ten days for its payment.
  const at = (hours: number) =>
    new Date(Math.min(Date.parse(closedAt) + hours * 3_600_000, Date.now())).toISOString();
  let claim = draft;
  const save = async (decision: ClaimDecisionResult) => {
    claim = await claims.save(claim, decision.next, decision);
  };
  // Filled in as the specialist did, and sent.
  const submitted: WarrantyClaim = {
    ...claim,
    lines: claim.lines.map((l) => ({
      ...l,
      conditionCode: 'NOISE-01',
      defectCode: 'WEAR-02',
      cause: l.cause ?? '制动片非正常磨损，摩擦材料脱落',
      correction: l.correction ?? '更换制动片并清洁制动卡钳',
    })),
    status: target === 'withdrawn' ? 'withdrawn' : 'submitted',
    submissions: target === 'withdrawn' ? 0 : 1,
    ...(target === 'withdrawn'
      ? {}
      : {
          submittedAt: at(20),
          firstSubmission: { at: at(20), claimedMinor: claim.claimedMinor },
          precheck: { at: at(20), findings: [] },
        }),
    version: claim.version + 1,
    updatedAt: at(20),
  };
  await save({
    next: submitted,
    action: target === 'withdrawn' ? 'withdraw' : 'submit',
    changes: [{ field: 'status', from: 'draft', to: submitted.status }],
    events: [
      newEvent('claim.changed', 'claim', claim.id, {
        claimId: claim.id,
        oemId: claim.oemId,
        action: target === 'withdrawn' ? 'withdrawn' : 'submitted',
        from: 'draft',
        to: submitted.status,
        at: at(20),
        claim: submitted,
      }),
    ],
  });
  const oem = (action: OemClaimAction, hours: number) =>
    save(decideOemAction(claim, action, { rules, at: at(hours), by: '厂家索赔审核' }));
  const line = claim.lines[0]!;
  if (target === 'returned')
    await oem({ kind: 'request_info', request: { question: '请补充制动片磨损照片及测量数据。' } }, 48);
  if (target === 'accepted' || target === 'paid')
    await oem({ kind: 'decide', decision: { outcome: 'accepted' } }, 72);
  if (target === 'partly_accepted' || target === 'appealed')
    await oem(
      {
        kind: 'decide',
        decision: {
          outcome: 'partly_accepted',
          lines: claim.lines.map((l) => ({
            lineId: l.id,
            approvedMinor: l.id === line.id ? Math.floor(l.claimedMinor * 0.8) : l.claimedMinor,
            adjustments:
              l.id === line.id
                ? [
                    {
                      reason: 'EXCESS_LABOUR_HOURS' as const,
                      amountMinor: l.claimedMinor - Math.floor(l.claimedMinor * 0.8),
                    },
                  ]
                : [],
          })),
        },
      },
      72,
    );
  if (target === 'rejected')
    await oem(
      {
        kind: 'decide',
        decision: { outcome: 'rejected', reasons: ['NOT_COVERED'], note: '磨损件不在保修范围' },
      },
      72,
    );
  if (target === 'appealed') {
    const appealed: WarrantyClaim = {
      ...claim,
      status: 'appealed',
      appeal: {
        text: '工时为厂家维修手册标准工时，申请复核。',
        at: at(96),
        by: draft.createdBy,
        ...(claim.decision ? { against: claim.decision } : {}),
      },
      version: claim.version + 1,
      updatedAt: at(96),
    };
    await save({
      next: appealed,
      action: 'appeal',
      changes: [{ field: 'status', from: claim.status, to: 'appealed' }],
      events: [
        newEvent('claim.changed', 'claim', claim.id, {
          claimId: claim.id,
          oemId: claim.oemId,
          action: 'appealed',
          from: claim.status,
          to: 'appealed',
          at: at(96),
          claim: appealed,
        }),
      ],
    });
  }
  if (target === 'paid')
    await oem(
      {
        kind: 'record_payment',
        payment: { creditNote: `CN-${claim.id.slice(-6)}`, amountMinor: claim.claimedMinor },
      },
      240,
    );
  return claim;
}

/**
 * The OEM's copy of a seeded claim, as the OEM projection would have written it: the stream poller of a
 * fresh stack starts after the seed (as the HQ figures' rebuild does for them), so the seed projects what
 * it wrote, through the projection's own code.
 */
async function projectToOem(data: DataAccess, store: Store, claim: WarrantyClaim): Promise<void> {
  if (claim.submissions === 0) return;
  const oem = DEMO_OEMS.find((o) => o.id === claim.oemId);
  await data
    .forTenant({ tenantId: claim.oemId, actor: OEM_PROJECTION_ACTOR })
    .repo(OemClaims)
    .project(
      {
        claimId: claim.id,
        oemId: claim.oemId,
        action: 'submitted',
        from: 'draft',
        to: claim.status,
        at: claim.updatedAt,
        claim,
      },
      { storeName: store.name, rules: claimRulesOf(oem ?? {}) },
    );
}
