import { diffRecords } from '../audit.ts';
import type { Decision } from '../decision.ts';
import { type NewEvent, newEvent } from '../events.ts';
import { ConflictError, ValidationError } from '../platform/errors.ts';
import { addDays } from '../platform/local-time.ts';
import type { Oem, Store } from '../platform/tenancy.ts';
import type { Signature } from '../purchasing/model.ts';
import type { Vehicle } from '../registry/model.ts';
import type { JobLine, RepairOrder } from '../repair-orders/model.ts';
import { clockedMinutes, lineTotals } from '../repair-orders/rules.ts';
import type {
  ClaimAppealInput,
  ClaimCreateFields,
  ClaimEdit,
  ClaimedPart,
  ClaimLine,
  ClaimPart,
  ClaimSubmitInput,
  ClaimWithdrawInput,
  OemClaimAction,
  OemLineDecision,
  PartShipmentInput,
  WarrantyClaim,
  WarrantyClaimStatus,
} from './model.ts';
import { firstSubmissionOf } from './model.ts';
import { DEFAULT_OEM_CLAIM_RULES, type OemClaimRules } from './oem-rules.ts';
import { precheckClaim } from './precheck.ts';

/** Actions a claim keeps the ids of (the OEM projection tells from them what is still on its way). */
const APPLIED_ACTIONS_KEPT = 50;

/**
 * 索赔状态机. The store drafts, submits, answers a return, appeals or withdraws; every other move is the
 * OEM's (applied by `decideOemAction`). `paid` and `withdrawn` are final.
 */
export const CLAIM_MOVES: Readonly<Record<WarrantyClaimStatus, readonly WarrantyClaimStatus[]>> = {
  draft: ['submitted', 'withdrawn'],
  submitted: ['returned', 'accepted', 'partly_accepted', 'rejected'],
  returned: ['submitted', 'withdrawn'],
  accepted: ['paid'],
  partly_accepted: ['paid', 'appealed'],
  rejected: ['appealed'],
  appealed: ['accepted', 'partly_accepted', 'rejected', 'returned'],
  paid: [],
  withdrawn: [],
};

/** Statuses in which the store still edits the claim (a draft, or one returned for information). */
const EDITABLE: ReadonlySet<WarrantyClaimStatus> = new Set(['draft', 'returned']);

/** A claim's move, or 409 `CLAIM_TRANSITION_NOT_ALLOWED` with the moves it has. */
export function moveClaim(from: WarrantyClaimStatus, to: WarrantyClaimStatus): WarrantyClaimStatus {
  if (!CLAIM_MOVES[from].includes(to))
    throw new ConflictError(409, 'CLAIM_TRANSITION_NOT_ALLOWED', `A ${from} claim cannot become ${to}.`, {
      from,
      to,
      allowed: CLAIM_MOVES[from],
    });
  return to;
}

export type ClaimAction =
  | 'file'
  | 'update'
  | 'submit'
  | 'withdraw'
  | 'appeal'
  | 'ship_part'
  | 'oem_decide'
  | 'oem_request_info'
  | 'oem_pay'
  | 'oem_part';
export type ClaimDecisionResult = Decision<WarrantyClaim> & { action: ClaimAction };

/** Payers whose share a claim recovers (the settlement calls them claimable). */
const CLAIMABLE_PAYERS = new Set(['warranty', 'goodwill']);

/** The sum of a claim's lines, in minor units. */
const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

// ——— Which OEM ————————————————————————————————————————————————————————————————————————————————

/**
 * The manufacturer a store files a vehicle's claim with: among the OEMs the store is franchised by, the
 * one that makes the brand and, where it lists world manufacturer identifiers, the VIN's (FAW-VW and
 * SAIC-VW both build Volkswagens: `LFV…` is FAW's, `LSV…` SAIC's).
 */
export function franchiseOemFor(
  store: Pick<Store, 'franchises'>,
  oems: readonly Oem[],
  vehicle: Pick<Vehicle, 'brand' | 'vin'>,
): Oem | undefined {
  const wmi = vehicle.vin.slice(0, 3).toUpperCase();
  return oems.find(
    (o) =>
      (store.franchises ?? []).includes(o.id) &&
      o.brands.includes(vehicle.brand) &&
      (!o.wmis || o.wmis.length === 0 || o.wmis.includes(wmi)),
  );
}

/** The OEM's published rules, or the defaults for one that has published none. */
export function claimRulesOf(oem: Pick<Oem, 'claimRules'>): OemClaimRules {
  return oem.claimRules ?? DEFAULT_OEM_CLAIM_RULES;
}

// ——— Filing from a repair order ————————————————————————————————————————————————————————————————

/** What filing needs besides the order: the vehicle, its OEM and rules, the order's photos, claims so far. */
export interface ClaimFilingContext {
  vehicle: Vehicle;
  oem: Oem;
  /** Sealed inspection photos of the order, by id. */
  photoIds: readonly string[];
  id: string;
  storeId: string;
  at: string;
  by: Signature;
}

/** When the order closed for the claim's clock: delivery, else settlement. */
function closedAt(ro: RepairOrder): string | undefined {
  return ro.deliveredAt ?? ro.settlement?.settledBy.at;
}

/** The part of a line that failed: the first part issued with its old part kept for the claim, else the first. */
function causalPartOf(line: JobLine): string | undefined {
  const kept = line.partIssues.find((i) => i.quantity > 0 && i.oldPart === 'retained_for_claim');
  return kept?.partNumber ?? line.parts[0]?.partNumber;
}

function claimLineOf(line: JobLine, index: number, now: string): ClaimLine {
  const parts: ClaimPart[] = line.parts.map((p) => ({
    partNumber: p.partNumber,
    ...(p.name ? { name: p.name } : {}),
    quantity: p.quantity,
    unitPrice: p.unitPrice,
  }));
  const causal = causalPartOf(line);
  const causalPart = parts.find((p) => p.partNumber === causal);
  // Clocked time is the line's; it is shared over its operations in proportion to their allowance.
  const clockedTenths = Math.round(clockedMinutes(line, now) / 6);
  const flatTotal = sum(line.labour.map((l) => l.tenths));
  const totals = lineTotals({ ...line, discountBp: 0, consumables: [] });
  return {
    id: `L${index + 1}`,
    repairOrderLineId: line.id,
    complaint: line.complaint,
    ...(line.cause ? { cause: line.cause } : {}),
    ...(line.correction ? { correction: line.correction } : {}),
    labour: line.labour.map((l) => ({
      code: l.code,
      name: l.name,
      tenths: l.tenths,
      actualTenths: flatTotal === 0 ? 0 : Math.round((clockedTenths * l.tenths) / flatTotal),
      rate: l.rate,
    })),
    ...(causalPart ? { causalPart } : {}),
    otherParts: parts.filter((p) => p !== causalPart),
    sublet: [],
    ...(line.technicianId ? { technicianId: line.technicianId } : {}),
    claimedMinor: totals.labour + totals.parts,
  };
}

/** 三包旧件: every old part the counter kept for a claim when it issued the line's new one. */
function keptPartsOf(
  lines: readonly { claimLine: ClaimLine; line: JobLine }[],
  retainUntil: string,
): ClaimedPart[] {
  return lines.flatMap(({ claimLine, line }) =>
    line.partIssues
      .filter((i) => i.quantity > 0 && i.oldPart === 'retained_for_claim')
      .map((i, n) => ({
        id: `${claimLine.id}P${n + 1}`,
        lineId: claimLine.id,
        partNumber: i.partNumber,
        ...(line.parts.find((p) => p.partNumber === i.partNumber)?.name
          ? { name: line.parts.find((p) => p.partNumber === i.partNumber)?.name }
          : {}),
        quantity: i.quantity,
        location: '三包旧件库',
        retainUntil,
        status: 'held' as const,
      })),
  );
}

/**
 * 建索赔单: a draft from the order's claimable lines (warranty or goodwill payer, worked and passed
 * their final check), the ones named or all. A goodwill claim takes goodwill lines, the others warranty
 * lines. The order must be settled or delivered: a claim is for work done.
 */
export function decideClaimCreation(
  ro: RepairOrder,
  input: ClaimCreateFields,
  ctx: ClaimFilingContext,
): ClaimDecisionResult {
  const closed = closedAt(ro);
  if (!closed || (ro.status !== 'settled' && ro.status !== 'delivered'))
    throw new ConflictError(
      409,
      'REPAIR_ORDER_NOT_CLOSED',
      `Repair order ${ro.id} is ${ro.status}: a claim is filed once it is settled or delivered.`,
      { status: ro.status },
    );
  const payer = input.claimType === 'goodwill' ? 'goodwill' : 'warranty';
  const claimable = ro.lines.filter((l) => CLAIMABLE_PAYERS.has(l.payer) && l.status === 'checked');
  const chosen = input.lineIds ?? claimable.filter((l) => l.payer === payer).map((l) => l.id);
  const fieldErrors = chosen.flatMap((lineId, i) => {
    const line = ro.lines.find((l) => l.id === lineId);
    if (!line)
      return [{ path: `lineIds.${i}`, code: 'LINE_NOT_FOUND', message: `No line ${lineId} on the order.` }];
    if (line.payer !== payer || line.status !== 'checked')
      return [
        {
          path: `lineIds.${i}`,
          code: 'LINE_NOT_CLAIMABLE',
          message: `Line ${lineId} is not ${payer} work that passed its final check.`,
        },
      ];
    return [];
  });
  if (fieldErrors.length > 0) throw new ValidationError(fieldErrors);
  if (chosen.length === 0)
    throw new ConflictError(
      409,
      'NOTHING_TO_CLAIM',
      `Repair order ${ro.id} has no ${payer} line that passed its final check.`,
    );
  const rules = claimRulesOf(ctx.oem);
  const lines = chosen.map((lineId, i) => {
    const line = ro.lines.find((l) => l.id === lineId) as JobLine;
    return { claimLine: claimLineOf(line, i, closed), line };
  });
  const closedDay = closed.slice(0, 10);
  const { vehicle } = ctx;
  const warrantyStart = vehicle.warrantyStart ?? vehicle.deliveryDate ?? vehicle.invoiceDate;
  const claim: WarrantyClaim = {
    id: ctx.id,
    storeId: ctx.storeId,
    oemId: ctx.oem.id,
    claimType: input.claimType,
    status: 'draft',
    repairOrderId: ro.id,
    vehicleId: vehicle.id,
    vin: vehicle.vin,
    brand: vehicle.brand,
    model: vehicle.model,
    ...(vehicle.modelYear ? { modelYear: vehicle.modelYear } : {}),
    ...(warrantyStart ? { warrantyStart } : {}),
    odometerInKm: ro.odometerKm,
    odometerOutKm: ro.odometerKm,
    roOpenedAt: ro.createdAt,
    roClosedAt: closed,
    lines: lines.map((l) => l.claimLine),
    parts: keptPartsOf(lines, addDays(closedDay, rules.retentionDays)),
    photoIds: [...ctx.photoIds],
    justifications: [],
    claimedMinor: sum(lines.map((l) => l.claimLine.claimedMinor)),
    currency: 'CNY',
    submissions: 0,
    submitBy: addDays(closedDay, rules.submissionDeadlineDays),
    createdBy: ctx.by,
    version: 1,
    createdAt: ctx.at,
    updatedAt: ctx.at,
  };
  return {
    next: claim,
    action: 'file',
    changes: [],
    events: [
      newEvent('claim.created', 'claim', claim.id, {
        claimId: claim.id,
        oemId: claim.oemId,
        repairOrderId: ro.id,
        claimedMinor: claim.claimedMinor,
      }),
    ],
  };
}

/** Repair-order lines a claim holds: a line is on one live claim at a time (a withdrawn claim frees it). */
export function claimedLinesOf(claim: Pick<WarrantyClaim, 'status' | 'repairOrderId' | 'lines'>): string[] {
  return claim.status === 'withdrawn'
    ? []
    : claim.lines.map((l) => `${claim.repairOrderId}:${l.repairOrderLineId}`);
}

// ——— The store's edits and moves ————————————————————————————————————————————————————————————————

function requireEditable(claim: WarrantyClaim): void {
  if (!EDITABLE.has(claim.status))
    throw new ConflictError(
      409,
      'CLAIM_NOT_EDITABLE',
      `Claim ${claim.id} is ${claim.status}: only a draft or a claim returned for information is edited.`,
      { status: claim.status },
    );
}

function editedLine(line: ClaimLine, edit: NonNullable<ClaimEdit['lines']>[number], path: string): ClaimLine {
  const { id: _, causalPartNumber, sublet, ...text } = edit;
  let next: ClaimLine = { ...line, ...text, ...(sublet ? { sublet } : {}) };
  if (causalPartNumber !== undefined) {
    const all = [...(line.causalPart ? [line.causalPart] : []), ...line.otherParts];
    const causal = all.find((p) => p.partNumber === causalPartNumber);
    if (!causal)
      throw new ValidationError([
        {
          path: `${path}.causalPartNumber`,
          code: 'CLAIM_PART_NOT_ON_LINE',
          message: `Part ${causalPartNumber} is not on this line.`,
        },
      ]);
    const { causalPart: _old, ...rest } = next;
    next = { ...rest, causalPart: causal, otherParts: all.filter((p) => p !== causal) };
  }
  const subletMinor = sum(next.sublet.map((s) => s.amount.amountMinor));
  const labourMinor = sum(next.labour.map((l) => Math.round((l.tenths * l.rate.amountMinor) / 10)));
  const partsMinor = sum(
    [...(next.causalPart ? [next.causalPart] : []), ...next.otherParts].map(
      (p) => p.quantity * p.unitPrice.amountMinor,
    ),
  );
  return { ...next, claimedMinor: labourMinor + partsMinor + subletMinor };
}

/** A draft's or returned claim's details, as named; nothing changed writes nothing. */
export function decideClaimEdit(
  claim: WarrantyClaim,
  edit: ClaimEdit,
  ctx: { sealedPhotoIds: readonly string[]; at: string },
): ClaimDecisionResult | undefined {
  requireEditable(claim);
  const errors = [
    ...(edit.lines ?? []).flatMap((l, i) =>
      claim.lines.some((c) => c.id === l.id)
        ? []
        : [{ path: `lines.${i}.id`, code: 'CLAIM_LINE_NOT_FOUND', message: `No line ${l.id} on the claim.` }],
    ),
    ...(edit.photoIds ?? []).flatMap((p, i) =>
      ctx.sealedPhotoIds.includes(p)
        ? []
        : [
            {
              path: `photoIds.${i}`,
              code: 'PHOTO_NOT_SEALED',
              message: `No sealed photo ${p} on the order.`,
            },
          ],
    ),
    ...(edit.partLocations ?? []).flatMap((p, i) =>
      claim.parts.some((c) => c.id === p.id)
        ? []
        : [
            {
              path: `partLocations.${i}.id`,
              code: 'CLAIMED_PART_NOT_FOUND',
              message: `No kept part ${p.id}.`,
            },
          ],
    ),
  ];
  if (errors.length > 0) throw new ValidationError(errors);
  const lines = claim.lines.map((line) => {
    const i = (edit.lines ?? []).findIndex((l) => l.id === line.id);
    return i < 0 ? line : editedLine(line, (edit.lines ?? [])[i]!, `lines.${i}`);
  });
  const next: WarrantyClaim = {
    ...claim,
    lines,
    claimedMinor: sum(lines.map((l) => l.claimedMinor)),
    ...(edit.photoIds ? { photoIds: edit.photoIds } : {}),
    ...(edit.justifications ? { justifications: edit.justifications } : {}),
    parts: claim.parts.map((p) => {
      const located = edit.partLocations?.find((l) => l.id === p.id);
      return located ? { ...p, location: located.location } : p;
    }),
  };
  const changes = diffRecords(claim, next);
  if (changes.length === 0) return undefined;
  return {
    next: { ...next, version: claim.version + 1, updatedAt: ctx.at },
    action: 'update',
    changes,
    events: [],
  };
}

/** The event every OEM-visible change writes, with the claim as it now is. */
function changed(
  current: WarrantyClaim,
  next: WarrantyClaim,
  action: NewEvent<'claim.changed'>['data']['action'],
  at: string,
): NewEvent<'claim.changed'> {
  return newEvent('claim.changed', 'claim', next.id, {
    claimId: next.id,
    oemId: next.oemId,
    action,
    from: current.status,
    to: next.status,
    at,
    claim: next,
  });
}

function decision(
  current: WarrantyClaim,
  changedClaim: WarrantyClaim,
  action: ClaimAction,
  event: NewEvent<'claim.changed'>['data']['action'],
  at: string,
): ClaimDecisionResult {
  const next = { ...changedClaim, version: current.version + 1, updatedAt: at };
  return { next, action, changes: diffRecords(current, next), events: [changed(current, next, event, at)] };
}

/**
 * 提交: the pre-check runs on the claim as it is; an error blocks (409 `CLAIM_PRECHECK_FAILED` with the
 * findings), a warning needs a justification with its code (400 on `justifications`). A returned claim
 * is resubmitted with the answer to the OEM's question. Past the OEM's deadline the check itself blocks.
 */
export function decideClaimSubmission(
  claim: WarrantyClaim,
  input: ClaimSubmitInput,
  ctx: { rules: OemClaimRules; others: readonly WarrantyClaim[]; at: string },
): ClaimDecisionResult {
  requireEditable(claim);
  if (claim.status === 'returned' && !input.answer)
    throw new ValidationError([
      { path: 'answer', code: 'ANSWER_REQUIRED', message: 'Answer the OEM’s question before resubmitting.' },
    ]);
  const findings = precheckClaim(claim, ctx.rules, { others: ctx.others, at: ctx.at });
  const errors = findings.filter((f) => f.severity === 'error');
  if (errors.length > 0)
    throw new ConflictError(
      409,
      'CLAIM_PRECHECK_FAILED',
      `The pre-check found ${errors.length} error(s): mend them before submitting.`,
      { findings },
    );
  const unjustified = [
    ...new Set(
      findings
        .filter((f) => f.severity === 'warning' && !claim.justifications.some((j) => j.code === f.code))
        .map((f) => f.code),
    ),
  ];
  if (unjustified.length > 0)
    throw new ValidationError(
      unjustified.map((code) => ({
        path: 'justifications',
        code: 'JUSTIFICATION_REQUIRED',
        message: `Justify the warning ${code} in writing before submitting.`,
      })),
    );
  const resubmitting = claim.status === 'returned';
  const next: WarrantyClaim = {
    ...claim,
    status: moveClaim(claim.status, 'submitted'),
    precheck: { at: ctx.at, findings },
    submissions: claim.submissions + 1,
    submittedAt: ctx.at,
    // A claim sent before the first submission was kept has it from its record (`firstSubmissionOf`).
    firstSubmission: firstSubmissionOf(claim) ?? { at: ctx.at, claimedMinor: claim.claimedMinor },
    ...(resubmitting && input.answer ? { infoAnswer: input.answer } : {}),
  };
  return decision(claim, next, 'submit', resubmitting ? 'resubmitted' : 'submitted', ctx.at);
}

/** 撤回: a draft or returned claim given up; its lines may be claimed again. */
export function decideClaimWithdrawal(
  claim: WarrantyClaim,
  input: ClaimWithdrawInput,
  at: string,
): ClaimDecisionResult {
  const next: WarrantyClaim = {
    ...claim,
    status: moveClaim(claim.status, 'withdrawn'),
    infoAnswer: input.reason,
  };
  return decision(claim, next, 'withdraw', 'withdrawn', at);
}

/** 申诉: a rejection or a partial acceptance contested once, with the store's reasons. */
export function decideClaimAppeal(
  claim: WarrantyClaim,
  input: ClaimAppealInput,
  by: Signature,
): ClaimDecisionResult {
  if (claim.appeal)
    throw new ConflictError(409, 'CLAIM_ALREADY_APPEALED', `Claim ${claim.id} was appealed already.`);
  const next: WarrantyClaim = {
    ...claim,
    status: moveClaim(claim.status, 'appealed'),
    appeal: { text: input.text, at: by.at, by, ...(claim.decision ? { against: claim.decision } : {}) },
  };
  return decision(claim, next, 'appeal', 'appealed', by.at);
}

function partOf(claim: WarrantyClaim, partId: string): ClaimedPart {
  const part = claim.parts.find((p) => p.id === partId);
  if (!part)
    throw new ValidationError([
      {
        path: 'partId',
        code: 'CLAIMED_PART_NOT_FOUND',
        message: `No kept part ${partId} on claim ${claim.id}.`,
      },
    ]);
  return part;
}

function withPart(claim: WarrantyClaim, part: ClaimedPart): WarrantyClaim {
  return { ...claim, parts: claim.parts.map((p) => (p.id === part.id ? part : p)) };
}

function requirePartStatus(
  claim: WarrantyClaim,
  part: ClaimedPart,
  allowed: readonly ClaimedPart['status'][],
): void {
  if (!allowed.includes(part.status))
    throw new ConflictError(
      409,
      'CLAIMED_PART_STATUS',
      `Part ${part.id} of claim ${claim.id} is ${part.status}; this needs it ${allowed.join(' or ')}.`,
      { partId: part.id, status: part.status },
    );
}

/** 旧件回运: the store ships a part the OEM asked back. */
export function decidePartShipment(
  claim: WarrantyClaim,
  partId: string,
  input: PartShipmentInput,
  by: Signature,
): ClaimDecisionResult {
  const part = partOf(claim, partId);
  requirePartStatus(claim, part, ['return_requested']);
  const next = withPart(claim, {
    ...part,
    status: 'shipped',
    shipment: { reference: input.reference, at: by.at, by },
  });
  return decision(claim, next, 'ship_part', 'part_shipped', by.at);
}

// ——— The OEM's moves ——————————————————————————————————————————————————————————————————————————

/** Line decisions of a partial acceptance: every line answered, none paid above what it claims. */
function lineDecisions(claim: WarrantyClaim, lines: readonly OemLineDecision[]): ClaimLine[] {
  const errors = lines.flatMap((l, i) => {
    const line = claim.lines.find((c) => c.id === l.lineId);
    if (!line)
      return [
        {
          path: `lines.${i}.lineId`,
          code: 'CLAIM_LINE_NOT_FOUND',
          message: `No line ${l.lineId} on the claim.`,
        },
      ];
    if (l.approvedMinor > line.claimedMinor)
      return [
        {
          path: `lines.${i}.approvedMinor`,
          code: 'APPROVED_OVER_CLAIMED',
          message: `Line ${l.lineId} claims ${line.claimedMinor}; approve at most that.`,
        },
      ];
    if (l.approvedMinor < line.claimedMinor && l.adjustments.length === 0)
      return [
        {
          path: `lines.${i}.adjustments`,
          code: 'ADJUSTMENT_REASON_REQUIRED',
          message: `Give the reason code for paying line ${l.lineId} less than claimed.`,
        },
      ];
    return [];
  });
  const missing = claim.lines.filter((c) => !lines.some((l) => l.lineId === c.id));
  for (const m of missing)
    errors.push({ path: 'lines', code: 'CLAIM_LINE_UNANSWERED', message: `Decide line ${m.id} too.` });
  if (errors.length > 0) throw new ValidationError(errors);
  return claim.lines.map((c) => {
    const l = lines.find((x) => x.lineId === c.id)!;
    return { ...c, decision: { approvedMinor: l.approvedMinor, adjustments: l.adjustments } };
  });
}

/**
 * What the OEM did, applied to the claim: decide, ask for information, pay, ask a part back, confirm
 * receipt, release it for scrap. `by` is the OEM's reviewer or client as it names itself.
 */
export function decideOemAction(
  claim: WarrantyClaim,
  action: OemClaimAction,
  ctx: { rules: OemClaimRules; at: string; by: string; actionId?: string | undefined },
): ClaimDecisionResult {
  const decided = decideOemMove(claim, action, ctx);
  if (!ctx.actionId) return decided;
  const appliedOemActions = [...(claim.appliedOemActions ?? []), ctx.actionId].slice(-APPLIED_ACTIONS_KEPT);
  const next = { ...decided.next, appliedOemActions };
  return {
    ...decided,
    next,
    events: decided.events.map((e) =>
      e.type === 'claim.changed' ? { ...e, data: { ...e.data, claim: next } } : e,
    ) as ClaimDecisionResult['events'],
  };
}

function decideOemMove(
  claim: WarrantyClaim,
  action: OemClaimAction,
  ctx: { rules: OemClaimRules; at: string; by: string },
): ClaimDecisionResult {
  const { at } = ctx;
  const today = at.slice(0, 10);
  switch (action.kind) {
    case 'decide': {
      const d = action.decision;
      const to = moveClaim(claim.status, d.outcome);
      const lines =
        d.outcome === 'partly_accepted'
          ? lineDecisions(claim, d.lines)
          : claim.lines.map((c) => ({
              ...c,
              decision:
                d.outcome === 'accepted'
                  ? { approvedMinor: c.claimedMinor, adjustments: [] }
                  : {
                      approvedMinor: 0,
                      adjustments: d.reasons.map((reason) => ({ reason, amountMinor: c.claimedMinor })),
                    },
            }));
      const reasons =
        d.outcome === 'rejected'
          ? d.reasons
          : [...new Set(lines.flatMap((l) => l.decision?.adjustments.map((a) => a.reason) ?? []))];
      const approvedMinor = sum(lines.map((l) => l.decision?.approvedMinor ?? 0));
      const next: WarrantyClaim = {
        ...claim,
        status: to,
        lines,
        decision: {
          outcome: d.outcome,
          reasons,
          ...(d.note ? { note: d.note } : {}),
          approvedMinor,
          at,
          by: ctx.by,
        },
      };
      return decision(claim, next, 'oem_decide', 'decided', at);
    }
    case 'request_info': {
      const next: WarrantyClaim = {
        ...claim,
        status: moveClaim(claim.status, 'returned'),
        infoRequest: {
          question: action.request.question,
          at,
          dueBy: addDays(today, ctx.rules.infoAnswerDays),
        },
      };
      return decision(claim, next, 'oem_request_info', 'info_requested', at);
    }
    case 'record_payment': {
      const approved = claim.decision?.approvedMinor ?? 0;
      if (action.payment.amountMinor > approved)
        throw new ValidationError([
          {
            path: 'amountMinor',
            code: 'PAYMENT_OVER_APPROVED',
            message: `The claim was approved for ${approved}; pay at most that.`,
          },
        ]);
      const next: WarrantyClaim = {
        ...claim,
        status: moveClaim(claim.status, 'paid'),
        payment: {
          creditNote: action.payment.creditNote,
          amountMinor: action.payment.amountMinor,
          paidAt: at,
        },
      };
      return decision(claim, next, 'oem_pay', 'paid', at);
    }
    case 'request_part': {
      const part = partOf(claim, action.request.partId);
      requirePartStatus(claim, part, ['held']);
      const next = withPart(claim, {
        ...part,
        status: 'return_requested',
        returnRequest: {
          at,
          dueBy: addDays(today, action.request.withinDays),
          ...(action.request.note ? { note: action.request.note } : {}),
        },
      });
      return decision(claim, next, 'oem_part', 'part_requested', at);
    }
    case 'confirm_part_receipt': {
      const part = partOf(claim, action.part.partId);
      requirePartStatus(claim, part, ['shipped']);
      return decision(
        claim,
        withPart(claim, { ...part, status: 'received', receivedAt: at }),
        'oem_part',
        'part_received',
        at,
      );
    }
    case 'release_part': {
      const part = partOf(claim, action.part.partId);
      requirePartStatus(claim, part, ['held', 'return_requested']);
      return decision(
        claim,
        withPart(claim, { ...part, status: 'released', releasedAt: at }),
        'oem_part',
        'part_released',
        at,
      );
    }
  }
}

// ——— Worklist flags ———————————————————————————————————————————————————————————————————————————

/** Kept parts past their deadline: asked back and not shipped by `dueBy`, or held past retention. */
export function overdueParts(claim: Pick<WarrantyClaim, 'parts'>, today: string): ClaimedPart[] {
  return claim.parts.filter(
    (p) => p.status === 'return_requested' && p.returnRequest !== undefined && p.returnRequest.dueBy < today,
  );
}

/** The earliest day a kept part must move (ship by, or retain until): the worklist's order. */
export function nextPartDeadline(claim: Pick<WarrantyClaim, 'parts' | 'status'>): string | undefined {
  if (claim.status === 'withdrawn') return undefined;
  const days = claim.parts.flatMap((p) =>
    p.status === 'return_requested' && p.returnRequest ? [p.returnRequest.dueBy] : [],
  );
  return days.sort()[0];
}
