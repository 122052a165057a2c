import { newEvent } from '../events.ts';
import { ConflictError } from '../platform/errors.ts';
import type { Signature } from '../purchasing/model.ts';
import type { EscalationNoteInput, JobLine, JobLineStatus, RepairOrder } from './model.ts';
import {
  decided,
  lineOf,
  openEscalation,
  type RepairOrderDecision,
  requireOpen,
  withLines,
} from './rules.ts';

/**
 * 会诊: a hard fault put to the technical director with a note, answered with notes. While the
 * question is open the line waits for diagnosis: work on it stops (paused, `waiting_diagnosis`) and
 * nobody clocks on it (`LINE_ESCALATED`); the answer returns it to work.
 */

/** Lines a fault can be met on: diagnosed and priced, waiting for the customer, or on the floor. */
export const ESCALATABLE: ReadonlySet<JobLineStatus> = new Set([
  'proposed',
  'awaiting_approval',
  'approved',
  'dispatched',
  'in_progress',
  'paused',
  'rework',
]);

/** The pause note keeps the start of the question: the clocking's note is shorter than the question. */
const PAUSE_NOTE_LENGTH = 200;

/** The line of an order still taking changes. */
function openLine(ro: RepairOrder, lineId: string): JobLine {
  requireOpen(ro);
  return lineOf(ro, lineId);
}

/**
 * Escalate a line: 409 `ESCALATION_NOT_ALLOWED` on a declined line or one done or in its checks, 409
 * `ESCALATION_ALREADY_OPEN` while an earlier question waits. A line being worked is paused for
 * diagnosis: every open clocking on it stops now with that reason.
 */
export function decideEscalation(
  ro: RepairOrder,
  lineId: string,
  input: EscalationNoteInput,
  by: Signature,
): RepairOrderDecision {
  const line = openLine(ro, lineId);
  if (!ESCALATABLE.has(line.status))
    throw new ConflictError(
      409,
      'ESCALATION_NOT_ALLOWED',
      `Line ${lineId} is ${line.status}: only work not yet done is put to the technical director.`,
      { lineId, status: line.status },
    );
  const open = openEscalation(line);
  if (open)
    throw new ConflictError(
      409,
      'ESCALATION_ALREADY_OPEN',
      `Line ${lineId} already waits for the technical director's answer.`,
      { lineId, escalatedAt: open.by.at },
    );
  const escalations = [...(line.escalations ?? []), { note: input.note, by }];
  const update: Partial<JobLine> =
    line.status === 'in_progress'
      ? {
          escalations,
          status: 'paused',
          clockings: line.clockings.map((c) =>
            c.endedAt
              ? c
              : {
                  ...c,
                  endedAt: by.at,
                  pauseReason: 'waiting_diagnosis' as const,
                  pauseNote: input.note.slice(0, PAUSE_NOTE_LENGTH),
                },
          ),
        }
      : { escalations };
  const { lines, events } = withLines(ro, new Map([[lineId, update]]), by.at);
  const escalated = newEvent('repairOrder.lineEscalated', 'repairOrder', ro.id, {
    repairOrderId: ro.id,
    lineId,
    at: by.at,
  });
  return decided(ro, { ...ro, lines }, 'escalate', [escalated, ...events], by.at);
}

/**
 * The technical director's answer to the open question: it closes it and the line returns to work (a
 * paused line is clocked on again). No open question is 409 `NO_OPEN_ESCALATION`.
 */
export function decideEscalationAnswer(
  ro: RepairOrder,
  lineId: string,
  input: EscalationNoteInput,
  by: Signature,
): RepairOrderDecision {
  const line = openLine(ro, lineId);
  if (!openEscalation(line))
    throw new ConflictError(
      409,
      'NO_OPEN_ESCALATION',
      `Line ${lineId} has no question waiting for the technical director.`,
      { lineId },
    );
  const escalations = (line.escalations ?? []).map((e, i, all) =>
    i === all.length - 1 ? { ...e, answer: { note: input.note, by } } : e,
  );
  const { lines } = withLines(ro, new Map([[lineId, { escalations }]]), by.at);
  const answered = newEvent('repairOrder.escalationAnswered', 'repairOrder', ro.id, {
    repairOrderId: ro.id,
    lineId,
    at: by.at,
  });
  return decided(ro, { ...ro, lines }, 'answer_escalation', [answered], by.at);
}
