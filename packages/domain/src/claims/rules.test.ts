import { describe, expect, it } from 'vitest';
import { type DomainEvent, EVENT_SCHEMA_VERSION, type NewEvent } from '../events.ts';
import { emptyStoreFigures, groupFiguresView, projectStoreEvent, type StoreFigures } from '../hq/figures.ts';
import { AppError } from '../platform/errors.ts';
import { addMonths } from '../platform/local-time.ts';
import type { Oem } from '../platform/tenancy.ts';
import type { Vehicle } from '../registry/model.ts';
import type { JobLine, RepairOrder } from '../repair-orders/model.ts';
import {
  ClaimEdit,
  claimChangeFigures,
  claimFigureHistory,
  OemDecisionInput,
  type WarrantyClaim,
} from './model.ts';
import { OemClaimRules } from './oem-rules.ts';
import { precheckClaim } from './precheck.ts';
import {
  CLAIM_MOVES,
  type ClaimDecisionResult,
  claimedLinesOf,
  decideClaimAppeal,
  decideClaimCreation,
  decideClaimEdit,
  decideClaimSubmission,
  decideOemAction,
  decidePartShipment,
  franchiseOemFor,
} from './rules.ts';

const cny = (amountMinor: number) => ({ amountMinor, currency: 'CNY' as const });
const sig = (at: string) => ({ userId: 'u-claims', name: '赵索赔', at });
const RULES = OemClaimRules.parse({
  coverage: { months: 36, km: 100_000 },
  labourOps: [{ code: '1013-10', models: ['A6L'], fromYear: 2020, toYear: 2026, allowanceTenths: 15 }],
  requiredPhotos: 1,
});
const OEM: Oem = {
  id: 'oem_FAWVOLKSWAGEN',
  kind: 'oem',
  name: 'FAW-VW',
  brands: ['Audi', 'Volkswagen'],
  wmis: ['LFV'],
  claimRules: RULES,
};
const SAIC: Oem = {
  id: 'oem_SAICVOLKSWAGEN',
  kind: 'oem',
  name: 'SAIC-VW',
  brands: ['Volkswagen'],
  wmis: ['LSV'],
};

const VEHICLE: Vehicle = {
  id: 'veh_1',
  storeId: 'st_A',
  vin: 'LFV3A24G6L3000001',
  brand: 'Audi',
  model: 'A6L',
  modelYear: 2024,
  warrantyStart: '2024-03-01',
  version: 1,
  createdAt: '2024-03-01T00:00:00.000Z',
  updatedAt: '2024-03-01T00:00:00.000Z',
};

function line(over: Partial<JobLine> = {}): JobLine {
  return {
    id: 'J1',
    origin: 'reception',
    status: 'checked',
    complaint: 'Engine oil leaking at the front',
    cause: 'Front crankshaft seal hardened and cracked',
    correction: 'Replaced the front crankshaft seal',
    payer: 'warranty',
    labour: [
      { labourOpId: 'op1', code: '1013-10', name: { zh: '更换曲轴前油封' }, tenths: 15, rate: cny(12000) },
    ],
    parts: [{ partId: 'p1', partNumber: '06H103085', quantity: 1, unitPrice: cny(8600) }],
    consumables: [],
    discountBp: 0,
    clockings: [
      {
        technicianId: 'tech1',
        startedAt: '2026-12-01T02:00:00.000Z',
        endedAt: '2026-12-01T03:48:00.000Z',
      } as JobLine['clockings'][number],
    ],
    checks: [],
    reworkCount: 0,
    technicianId: 'tech1',
    partIssues: [
      {
        partId: 'p1',
        partNumber: '06H103085',
        quantity: 1,
        oldPart: 'retained_for_claim',
        by: sig('2026-12-01T02:10:00.000Z'),
      },
    ],
    ...over,
  };
}

function order(lines: JobLine[], over: Partial<RepairOrder> = {}): RepairOrder {
  return {
    id: 'ro_1',
    storeId: 'st_A',
    status: 'delivered',
    source: { kind: 'walk_in' },
    vehicleId: VEHICLE.id,
    customerId: 'cus_1',
    advisorId: 'u-adv',
    odometerKm: 41_200,
    fuelLevel: 4,
    promisedAt: '2026-12-01T09:00:00.000Z',
    concerns: [],
    lines,
    quotes: [],
    approvals: [],
    deliveredAt: '2026-12-01T09:00:00.000Z',
    version: 9,
    createdAt: '2026-12-01T01:00:00.000Z',
    updatedAt: '2026-12-01T09:00:00.000Z',
    ...over,
  } as RepairOrder;
}

const filing = (at = '2026-12-02T01:00:00.000Z') => ({
  vehicle: VEHICLE,
  oem: OEM,
  photoIds: ['ph1'],
  id: 'clm_1',
  storeId: 'st_A',
  at,
  by: sig(at),
});

const draftOf = (lines = [line()], ro?: Partial<RepairOrder>) =>
  decideClaimCreation(order(lines, ro), { repairOrderId: 'ro_1', claimType: 'warranty' }, filing()).next;

describe('filing a claim from a repair order', () => {
  it('takes the checked warranty lines with their hours, parts and the kept old part', () => {
    // Prepare: one warranty line and one customer-pay line
    const customer = line({ id: 'J2', payer: 'customer' });
    // Act
    const { next, events } = decideClaimCreation(
      order([line(), customer]),
      { repairOrderId: 'ro_1', claimType: 'warranty' },
      filing(),
    );
    // Assess
    expect(next.lines).toHaveLength(1);
    expect(next.lines[0]).toMatchObject({
      repairOrderLineId: 'J1',
      causalPart: { partNumber: '06H103085' },
      labour: [{ code: '1013-10', tenths: 15, actualTenths: 18 }],
      // 1.5 h × ¥120 + ¥86
      claimedMinor: 18_000 + 8_600,
    });
    expect(next.parts).toEqual([
      expect.objectContaining({ partNumber: '06H103085', status: 'held', retainUntil: '2027-03-01' }),
    ]);
    expect(next.submitBy).toBe('2026-12-31');
    expect(next.status).toBe('draft');
    expect(events.map((e) => e.type)).toEqual(['claim.created']);
    expect(claimedLinesOf(next)).toEqual(['ro_1:J1']);
  });

  it('refuses an order not yet settled, and a line that is not claimable', () => {
    expect(() => draftOf([line()], { status: 'in_progress', deliveredAt: undefined })).toThrow(
      expect.objectContaining({ code: 'REPAIR_ORDER_NOT_CLOSED' }),
    );
    expect(() =>
      decideClaimCreation(
        order([line({ payer: 'customer' })]),
        { repairOrderId: 'ro_1', claimType: 'warranty', lineIds: ['J1'] },
        filing(),
      ),
    ).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    expect(() => draftOf([line({ payer: 'customer' })])).toThrow(
      expect.objectContaining({ code: 'NOTHING_TO_CLAIM' }),
    );
  });

  it('files with the franchise OEM that builds the VIN', () => {
    const store = { franchises: [OEM.id, SAIC.id] };
    expect(franchiseOemFor(store, [OEM, SAIC], { brand: 'Volkswagen', vin: 'LSVAA2180N2000001' })?.id).toBe(
      SAIC.id,
    );
    expect(franchiseOemFor(store, [OEM, SAIC], { brand: 'Volkswagen', vin: 'LFV2A21K9N3000001' })?.id).toBe(
      OEM.id,
    );
    expect(
      franchiseOemFor({ franchises: [OEM.id] }, [OEM, SAIC], {
        brand: 'Volkswagen',
        vin: 'LSVAA2180N2000001',
      }),
    ).toBe(undefined);
  });
});

describe('the pre-check', () => {
  const check = (claim: WarrantyClaim, others: WarrantyClaim[] = [], at = '2026-12-02T02:00:00.000Z') =>
    precheckClaim(claim, RULES, { others, at });
  const codes = (claim: WarrantyClaim, others: WarrantyClaim[] = [], at?: string) =>
    check(claim, others, at).map((f) => `${f.severity}:${f.code}:${f.path}`);

  it('passes a complete claim inside coverage', () => {
    const draft = draftOf();
    const edited = decideClaimEdit(
      draft,
      ClaimEdit.parse({ lines: [{ id: 'L1', conditionCode: 'LEAK', defectCode: 'SEAL-01' }] }),
      { sealedPhotoIds: ['ph1'], at: '2026-12-02T01:30:00.000Z' },
    )?.next as WarrantyClaim;
    // 1.8 h actual against 1.5 h allowed is 20 % over: at the tolerance, not beyond it
    expect(codes(edited)).toEqual([]);
  });

  it('finds the errors OEMs reject first-time claims for', () => {
    const draft = draftOf([
      line({
        cause: 'leak',
        labour: [{ labourOpId: 'op9', code: '9999-99', name: { zh: '其他' }, tenths: 10, rate: cny(12000) }],
      }),
    ]);
    const found = codes({ ...draft, photoIds: [] });
    expect(found).toEqual(
      expect.arrayContaining([
        'error:MISSING_FIELD:lines.0.conditionCode',
        'error:MISSING_FIELD:lines.0.defectCode',
        'warning:WEAK_3C_TEXT:lines.0.cause',
        'error:LABOUR_OP_UNKNOWN:lines.0.labour.0.code',
        'error:PHOTOS_MISSING:photoIds',
      ]),
    );
  });

  it('checks the op against the model year and the hours against the allowance', () => {
    const old = { ...draftOf(), modelYear: 2019 };
    expect(codes(old)).toContain('error:LABOUR_OP_NOT_FOR_MODEL:lines.0.labour.0.code');
    const over = draftOf([
      line({
        labour: [{ labourOpId: 'op1', code: '1013-10', name: { zh: 'x' }, tenths: 20, rate: cny(12000) }],
      }),
    ]);
    expect(codes(over)).toContain('error:HOURS_OVER_ALLOWANCE:lines.0.labour.0.tenths');
  });

  it('ends coverage on the day the months run out, and at the mileage', () => {
    expect(addMonths('2023-12-08', 36)).toBe('2026-12-08');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    const draft = draftOf();
    // The repair opened 2026-12-01: a start on 2023-12-02 ends coverage on 2026-12-02, still covered
    expect(codes({ ...draft, warrantyStart: '2023-12-02' })).not.toContain(
      'error:COVERAGE_EXPIRED:warrantyStart',
    );
    expect(codes({ ...draft, warrantyStart: '2023-12-01' })).toContain(
      'error:COVERAGE_EXPIRED:warrantyStart',
    );
    expect(codes({ ...draft, odometerInKm: 100_001 })).toContain(
      'error:COVERAGE_MILEAGE_EXCEEDED:odometerInKm',
    );
    expect(codes({ ...draft, claimType: 'goodwill', warrantyStart: '2020-01-01' })).not.toContain(
      'error:COVERAGE_EXPIRED:warrantyStart',
    );
  });

  it('flags a causal part not kept, a duplicate, and a late submission', () => {
    const unkept = draftOf([line({ partIssues: [] })]);
    expect(codes(unkept)).toContain('error:CAUSAL_PART_NOT_KEPT:lines.0.causalPartNumber');
    const draft = draftOf();
    const earlier = { ...draft, id: 'clm_0', status: 'accepted' as const };
    expect(codes(draft, [earlier])).toContain('warning:DUPLICATE_CLAIM:lines');
    expect(codes(draft, [{ ...earlier, status: 'withdrawn' }])).not.toContain(
      'warning:DUPLICATE_CLAIM:lines',
    );
    // Deadline 2026-12-31: the 31st is in time, the next day late
    expect(codes(draft, [], '2026-12-31T10:00:00.000Z')).not.toContain(
      'error:SUBMISSION_DEADLINE_PASSED:submitBy',
    );
    expect(codes(draft, [], '2027-01-01T10:00:00.000Z')).toContain(
      'error:SUBMISSION_DEADLINE_PASSED:submitBy',
    );
  });
});

/** A draft with its codes filled and its photo sealed: ready to submit at `at`. */
const codedDraft = (at: string) =>
  decideClaimEdit(
    draftOf(),
    ClaimEdit.parse({ lines: [{ id: 'L1', conditionCode: 'LEAK', defectCode: 'SEAL-01' }] }),
    { sealedPhotoIds: ['ph1'], at },
  )?.next as WarrantyClaim;

describe('submitting and the OEM’s answers', () => {
  const at = '2026-12-02T03:00:00.000Z';
  const ready = () => codedDraft(at);

  it('blocks on errors and asks a justification for each warning', () => {
    const draft = draftOf();
    expect(() => decideClaimSubmission(draft, {}, { rules: RULES, others: [], at })).toThrow(
      expect.objectContaining({ status: 409, code: 'CLAIM_PRECHECK_FAILED' }),
    );
    const duplicate = { ...ready(), id: 'clm_0', status: 'accepted' as const };
    let error: unknown;
    try {
      decideClaimSubmission(ready(), {}, { rules: RULES, others: [duplicate], at });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).details).toMatchObject({
      fieldErrors: [{ path: 'justifications', code: 'JUSTIFICATION_REQUIRED' }],
    });
    const justified = {
      ...ready(),
      justifications: [{ code: 'DUPLICATE_CLAIM', text: 'The first repair was a different seal.' }],
    };
    const { next, events } = decideClaimSubmission(justified, {}, { rules: RULES, others: [duplicate], at });
    expect(next).toMatchObject({ status: 'submitted', submissions: 1, submittedAt: at });
    expect(events[0]).toMatchObject({
      type: 'claim.changed',
      data: { action: 'submitted', from: 'draft', to: 'submitted' },
    });
  });

  it('goes returned → resubmitted → partly accepted → paid, with reasons per line', () => {
    const submitted = decideClaimSubmission(ready(), {}, { rules: RULES, others: [], at }).next;
    const oem = { rules: RULES, at: '2026-12-03T01:00:00.000Z', by: 'FAW-VW reviewer' };
    const returned = decideOemAction(
      submitted,
      { kind: 'request_info', request: { question: 'Photo of the seal?' } },
      oem,
    ).next;
    expect(returned).toMatchObject({ status: 'returned', infoRequest: { dueBy: '2026-12-13' } });
    expect(() => decideClaimSubmission(returned, {}, { rules: RULES, others: [], at })).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    );
    const again = decideClaimSubmission(
      returned,
      { answer: 'Added.' },
      { rules: RULES, others: [], at },
    ).next;
    expect(again).toMatchObject({ status: 'submitted', submissions: 2, infoAnswer: 'Added.' });
    const partly = OemDecisionInput.parse({
      outcome: 'partly_accepted',
      lines: [
        {
          lineId: 'L1',
          approvedMinor: 20_000,
          adjustments: [{ reason: 'EXCESS_LABOUR_HOURS', amountMinor: 6_600 }],
        },
      ],
    });
    const decided = decideOemAction(again, { kind: 'decide', decision: partly }, oem).next;
    expect(decided.decision).toMatchObject({
      outcome: 'partly_accepted',
      approvedMinor: 20_000,
      reasons: ['EXCESS_LABOUR_HOURS'],
    });
    expect(() =>
      decideOemAction(
        decided,
        { kind: 'record_payment', payment: { creditNote: 'CN-1', amountMinor: 20_001 } },
        oem,
      ),
    ).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    const paid = decideOemAction(
      decided,
      { kind: 'record_payment', payment: { creditNote: 'CN-1', amountMinor: 20_000 } },
      oem,
    ).next;
    expect(paid.status).toBe('paid');
    expect(CLAIM_MOVES.paid).toEqual([]);
  });

  it('refuses a partial acceptance that pays more than claimed or gives no reason', () => {
    const submitted = decideClaimSubmission(ready(), {}, { rules: RULES, others: [], at }).next;
    const oem = { rules: RULES, at, by: 'x' };
    for (const lines of [
      [{ lineId: 'L1', approvedMinor: 99_999, adjustments: [] }],
      [{ lineId: 'L1', approvedMinor: 100, adjustments: [] }],
      [{ lineId: 'L9', approvedMinor: 100, adjustments: [] }],
    ])
      expect(() =>
        decideOemAction(
          submitted,
          { kind: 'decide', decision: OemDecisionInput.parse({ outcome: 'partly_accepted', lines }) },
          oem,
        ),
      ).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    expect(() =>
      decideOemAction(
        { ...submitted, status: 'paid' },
        { kind: 'decide', decision: { outcome: 'accepted' } },
        oem,
      ),
    ).toThrow(expect.objectContaining({ status: 409, code: 'CLAIM_TRANSITION_NOT_ALLOWED' }));
  });

  it('follows a kept part from the OEM’s request to its receipt', () => {
    const submitted = decideClaimSubmission(ready(), {}, { rules: RULES, others: [], at }).next;
    const partId = submitted.parts[0]!.id;
    const oem = { rules: RULES, at: '2026-12-03T01:00:00.000Z', by: 'x' };
    expect(() => decidePartShipment(submitted, partId, { reference: 'SF123' }, sig(at))).toThrow(
      expect.objectContaining({ code: 'CLAIMED_PART_STATUS' }),
    );
    const asked = decideOemAction(
      submitted,
      { kind: 'request_part', request: { partId, withinDays: 14 } },
      oem,
    ).next;
    expect(asked.parts[0]).toMatchObject({
      status: 'return_requested',
      returnRequest: { dueBy: '2026-12-17' },
    });
    const shipped = decidePartShipment(asked, partId, { reference: 'SF123' }, sig(at)).next;
    const received = decideOemAction(shipped, { kind: 'confirm_part_receipt', part: { partId } }, oem).next;
    expect(received.parts[0]).toMatchObject({ status: 'received', shipment: { reference: 'SF123' } });
  });
});

describe('HQ figures (集团看板) of a store’s claims', () => {
  const at = '2026-12-02T02:00:00.000Z';
  const ready = () => codedDraft(at);
  const oem = (hour: number) => ({
    rules: RULES,
    at: `2026-12-${String(3 + Math.floor(hour / 24)).padStart(2, '0')}T${String(hour % 24).padStart(2, '0')}:00:00.000Z`,
    by: 'FAW-VW reviewer',
  });
  type Change = NewEvent<'claim.changed'>['data'];
  /** Every step's `claim.changed` payloads, and the claim at the end. */
  const run = (steps: ((c: WarrantyClaim) => ClaimDecisionResult)[]) =>
    steps.reduce(
      ({ claim, changes }, step) => {
        const { next, events } = step(claim);
        const changed = events.flatMap((e) => (e.type === 'claim.changed' ? [e.data as Change] : []));
        return { claim: next, changes: [...changes, ...changed] };
      },
      { claim: ready(), changes: [] as Change[] },
    );
  const project = (changes: readonly Change[]): StoreFigures =>
    changes.reduce(
      (figures, data, i) =>
        projectStoreEvent(figures, {
          id: `evt_${i}`,
          type: 'claim.changed',
          schemaVersion: EVENT_SCHEMA_VERSION,
          tenantId: 'st_A',
          aggregate: 'claim',
          aggregateId: 'clm_1',
          at: data.at,
          actor: { userId: 'u-claims', name: '赵索赔', roles: ['claims_specialist'] },
          data,
        } as DomainEvent),
      { ...emptyStoreFigures('st_A'), timeZone: 'Asia/Shanghai' } as StoreFigures,
    );
  const viewOf = (figures: StoreFigures) =>
    groupFiguresView('grp_A', [{ id: 'st_A', name: 'A' }], [figures], new Date('2026-12-10T00:00:00.000Z'))
      .stores[0]!;

  it('counts the first submission once, each decision by outcome and each of its reasons once', () => {
    // Prepare: returned, answered, partly accepted for the labour hours, appealed, then rejected
    const { claim, changes } = run([
      (c) => decideClaimSubmission(c, {}, { rules: RULES, others: [], at }),
      (c) =>
        decideOemAction(c, { kind: 'request_info', request: { question: 'Photo of the seal?' } }, oem(1)),
      (c) => decideClaimSubmission(c, { answer: 'Added.' }, { rules: RULES, others: [], at: oem(2).at }),
      (c) =>
        decideOemAction(
          c,
          {
            kind: 'decide',
            decision: OemDecisionInput.parse({
              outcome: 'partly_accepted',
              lines: [
                {
                  lineId: 'L1',
                  approvedMinor: 20_000,
                  adjustments: [
                    { reason: 'EXCESS_LABOUR_HOURS', amountMinor: 3_000 },
                    { reason: 'EXCESS_LABOUR_HOURS', amountMinor: 3_600 },
                  ],
                },
              ],
            }),
          },
          oem(26),
        ),
      (c) => decideClaimAppeal(c, { text: 'The hours are the book’s.' }, sig(oem(30).at)),
      (c) =>
        decideOemAction(
          c,
          {
            kind: 'decide',
            decision: OemDecisionInput.parse({
              outcome: 'rejected',
              reasons: ['NOT_COVERED', 'MISSING_PHOTOS'],
            }),
          },
          oem(50),
        ),
    ]);

    // Act
    const view = viewOf(project(changes));

    // Assess: one claim filed at what it first asked; two decisions; reasons once per decision
    expect(claim.firstSubmission).toEqual({ at, claimedMinor: claim.claimedMinor });
    expect(claim.appeal?.against).toMatchObject({ outcome: 'partly_accepted' });
    expect(view).toMatchObject({
      claimsSubmittedLast30Days: 1,
      claimedAmountLast30Days: claim.claimedMinor,
      claimsAcceptedLast30Days: 0,
      claimsPartlyAcceptedLast30Days: 1,
      claimsRejectedLast30Days: 1,
      claimRejectionRate: 0.5,
      claimAcceptanceRate: 0,
      claimsPaidLast30Days: 0,
      claimPaidShare: 0,
      claimReasonExcessLabourHoursLast30Days: 1,
      claimReasonNotCoveredLast30Days: 1,
      claimReasonMissingPhotosLast30Days: 1,
      claimReasonOtherLast30Days: 0,
    });
    // The record tells the same moments (the rebuild's counting)
    expect(claimFigureHistory(claim).map((h) => h.changes)).toEqual(
      changes.map(claimChangeFigures).filter((c) => Object.keys(c).length > 0),
    );
  });

  it('keeps the first submission of a claim sent before it was kept when the claim is sent again', () => {
    // Prepare: submitted (as before `firstSubmission` existed), then returned by the OEM
    const { claim: sent } = run([(c) => decideClaimSubmission(c, {}, { rules: RULES, others: [], at })]);
    const { firstSubmission: _kept, ...older } = sent;
    const returned = decideOemAction(
      older,
      { kind: 'request_info', request: { question: 'Photo of the seal?' } },
      oem(1),
    ).next;

    // Act
    const resent = decideClaimSubmission(
      returned,
      { answer: 'Added.' },
      { rules: RULES, others: [], at: oem(2).at },
    );

    // Assess: the first time it was sent, not this time, so the rebuild counts what the events did
    expect(resent.next.firstSubmission).toEqual({ at, claimedMinor: sent.claimedMinor });
  });

  it('counts a payment and its amount on the day it was paid, in the store’s zone', () => {
    // Prepare
    const { claim, changes } = run([
      (c) => decideClaimSubmission(c, {}, { rules: RULES, others: [], at }),
      (c) => decideOemAction(c, { kind: 'decide', decision: { outcome: 'accepted' } }, oem(1)),
      (c) =>
        decideOemAction(
          c,
          { kind: 'record_payment', payment: { creditNote: 'CN-1', amountMinor: c.claimedMinor } },
          // 17:00 UTC is the next day in Shanghai
          oem(17),
        ),
    ]);

    // Act
    const figures = project(changes);

    // Assess
    expect(figures.claimsPaidByDay).toEqual({ '2026-12-04': 1 });
    expect(figures.claimsPaidAmountByDay).toEqual({ '2026-12-04': claim.claimedMinor });
    expect(viewOf(figures)).toMatchObject({
      claimsSubmittedLast30Days: 1,
      claimsAcceptedLast30Days: 1,
      claimAcceptanceRate: 1,
      claimRejectionRate: 0,
      claimsPaidLast30Days: 1,
      claimPaidShare: 1,
    });
    expect(claimFigureHistory(claim).map((h) => h.changes)).toEqual(
      changes.map(claimChangeFigures).filter((c) => Object.keys(c).length > 0),
    );
  });
});
