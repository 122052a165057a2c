import { AppError, ConflictError, ForbiddenError, ValidationError } from '../platform/errors.ts';
import type { Actor } from '../platform/tenancy.ts';
import type { Bay, LabourOp } from '../setup/model.ts';
import type { Staff } from '../staff/model.ts';
import type { BoardCard, BoardTechnician, CheckStage, DispatchInput, JobLine, RepairOrder } from './model.ts';
import {
  clockedMinutes,
  decideClockOn,
  decideDispatch,
  flatRateTenths,
  type OpenClocking,
  openEscalation,
  type RepairOrderDecision,
} from './rules.ts';

/**
 * The workshop floor's rules that need more than the RO: who may take a line (派工 by level and skill),
 * who may give which of the three checks (三检), and the board (控工看板) as cards.
 */

/** Levels in order of what they may take; body-and-paint technicians take body and paint work. */
const RANK = { junior: 0, mid: 1, senior: 2 } as const;

/**
 * 派工 matches the work: the person is an active technician of the store, has each operation's skill
 * and at least its level. A mismatch is 409 `TECHNICIAN_NOT_QUALIFIED` naming what is missing.
 */
export function requireTechnicianFit(
  staff: Pick<Staff, 'id' | 'roles' | 'status' | 'level' | 'skills'> | undefined,
  technicianId: string,
  ops: readonly Pick<LabourOp, 'code' | 'skill' | 'level'>[],
): void {
  if (staff?.status !== 'active' || !staff.roles.includes('technician'))
    throw new AppError(
      409,
      'NOT_A_TECHNICIAN',
      `${technicianId} is not an active technician of this store.`,
      {
        technicianId,
      },
    );
  const short = ops.filter((op) => {
    if (!staff.skills.includes(op.skill)) return true;
    if (staff.level === 'body_paint') return op.skill !== 'body' && op.skill !== 'paint';
    return RANK[staff.level ?? 'junior'] < RANK[op.level];
  });
  if (short.length > 0)
    throw new ConflictError(
      409,
      'TECHNICIAN_NOT_QUALIFIED',
      `${technicianId} lacks the skill or level for ${short.map((o) => o.code).join(', ')}.`,
      { technicianId, ops: short.map((o) => ({ code: o.code, skill: o.skill, level: o.level })) },
    );
}

/**
 * 派工 to a bay of the store's set-up (工位) still in use: an id the set-up has not is a 400
 * `BAY_NOT_FOUND` on `bayId`, a bay taken out of use a 400 `BAY_INACTIVE`. No bay named is no check.
 */
export function requireBay(bays: readonly Pick<Bay, 'id' | 'active'>[], bayId: string | undefined): void {
  if (bayId === undefined) return;
  const bay = bays.find((b) => b.id === bayId);
  if (!bay)
    throw new ValidationError([
      { path: 'bayId', code: 'BAY_NOT_FOUND', message: `The store has no bay ${bayId}.` },
    ]);
  if (!bay.active)
    throw new ValidationError([
      { path: 'bayId', code: 'BAY_INACTIVE', message: `Bay ${bayId} is no longer in use.` },
    ]);
}

/** What dispatching a line needs besides the RO: the technician and the line's operations as read, the bays. */
export interface DispatchContext {
  technician: Pick<Staff, 'id' | 'roles' | 'status' | 'level' | 'skills'> | undefined;
  ops: readonly Pick<LabourOp, 'code' | 'skill' | 'level'>[];
  bays: readonly Pick<Bay, 'id' | 'active'>[];
}

/**
 * 派工 as a whole: a bay in use (400 on `bayId`), a technician fit for the line's operations (409),
 * then the line's move (`decideDispatch`).
 */
export function decideLineDispatch(
  ro: RepairOrder,
  lineId: string,
  input: DispatchInput,
  context: DispatchContext,
  at: string,
): RepairOrderDecision | undefined {
  requireBay(context.bays, input.bayId);
  requireTechnicianFit(context.technician, input.technicianId, context.ops);
  return decideDispatch(ro, lineId, input, at);
}

/**
 * 三检 by the right hands: the self-check (自检) by the technician who did the work; the team check
 * (互检) by another technician; the final check (总检) by the workshop manager or technical director.
 * The workshop manager may stand in for the first two. Others are 403 `CHECKER_NOT_ALLOWED`.
 */
export function requireChecker(line: Pick<JobLine, 'technicianId'>, stage: CheckStage, actor: Actor): void {
  const manager = actor.roles.includes('workshop_manager');
  const ok =
    stage === 'final'
      ? manager || actor.roles.includes('technical_director')
      : manager ||
        (actor.roles.includes('technician') &&
          (stage === 'self' ? actor.userId === line.technicianId : actor.userId !== line.technicianId));
  if (!ok) {
    const who = {
      self: 'the technician who did the work',
      team: 'another technician',
      final: 'the workshop manager or technical director',
    }[stage];
    throw new ForbiddenError(`The ${stage} check is given by ${who}.`, 'CHECKER_NOT_ALLOWED');
  }
}

/**
 * 开工 by the caller: a technician clocks on the lines given to them (409 `LINE_NOT_YOURS` naming the
 * line's technician); the workshop manager may clock any. Then the clocking rules of `decideClockOn`.
 */
export function decideClockOnAs(
  ro: RepairOrder,
  lineId: string,
  actor: Pick<Actor, 'userId' | 'roles'>,
  store: { concurrentClockingAllowed: boolean; openElsewhere: readonly OpenClocking[] },
  at: string,
): RepairOrderDecision {
  const line = ro.lines.find((l) => l.id === lineId);
  if (line?.technicianId && line.technicianId !== actor.userId && !actor.roles.includes('workshop_manager'))
    throw new ConflictError(409, 'LINE_NOT_YOURS', `Line ${lineId} is given to another technician.`, {
      lineId,
      technicianId: line.technicianId,
    });
  return decideClockOn(ro, lineId, actor.userId, store, at);
}

/** A line still on the floor: given to a technician and not through its checks. */
const QUEUED = new Set<JobLine['status']>(['dispatched', 'paused', 'rework']);

/**
 * One open RO as its board card at `now`, its advisor named from `names` (staff id → name, the staff
 * the board reads anyway).
 */
export function boardCard(
  ro: RepairOrder,
  now: string,
  names: ReadonlyMap<string, string> = new Map(),
): BoardCard {
  const late = Math.floor((Date.parse(now) - Date.parse(ro.promisedAt)) / 60_000);
  const advisorName = names.get(ro.advisorId);
  return {
    repairOrderId: ro.id,
    status: ro.status,
    ...(ro.plate ? { plate: ro.plate } : {}),
    ...(ro.customerName ? { customerName: ro.customerName } : {}),
    advisorId: ro.advisorId,
    ...(advisorName ? { advisorName } : {}),
    promisedAt: ro.promisedAt,
    lateMinutes: Math.max(0, late),
    version: ro.version,
    lines: ro.lines
      .filter((l) => l.status !== 'declined')
      .map((l) => {
        const open = l.clockings.find((c) => !c.endedAt);
        const last = l.clockings.at(-1);
        const escalated = openEscalation(l);
        return {
          lineId: l.id,
          status: l.status,
          complaint: l.complaint,
          ...(l.technicianId ? { technicianId: l.technicianId } : {}),
          ...(l.bayId ? { bayId: l.bayId } : {}),
          flatRateTenths: flatRateTenths(l),
          clockedMinutes: clockedMinutes(l, now),
          ...(open ? { clockedOnSince: open.startedAt } : {}),
          ...(l.status === 'paused' && last?.pauseReason ? { pauseReason: last.pauseReason } : {}),
          ...(escalated ? { escalatedAt: escalated.by.at } : {}),
        };
      }),
  };
}

/** Each technician with what they are clocked on now and how many lines wait for them. */
export function boardTechnicians(
  technicians: readonly Pick<Staff, 'id' | 'displayName'>[],
  ros: readonly RepairOrder[],
): BoardTechnician[] {
  return technicians.map((t) => {
    const on: BoardTechnician['on'] = [];
    let queued = 0;
    for (const ro of ros)
      for (const line of ro.lines) {
        const open = line.clockings.find((c) => c.technicianId === t.id && !c.endedAt);
        if (open) on.push({ repairOrderId: ro.id, lineId: line.id, since: open.startedAt });
        else if (line.technicianId === t.id && QUEUED.has(line.status)) queued++;
      }
    return { technicianId: t.id, name: t.displayName, on, queued };
  });
}
