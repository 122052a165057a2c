import { diffRecords } from '../audit.ts';
import { type Creation, type Decision, editDecision } from '../decision.ts';
import { type NewEvent, newEvent } from '../events.ts';
import { requireLemonLawDaysWithinVisit } from '../lemon-law/visits.ts';
import { ConflictError, ValidationError } from '../platform/errors.ts';
import { taxOnMinor } from '../platform/money.ts';
import type { Signature } from '../purchasing/model.ts';
import { checkOdometerReading, type OdometerContext } from '../registry/odometer.ts';
import { type LabourRates, Payer } from '../setup/model.ts';
import { type DeclinedWork, requireDeclinedOnOffer } from './declined-work.ts';
import type {
  CheckInFields,
  CheckStage,
  ClockOffInput,
  DeliveryInput,
  DispatchInput,
  Escalation,
  JobLine,
  LineTotals,
  LineWork,
  PartIssue,
  PayerTotals,
  QualityCheckInput,
  Quote,
  QuoteApprovalInput,
  RepairOrder,
  RepairOrderPatch,
  RepairOrderSettlementFields,
  RepairOrderStatus,
  RepairOrderTransitionInput,
  Settlement,
  TechnicianLabour,
} from './model.ts';
import { COMEBACK_DAYS, JobLineStatus } from './model.ts';

const DAY_MS = 86_400_000;

// ——— The state machines (工单状态 · 项目状态) ——————————————————————————————————————————————————

/**
 * Where a repair order may go. Staff move it by hand only to diagnosis, cancellation (before any work
 * starts), settlement and delivery; every other move follows from its lines (`statusFromLines`).
 * `ready → in_progress` and `quality_check → in_progress` are add-on work or a failed check.
 */
export const RO_MOVES: Readonly<Record<RepairOrderStatus, readonly RepairOrderStatus[]>> = {
  checked_in: ['diagnosing', 'quoted', 'cancelled'],
  diagnosing: ['quoted', 'cancelled'],
  quoted: ['approved', 'cancelled'],
  approved: ['in_progress', 'quoted', 'cancelled'],
  in_progress: ['quality_check', 'ready'],
  quality_check: ['in_progress', 'ready'],
  ready: ['in_progress', 'settled'],
  settled: ['delivered'],
  delivered: [],
  cancelled: [],
};

/**
 * Where a job line may go. Nothing is dispatched or clocked before the customer approves it (增修 stays
 * blocked until then); a change to quoted or approved work sends it back to `proposed`, to be quoted
 * again as a new version; each of the three checks passes it on or sends it to rework.
 */
export const JOB_LINE_MOVES: Readonly<Record<JobLineStatus, readonly JobLineStatus[]>> = {
  proposed: ['awaiting_approval'],
  awaiting_approval: ['approved', 'declined', 'proposed'],
  approved: ['dispatched', 'proposed'],
  declined: ['proposed'],
  dispatched: ['in_progress'],
  in_progress: ['paused', 'done'],
  paused: ['in_progress'],
  done: ['self_checked', 'rework'],
  self_checked: ['team_checked', 'rework'],
  team_checked: ['checked', 'rework'],
  checked: [],
  rework: ['in_progress'],
};

/** A repair order's move, or 409 `REPAIR_ORDER_TRANSITION_NOT_ALLOWED` with the moves it has. */
export function moveRepairOrder(from: RepairOrderStatus, to: RepairOrderStatus): RepairOrderStatus {
  if (!RO_MOVES[from].includes(to))
    throw new ConflictError(
      409,
      'REPAIR_ORDER_TRANSITION_NOT_ALLOWED',
      `A ${from} repair order cannot become ${to}.`,
      { from, to, allowed: RO_MOVES[from] },
    );
  return to;
}

/** A job line's move, or 409 `JOB_LINE_TRANSITION_NOT_ALLOWED` naming the line and its moves. */
export function moveJobLine(line: Pick<JobLine, 'id' | 'status'>, to: JobLineStatus): JobLineStatus {
  if (!JOB_LINE_MOVES[line.status].includes(to))
    throw new ConflictError(
      409,
      'JOB_LINE_TRANSITION_NOT_ALLOWED',
      `Job line ${line.id} is ${line.status}: it cannot become ${to}.`,
      { lineId: line.id, from: line.status, to, allowed: JOB_LINE_MOVES[line.status] },
    );
  return to;
}

/** Lines the workshop has not taken on yet: the customer's word is still what moves them. */
const NOT_STARTED: readonly JobLineStatus[] = ['proposed', 'awaiting_approval', 'approved', 'declined'];
/** Lines the workshop has taken on: once one is, the RO is in the workshop for good. */
const STARTED: ReadonlySet<JobLineStatus> = new Set(
  JobLineStatus.options.filter((s) => !NOT_STARTED.includes(s)),
);
/** Lines through the work and somewhere in the three checks. */
const IN_CHECKS: ReadonlySet<JobLineStatus> = new Set(['done', 'self_checked', 'team_checked']);
/** States whose lines the RO's derived status follows (before settlement, not cancelled). */
const DERIVED: ReadonlySet<RepairOrderStatus> = new Set([
  'checked_in',
  'diagnosing',
  'quoted',
  'approved',
  'in_progress',
  'quality_check',
  'ready',
]);

/**
 * The RO's status as its lines make it, the truth the board and settlement go by: ready only when every
 * line not declined passed its final check (总检); in the checks while any is there and none is still
 * worked on or waiting for the customer; otherwise in progress once work started. Before that: approved
 * when the customer approved some work, quoted while a quote waits (or after a change to approved work).
 */
export function statusFromLines(ro: Pick<RepairOrder, 'status' | 'lines' | 'quotes'>): RepairOrderStatus {
  if (!DERIVED.has(ro.status)) return ro.status;
  const work = ro.lines.filter((l) => l.status !== 'declined');
  if (work.some((l) => STARTED.has(l.status))) {
    if (work.some((l) => !IN_CHECKS.has(l.status) && l.status !== 'checked')) return 'in_progress';
    return work.some((l) => IN_CHECKS.has(l.status)) ? 'quality_check' : 'ready';
  }
  if (work.some((l) => l.status === 'approved')) return 'approved';
  if (ro.quotes.length === 0) return ro.status;
  return 'quoted';
}

// ——— Money (报价 · 结算) ——————————————————————————————————————————————————————————————————

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

/**
 * A line's money in fen: each labour op at its tenths × rate rounded once, parts at quantity × unit
 * price, consumables as charged; the discount rounded once on the subtotal, so `net` is exact.
 */
export function lineTotals(
  work: Pick<LineWork, 'labour' | 'parts' | 'consumables' | 'discountBp'>,
): LineTotals {
  const labour = sum(work.labour.map((l) => Math.round((l.tenths * l.rate.amountMinor) / 10)));
  const parts = sum(work.parts.map((p) => p.quantity * p.unitPrice.amountMinor));
  const consumables = sum(work.consumables.map((c) => c.amount.amountMinor));
  const subtotal = labour + parts + consumables;
  const discount = Math.round((subtotal * work.discountBp) / 10_000);
  return { labour, parts, consumables, subtotal, discount, net: subtotal - discount };
}

/**
 * Totals per payer: the net of its lines, VAT on that net rounded once per payer (as its invoice is
 * one), and the total. The payers' totals add up to the RO's total exactly, whatever the rounding.
 */
export function totalsByPayer(
  lines: readonly Pick<JobLine, 'payer' | 'labour' | 'parts' | 'consumables' | 'discountBp'>[],
  taxRateBp: number,
): PayerTotals[] {
  return Payer.options.flatMap((payer) => {
    const mine = lines.filter((l) => l.payer === payer);
    if (mine.length === 0) return [];
    const net = sum(mine.map((l) => lineTotals(l).net));
    const tax = taxOnMinor(net, taxRateBp);
    return [{ payer, net, tax, total: net + tax }];
  });
}

/** The labour ops of a work, each at the payer's rate: the rate follows the payer, never typed. */
function pricedWork(work: LineWork, rates: LabourRates): LineWork {
  return { ...work, labour: work.labour.map((l) => ({ ...l, rate: rates[work.payer] })) };
}

// ——— Decisions ————————————————————————————————————————————————————————————————————————————

/** The audit action each decision records (declared on the capability's aggregate). */
export type RepairOrderAction =
  | 'check_in'
  | 'diagnose'
  | 'update'
  | 'add_line'
  | 'add_on'
  | 'quote'
  | 'approve'
  | 'dispatch'
  | 'clock'
  | 'check'
  | 'settle'
  | 'deliver'
  | 'cancel'
  | 'issue_parts'
  | 'escalate'
  | 'answer_escalation';
export type RepairOrderDecision = Decision<RepairOrder> & { action: RepairOrderAction };

/** Orders that still take changes: not settled, delivered or cancelled. */
export function requireOpen(ro: RepairOrder): void {
  if (ro.status === 'settled' || ro.status === 'delivered' || ro.status === 'cancelled')
    throw new ConflictError(
      409,
      'REPAIR_ORDER_CLOSED',
      `Repair order ${ro.id} is ${ro.status}: its work no longer changes.`,
      { status: ro.status },
    );
}

export function lineOf(ro: RepairOrder, lineId: string): JobLine {
  const line = ro.lines.find((l) => l.id === lineId);
  if (!line)
    throw new ConflictError(409, 'JOB_LINE_NOT_ON_ORDER', `Repair order ${ro.id} has no line ${lineId}.`, {
      lineId,
    });
  return line;
}

function lineEvent(ro: RepairOrder, line: JobLine, to: JobLineStatus, at: string): NewEvent {
  return newEvent('repairOrder.lineStatusChanged', 'repairOrder', ro.id, {
    repairOrderId: ro.id,
    lineId: line.id,
    from: line.status,
    to,
    at,
  });
}

/** Lines replaced by id, each moved through the line table, with an event per move. */
export function withLines(
  ro: RepairOrder,
  updates: ReadonlyMap<string, Partial<JobLine>>,
  at: string,
): { lines: JobLine[]; events: NewEvent[] } {
  const events: NewEvent[] = [];
  const lines = ro.lines.map((line) => {
    const update = updates.get(line.id);
    if (!update) return line;
    if (update.status && update.status !== line.status) {
      moveJobLine(line, update.status);
      events.push(lineEvent(ro, line, update.status, at));
    }
    return { ...line, ...update };
  });
  return { lines, events };
}

function statusEvent(ro: RepairOrder, to: RepairOrderStatus, at: string): NewEvent {
  return newEvent('repairOrder.statusChanged', 'repairOrder', ro.id, {
    repairOrderId: ro.id,
    from: ro.status,
    to,
    at,
  });
}

/** A move staff make (diagnosis, cancellation, settlement, delivery), through the RO table. */
function movedByHand(
  ro: RepairOrder,
  to: RepairOrderStatus,
  fields: Partial<RepairOrder>,
  action: RepairOrderAction,
  events: NewEvent[],
  at: string,
): RepairOrderDecision {
  const status = moveRepairOrder(ro.status, to);
  const next: RepairOrder = { ...ro, ...fields, status, version: ro.version + 1, updatedAt: at };
  return { next, action, changes: diffRecords(ro, next), events: [statusEvent(ro, status, at), ...events] };
}

/**
 * The decision from a changed RO: its status follows its lines (through the RO table), the version and
 * time move on, and the field changes are what the audit log records.
 */
export function decided(
  current: RepairOrder,
  changed: RepairOrder,
  action: RepairOrderAction,
  events: NewEvent[],
  at: string,
): RepairOrderDecision {
  const derived = statusFromLines(changed);
  const status = derived === changed.status ? derived : moveRepairOrder(changed.status, derived);
  const next: RepairOrder = { ...changed, status, version: current.version + 1, updatedAt: at };
  const moved = status === current.status ? [] : [statusEvent(current, status, at)];
  return { next, action, changes: diffRecords(current, next), events: [...events, ...moved] };
}

/** What reception knows besides the form: the vehicle's odometer history and who takes the car in. */
export interface CheckInContext {
  odometer: OdometerContext;
  advisorId: string;
  plate?: string | undefined;
  customerName?: string | undefined;
  /** The vehicle's latest RO before this one (its delivery makes this one a comeback within 30 days). */
  previous?: Pick<RepairOrder, 'id' | 'deliveredAt'> | undefined;
  /** 未修项目 on offer for the vehicle: what a concern's `declinedFrom` may name. */
  declined?: readonly DeclinedWork[] | undefined;
}

/**
 * 返修: the vehicle's previous RO when it was delivered within {@link COMEBACK_DAYS} before `at`; a car
 * back after that, or while its last RO is still open, is not a comeback.
 */
export function comebackOf(
  previous: Pick<RepairOrder, 'id' | 'deliveredAt'> | undefined,
  at: string,
): string | undefined {
  if (!previous?.deliveredAt) return undefined;
  const since = Date.parse(at) - Date.parse(previous.deliveredAt);
  return since >= 0 && since <= COMEBACK_DAYS * DAY_MS ? previous.id : undefined;
}

/**
 * 接车: a new RO from a booking or a walk-in. The odometer follows the registry's reading rules (never
 * lower than a reading before it); the promised time lies ahead; every concern becomes a proposed line
 * in the customer's own words (问诊), to be diagnosed and priced. Insurance work names its insurer and
 * claim (事故车). A booking's own move to `checked_in` is the appointments' decision.
 */
export function decideCheckIn(
  input: CheckInFields,
  context: CheckInContext,
  where: Creation,
): RepairOrderDecision {
  const { id, storeId, at } = where;
  const odometer = checkOdometerReading({ km: input.odometerKm, readAt: at }, context.odometer);
  if (!odometer.ok) throw odometer.error;
  requireAhead(input.promisedAt, at);
  if (!input.accident && input.concerns.some((c) => c.payer === 'insurance'))
    throw new ValidationError([
      {
        path: 'accident',
        code: 'ACCIDENT_DETAILS_REQUIRED',
        message: 'Insurance work names the insurer and the claim number.',
      },
    ]);
  requireDeclinedOnOffer(input.concerns, context.declined ?? []);
  const concerns = input.concerns.map((c, i) => ({
    id: `C${i + 1}`,
    words: c.words,
    ...(c.declinedFrom ? { declinedFrom: c.declinedFrom } : {}),
  }));
  const comeback = comebackOf(context.previous, at);
  const lines: JobLine[] = input.concerns.map((c, i) => ({
    id: `L${i + 1}`,
    concernId: `C${i + 1}`,
    origin: 'reception',
    status: 'proposed',
    complaint: c.words,
    payer: c.payer,
    labour: [],
    parts: [],
    consumables: [],
    discountBp: 0,
    clockings: [],
    checks: [],
    reworkCount: 0,
    partIssues: [],
  }));
  const next: RepairOrder = {
    id,
    storeId,
    status: 'checked_in',
    source: input.source,
    vehicleId: input.vehicleId,
    customerId: input.customerId,
    advisorId: context.advisorId,
    ...(context.plate ? { plate: context.plate } : {}),
    ...(context.customerName ? { customerName: context.customerName } : {}),
    odometerKm: input.odometerKm,
    fuelLevel: input.fuelLevel,
    promisedAt: input.promisedAt,
    concerns,
    ...(input.accident ? { accident: input.accident } : {}),
    ...(comeback ? { comebackOf: comeback } : {}),
    lines,
    quotes: [],
    approvals: [],
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  return {
    next,
    action: 'check_in',
    changes: diffRecords(undefined, next),
    events: [
      newEvent('repairOrder.opened', 'repairOrder', id, {
        repairOrderId: id,
        vehicleId: input.vehicleId,
        customerId: input.customerId,
        source: input.source.kind,
        at,
        ...(comeback ? { comebackOf: comeback } : {}),
      }),
    ],
  };
}

/** A promised time, which lies ahead of `at` (400 `PROMISED_IN_PAST` on `promisedAt`). */
function requireAhead(promisedAt: string, at: string): void {
  if (Date.parse(promisedAt) <= Date.parse(at))
    throw new ValidationError([
      { path: 'promisedAt', code: 'PROMISED_IN_PAST', message: 'Promise a time after now.' },
    ]);
}

/**
 * The header edited while the order is open: a new promised time (ahead of now, unless it is the one
 * already promised), concerns re-worded by id (an id the order has not is a 400 `CONCERN_NOT_ON_ORDER`;
 * concerns not sent keep their words). The lines keep their complaints: they are the diagnosis's.
 */
export function decideRepairOrderEdit(
  ro: RepairOrder,
  patch: RepairOrderPatch,
  at: string,
): RepairOrderDecision | undefined {
  requireOpen(ro);
  if (patch.promisedAt !== undefined && patch.promisedAt !== ro.promisedAt)
    requireAhead(patch.promisedAt, at);
  const unknown = (patch.concerns ?? []).flatMap((c, i) =>
    ro.concerns.some((held) => held.id === c.id)
      ? []
      : [
          {
            path: `concerns.${i}.id`,
            code: 'CONCERN_NOT_ON_ORDER',
            message: `The order has no concern ${c.id}.`,
          },
        ],
  );
  if (unknown.length > 0) throw new ValidationError(unknown);
  const reworded = new Map((patch.concerns ?? []).map((c) => [c.id, c.words]));
  const next: RepairOrder = {
    ...ro,
    ...(patch.promisedAt !== undefined ? { promisedAt: patch.promisedAt } : {}),
    concerns: ro.concerns.map((c) => ({ ...c, words: reworded.get(c.id) ?? c.words })),
    version: ro.version + 1,
    updatedAt: at,
  };
  const decision = editDecision(ro, next, (fields) =>
    newEvent('repairOrder.updated', 'repairOrder', ro.id, { repairOrderId: ro.id, fields }),
  );
  return decision && { ...decision, action: 'update' };
}

/** Moves staff make by hand: start diagnosis (诊断), or cancel before any work starts (with the reason). */
export function decideRepairOrderTransition(
  ro: RepairOrder,
  input: RepairOrderTransitionInput,
  at: string,
): RepairOrderDecision | undefined {
  if (ro.status === input.to) return undefined;
  const cancelled = input.to === 'cancelled';
  return movedByHand(
    ro,
    input.to,
    cancelled && input.reason ? { cancelReason: input.reason } : {},
    cancelled ? 'cancel' : 'diagnose',
    [],
    at,
  );
}

/** The next line id of an RO: lines are numbered in the order written and never renumbered (prints cite them). */
export function nextLineId(ro: Pick<RepairOrder, 'lines'>): string {
  return `L${ro.lines.length + 1}`;
}

/** Statuses in which the workshop has the car: a line added then is add-on work (增修). */
const IN_WORKSHOP: ReadonlySet<RepairOrderStatus> = new Set(['in_progress', 'quality_check', 'ready']);

/**
 * A line of work added to the RO. Once the workshop has started, it is add-on work (增修) reported by
 * the technician: it is written `proposed` and waits, blocked, for the advisor to quote it and the
 * customer to approve it; the RO is back in progress until it is decided.
 */
export function decideLineAddition(
  ro: RepairOrder,
  work: LineWork,
  rates: LabourRates,
  by: Signature,
): RepairOrderDecision {
  requireOpen(ro);
  const addOn = IN_WORKSHOP.has(ro.status);
  const line: JobLine = {
    id: nextLineId(ro),
    origin: addOn ? 'add_on' : 'reception',
    status: 'proposed',
    ...pricedWork(work, rates),
    ...(addOn ? { reportedBy: by } : {}),
    clockings: [],
    checks: [],
    reworkCount: 0,
    partIssues: [],
  };
  return decided(ro, { ...ro, lines: [...ro.lines, line] }, addOn ? 'add_on' : 'add_line', [], by.at);
}

/**
 * 增修 reported by a technician: only while the workshop has the car (in progress, in the checks or
 * ready; else 409 `ADD_ON_OUTSIDE_WORKSHOP` with the order's status), then a line like any other.
 */
export function decideAddOn(
  ro: RepairOrder,
  work: LineWork,
  rates: LabourRates,
  by: Signature,
): RepairOrderDecision {
  if (!IN_WORKSHOP.has(ro.status))
    throw new ConflictError(
      409,
      'ADD_ON_OUTSIDE_WORKSHOP',
      `Repair order ${ro.id} is ${ro.status}: add-on work is reported while the workshop has the car.`,
      { status: ro.status },
    );
  return decideLineAddition(ro, work, rates, by);
}

/**
 * The diagnosis and price of a line (3C, labour, parts, consumables, payer, discount). Work already
 * quoted or approved goes back to `proposed`: the change reaches the customer only as a new quote
 * version. Work the workshop has started no longer changes here (409 from the line table).
 */
export function decideLineWork(
  ro: RepairOrder,
  lineId: string,
  work: LineWork,
  rates: LabourRates,
  at: string,
): RepairOrderDecision | undefined {
  requireOpen(ro);
  const line = lineOf(ro, lineId);
  const priced = pricedWork(work, rates);
  const same = (Object.keys(priced) as (keyof LineWork)[]).every(
    (k) => JSON.stringify(priced[k]) === JSON.stringify(line[k]),
  );
  if (same) return undefined;
  const { lines, events } = withLines(
    ro,
    new Map([[lineId, { ...priced, status: 'proposed' as const }]]),
    at,
  );
  return decided(ro, { ...ro, lines }, 'update', events, at);
}

/**
 * 报价: a new quote version of every line not declined, putting the proposed ones to the customer. A
 * quote is never edited: a change after it (or after approval) is the next version. Nothing proposed is
 * 409 `NOTHING_TO_QUOTE`. The tax rate is the store's (setup `taxRateBp`) at the time of quoting.
 */
export function decideQuote(ro: RepairOrder, taxRateBp: number, by: Signature): RepairOrderDecision {
  requireOpen(ro);
  const offered = ro.lines.filter((l) => l.status === 'proposed');
  if (offered.length === 0)
    throw new ConflictError(409, 'NOTHING_TO_QUOTE', 'No line waits to be quoted: add or change work first.');
  const work = ro.lines.filter((l) => l.status !== 'declined');
  const byPayer = totalsByPayer(work, taxRateBp);
  const quote: Quote = {
    version: (ro.quotes.at(-1)?.version ?? 0) + 1,
    lines: work.map((l) => ({
      lineId: l.id,
      payer: l.payer,
      totals: lineTotals(l),
      offered: l.status === 'proposed',
    })),
    byPayer,
    taxRateBp,
    total: sum(byPayer.map((p) => p.total)),
    currency: 'CNY',
    issuedBy: by,
  };
  const { lines, events } = withLines(
    ro,
    new Map(offered.map((l) => [l.id, { status: 'awaiting_approval' as const }])),
    by.at,
  );
  const quoted = newEvent('repairOrder.quoted', 'repairOrder', ro.id, {
    repairOrderId: ro.id,
    quoteVersion: quote.version,
    total: quote.total,
  });
  return decided(ro, { ...ro, lines, quotes: [...ro.quotes, quote] }, 'quote', [quoted, ...events], by.at);
}

/**
 * 客户确认: the customer's word on the current quote version, line by line. An older version is 409
 * `QUOTE_VERSION_OUTDATED` (the customer saw other prices); a line not put to them in it is 409
 * `LINE_NOT_OFFERED`; a line already decided (two advisors at once) is the line table's 409. Approved
 * add-on work re-sets the promised time, so it must come with one.
 */
export function decideApproval(
  ro: RepairOrder,
  input: QuoteApprovalInput,
  recordedBy: Signature,
): RepairOrderDecision {
  requireOpen(ro);
  const at = recordedBy.at;
  const current = ro.quotes.at(-1);
  if (!current || current.version !== input.quoteVersion)
    throw new ConflictError(
      409,
      'QUOTE_VERSION_OUTDATED',
      `Quote version ${input.quoteVersion} is not the current one: show the customer version ${current?.version ?? '—'}.`,
      { quoteVersion: input.quoteVersion, currentVersion: current?.version ?? null },
    );
  const offered = new Set(current.lines.filter((l) => l.offered).map((l) => l.lineId));
  const notOffered = input.decisions.filter((d) => !offered.has(d.lineId)).map((d) => d.lineId);
  if (notOffered.length > 0)
    throw new ConflictError(
      409,
      'LINE_NOT_OFFERED',
      `Quote version ${current.version} does not offer these lines.`,
      {
        lineIds: notOffered,
      },
    );
  // Each line is decided once: a second approval of the same version (two advisors at once) is refused.
  for (const d of input.decisions) moveJobLine(lineOf(ro, d.lineId), d.approved ? 'approved' : 'declined');
  const approved = input.decisions.filter((d) => d.approved).map((d) => d.lineId);
  const declined = input.decisions.filter((d) => !d.approved).map((d) => d.lineId);
  const approvesAddOn = approved.some((id) => lineOf(ro, id).origin === 'add_on');
  if (approvesAddOn && !input.promisedAt)
    throw new ValidationError([
      {
        path: 'promisedAt',
        code: 'PROMISED_TIME_REQUIRED',
        message: 'Approved add-on work needs a new promised time.',
      },
    ]);
  const updates = new Map<string, Partial<JobLine>>([
    ...approved.map((id) => [id, { status: 'approved' as const }] as const),
    ...declined.map((id) => [id, { status: 'declined' as const }] as const),
  ]);
  const { lines, events } = withLines(ro, updates, at);
  const approval = {
    quoteVersion: current.version,
    method: input.method,
    approverName: input.approverName,
    from: input.from,
    ...(input.signatureRef ? { signatureRef: input.signatureRef } : {}),
    approvedLineIds: approved,
    declinedLineIds: declined,
    recordedBy,
    at,
  };
  const recorded = newEvent('repairOrder.approvalRecorded', 'repairOrder', ro.id, {
    repairOrderId: ro.id,
    quoteVersion: current.version,
    method: input.method,
    approved,
    declined,
  });
  const changed: RepairOrder = {
    ...ro,
    lines,
    approvals: [...ro.approvals, approval],
    ...(input.promisedAt ? { promisedAt: input.promisedAt } : {}),
  };
  return decided(ro, changed, 'approve', [recorded, ...events], at);
}

/** 派工: an approved line to a technician and bay; a dispatched one not yet started may be given to another. */
export function decideDispatch(
  ro: RepairOrder,
  lineId: string,
  input: DispatchInput,
  at: string,
): RepairOrderDecision | undefined {
  requireOpen(ro);
  const line = lineOf(ro, lineId);
  if (line.technicianId === input.technicianId && line.bayId === input.bayId) return undefined;
  // A dispatched line not yet started changes hands without a move; any other must be approved.
  const update: Partial<JobLine> = {
    technicianId: input.technicianId,
    ...(input.bayId ? { bayId: input.bayId } : {}),
    status: 'dispatched',
  };
  const { lines, events } = withLines(ro, new Map([[lineId, update]]), at);
  return decided(ro, { ...ro, lines }, 'dispatch', events, at);
}

/** Lines whose parts the counter may issue or take back: approved, and not yet through its checks. */
const ISSUABLE: ReadonlySet<JobLineStatus> = new Set([
  'approved',
  'dispatched',
  'in_progress',
  'paused',
  'rework',
]);

/**
 * 领料 / 退料 against a line: a part the line names, issued up to the quantity approved (409
 * `PART_ISSUE_EXCEEDS_LINE`) or returned up to what was issued (409 `PART_RETURN_EXCEEDS_ISSUED`),
 * only while the line is approved and not through its checks (409 `PARTS_NOT_ISSUABLE`). The stock
 * side is the ledger's movement, written in the same transaction.
 */
export function decidePartIssue(
  ro: RepairOrder,
  lineId: string,
  issue: Omit<PartIssue, 'by'>,
  by: Signature,
): RepairOrderDecision {
  requireOpen(ro);
  const line = lineOf(ro, lineId);
  if (!ISSUABLE.has(line.status))
    throw new ConflictError(
      409,
      'PARTS_NOT_ISSUABLE',
      `Line ${lineId} is ${line.status}: parts are issued to approved work not yet through its checks.`,
      { lineId, status: line.status },
    );
  const onLine = sum(line.parts.filter((p) => p.partId === issue.partId).map((p) => p.quantity));
  if (onLine === 0)
    throw new ConflictError(409, 'PART_NOT_ON_LINE', `Line ${lineId} has no part ${issue.partId}.`, {
      lineId,
      partId: issue.partId,
    });
  const issued = sum(line.partIssues.filter((p) => p.partId === issue.partId).map((p) => p.quantity));
  if (issue.quantity > 0 && issued + issue.quantity > onLine)
    throw new ConflictError(
      409,
      'PART_ISSUE_EXCEEDS_LINE',
      `Line ${lineId} was approved for ${onLine} of this part; ${issued} already issued.`,
      { onLine, issued },
    );
  if (issue.quantity < 0 && issued + issue.quantity < 0)
    throw new ConflictError(
      409,
      'PART_RETURN_EXCEEDS_ISSUED',
      `Only ${issued} of this part were issued to line ${lineId}.`,
      { issued },
    );
  const partIssues = [...line.partIssues, { ...issue, by }];
  const { lines, events } = withLines(ro, new Map([[lineId, { partIssues }]]), by.at);
  return decided(ro, { ...ro, lines }, 'issue_parts', events, by.at);
}

/** A technician's open clocking, wherever it is (this RO's lines or another RO's, from the caller). */
export interface OpenClocking {
  repairOrderId: string;
  lineId: string;
}

/** The technician's open clockings on this RO. */
export function openClockingsOf(ro: RepairOrder, technicianId: string): OpenClocking[] {
  return ro.lines
    .filter((l) => l.clockings.some((c) => c.technicianId === technicianId && !c.endedAt))
    .map((l) => ({ repairOrderId: ro.id, lineId: l.id }));
}

/** The line's 会诊 still waiting for the technical director's answer, if any. */
export function openEscalation(line: Pick<JobLine, 'escalations'>): Escalation | undefined {
  const last = line.escalations?.at(-1);
  return last && !last.answer ? last : undefined;
}

/** A line put to the technical director waits for the answer: 409 `LINE_ESCALATED` until then. */
export function requireNotEscalated(line: Pick<JobLine, 'id' | 'escalations'>): void {
  const open = openEscalation(line);
  if (open)
    throw new ConflictError(
      409,
      'LINE_ESCALATED',
      `Line ${line.id} waits for the technical director's answer (会诊).`,
      { lineId: line.id, escalatedAt: open.by.at },
    );
}

/**
 * 开工: a technician clocks on a dispatched, paused or reworked line. One technician is on one line at a
 * time unless the store allows otherwise: 409 `TECHNICIAN_ALREADY_CLOCKED_ON` names where they are.
 */
export function decideClockOn(
  ro: RepairOrder,
  lineId: string,
  technicianId: string,
  store: { concurrentClockingAllowed: boolean; openElsewhere: readonly OpenClocking[] },
  at: string,
): RepairOrderDecision {
  requireOpen(ro);
  const line = lineOf(ro, lineId);
  requireNotEscalated(line);
  const open = [...openClockingsOf(ro, technicianId), ...store.openElsewhere];
  if (open.length > 0 && !store.concurrentClockingAllowed)
    throw new ConflictError(
      409,
      'TECHNICIAN_ALREADY_CLOCKED_ON',
      `Technician ${technicianId} is clocked on another line: clock off there first.`,
      { openClockings: open },
    );
  const update = {
    status: 'in_progress' as const,
    clockings: [
      ...line.clockings,
      { technicianId, startedAt: at, ...(store.concurrentClockingAllowed ? { concurrent: true } : {}) },
    ],
  };
  const { lines, events } = withLines(ro, new Map([[lineId, update]]), at);
  return decided(ro, { ...ro, lines }, 'clock', events, at);
}

/**
 * 收工 / 暂停: the technician's open stretch closes; the line is done, or paused with its reason (waiting
 * for parts, approval, diagnosis). Clocking off a line one is not on is 409 `NOT_CLOCKED_ON`.
 */
export function decideClockOff(
  ro: RepairOrder,
  lineId: string,
  technicianId: string,
  input: ClockOffInput,
  at: string,
): RepairOrderDecision {
  requireOpen(ro);
  const line = lineOf(ro, lineId);
  const index = line.clockings.findIndex((c) => c.technicianId === technicianId && !c.endedAt);
  if (index < 0)
    throw new ConflictError(
      409,
      'NOT_CLOCKED_ON',
      `Technician ${technicianId} is not clocked on line ${lineId}.`,
      {
        lineId,
      },
    );
  const clockings = line.clockings.map((c, i) =>
    i !== index
      ? c
      : {
          ...c,
          endedAt: at,
          ...(input.outcome === 'paused' && input.pauseReason ? { pauseReason: input.pauseReason } : {}),
          ...(input.outcome === 'paused' && input.note ? { pauseNote: input.note } : {}),
        },
  );
  const { lines, events } = withLines(ro, new Map([[lineId, { status: input.outcome, clockings }]]), at);
  return decided(ro, { ...ro, lines }, 'clock', events, at);
}

/** Minutes clocked on a line (an open stretch counts until `now`). */
export function clockedMinutes(line: Pick<JobLine, 'clockings'>, now: string): number {
  const ms = sum(line.clockings.map((c) => Date.parse(c.endedAt ?? now) - Date.parse(c.startedAt)));
  return Math.round(ms / 60_000);
}

/** Flat-rate tenths of a line: what the catalogue says the work takes (标准工时). */
export function flatRateTenths(line: Pick<JobLine, 'labour'>): number {
  return sum(line.labour.map((l) => l.tenths));
}

/**
 * Actual against flat-rate hours (工时效率): flat-rate minutes over clocked minutes, 1 when the work
 * took exactly its book time, above 1 when faster. Null before anything is clocked.
 */
export function labourEfficiency(line: Pick<JobLine, 'labour' | 'clockings'>, now: string): number | null {
  const clocked = clockedMinutes(line, now);
  return clocked === 0 ? null : (flatRateTenths(line) * 6) / clocked;
}

/** Which check a line waits for, by its status (none outside the checks). */
const STAGE_DUE: Partial<Record<JobLineStatus, CheckStage>> = {
  done: 'self',
  self_checked: 'team',
  team_checked: 'final',
};
const PASSED_TO: Record<CheckStage, JobLineStatus> = {
  self: 'self_checked',
  team: 'team_checked',
  final: 'checked',
};

/**
 * 三检: self, team and final check, in that order (409 `QUALITY_CHECK_OUT_OF_ORDER` names the one
 * due). A failure sends the line back as rework with its reason and counts against first-time fix
 * (一次修复率) for the technician and the store (`repairOrder.lineReworked`).
 */
export function decideQualityCheck(
  ro: RepairOrder,
  lineId: string,
  input: QualityCheckInput,
  by: Signature,
): RepairOrderDecision {
  requireOpen(ro);
  const line = lineOf(ro, lineId);
  const due = STAGE_DUE[line.status];
  if (due !== input.stage)
    throw new ConflictError(
      409,
      'QUALITY_CHECK_OUT_OF_ORDER',
      due
        ? `Line ${lineId} waits for its ${due} check.`
        : `Line ${lineId} is ${line.status}: it is not in the checks.`,
      { lineId, due: due ?? null, stage: input.stage },
    );
  const check = {
    stage: input.stage,
    passed: input.passed,
    ...(input.reason ? { reason: input.reason } : {}),
    by,
  };
  const update: Partial<JobLine> = input.passed
    ? { status: PASSED_TO[input.stage], checks: [...line.checks, check] }
    : { status: 'rework', checks: [...line.checks, check], reworkCount: line.reworkCount + 1 };
  const { lines, events } = withLines(ro, new Map([[lineId, update]]), by.at);
  if (!input.passed)
    events.push(
      newEvent('repairOrder.lineReworked', 'repairOrder', ro.id, {
        repairOrderId: ro.id,
        lineId,
        ...(line.technicianId ? { technicianId: line.technicianId } : {}),
        stage: input.stage,
        at: by.at,
      }),
    );
  return decided(ro, { ...ro, lines }, 'check', events, by.at);
}

/**
 * Per technician, the flat-rate tenths of the finished lines given to them and the minutes they clocked
 * on the RO (工时效率 = flat-rate ÷ clocked), in the order they first appear.
 */
export function technicianLabour(ro: Pick<RepairOrder, 'lines'>, now: string): TechnicianLabour[] {
  const byTechnician = new Map<string, TechnicianLabour>();
  const of = (technicianId: string) => {
    const known = byTechnician.get(technicianId);
    if (known) return known;
    const t = { technicianId, flatRateTenths: 0, clockedMinutes: 0 };
    byTechnician.set(technicianId, t);
    return t;
  };
  for (const line of ro.lines) {
    if (line.status === 'checked' && line.technicianId)
      of(line.technicianId).flatRateTenths += flatRateTenths(line);
    for (const c of line.clockings)
      of(c.technicianId).clockedMinutes += clockedMinutes({ clockings: [c] }, now);
  }
  return [...byTechnician.values()];
}

/** 按时交车: delivered at `at`, no later than promised. */
export function deliveredOnTime(ro: Pick<RepairOrder, 'promisedAt'>, at: string): boolean {
  return Date.parse(at) <= Date.parse(ro.promisedAt);
}

/** True when no line of the RO went back for rework (一次修复). */
export function firstTimeFix(ro: Pick<RepairOrder, 'lines'>): boolean {
  return ro.lines.every((l) => l.reworkCount === 0);
}

const OUTCOME: Record<Payer, Settlement['shares'][number]['outcome']> = {
  customer: 'paid',
  warranty: 'claimable',
  goodwill: 'claimable',
  insurance: 'receivable',
  internal: 'internal',
};

/** The split of the finished work to its payers, at the tax rate of the last quote the customer saw. */
export function settlementShares(ro: Pick<RepairOrder, 'lines' | 'quotes'>): PayerTotals[] {
  const taxRateBp = ro.quotes.at(-1)?.taxRateBp ?? 0;
  return totalsByPayer(
    ro.lines.filter((l) => l.status === 'checked'),
    taxRateBp,
  );
}

/**
 * 结算: a ready RO's work split to its payers. The customer's share is paid at the counter, exactly
 * (409 `PAYMENT_MISMATCH` with what is due and what was paid); warranty and goodwill become claimable,
 * the insurer's share receivable.
 */
export function decideRepairOrderSettlement(
  ro: RepairOrder,
  input: RepairOrderSettlementFields,
  by: Signature,
): RepairOrderDecision {
  moveRepairOrder(ro.status, 'settled');
  const shares = settlementShares(ro);
  const due = shares.find((s) => s.payer === 'customer')?.total ?? 0;
  const { payments } = input;
  const paid = sum(payments.map((p) => p.amount.amountMinor));
  if (paid !== due)
    throw new ConflictError(
      409,
      'PAYMENT_MISMATCH',
      `The customer's share is ${due} fen; the payments add up to ${paid}.`,
      { due, paid },
    );
  const settlement: Settlement = {
    shares: shares.map((s) => ({ ...s, outcome: OUTCOME[s.payer] })),
    total: sum(shares.map((s) => s.total)),
    payments,
    settledBy: by,
  };
  const settled = newEvent('repairOrder.settled', 'repairOrder', ro.id, {
    repairOrderId: ro.id,
    shares,
    at: by.at,
  });
  return movedByHand(ro, 'settled', { settlement }, 'settle', [settled], by.at);
}

/**
 * 交车: only once the customer's share is settled (409 `REPAIR_ORDER_NOT_SETTLED` before), with the
 * delivery checklist and the visit's 三包除外天数, within the visit (`requireLemonLawDaysWithinVisit`). The event carries what follow-up calls, the 三包 counters and the store's figures
 * count: on time, first-time fix, and each technician's flat-rate and clocked time.
 */
export function decideRepairOrderDelivery(
  ro: RepairOrder,
  input: DeliveryInput,
  by: Signature,
): RepairOrderDecision {
  const at = by.at;
  if (DERIVED.has(ro.status))
    throw new ConflictError(
      409,
      'REPAIR_ORDER_NOT_SETTLED',
      `Repair order ${ro.id} is ${ro.status}: settle the customer's share before delivery.`,
      { status: ro.status },
    );
  if (input.lemonLaw) requireLemonLawDaysWithinVisit(ro, input.lemonLaw, at);
  const delivered = newEvent('repairOrder.delivered', 'repairOrder', ro.id, {
    repairOrderId: ro.id,
    vehicleId: ro.vehicleId,
    promisedAt: ro.promisedAt,
    onTime: deliveredOnTime(ro, at),
    firstTimeFix: firstTimeFix(ro),
    at,
    labour: technicianLabour(ro, at),
  });
  return movedByHand(
    ro,
    'delivered',
    { deliveredAt: at, delivery: { ...input, by } },
    'deliver',
    [delivered],
    at,
  );
}
