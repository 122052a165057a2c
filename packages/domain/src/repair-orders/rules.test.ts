import { describe, expect, it } from 'vitest';
import type { Role } from '../platform/tenancy.ts';
import type { Signature } from '../purchasing/model.ts';
import type { LabourRates } from '../setup/model.ts';
import type { Staff } from '../staff/model.ts';
import { type DeclinedWork, declinedWorkOf } from './declined-work.ts';
import { decideEscalation, decideEscalationAnswer } from './escalation.ts';
import {
  CheckInInput,
  ClockOffInput,
  DeliveryInput,
  JobLineStatus,
  LineWork,
  type LineWorkInput,
  QualityCheckInput,
  QuoteApprovalInput,
  type RepairOrder,
  RepairOrderStatus,
} from './model.ts';
import { partsToHold } from './parts.ts';
import {
  type CheckInContext,
  clockedMinutes,
  decideAddOn,
  decideApproval,
  decideCheckIn,
  decideClockOff,
  decideClockOn,
  decideDispatch,
  decideLineAddition,
  decideLineWork,
  decidePartIssue,
  decideQualityCheck,
  decideQuote,
  decideRepairOrderDelivery,
  decideRepairOrderEdit,
  decideRepairOrderSettlement,
  decideRepairOrderTransition,
  JOB_LINE_MOVES,
  labourEfficiency,
  lineTotals,
  moveJobLine,
  moveRepairOrder,
  type RepairOrderDecision,
  RO_MOVES,
  settlementShares,
} from './rules.ts';
import {
  boardCard,
  boardTechnicians,
  decideClockOnAs,
  decideLineDispatch,
  requireChecker,
  requireTechnicianFit,
} from './workshop.ts';

// ——— A store's day, in minutes after 09:00 Beijing time ————————————————————————————————————

const T0 = Date.parse('2026-12-07T01:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();
const cny = (amountMinor: number) => ({ amountMinor, currency: 'CNY' as const });
const advisor = (minutes = 0): Signature => ({ userId: 'u-advisor', name: '王顾问', at: at(minutes) });
const checker = (minutes: number): Signature => ({ userId: 'u-foreman', name: '李主任', at: at(minutes) });
const DELIVERY = DeliveryInput.parse({
  keysHandedOver: true,
  valuablesReturned: true,
  workExplained: true,
  oldParts: 'returned_to_customer',
});
/** ¥150 an hour to the customer, ¥120 to the maker under warranty, ¥140 to the insurer. */
const rates: LabourRates = {
  customer: cny(15000),
  warranty: cny(12000),
  goodwill: cny(15000),
  insurance: cny(14000),
  internal: cny(8000),
};
const TAX = 1300;

const lineAt = (ro: RepairOrder, index: number) => {
  const line = ro.lines[index];
  if (!line) throw new Error(`expected line ${index}`);
  return line;
};

const next = (decision: RepairOrderDecision | undefined): RepairOrder => {
  if (!decision) throw new Error('expected a decision');
  return decision.next;
};

function checkIn(
  concerns: CheckInInput['concerns'],
  extra: Partial<CheckInInput> = {},
  history: Pick<CheckInContext, 'previous' | 'declined'> = {},
  id = 'ro-1',
) {
  return decideCheckIn(
    CheckInInput.parse({
      source: { kind: 'walk_in' },
      vehicleId: 'veh-1',
      customerId: 'cus-1',
      odometerKm: 42_000,
      fuelLevel: 4,
      promisedAt: at(8 * 60),
      concerns,
      ...extra,
    }),
    {
      odometer: { now: new Date(T0), before: { km: 40_000, readAt: '2026-06-01T00:00:00.000Z' } },
      advisorId: 'u-advisor',
      ...history,
    },
    { id, storeId: 's1', at: at(0) },
  );
}

/** Brake pads: 1.5 h of labour, two pads at ¥33.33, ¥10.01 of cleaner. */
const brakeWork = (extra: Partial<LineWorkInput> = {}): LineWork =>
  LineWork.parse({
    complaint: 'Brakes squeal when stopping',
    cause: 'Front pads worn to 2 mm',
    correction: 'Replace front pads',
    payer: 'customer',
    labour: [
      {
        labourOpId: 'op-brk',
        code: 'BRK-01',
        name: { zh: '更换前刹车片', en: 'Front pads' },
        tenths: 15,
        rate: cny(0),
      },
    ],
    parts: [{ partId: 'p-pad', partNumber: '8K0698151', quantity: 2, unitPrice: cny(3333) }],
    consumables: [{ name: 'Brake cleaner', amount: cny(1001) }],
    ...extra,
  });
/** A warranty job: 0.7 h of labour only. */
const sensorWork = (): LineWork =>
  LineWork.parse({
    complaint: 'Engine light on',
    payer: 'warranty',
    labour: [
      {
        labourOpId: 'op-o2',
        code: 'ENG-02',
        name: { zh: '更换氧传感器', en: 'O2 sensor' },
        tenths: 7,
        rate: cny(0),
      },
    ],
  });

/** Accident body work for the insurer: 3.3 h of labour. */
const bumperWork = (): LineWork =>
  LineWork.parse({
    complaint: 'Rear bumper cracked',
    payer: 'insurance',
    labour: [
      {
        labourOpId: 'op-bmp',
        code: 'BDY-07',
        name: { zh: '更换后保险杠', en: 'Rear bumper' },
        tenths: 33,
        rate: cny(0),
      },
    ],
  });

/** Two concerns diagnosed and priced, quoted as version 1, and answered at the counter (both approved). */
function approvedOrder(decisions: Record<'L1' | 'L2', boolean> = { L1: true, L2: true }): RepairOrder {
  let ro = checkIn([{ words: '刹车异响' }, { words: '发动机故障灯亮', payer: 'warranty' }]).next;
  ro = next(decideLineWork(ro, 'L1', brakeWork(), rates, at(10)));
  ro = next(decideLineWork(ro, 'L2', sensorWork(), rates, at(12)));
  ro = decideQuote(ro, TAX, advisor(15)).next;
  return decideApproval(ro, approval(1, decisions), advisor(20)).next;
}

function approval(
  quoteVersion: number,
  decisions: Record<string, boolean>,
  extra: Partial<QuoteApprovalInput> = {},
) {
  return QuoteApprovalInput.parse({
    quoteVersion,
    method: 'counter_signature',
    approverName: '张先生',
    from: 'tablet-03',
    signatureRef: 'photo:pho_01JD0000000000000000000000',
    decisions: Object.entries(decisions).map(([lineId, approved]) => ({ lineId, approved })),
    ...extra,
  });
}

/** A line dispatched, clocked on and done by technician `t1`, from minute `from` for `minutes`. */
function worked(ro: RepairOrder, lineId: string, from: number, minutes: number, technicianId = 't1') {
  let out = next(decideDispatch(ro, lineId, { technicianId }, at(from)));
  const store = { concurrentClockingAllowed: false, openElsewhere: [] };
  out = decideClockOn(out, lineId, technicianId, store, at(from)).next;
  return decideClockOff(
    out,
    lineId,
    technicianId,
    ClockOffInput.parse({ outcome: 'done' }),
    at(from + minutes),
  ).next;
}

/** The three checks passed. */
function checked(ro: RepairOrder, lineId: string, when: number) {
  let out = ro;
  for (const stage of ['self', 'team', 'final'] as const)
    out = decideQualityCheck(
      out,
      lineId,
      QualityCheckInput.parse({ stage, passed: true }),
      checker(when),
    ).next;
  return out;
}

const conflict = (code: string, details: Record<string, unknown> = {}) =>
  expect.objectContaining({ status: 409, code, details: expect.objectContaining(details) });

// ——— The state tables ——————————————————————————————————————————————————————————————————————

describe('the state tables', () => {
  it('name every status, and only named statuses, as sources and targets', () => {
    // Assess
    expect(Object.keys(RO_MOVES).sort()).toEqual([...RepairOrderStatus.options].sort());
    expect(Object.keys(JOB_LINE_MOVES).sort()).toEqual([...JobLineStatus.options].sort());
    for (const targets of Object.values(RO_MOVES))
      for (const t of targets) expect(RepairOrderStatus.options).toContain(t);
    for (const targets of Object.values(JOB_LINE_MOVES))
      for (const t of targets) expect(JobLineStatus.options).toContain(t);
  });

  it('end a repair order at delivery or cancellation, and cancel only before work starts', () => {
    // Assess
    expect(RO_MOVES.delivered).toEqual([]);
    expect(RO_MOVES.cancelled).toEqual([]);
    const cancellable = RepairOrderStatus.options.filter((s) => RO_MOVES[s].includes('cancelled'));
    expect(cancellable).toEqual(['checked_in', 'diagnosing', 'quoted', 'approved']);
  });

  it('refuse an illegal move with 409, the machine code and both ends', () => {
    // Act / Assess
    expect(() => moveRepairOrder('checked_in', 'delivered')).toThrow(
      conflict('REPAIR_ORDER_TRANSITION_NOT_ALLOWED', { from: 'checked_in', to: 'delivered' }),
    );
    expect(() => moveJobLine({ id: 'L1', status: 'proposed' }, 'dispatched')).toThrow(
      conflict('JOB_LINE_TRANSITION_NOT_ALLOWED', { lineId: 'L1', from: 'proposed', to: 'dispatched' }),
    );
  });
});

// ——— Reception ———————————————————————————————————————————————————————————————————————————

describe('check-in (接车)', () => {
  it('opens the RO with each concern in the customer’s words as a proposed line', () => {
    // Act
    const decision = checkIn([{ words: '刹车异响' }, { words: '空调不凉', payer: 'goodwill' }]);

    // Assess
    expect(decision.next).toMatchObject({ status: 'checked_in', odometerKm: 42_000, version: 1 });
    expect(decision.next.concerns.map((c) => c.words)).toEqual(['刹车异响', '空调不凉']);
    expect(decision.next.lines.map((l) => [l.id, l.status, l.complaint, l.payer])).toEqual([
      ['L1', 'proposed', '刹车异响', 'customer'],
      ['L2', 'proposed', '空调不凉', 'goodwill'],
    ]);
    expect(decision.events.map((e) => e.type)).toEqual(['repairOrder.opened']);
  });

  it('refuses an odometer below the vehicle’s last reading, by the registry’s rule', () => {
    // Act / Assess
    expect(() => checkIn([{ words: 'Service' }], { odometerKm: 39_000 })).toThrow(
      conflict('ODOMETER_DECREASED'),
    );
  });

  it('refuses a promised time already past, and insurance work without its claim', () => {
    // Act / Assess
    expect(() => checkIn([{ words: 'Service' }], { promisedAt: at(-1) })).toThrow(
      expect.objectContaining({
        status: 400,
        details: { fieldErrors: [expect.objectContaining({ code: 'PROMISED_IN_PAST' })] },
      }),
    );
    expect(() => checkIn([{ words: 'Rear bumper', payer: 'insurance' }])).toThrow(
      expect.objectContaining({ status: 400 }),
    );
    const accident = { insurer: '人保财险', claimNumber: 'PICC-2026-0001', assessedAmount: cny(250_000) };
    expect(checkIn([{ words: 'Rear bumper', payer: 'insurance' }], { accident }).next.accident).toEqual(
      accident,
    );
  });
});

describe('comebacks (返修)', () => {
  const day = 86_400_000;
  const deliveredDaysAgo = (days: number) => ({
    id: 'ro-0',
    deliveredAt: new Date(T0 - days * day).toISOString(),
  });

  it('marks a car back within 30 days of its last delivery as a comeback of that RO, on the order and its event', () => {
    // Act
    const decision = checkIn([{ words: '刹车还响' }], {}, { previous: deliveredDaysAgo(12) });

    // Assess
    expect(decision.next.comebackOf).toBe('ro-0');
    expect(decision.events[0]?.data).toMatchObject({ comebackOf: 'ro-0' });
  });

  it('does not count a car back after 30 days, its first visit, or one whose last RO was never delivered', () => {
    // Act
    const late = checkIn([{ words: '保养' }], {}, { previous: deliveredDaysAgo(31) });
    const first = checkIn([{ words: '保养' }]);
    const open = checkIn([{ words: '保养' }], {}, { previous: { id: 'ro-0' } });

    // Assess
    for (const d of [late, first, open]) {
      expect(d.next.comebackOf).toBeUndefined();
      expect(d.events[0]?.data).not.toHaveProperty('comebackOf');
    }
  });
});

describe('editing the header', () => {
  it('re-words a concern by id and moves the promised time, leaving the lines’ complaints as diagnosed', () => {
    // Prepare
    const ro = checkIn([{ words: 'Noise' }, { words: 'Service' }]).next;

    // Act
    const edited = decideRepairOrderEdit(
      ro,
      { concerns: [{ id: 'C1', words: 'Squeal from the front left when braking' }], promisedAt: at(600) },
      at(5),
    );

    // Assess
    expect(edited?.next.concerns.map((c) => c.words)).toEqual([
      'Squeal from the front left when braking',
      'Service',
    ]);
    expect(edited?.next.lines.map((l) => l.complaint)).toEqual(['Noise', 'Service']);
    expect(edited?.changes.map((c) => c.field)).toEqual(['concerns', 'promisedAt']);
    expect(edited?.events).toEqual([
      expect.objectContaining({
        type: 'repairOrder.updated',
        data: expect.objectContaining({ fields: ['concerns', 'promisedAt'] }),
      }),
    ]);
    expect(edited?.next.version).toBe(2);
  });

  it('changes nothing for the same values, and refuses an unknown concern, a past time or a closed order', () => {
    // Prepare
    const ro = checkIn([{ words: 'Noise' }]).next;
    const cancelled = next(
      decideRepairOrderTransition(ro, { to: 'cancelled', reason: 'Changed mind' }, at(1)),
    );

    // Act / Assess
    expect(
      decideRepairOrderEdit(
        ro,
        { concerns: [{ id: 'C1', words: 'Noise' }], promisedAt: ro.promisedAt },
        at(900),
      ),
    ).toBeUndefined();
    expect(() => decideRepairOrderEdit(ro, { concerns: [{ id: 'C9', words: 'x' }] }, at(1))).toThrow(
      expect.objectContaining({
        status: 400,
        details: {
          fieldErrors: [expect.objectContaining({ path: 'concerns.0.id', code: 'CONCERN_NOT_ON_ORDER' })],
        },
      }),
    );
    expect(() => decideRepairOrderEdit(ro, { promisedAt: at(0) }, at(1))).toThrow(
      expect.objectContaining({ status: 400 }),
    );
    expect(() => decideRepairOrderEdit(cancelled, { promisedAt: at(600) }, at(2))).toThrow(
      expect.objectContaining({ status: 409, code: 'REPAIR_ORDER_CLOSED' }),
    );
  });
});

// ——— Quote and approval ——————————————————————————————————————————————————————————————————

describe('quote (报价)', () => {
  it('prices a line in fen: labour at the payer’s rate, parts, consumables, the discount rounded once', () => {
    // Prepare
    const ro = checkIn([{ words: '刹车异响' }]).next;

    // Act
    const priced = next(decideLineWork(ro, 'L1', brakeWork({ discountBp: 1000 }), rates, at(10)));

    // Assess: 1.5 h × ¥150 = 22500; 2 × 3333 = 6666; 1001; 10 % of 30167 is 3016.7 → 3017
    expect(priced.lines[0]?.labour[0]?.rate).toEqual(cny(15000));
    expect(lineTotals(lineAt(priced, 0))).toEqual({
      labour: 22500,
      parts: 6666,
      consumables: 1001,
      subtotal: 30167,
      discount: 3017,
      net: 27150,
    });
  });

  it('totals each payer with its VAT, and the payers add up to the quote exactly', () => {
    // Prepare
    let ro = checkIn([{ words: '刹车异响' }, { words: '故障灯', payer: 'warranty' }]).next;
    ro = next(decideLineWork(ro, 'L1', brakeWork({ discountBp: 1000 }), rates, at(10)));
    ro = next(decideLineWork(ro, 'L2', sensorWork(), rates, at(11)));

    // Act
    const decision = decideQuote(ro, TAX, advisor(15));

    // Assess: 13 % of 27150 is 3529.5 → 3530; the warranty's 0.7 h at ¥120 = 8400, tax 1092
    const quote = decision.next.quotes[0];
    expect(quote?.byPayer).toEqual([
      { payer: 'customer', net: 27150, tax: 3530, total: 30680 },
      { payer: 'warranty', net: 8400, tax: 1092, total: 9492 },
    ]);
    expect(quote?.total).toBe(40172);
    expect(decision.next.status).toBe('quoted');
    expect(decision.next.lines.map((l) => l.status)).toEqual(['awaiting_approval', 'awaiting_approval']);
    expect(decision.events.map((e) => e.type)).toContain('repairOrder.quoted');
  });

  it('makes a change after approval a new version, and refuses approval of the outdated one', () => {
    // Prepare
    const ro = approvedOrder();
    expect(ro.status).toBe('approved');

    // Act: the pads turn out to need discs too
    const changed = next(
      decideLineWork(ro, 'L1', brakeWork({ correction: 'Replace pads and discs' }), rates, at(30)),
    );

    // Assess: back to be quoted (the sensor line stays approved, its work may start); v1 can no
    // longer be approved; v2 can
    expect(changed.status).toBe('approved');
    expect(changed.lines[0]?.status).toBe('proposed');
    expect(changed.quotes).toHaveLength(1);
    const requoted = decideQuote(changed, TAX, advisor(31)).next;
    expect(requoted.quotes.map((q) => q.version)).toEqual([1, 2]);
    expect(requoted.quotes[1]?.lines.map((l) => [l.lineId, l.offered])).toEqual([
      ['L1', true],
      ['L2', false],
    ]);
    expect(() => decideApproval(requoted, approval(1, { L1: true }), advisor(32))).toThrow(
      conflict('QUOTE_VERSION_OUTDATED', { quoteVersion: 1, currentVersion: 2 }),
    );
    expect(decideApproval(requoted, approval(2, { L1: true }), advisor(32)).next.status).toBe('approved');
  });

  it('puts an order whose only approved work changed back to quoted', () => {
    // Prepare
    let ro = checkIn([{ words: '刹车异响' }]).next;
    ro = next(decideLineWork(ro, 'L1', brakeWork(), rates, at(10)));
    ro = decideQuote(ro, TAX, advisor(15)).next;
    ro = decideApproval(ro, approval(1, { L1: true }), advisor(20)).next;

    // Act
    const changed = decideLineWork(ro, 'L1', brakeWork({ discountBp: 500 }), rates, at(25));

    // Assess
    expect(changed?.next.status).toBe('quoted');
    expect(changed?.events.map((e) => e.type)).toEqual([
      'repairOrder.lineStatusChanged',
      'repairOrder.statusChanged',
    ]);
    expect(
      decideLineWork(changed?.next as RepairOrder, 'L1', brakeWork({ discountBp: 500 }), rates, at(26)),
    ).toBeUndefined();
  });

  it('records who approved each line, how, from where and which version; a second approval of it is refused', () => {
    // Prepare
    let ro = checkIn([{ words: '刹车异响' }, { words: '雨刮' }]).next;
    ro = next(decideLineWork(ro, 'L1', brakeWork(), rates, at(10)));
    ro = decideQuote(ro, TAX, advisor(15)).next;
    const remote = { method: 'remote_link' as const, from: '203.0.113.7', signatureRef: undefined };

    // Act
    const decision = decideApproval(ro, approval(1, { L1: true, L2: false }, remote), advisor(40));

    // Assess
    expect(decision.next.lines.map((l) => l.status)).toEqual(['approved', 'declined']);
    expect(decision.next.approvals).toEqual([
      expect.objectContaining({
        quoteVersion: 1,
        method: 'remote_link',
        from: '203.0.113.7',
        approvedLineIds: ['L1'],
        declinedLineIds: ['L2'],
        at: at(40),
      }),
    ]);
    expect(() => decideApproval(decision.next, approval(1, { L1: true }), advisor(41))).toThrow(
      conflict('JOB_LINE_TRANSITION_NOT_ALLOWED', { lineId: 'L1', from: 'approved' }),
    );
  });

  it('refuses a counter approval without the customer’s signature', () => {
    // Act
    const parsed = QuoteApprovalInput.safeParse({ ...approval(1, { L1: true }), signatureRef: undefined });

    // Assess
    expect(parsed.success).toBe(false);
  });
});

// ——— Add-on work ——————————————————————————————————————————————————————————————————————————

describe('add-on work (增修)', () => {
  it('goes technician → advisor → customer, blocked until approved, and re-sets the promised time', () => {
    // Prepare: the brakes are being worked on when the technician finds a leaking strut
    let ro = approvedOrder();
    ro = next(decideDispatch(ro, 'L1', { technicianId: 't1' }, at(30)));
    const technician = { userId: 'u-t1', name: '赵师傅', at: at(60) };
    const strut = LineWork.parse({ complaint: 'Front left strut leaking', payer: 'customer' });

    // Act: reported, then quoted by the advisor
    ro = decideLineAddition(ro, strut, rates, technician).next;

    // Assess: on record as add-on work, not to be dispatched before the customer's word
    expect(ro.lines[2]).toMatchObject({
      id: 'L3',
      origin: 'add_on',
      status: 'proposed',
      reportedBy: technician,
    });
    expect(ro.status).toBe('in_progress');
    expect(() => decideDispatch(ro, 'L3', { technicianId: 't1' }, at(61))).toThrow(
      conflict('JOB_LINE_TRANSITION_NOT_ALLOWED', { from: 'proposed', to: 'dispatched' }),
    );
    ro = decideQuote(ro, TAX, advisor(65)).next;
    expect(
      ro.quotes
        .at(-1)
        ?.lines.filter((l) => l.offered)
        .map((l) => l.lineId),
    ).toEqual(['L3']);
    expect(() => decideApproval(ro, approval(2, { L3: true }), advisor(70))).toThrow(
      expect.objectContaining({ status: 400 }),
    );
    const approved = decideApproval(
      ro,
      approval(2, { L3: true }, { promisedAt: at(10 * 60) }),
      advisor(70),
    ).next;
    expect(approved.lines[2]?.status).toBe('approved');
    expect(approved.promisedAt).toBe(at(10 * 60));
  });

  it('keeps a declined add-on on record as declined work, out of the settlement', () => {
    // Prepare
    let ro = worked(approvedOrder(), 'L1', 30, 60);
    ro = decideLineAddition(
      ro,
      LineWork.parse({ complaint: 'Wiper blades worn', payer: 'customer' }),
      rates,
      advisor(95),
    ).next;
    ro = decideQuote(ro, TAX, advisor(96)).next;

    // Act
    ro = decideApproval(ro, approval(2, { L3: false }), advisor(100)).next;

    // Assess
    expect(ro.lines[2]).toMatchObject({ status: 'declined', origin: 'add_on' });
    ro = checked(worked(checked(ro, 'L1', 120), 'L2', 130, 30), 'L2', 170);
    expect(ro.status).toBe('ready');
    expect(settlementShares(ro).map((s) => s.payer)).toEqual(['customer', 'warranty']);
  });

  it('is reported only while the workshop has the car', () => {
    // Prepare: approved but not started, then with a line worked
    const strut = LineWork.parse({ complaint: 'Front left strut leaking', payer: 'customer' });
    const technician = { userId: 'u-t1', name: '赵师傅', at: at(60) };
    const waiting = approvedOrder();
    const started = worked(waiting, 'L1', 30, 20);

    // Act
    const reported = decideAddOn(started, strut, rates, technician).next;

    // Assess
    expect(() => decideAddOn(waiting, strut, rates, technician)).toThrow(
      conflict('ADD_ON_OUTSIDE_WORKSHOP', { status: 'approved' }),
    );
    expect(reported.lines.at(-1)).toMatchObject({
      origin: 'add_on',
      status: 'proposed',
      reportedBy: technician,
    });
  });
});

// ——— Workshop ——————————————————————————————————————————————————————————————————————————————

describe('clocking (工时)', () => {
  const store = { concurrentClockingAllowed: false, openElsewhere: [] };

  it('pauses with its reason, resumes, and compares clocked with flat-rate hours', () => {
    // Prepare
    let ro = next(decideDispatch(approvedOrder(), 'L1', { technicianId: 't1', bayId: 'B1' }, at(30)));

    // Act: 40 min, waiting 30 min for parts, then 50 min more
    ro = decideClockOn(ro, 'L1', 't1', store, at(30)).next;
    const paused = decideClockOff(
      ro,
      'L1',
      't1',
      ClockOffInput.parse({
        outcome: 'paused',
        pauseReason: 'waiting_parts',
        note: 'Pads from the warehouse',
      }),
      at(70),
    ).next;
    ro = decideClockOn(paused, 'L1', 't1', store, at(100)).next;
    ro = decideClockOff(ro, 'L1', 't1', ClockOffInput.parse({ outcome: 'done' }), at(150)).next;

    // Assess: 90 min clocked against 1.5 h flat rate
    expect(paused.lines[0]).toMatchObject({ status: 'paused' });
    expect(paused.lines[0]?.clockings[0]).toMatchObject({ pauseReason: 'waiting_parts', endedAt: at(70) });
    expect(ro.lines[0]?.status).toBe('done');
    expect(clockedMinutes(lineAt(ro, 0), at(200))).toBe(90);
    expect(labourEfficiency(lineAt(ro, 0), at(200))).toBe(1);
    expect(ClockOffInput.safeParse({ outcome: 'paused' }).success).toBe(false);
  });

  it('keeps a technician on one line at a time unless the store allows more', () => {
    // Prepare
    let ro = next(decideDispatch(approvedOrder(), 'L1', { technicianId: 't1' }, at(30)));
    ro = next(decideDispatch(ro, 'L2', { technicianId: 't1' }, at(30)));
    ro = decideClockOn(ro, 'L1', 't1', store, at(31)).next;

    // Act / Assess
    expect(() => decideClockOn(ro, 'L2', 't1', store, at(32))).toThrow(
      conflict('TECHNICIAN_ALREADY_CLOCKED_ON', { openClockings: [{ repairOrderId: 'ro-1', lineId: 'L1' }] }),
    );
    const elsewhere = {
      concurrentClockingAllowed: false,
      openElsewhere: [{ repairOrderId: 'ro-9', lineId: 'L4' }],
    };
    const fresh = next(decideDispatch(approvedOrder(), 'L2', { technicianId: 't1' }, at(30)));
    expect(() => decideClockOn(fresh, 'L2', 't1', elsewhere, at(32))).toThrow(
      conflict('TECHNICIAN_ALREADY_CLOCKED_ON'),
    );
    const allowed = decideClockOn(ro, 'L2', 't1', { ...store, concurrentClockingAllowed: true }, at(32)).next;
    expect(allowed.lines.map((l) => l.status)).toEqual(['in_progress', 'in_progress']);
  });

  it('lets a technician clock on only the lines given to them, the workshop manager on any', () => {
    // Prepare: L1 given to t1
    const ro = next(decideDispatch(approvedOrder(), 'L1', { technicianId: 't1' }, at(30)));
    const actor = (userId: string, ...roles: Role[]) => ({ userId, roles });

    // Act
    const own = decideClockOnAs(ro, 'L1', actor('t1', 'technician'), store, at(31)).next;
    const byManager = decideClockOnAs(ro, 'L1', actor('wm', 'workshop_manager'), store, at(31)).next;

    // Assess
    expect(() => decideClockOnAs(ro, 'L1', actor('t2', 'technician'), store, at(31))).toThrow(
      conflict('LINE_NOT_YOURS', { lineId: 'L1', technicianId: 't1' }),
    );
    expect(own.lines[0]?.clockings).toEqual([{ technicianId: 't1', startedAt: at(31) }]);
    expect(byManager.lines[0]?.clockings).toEqual([{ technicianId: 'wm', startedAt: at(31) }]);
  });

  it('refuses clocking off a line one is not on', () => {
    // Prepare
    const ro = next(decideDispatch(approvedOrder(), 'L1', { technicianId: 't1' }, at(30)));

    // Act / Assess
    expect(() => decideClockOff(ro, 'L1', 't2', ClockOffInput.parse({ outcome: 'done' }), at(40))).toThrow(
      conflict('NOT_CLOCKED_ON'),
    );
  });
});

describe('quality check (三检)', () => {
  it('goes self → team → final, and the RO is ready only when every approved line passed its final', () => {
    // Prepare
    let ro = worked(worked(approvedOrder(), 'L1', 30, 90), 'L2', 30, 40, 't2');
    expect(ro.status).toBe('quality_check');

    // Act / Assess
    expect(() =>
      decideQualityCheck(ro, 'L1', QualityCheckInput.parse({ stage: 'final', passed: true }), checker(130)),
    ).toThrow(conflict('QUALITY_CHECK_OUT_OF_ORDER', { due: 'self', stage: 'final' }));
    ro = checked(ro, 'L1', 130);
    expect(ro.status).toBe('quality_check');
    ro = checked(ro, 'L2', 135);
    expect(ro.status).toBe('ready');
  });

  it('sends a failed line back as rework with its reason, against first-time fix', () => {
    // Prepare
    let ro = worked(approvedOrder(), 'L1', 30, 90);
    ro = decideQualityCheck(
      ro,
      'L1',
      QualityCheckInput.parse({ stage: 'self', passed: true }),
      checker(125),
    ).next;

    // Act
    const failed = decideQualityCheck(
      ro,
      'L1',
      QualityCheckInput.parse({ stage: 'team', passed: false, reason: 'Pad retaining clip missing' }),
      checker(130),
    );

    // Assess
    expect(failed.next.lines[0]).toMatchObject({ status: 'rework', reworkCount: 1 });
    expect(failed.next.status).toBe('in_progress');
    expect(failed.events).toContainEqual(
      expect.objectContaining({
        type: 'repairOrder.lineReworked',
        data: expect.objectContaining({ lineId: 'L1', technicianId: 't1', stage: 'team' }),
      }),
    );
    const redone = decideClockOn(
      failed.next,
      'L1',
      't1',
      { concurrentClockingAllowed: false, openElsewhere: [] },
      at(140),
    );
    expect(redone.next.lines[0]?.status).toBe('in_progress');
    expect(QualityCheckInput.safeParse({ stage: 'team', passed: false }).success).toBe(false);
  });
});

// ——— Settlement and delivery ————————————————————————————————————————————————————————————————

/** Customer, warranty and insurance work, all finished and checked. */
function readyOrder(): RepairOrder {
  const accident = { insurer: '平安产险', claimNumber: 'PA-77', assessedAmount: cny(100_000) };
  let ro = checkIn(
    [
      { words: '刹车异响' },
      { words: '故障灯', payer: 'warranty' },
      { words: '后保险杠', payer: 'insurance' },
    ],
    {
      accident,
    },
  ).next;
  ro = next(decideLineWork(ro, 'L1', brakeWork(), rates, at(10)));
  ro = next(decideLineWork(ro, 'L2', sensorWork(), rates, at(11)));
  ro = next(decideLineWork(ro, 'L3', bumperWork(), rates, at(12)));
  ro = decideQuote(ro, TAX, advisor(15)).next;
  ro = decideApproval(ro, approval(1, { L1: true, L2: true, L3: true }), advisor(20)).next;
  for (const [i, id] of ['L1', 'L2', 'L3'].entries())
    ro = checked(worked(ro, id, 30 + i * 100, 60), id, 100 + i * 100);
  return ro;
}

describe('settlement (结算) and delivery (交车)', () => {
  it('splits the work to its payers, summing exactly to the total, the customer’s share paid', () => {
    // Prepare
    const ro = readyOrder();
    expect(ro.status).toBe('ready');
    const customerTotal = 30167 + 3922; // 13 % of 30167 is 3921.71 → 3922

    // Act
    const decision = decideRepairOrderSettlement(
      ro,
      { payments: [{ method: 'wechat', reference: 'WX-1', amount: cny(customerTotal) }] },
      advisor(400),
    );

    // Assess: 3.3 h at the insurer's ¥140 = 46200, tax 6006
    const settlement = decision.next.settlement;
    expect(settlement?.shares).toEqual([
      { payer: 'customer', net: 30167, tax: 3922, total: customerTotal, outcome: 'paid' },
      { payer: 'warranty', net: 8400, tax: 1092, total: 9492, outcome: 'claimable' },
      { payer: 'insurance', net: 46200, tax: 6006, total: 52206, outcome: 'receivable' },
    ]);
    expect(settlement?.total).toBe(customerTotal + 9492 + 52206);
    expect(decision.next.status).toBe('settled');
    expect(decision.events.map((e) => e.type)).toEqual(['repairOrder.statusChanged', 'repairOrder.settled']);
  });

  it('refuses a payment that is not the customer’s share, and settling before the work is ready', () => {
    // Prepare
    const ro = readyOrder();

    // Act / Assess
    expect(() =>
      decideRepairOrderSettlement(ro, { payments: [{ method: 'cash', amount: cny(100) }] }, advisor(400)),
    ).toThrow(conflict('PAYMENT_MISMATCH', { due: 34089, paid: 100 }));
    expect(() => decideRepairOrderSettlement(approvedOrder(), { payments: [] }, advisor(400))).toThrow(
      conflict('REPAIR_ORDER_TRANSITION_NOT_ALLOWED', { from: 'approved', to: 'settled' }),
    );
  });

  it('delivers only after settlement, with on-time and first-time-fix on the event', () => {
    // Prepare
    const ro = readyOrder();
    const settled = decideRepairOrderSettlement(
      ro,
      { payments: [{ method: 'cash', amount: cny(34089) }] },
      advisor(400),
    ).next;

    // Act / Assess
    expect(() => decideRepairOrderDelivery(ro, DELIVERY, checker(410))).toThrow(
      conflict('REPAIR_ORDER_NOT_SETTLED', { status: 'ready' }),
    );
    const delivered = decideRepairOrderDelivery(settled, DELIVERY, checker(420));
    expect(delivered.next).toMatchObject({ status: 'delivered', deliveredAt: at(420) });
    expect(delivered.events).toContainEqual(
      expect.objectContaining({
        type: 'repairOrder.delivered',
        data: expect.objectContaining({ onTime: true, firstTimeFix: true }),
      }),
    );
    expect(() => decideRepairOrderDelivery(delivered.next, DELIVERY, checker(430))).toThrow(
      conflict('REPAIR_ORDER_TRANSITION_NOT_ALLOWED'),
    );
  });
});

describe('cancellation', () => {
  it('is allowed with a reason before work starts, and refused once the workshop has the car', () => {
    // Prepare
    const quoted = decideQuote(
      next(decideLineWork(checkIn([{ words: 'Service' }]).next, 'L1', brakeWork(), rates, at(5))),
      TAX,
      advisor(6),
    ).next;
    const started = next(decideDispatch(approvedOrder(), 'L1', { technicianId: 't1' }, at(30)));

    // Act
    const cancelled = decideRepairOrderTransition(
      quoted,
      { to: 'cancelled', reason: 'Customer will come back' },
      at(10),
    );

    // Assess
    expect(cancelled?.next).toMatchObject({ status: 'cancelled', cancelReason: 'Customer will come back' });
    expect(() => decideRepairOrderTransition(started, { to: 'cancelled', reason: 'x' }, at(40))).toThrow(
      conflict('REPAIR_ORDER_TRANSITION_NOT_ALLOWED', { from: 'in_progress', to: 'cancelled' }),
    );
    expect(() => decideLineWork(cancelled?.next as RepairOrder, 'L1', brakeWork(), rates, at(11))).toThrow(
      conflict('REPAIR_ORDER_CLOSED'),
    );
  });
});

describe('the workshop floor (派工 · 三检 · 看板)', () => {
  const tech = (extra: Partial<Staff> = {}) =>
    ({
      id: 't1',
      roles: ['technician'],
      status: 'active',
      level: 'mid',
      skills: ['chassis', 'engine'],
      ...extra,
    }) as const satisfies Partial<Staff>;
  const brakes = { code: 'BRK-01', skill: 'chassis', level: 'mid' } as const;

  it('dispatches work only to an active technician with its skill and level', () => {
    // Act / Assess
    expect(() => requireTechnicianFit(tech(), 't1', [brakes])).not.toThrow();
    expect(() => requireTechnicianFit(tech({ level: 'junior' }), 't1', [brakes])).toThrow(
      conflict('TECHNICIAN_NOT_QUALIFIED', { ops: [brakes] }),
    );
    expect(() => requireTechnicianFit(tech({ skills: ['engine'] }), 't1', [brakes])).toThrow(
      conflict('TECHNICIAN_NOT_QUALIFIED'),
    );
    expect(() => requireTechnicianFit(tech({ status: 'disabled' }), 't1', [brakes])).toThrow(
      conflict('NOT_A_TECHNICIAN'),
    );
    expect(() => requireTechnicianFit(undefined, 't9', [])).toThrow(conflict('NOT_A_TECHNICIAN'));
    const painter = tech({ level: 'body_paint', skills: ['body', 'paint'] });
    expect(() =>
      requireTechnicianFit(painter, 't1', [{ code: 'PNT-01', skill: 'paint', level: 'senior' }]),
    ).not.toThrow();
  });

  it('dispatches to a bay of the store still in use, or to none', () => {
    // Prepare: M01 in use, M09 taken out of use
    const ro = approvedOrder();
    const bays = [
      { id: 'M01', active: true },
      { id: 'M09', active: false },
    ];
    const context = { technician: tech(), ops: [brakes], bays };
    const bayError = (code: string) =>
      expect.objectContaining({
        status: 400,
        fieldErrors: [expect.objectContaining({ path: 'bayId', code })],
      });

    // Act
    const inBay = next(decideLineDispatch(ro, 'L1', { technicianId: 't1', bayId: 'M01' }, context, at(30)));
    const noBay = next(decideLineDispatch(ro, 'L1', { technicianId: 't1' }, context, at(30)));

    // Assess
    expect(inBay.lines[0]).toMatchObject({ status: 'dispatched', technicianId: 't1', bayId: 'M01' });
    expect(noBay.lines[0]?.bayId).toBeUndefined();
    expect(() => decideLineDispatch(ro, 'L1', { technicianId: 't1', bayId: 'Z99' }, context, at(30))).toThrow(
      bayError('BAY_NOT_FOUND'),
    );
    expect(() => decideLineDispatch(ro, 'L1', { technicianId: 't1', bayId: 'M09' }, context, at(30))).toThrow(
      bayError('BAY_INACTIVE'),
    );
    expect(() =>
      decideLineDispatch(ro, 'L1', { technicianId: 't1' }, { ...context, technician: undefined }, at(30)),
    ).toThrow(conflict('NOT_A_TECHNICIAN'));
  });

  it('gives each check to the right hands', () => {
    // Prepare
    const line = { technicianId: 't1' };
    const actor = (userId: string, ...roles: Role[]) => ({ userId, name: userId, roles });
    const refused = expect.objectContaining({ status: 403, code: 'CHECKER_NOT_ALLOWED' });

    // Act / Assess
    expect(() => requireChecker(line, 'self', actor('t1', 'technician'))).not.toThrow();
    expect(() => requireChecker(line, 'self', actor('t2', 'technician'))).toThrow(refused);
    expect(() => requireChecker(line, 'team', actor('t1', 'technician'))).toThrow(refused);
    expect(() => requireChecker(line, 'team', actor('t2', 'technician'))).not.toThrow();
    expect(() => requireChecker(line, 'final', actor('t2', 'technician'))).toThrow(refused);
    expect(() => requireChecker(line, 'final', actor('td', 'technical_director'))).not.toThrow();
    expect(() => requireChecker(line, 'self', actor('wm', 'workshop_manager'))).not.toThrow();
  });

  it('holds a clocking exclusively unless the store allows two lines at once', () => {
    // Prepare
    const ro = next(decideDispatch(approvedOrder(), 'L1', { technicianId: 't1' }, at(30)));
    const alone = { concurrentClockingAllowed: false, openElsewhere: [] };

    // Act
    const exclusive = decideClockOn(ro, 'L1', 't1', alone, at(31)).next;
    const shared = decideClockOn(ro, 'L1', 't1', { ...alone, concurrentClockingAllowed: true }, at(31)).next;

    // Assess
    expect(exclusive.lines[0]?.clockings[0]?.concurrent).toBeUndefined();
    expect(shared.lines[0]?.clockings[0]?.concurrent).toBe(true);
  });

  it('shows each open RO as a card, late minutes and who is on what', () => {
    // Prepare: L1 clocked on by t1 since minute 40, L2 dispatched to t2; promised at minute 240
    let ro = next(decideDispatch(approvedOrder(), 'L1', { technicianId: 't1' }, at(30)));
    ro = next(decideDispatch(ro, 'L2', { technicianId: 't2' }, at(30)));
    ro = decideClockOn(ro, 'L1', 't1', { concurrentClockingAllowed: false, openElsewhere: [] }, at(40)).next;
    const lateBy = (Date.parse(at(300)) - Date.parse(ro.promisedAt)) / 60_000;

    // Act
    const card = boardCard(ro, at(300), new Map([['u-advisor', '王顾问']]));
    const unnamed = boardCard(ro, at(300));
    const people = boardTechnicians(
      [
        { id: 't1', displayName: '张师傅' },
        { id: 't2', displayName: '刘师傅' },
        { id: 't3', displayName: '赵师傅' },
      ],
      [ro],
    );

    // Assess
    expect(card).toMatchObject({
      repairOrderId: ro.id,
      status: 'in_progress',
      version: ro.version,
      advisorId: 'u-advisor',
      advisorName: '王顾问',
    });
    expect(unnamed.advisorName).toBeUndefined();
    expect(card.lateMinutes).toBe(Math.max(0, lateBy));
    expect(card.lines[0]).toMatchObject({ lineId: 'L1', clockedOnSince: at(40), clockedMinutes: 260 });
    expect(card.lines[1]).toMatchObject({ lineId: 'L2', status: 'dispatched', technicianId: 't2' });
    expect(people).toEqual([
      {
        technicianId: 't1',
        name: '张师傅',
        on: [{ repairOrderId: ro.id, lineId: 'L1', since: at(40) }],
        queued: 0,
      },
      { technicianId: 't2', name: '刘师傅', on: [], queued: 1 },
      { technicianId: 't3', name: '赵师傅', on: [], queued: 0 },
    ]);
  });
});

describe('the delivery’s labour (工时效率)', () => {
  it('carries each technician’s flat-rate tenths of their finished lines and the minutes they clocked', () => {
    // Prepare: L1 (1.5 h flat) by t1 in 70 min; L2 (0.7 h flat) by t2 in 30 min
    let ro = worked(approvedOrder(), 'L1', 30, 70, 't1');
    ro = worked(ro, 'L2', 120, 30, 't2');
    ro = checked(checked(ro, 'L1', 200), 'L2', 210);
    const due = settlementShares(ro).find((s) => s.payer === 'customer')?.total ?? 0;
    const settled = decideRepairOrderSettlement(
      ro,
      { payments: [{ method: 'cash', amount: cny(due) }] },
      advisor(300),
    ).next;

    // Act
    const delivered = decideRepairOrderDelivery(settled, DELIVERY, checker(310));

    // Assess
    expect(delivered.events.find((e) => e.type === 'repairOrder.delivered')?.data).toMatchObject({
      labour: [
        { technicianId: 't1', flatRateTenths: 15, clockedMinutes: 70 },
        { technicianId: 't2', flatRateTenths: 7, clockedMinutes: 30 },
      ],
    });
  });
});

describe('会诊: a hard fault put to the technical director', () => {
  const store = { concurrentClockingAllowed: false, openElsewhere: [] };
  const director = (minutes: number): Signature => ({
    userId: 'u-director',
    name: '赵总监',
    at: at(minutes),
  });
  const tech = (minutes: number): Signature => ({ userId: 't1', name: '陈师傅', at: at(minutes) });
  const question = { note: 'Misfire on cylinder 3 after coil and plug swapped' };

  it('pauses the line being worked for diagnosis, shows it on the board, and the answer returns it to work', () => {
    // Prepare
    let ro = next(decideDispatch(approvedOrder(), 'L1', { technicianId: 't1' }, at(30)));
    ro = decideClockOn(ro, 'L1', 't1', store, at(31)).next;
    // Act
    const escalated = decideEscalation(ro, 'L1', question, tech(50));
    // Assess
    const line = lineAt(escalated.next, 0);
    expect(line.status).toBe('paused');
    expect(line.clockings.at(-1)).toMatchObject({ endedAt: at(50), pauseReason: 'waiting_diagnosis' });
    expect(escalated.action).toBe('escalate');
    expect(escalated.events.map((e) => e.type)).toEqual([
      'repairOrder.lineEscalated',
      'repairOrder.lineStatusChanged',
    ]);
    expect(boardCard(escalated.next, at(55)).lines[0]).toMatchObject({
      pauseReason: 'waiting_diagnosis',
      escalatedAt: at(50),
    });
    expect(() => decideClockOn(escalated.next, 'L1', 't1', store, at(52))).toThrow(
      expect.objectContaining({ code: 'LINE_ESCALATED' }),
    );
    // Act
    const answered = decideEscalationAnswer(
      escalated.next,
      'L1',
      { note: 'Check the injector' },
      director(70),
    );
    // Assess
    expect(lineAt(answered.next, 0).escalations?.at(-1)?.answer).toMatchObject({
      note: 'Check the injector',
    });
    expect(answered.events.map((e) => e.type)).toEqual(['repairOrder.escalationAnswered']);
    expect(boardCard(answered.next, at(71)).lines[0]?.escalatedAt).toBeUndefined();
    const back = decideClockOn(answered.next, 'L1', 't1', store, at(72)).next;
    expect(lineAt(back, 0).status).toBe('in_progress');
  });

  it('takes a question on a line still in diagnosis without moving it', () => {
    // Prepare
    const ro = checkIn([{ words: '怠速抖动' }]).next;
    // Act
    const { next: escalated } = decideEscalation(ro, 'L1', question, advisor(5));
    // Assess
    expect(lineAt(escalated, 0)).toMatchObject({
      status: 'proposed',
      escalations: [{ note: question.note }],
    });
  });

  it('refuses a second open question, an answer to none, and work done or declined', () => {
    // Prepare
    const ro = approvedOrder();
    const escalated = decideEscalation(ro, 'L1', question, advisor(25)).next;
    const done = worked(ro, 'L2', 30, 40);
    // Act / Assess
    expect(() => decideEscalation(escalated, 'L1', question, advisor(26))).toThrow(
      expect.objectContaining({ code: 'ESCALATION_ALREADY_OPEN' }),
    );
    expect(() => decideEscalationAnswer(ro, 'L1', question, director(26))).toThrow(
      expect.objectContaining({ code: 'NO_OPEN_ESCALATION' }),
    );
    expect(() => decideEscalation(done, 'L2', question, tech(80))).toThrow(
      expect.objectContaining({ code: 'ESCALATION_NOT_ALLOWED' }),
    );
  });
});

describe('parts held for approved work (预留)', () => {
  it('holds the approved lines’ parts less what was issued, and nothing for declined work', () => {
    // Prepare: L1 (two pads) approved, L3 (two pads) declined
    let ro = approvedOrder();
    ro = decideLineAddition(ro, brakeWork(), rates, advisor(21)).next;
    ro = decideQuote(ro, TAX, advisor(22)).next;
    ro = decideApproval(ro, approval(2, { L3: false }), advisor(23)).next;
    // Act
    const before = partsToHold(ro);
    const issued = decidePartIssue(
      ro,
      'L1',
      { partId: 'p-pad', partNumber: '8K0698151', quantity: 1, oldPart: 'scrapped' },
      advisor(40),
    ).next;
    // Assess
    expect(Object.fromEntries(before)).toEqual({ 'p-pad': 2 });
    expect(Object.fromEntries(partsToHold(issued))).toEqual({ 'p-pad': 1 });
  });
});

describe('declined work offered again (未修项目)', () => {
  /** The sensor (L2) declined at the counter, the brakes (L1) approved. */
  const declinedOrder = () => approvedOrder({ L1: true, L2: false });
  const nextVisit = (declinedFrom: { repairOrderId: string; lineId: string }, declined: DeclinedWork[]) =>
    checkIn([{ words: '发动机故障灯亮', payer: 'warranty', declinedFrom }], {}, { declined }, 'ro-2').next;

  it('offers a declined line with its quoted price until a later order takes it up', () => {
    // Prepare
    const first = declinedOrder();
    // Act
    const offered = declinedWorkOf([first]);
    const second = nextVisit({ repairOrderId: first.id, lineId: 'L2' }, offered);
    const afterwards = declinedWorkOf([second, first]);
    // Assess
    expect(offered).toEqual([
      expect.objectContaining({
        repairOrderId: first.id,
        lineId: 'L2',
        complaint: 'Engine light on',
        payer: 'warranty',
        declinedAt: at(20),
      }),
    ]);
    expect(offered[0]?.totals?.net).toBeGreaterThan(0);
    expect(second.concerns[0]?.declinedFrom).toEqual({ repairOrderId: first.id, lineId: 'L2' });
    expect(afterwards).toEqual([]);
  });

  it('refuses a concern naming work not on offer for the vehicle', () => {
    // Prepare
    const first = declinedOrder();
    // Act
    const approvedLine = () => nextVisit({ repairOrderId: first.id, lineId: 'L1' }, declinedWorkOf([first]));
    // Assess
    expect(approvedLine).toThrow(
      expect.objectContaining({
        fieldErrors: [
          expect.objectContaining({ path: 'concerns.0.declinedFrom', code: 'DECLINED_WORK_NOT_FOUND' }),
        ],
      }),
    );
  });
});
