import { diffRecords } from '../audit.ts';
import type { Creation, Decision } from '../decision.ts';
import { newEvent } from '../events.ts';
import type { Part } from '../parts/model.ts';
import { ConflictError, ForbiddenError } from '../platform/errors.ts';
import type { Role } from '../platform/tenancy.ts';
import {
  DEFAULT_LOSS_SPLIT,
  type LossCharge,
  LossParty,
  type LossSplit,
  type WriteOff,
  WriteOffApprover,
  type WriteOffFields,
  type WriteOffPolicy,
  type WriteOffPolicyFields,
  type WriteOffPolicyRecord,
  type WriteOffStatus,
} from './model.ts';

/**
 * Splits `totalMinor` fen by shares in basis points so that the parts add up to the total exactly:
 * each share gets its floor, and the fen left over go one each to the largest remainders (ties: the
 * earlier share), so no party is ever charged a fen more than its exact share rounded up.
 */
export function splitMinor(totalMinor: number, sharesBp: readonly number[]): number[] {
  const sum = sharesBp.reduce((n, s) => n + s, 0);
  if (sum === 0) return sharesBp.map(() => 0);
  const exact = sharesBp.map((s) => (totalMinor * s) / sum);
  const amounts = exact.map(Math.floor);
  let left = totalMinor - amounts.reduce((n, a) => n + a, 0);
  const order = exact
    .map((e, i) => ({ i, rest: e - Math.floor(e) }))
    .sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    amounts[i]! += 1;
    left -= 1;
  }
  return amounts;
}

/** Who bears a loss: the liable person all of it, else the split's parties (a zero share is left out). */
export function chargesOf(
  valueMinor: number,
  split: LossSplit,
  causedBy: WriteOff['causedBy'],
): LossCharge[] {
  if (causedBy) return [{ party: 'person', name: causedBy.name, bp: 10_000, amountMinor: valueMinor }];
  const parties = LossParty.options;
  const amounts = splitMinor(
    valueMinor,
    parties.map((p) => split[p]),
  );
  return parties
    .map((party, i) => ({ party, bp: split[party], amountMinor: amounts[i]! }))
    .filter((c) => c.bp > 0);
}

/** What `quantity` units are worth at the moving average, in fen (as the ledger values the movement). */
export function writeOffValue(quantity: number, avgCostMinor: number): number {
  return Math.round(quantity * avgCostMinor);
}

export function decideWriteOffCreation(
  fields: WriteOffFields,
  part: Part,
  context: Creation & { by: { userId: string; name: string }; split: LossSplit; avgCostMinor: number },
): Decision<WriteOff> {
  const next: WriteOff = {
    id: context.id,
    storeId: context.storeId,
    status: 'pending',
    partId: part.id,
    partNumber: part.partNumber,
    name: part.name,
    bin: fields.bin,
    quantity: fields.quantity,
    condition: fields.condition,
    notRecoverable: true,
    reason: fields.reason,
    ...(fields.causedBy ? { causedBy: fields.causedBy } : {}),
    split: fields.split ?? context.split,
    requestedBy: context.by,
    approvals: [],
    valueMinor: writeOffValue(fields.quantity, context.avgCostMinor),
    version: 1,
    createdAt: context.at,
    updatedAt: context.at,
  };
  return { next, changes: [], events: [] };
}

const MOVES: Record<WriteOffStatus, readonly WriteOffStatus[]> = {
  pending: ['posted', 'cancelled'],
  posted: [],
  cancelled: [],
};

function refuseMove(current: WriteOff, to: WriteOffStatus): ConflictError {
  return new ConflictError(
    409,
    'WRITE_OFF_TRANSITION_NOT_ALLOWED',
    `A ${current.status} write-off cannot become ${to}.`,
    { from: current.status, to, allowed: MOVES[current.status] },
  );
}

/** The approvers still to confirm. */
export function missingApprovals(w: WriteOff): WriteOffApprover[] {
  return WriteOffApprover.options.filter((role) => !w.approvals.some((a) => a.role === role));
}

/**
 * A confirmation as `role` by a user who holds it (else 403 `WRITE_OFF_ROLE_NOT_HELD`), while the
 * request is pending; the same role confirming again changes nothing.
 */
export function decideWriteOffApproval(
  current: WriteOff,
  role: WriteOffApprover,
  held: readonly Role[],
  by: { userId: string; name: string },
  at: string,
): Decision<WriteOff> | undefined {
  if (!held.includes(role))
    throw new ForbiddenError(
      `Only a ${role.replace('_', ' ')} can confirm as one.`,
      'WRITE_OFF_ROLE_NOT_HELD',
    );
  if (current.status !== 'pending') throw refuseMove(current, current.status);
  if (current.approvals.some((a) => a.role === role)) return undefined;
  const next: WriteOff = {
    ...current,
    approvals: [...current.approvals, { role, ...by, at }],
    version: current.version + 1,
    updatedAt: at,
  };
  return { next, changes: diffRecords(current, next), events: [] };
}

/**
 * Posting: all three confirmations first (409 `WRITE_OFF_APPROVALS_MISSING` naming the missing roles);
 * the loss at the value the ledger moved it at, split to the fen.
 */
export function decideWriteOffPosting(current: WriteOff, valueMinor: number, at: string): Decision<WriteOff> {
  if (current.status !== 'pending') throw refuseMove(current, 'posted');
  const missing = missingApprovals(current);
  if (missing.length)
    throw new ConflictError(409, 'WRITE_OFF_APPROVALS_MISSING', `Still to confirm: ${missing.join(', ')}.`, {
      missing,
    });
  const next: WriteOff = {
    ...current,
    status: 'posted',
    valueMinor,
    charges: chargesOf(valueMinor, current.split, current.causedBy),
    postedAt: at,
    version: current.version + 1,
    updatedAt: at,
  };
  return {
    next,
    changes: diffRecords(current, next),
    events: [
      newEvent('writeOff.posted', 'writeOff', current.id, {
        writeOffId: current.id,
        partId: current.partId,
        quantity: current.quantity,
        valueMinor,
      }),
    ],
  };
}

export function decideWriteOffCancel(current: WriteOff, reason: string, at: string): Decision<WriteOff> {
  if (current.status !== 'pending') throw refuseMove(current, 'cancelled');
  const next: WriteOff = {
    ...current,
    status: 'cancelled',
    cancelReason: reason,
    version: current.version + 1,
    updatedAt: at,
  };
  return { next, changes: diffRecords(current, next), events: [] };
}

/** The store's policy as read: the stored one, or the seed's split (version 0) before the first save. */
export function writeOffPolicyView(
  stored: WriteOffPolicyRecord | undefined,
  storeId: string,
): WriteOffPolicy {
  if (!stored) return { split: DEFAULT_LOSS_SPLIT, storeId, version: 0 };
  const { id: _id, createdAt: _createdAt, ...view } = stored;
  return view;
}

/**
 * A save of the store's split (PUT). The first one creates the record; a save that changes nothing is
 * no decision (no version spent). Write-offs already requested keep the split they were asked with.
 */
export function decideWriteOffPolicy(
  current: WriteOffPolicyRecord | undefined,
  fields: WriteOffPolicyFields,
  where: Creation & { by: { userId: string; name: string } },
): Decision<WriteOffPolicyRecord> | undefined {
  const { id, storeId, at, by } = where;
  // Audited share by share (`split.store`…): what a keeper charged more wants to see.
  const changes = diffRecords(current?.split, fields.split).map((c) => ({ ...c, field: `split.${c.field}` }));
  if (current && changes.length === 0) return undefined;
  const next: WriteOffPolicyRecord = current
    ? { ...current, split: fields.split, version: current.version + 1, updatedAt: at, updatedBy: by }
    : { split: fields.split, id, storeId, version: 1, createdAt: at, updatedAt: at, updatedBy: by };
  return {
    next,
    changes,
    events: [newEvent('writeOffPolicy.updated', 'writeOffPolicy', id, { storeId, split: fields.split })],
  };
}
